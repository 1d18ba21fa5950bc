"""The signed acts of custody in the window: a reason signed by the nurse (PIN always: it opens
or moves a product: `dialogs.SignedReasonDialog`, the stop's shape too), then a witness with
their own badge and PIN (`dialogs.WitnessDialog`).
Used to open a product while the hospital's server cannot say who holds it, and to take over
a procedure from another workstation."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from ..engine import Signature
from ..people import People
from .dialogs import SignedAsk, SignedReasonDialog, WitnessDialog


def ask_signed_reason(title: str, text: str, action: str, witness_for: str, people: People,
                      parent: QWidget | None) -> tuple[str, Signature, Signature] | None:
    """The reason, the nurse's signature and a witness's: None when either is cancelled."""
    dialog = SignedReasonDialog(SignedAsk(title, text, (action, "Sign")), people, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signature is None:
        return None
    witness = WitnessDialog([witness_for], people, parent)
    if witness.exec() != QDialog.DialogCode.Accepted or witness.signature is None:
        return None
    return dialog.reason, dialog.signature, witness.signature
