"""Labels: scanner payloads to typed scans (`parse`), and identity judged against the order
(`LabelIdentityVerifier`). Pure Python."""

from .errors import LabelError
from .parse import parse

__all__ = ["LabelError", "parse"]
