"""The procedure engine: pure Python, no Qt. See `table.py` for the procedure as one table."""

from .countdowns import Countdown
from .identity import AcceptedLabel, IdentityContext, IdentityVerifier, Verdict
from .model import (
    Command,
    Deviation,
    Event,
    Order,
    OrderBag,
    OrderError,
    Outcome,
    Patient,
    Rejection,
    Signature,
)
from .procedure import Procedure
from .ruling import Refusal
from .state import State
from .steps import Step

__all__ = [
    "AcceptedLabel", "Command", "Countdown", "Deviation", "Event", "IdentityContext",
    "IdentityVerifier", "Order", "OrderBag", "OrderError", "Outcome", "Patient", "Procedure",
    "Refusal", "Rejection", "Signature", "State", "Step", "Verdict",
]
