"""A receipt: its state, its events, and the one door commands come through (like the engine's
`Procedure`): guards, then `decide`, then every listener (the store) before the state moves."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import tzinfo
from typing import Any

from ..clock import Clock, Instant
from ..engine.custody import Custody, NoCustody
from ..engine.decide import Refusal
from ..engine.model import Command, Event, Outcome, Rejection, jsonable
from ..profile import Profile
from .decide import decide
from .model import new_receipt_id
from .state import ReceiptState, evolve, fold

Listener = Callable[[Sequence[Event]], None]
ReceiptGuard = Callable[[ReceiptState, Command, Instant], Rejection | None]


class Receipt:
    def __init__(self, profile: Profile, clock: Clock, receipt_id: str | None = None,
                 guards: Iterable[ReceiptGuard] = (), custody: Custody | None = None,
                 zone: tzinfo | None = None) -> None:
        self.profile = profile
        self.zone = zone  # the site's time zone: printed expiry is read in it
        self.custody: Custody = custody or NoCustody()  # the product ledger of the store
        self.clock = clock
        self.receipt_id = receipt_id or new_receipt_id()
        self._guards = list(guards)
        self._listeners: list[Listener] = []
        self._events: list[Event] = []
        self._state = ReceiptState()

    @property
    def state(self) -> ReceiptState:
        return self._state

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(self._events)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def add_guard(self, guard: ReceiptGuard) -> None:
        self._guards.append(guard)

    def handle(self, command: Command) -> Outcome:
        now = self.clock.now()
        for guard in self._guards:
            rejection = guard(self._state, command, now)
            if rejection is not None:
                return self._reject(command, rejection, now)
        state = self._state
        if state.receipt_id is None and command.name in ("open_receipt", "import_receipt"):
            state = replace(state, receipt_id=self.receipt_id)
        try:
            decision = decide(state, command, now, self.profile, self.custody, self.zone)
        except Refusal as refusal:
            return self._reject(command, refusal.rejection, now)
        events = tuple(self._event(kind, data, command, now) for kind, data in decision.events)
        self._commit(events)
        return Outcome(events, decision.rejection)

    def _reject(self, command: Command, rejection: Rejection, now: Instant) -> Outcome:
        if self._state.receipt_id is None:
            return Outcome((), rejection)
        # The audit keeps which command and why, never the typed values of a refused double
        # check (a later verifier could otherwise read the first entry in the log view).
        args = {k: v for k, v in command.args.items() if k != "sheet"}
        event = self._event("receipt_rejected", {"command": command.name, "args": jsonable(args),
                                                 "rejection": rejection.to_dict()}, command, now)
        self._commit((event,))
        return Outcome((event,), rejection)

    def _event(self, kind: str, data: dict[str, Any], command: Command, now: Instant) -> Event:
        data = dict(data)
        if command.signatures and kind != "receipt_rejected":
            data["signatures"] = [s.to_dict() for s in command.signatures]
        return Event(Event.new_id(), self.receipt_id, kind, data, command.user or "system", now)

    def _commit(self, events: Sequence[Event]) -> None:
        for listener in self._listeners:
            listener(events)  # may raise (storage): then nothing is applied
        state = self._state
        for event in events:
            state = evolve(state, event)
        self._state = state
        self._events.extend(events)

    @classmethod
    def rebuild(cls, profile: Profile, clock: Clock, events: Sequence[Event],
                guards: Iterable[ReceiptGuard] = (), custody: Custody | None = None,
                zone: tzinfo | None = None) -> Receipt:
        if not events:
            raise ValueError("a receipt is rebuilt from at least its opening event")
        receipt = cls(profile, clock, events[0].procedure_id, guards, custody, zone)
        receipt._state = fold(events)
        receipt._events = list(events)
        return receipt

