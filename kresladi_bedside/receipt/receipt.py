"""A receipt: its state, its events, and the one door commands come through (the kernel's
`Door`, engine/door.py, as the infusion's `Procedure` uses it), with the receipt's own rules
(decide.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import tzinfo
from typing import Any

from ..clock import Clock, Instant
from ..engine.custody import Custody
from ..engine.door import Door, DoorGuard, first_id
from ..engine.model import Command, Event
from ..profile import Profile
from .decide import ReceiptDecision, decide
from .model import new_receipt_id
from .state import ReceiptState, evolve, fold

ReceiptGuard = DoorGuard[ReceiptState]


class Receipt(Door[ReceiptState]):
    rejected_kind = "receipt_rejected"
    signs_rejections = False

    def __init__(self, profile: Profile, clock: Clock, receipt_id: str | None = None,
                 guards: Iterable[ReceiptGuard] = (), custody: Custody | None = None,
                 zone: tzinfo | None = None) -> None:
        # before the door folds anything: decide reads printed expiry in the site's zone
        self.zone = zone
        super().__init__(profile, clock, receipt_id or new_receipt_id(), guards, custody)

    @property
    def receipt_id(self) -> str:
        return self.procedure_id

    def fold(self, events: Iterable[Event]) -> ReceiptState:
        return fold(events)

    def evolve(self, state: ReceiptState, event: Event) -> ReceiptState:
        return evolve(state, event)

    def decide(self, state: ReceiptState, command: Command, now: Instant) -> ReceiptDecision:
        if state.receipt_id is None and command.name in ("open_receipt", "import_receipt"):
            state = replace(state, receipt_id=self.receipt_id)
        return decide(state, command, now, self.profile, self.custody, self.zone)

    def opened(self) -> bool:
        return self._state.receipt_id is not None

    def audit_args(self, command: Command) -> Mapping[str, Any]:
        # The audit keeps which command and why, never the typed values of a refused double
        # check (a later verifier could otherwise read the first entry in the log view).
        return {k: v for k, v in command.args.items() if k != "sheet"}

    @classmethod
    def rebuild(cls, profile: Profile, clock: Clock, events: Sequence[Event],
                guards: Iterable[ReceiptGuard] = (), custody: Custody | None = None,
                zone: tzinfo | None = None) -> Receipt:
        return cls(profile, clock, first_id(events, "receipt"), guards, custody,
                   zone).restored(events)
