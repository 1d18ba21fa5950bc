"""The procedure plumbing: the one door every command of a procedure comes through (the
infusion's `Procedure`, the receipt's `Receipt`), written once.

`handle` runs the guards (who may do what), then the procedure's own rules (a `Ruling`), hands
the events to every listener (the store writes them durably; if it raises, nothing is applied
and the command is not acknowledged), then folds them into the state. A refusal is logged as an
audit event once the procedure has an id; `rebuild` (via `restored`) replays a stored log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Generic, Self, TypeVar

from ..clock import Clock, Instant
from ..profile import Profile
from .custody import Custody, NoCustody
from .model import Command, Event, Outcome, Rejection, Signature, jsonable
from .ruling import Refusal, Ruling

S = TypeVar("S")
Listener = Callable[[Sequence[Event]], None]
# A check run before the procedure's own rules (e.g. the user's role), refusing with a reason.
DoorGuard = Callable[[S, Command, Instant], Rejection | None]


def replay(evolve: Callable[[S, Event], S], events: Iterable[Event], state: S) -> S:
    """The state `events` lead to from `state` (a fold)."""
    for event in events:
        state = evolve(state, event)
    return state


def signatures_for(kind: str, command: Command) -> list[Signature]:
    """The signatures an event of `kind` carries: a deviation's signer's on the deviation, the
    others on every other event of the command."""
    if kind == "deviation_recorded":
        return [s for s in command.signatures if s.meaning == "deviation"]
    return [s for s in command.signatures if s.meaning != "deviation"]


class Door(Generic[S]):
    rejected_kind: ClassVar[str]  # the audit event of a refused command
    signs_rejections: ClassVar[bool] = True  # whether that event keeps the command's signatures

    def __init__(self, profile: Profile, clock: Clock, procedure_id: str,
                 guards: Iterable[DoorGuard[S]] = (), custody: Custody | None = None) -> None:
        self.profile = profile
        # The other procedures in the store (the product ledger); none without a store.
        self.custody: Custody = custody if custody is not None else NoCustody()
        self.clock = clock
        self.procedure_id = procedure_id
        self._guards: list[DoorGuard[S]] = list(guards)
        self._listeners: list[Listener] = []
        self._events: list[Event] = []
        self._state = self.fold(())

    # ------------------------------------------------------------- each procedure's own
    def fold(self, events: Iterable[Event]) -> S:
        raise NotImplementedError

    def evolve(self, state: S, event: Event) -> S:
        raise NotImplementedError

    def decide(self, state: S, command: Command, now: Instant) -> Ruling[S]:
        """The procedure's rules: a `Ruling`, or raise `Refusal`."""
        raise NotImplementedError

    def opened(self) -> bool:
        """Whether there is a procedure to log a refusal against yet."""
        raise NotImplementedError

    def before(self, now: Instant) -> tuple[Event, ...]:
        """Events recorded before every command (none unless the procedure says so)."""
        return ()

    def audit_args(self, command: Command) -> Mapping[str, Any]:
        """What the audit event of a refusal keeps of the command's arguments."""
        return command.args

    def payload(self, kind: str, data: dict[str, Any], command: Command) -> dict[str, Any]:
        """An event's data as written: with the signatures that belong on it."""
        signatures = ([] if kind == self.rejected_kind and not self.signs_rejections
                      else signatures_for(kind, command))
        if signatures:
            data["signatures"] = [s.to_dict() for s in signatures]
        return data

    # ------------------------------------------------------------------------- reading
    @property
    def state(self) -> S:
        return self._state

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(self._events)

    # ------------------------------------------------------------------------- writing
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def add_guard(self, guard: DoorGuard[S]) -> None:
        """A check run before the procedure's own (e.g. the user's role)."""
        self._guards.append(guard)

    def preview(self, command: Command, now: Instant | None = None) -> Rejection | None:
        """What `handle` would answer, without recording anything: its rejection, or None."""
        now = now or self.clock.now()
        try:
            self._ruling(command, now)
        except Refusal as refusal:
            return refusal.rejection
        return None

    def handle(self, command: Command) -> Outcome:
        now = self.clock.now()
        noted = self.before(now)
        try:
            ruling = self._ruling(command, now)
        except Refusal as refusal:
            return self._reject(command, refusal.rejection, now)
        events = tuple(self._event(kind, data, command, now) for kind, data in ruling.events)
        self._commit(events)
        return Outcome(noted + events, ruling.rejection)

    def _ruling(self, command: Command, now: Instant) -> Ruling[S]:
        for guard in self._guards:
            rejection = guard(self._state, command, now)
            if rejection is not None:
                raise Refusal(rejection)
        ruling = self.decide(self._state, command, now)
        ruling.settle()
        return ruling

    def _reject(self, command: Command, rejection: Rejection, now: Instant) -> Outcome:
        if not self.opened():
            return Outcome((), rejection)
        event = self._event(self.rejected_kind, {
            "command": command.name, "args": jsonable(self.audit_args(command)),
            "rejection": rejection.to_dict(),
        }, command, now)
        self._commit((event,))
        return Outcome((event,), rejection)

    def _event(self, kind: str, data: dict[str, Any], command: Command, now: Instant) -> Event:
        return Event(Event.new_id(), self.procedure_id, kind,
                     self.payload(kind, dict(data), command), command.user or "system", now)

    def _commit(self, events: Sequence[Event]) -> None:
        for listener in self._listeners:
            listener(events)  # may raise (storage): then nothing below happens
        self._state = replay(self.evolve, events, self._state)
        self._events.extend(events)

    # ------------------------------------------------------------------------- replay
    def restored(self, events: Sequence[Event]) -> Self:
        """This door with `events` (a stored log, opening event first) as its history."""
        self._state = self.fold(events)
        self._events = list(events)
        return self


def first_id(events: Sequence[Event], what: str) -> str:
    """The id of the procedure a stored log belongs to (its opening event's)."""
    if not events:
        raise ValueError(f"a {what} is rebuilt from at least its opening event")
    return events[0].procedure_id
