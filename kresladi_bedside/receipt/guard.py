"""Who may give receipt commands: the one guard (people/guard.py) with the pharmacy's duty — a
signed-in user with the pharmacy role (pharmacy or cell-therapy laboratory), and, for the double
check, a second such person's own signature. The receipt's rules (decide.py) say when the
verifier is needed; the guard checks whoever is named."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..clock import Instant
from ..engine.model import Command, Rejection
from ..people.guard import Duty, guard_duty
from .receipt import ReceiptGuard
from .state import ReceiptState

if TYPE_CHECKING:
    from ..people import People

RECEIPT_ROLE = "pharmacy"

RECEIPT_DUTY: Duty[ReceiptState] = Duty(RECEIPT_ROLE, lambda command: "receive KRESLADI",
                                        (RECEIPT_ROLE,), lambda people, state, command: [],
                                        witness="verifier")


def receipt_guard(people: People) -> ReceiptGuard:
    """`Receipt.add_guard(receipt_guard(people))`."""

    def guard(state: ReceiptState, command: Command, now: Instant) -> Rejection | None:
        return guard_duty(RECEIPT_DUTY, people, state, command, now)

    return guard
