"""Labels: scanner payloads to typed scans (`parse`) and the comparisons identity needs
(`compare`). Pure Python. Judging a label against the order is the engine's
(`engine.verifier.LabelIdentityVerifier`): labels never import the engine."""

from .errors import LabelError
from .parse import parse

__all__ = ["LabelError", "parse"]
