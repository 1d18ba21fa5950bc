"""Who may give receipt commands: a signed-in user with the pharmacy role (pharmacy or
cell-therapy laboratory), and, for the double check, a second such person's own signature.

The same checks as the people guard (session, lock, signatures made here), with the receipt's
role instead of the nurse's; citations are the people layer's."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..clock import Instant
from ..engine.model import Command, Rejection
from ..people.roles import CITATIONS
from .state import ReceiptState

if TYPE_CHECKING:
    from ..people import People

RECEIPT_ROLE = "pharmacy"


def _refuse(rule: str, reason: str, code: str) -> Rejection:
    return Rejection(rule, reason, CITATIONS[rule], "refused", None, {"code": code})


def receipt_guard(people: People) -> Callable[[ReceiptState, Command, Instant],
                                              Rejection | None]:
    """`Receipt.add_guard(receipt_guard(people))`."""

    def guard(state: ReceiptState, command: Command, now: Instant) -> Rejection | None:
        user = people.user(command.user) if command.user else None
        if user is None:
            return _refuse("role", "Nobody known is giving this command: sign in with your "
                           "badge and PIN.", "not_signed_in")
        session = people.session
        if not user.active or session is None or session.user.id != user.id:
            return _refuse("role", f"{user.name} is not the person signed in at this "
                           "workstation.", "not_signed_in")
        if session.locked or session.idle_due(now, people.idle_seconds):
            return _refuse("role", "The screen is locked: unlock it with your PIN first.",
                           "locked")
        if not user.has_role(RECEIPT_ROLE):
            return _refuse("role", f"{user.name} does not have the pharmacy role needed to "
                           "receive KRESLADI.", "role")
        for signature in command.signatures:
            problem = people.signature_problem(signature, now)
            if problem is not None:
                return _refuse("signature", problem, "invalid_signature")
        if command.witness:
            verifier = people.user(command.witness)
            if verifier is None or not verifier.active or not verifier.has_role(RECEIPT_ROLE):
                return _refuse("witness", "The verifier must be an active user with the "
                               "pharmacy role.", "witness_role")
            if not any(s.user == command.witness and s.meaning == "witnessed"
                       for s in command.signatures):
                return _refuse("witness", f"{verifier.name} has not signed: the verifier signs "
                               "with their own badge and PIN.", "witness_unsigned")
        people.note_activity(now)
        return None

    return guard
