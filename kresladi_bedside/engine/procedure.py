"""A procedure: the state, the events that made it, and the one door commands come through.

`handle` decides, hands the events to every listener (the store writes them durably; if it
raises, nothing is applied and the command is not acknowledged), then folds them into the state.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import tzinfo
from typing import Any

from ..clock import Clock, Instant
from ..config import IdentityConfig
from ..profile import Profile
from .countdowns import Countdown, countdowns
from .custody import Custody, NoCustody
from .decide import Refusal, decide
from .events import stamp
from .identity import IdentityVerifier
from .model import Command, Event, Outcome, Rejection, jsonable
from .state import State, evolve, fold
from .steps import Step, current_step
from .table import allowed_at

Listener = Callable[[Sequence[Event]], None]
Guard = Callable[[State, Command, Instant], Rejection | None]


def default_verifier(profile: Profile, config: IdentityConfig | None = None,
                     time_zone: str | tzinfo | None = None) -> IdentityVerifier:
    """The label-reading verifier, with the profile's minimum of patient identifiers, the
    site's wristband formats and wristband age, and the site's time zone (IANA name: labels
    print expiry as a local time in it; a workstation passes `labels.expiry.site_zone`, the
    operating system's zone when none is configured, as its receipt does; None — rehearsals
    and tests only — reads at the clock's offset)."""
    from zoneinfo import ZoneInfo

    from .verifier import LabelIdentityVerifier

    minimum = profile.rule("identity")["min_patient_identifiers"]
    zone = ZoneInfo(time_zone) if isinstance(time_zone, str) else time_zone
    return LabelIdentityVerifier(config, min_patient_identifiers=minimum, zone=zone)


CLOCK_TOLERANCE_S = 2.0  # wall and monotonic drift apart a little (NTP slewing); more is a move


def wall_jump(last: Instant, now: Instant, tolerance_s: float = CLOCK_TOLERANCE_S) -> float | None:
    """Within one boot: how far the wall clock moved on its own since `last` (None: it did
    not, or the instants cannot tell: another boot, or a time typed by a person)."""
    if (last.mono is None or now.mono is None or last.boot_id is None
            or last.boot_id != now.boot_id):
        return None
    mono_s = now.mono - last.mono
    drift = (now.wall - last.wall).total_seconds() - mono_s
    # NTP may slew the wall clock by up to 500 ppm: over a 2-hour wait that is 3.6 s, not a jump.
    allowed = max(tolerance_s, 0.0005 * abs(mono_s))
    return drift if abs(drift) > allowed else None


class Procedure:
    clock_tolerance_s = CLOCK_TOLERANCE_S

    def __init__(self, profile: Profile, clock: Clock, verifier: IdentityVerifier | None = None,
                 procedure_id: str | None = None, guards: Iterable[Guard] = (),
                 custody: Custody | None = None) -> None:
        self.profile = profile
        # The other procedures in the store (the product ledger); none without a store.
        self.custody: Custody = custody if custody is not None else NoCustody()
        self.clock = clock
        self.verifier = verifier if verifier is not None else default_verifier(profile)
        self.procedure_id = procedure_id or uuid.uuid4().hex
        self._guards: list[Guard] = list(guards)
        self._listeners: list[Listener] = []
        self._events: list[Event] = []
        self._state = State()

    # ------------------------------------------------------------------------------ reading
    @property
    def state(self) -> State:
        return self._state

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(self._events)

    def step(self, now: Instant | None = None) -> Step:
        return current_step(self._state, now or self.clock.now(), self.profile)

    def countdowns(self, now: Instant | None = None) -> list[Countdown]:
        return countdowns(self._state, now or self.clock.now(), self.profile)

    def allowed(self, now: Instant | None = None) -> tuple[str, ...]:
        return allowed_at(self.step(now).name)

    # ------------------------------------------------------------------------------ writing
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def add_guard(self, guard: Guard) -> None:
        """A check run before the engine's own (e.g. the user's role), refusing with a reason."""
        self._guards.append(guard)

    def handle(self, command: Command) -> Outcome:
        now = self.clock.now()
        noted = self.watch_clock(now)
        for guard in self._guards:
            rejection = guard(self._state, command, now)
            if rejection is not None:
                return self._reject(command, rejection, now)
        try:
            decision = decide(self._state, command, now, self.profile, self.verifier,
                              self.custody)
        except Refusal as refusal:
            return self._reject(command, refusal.rejection, now)
        events = tuple(self._event(kind, data, command, now) for kind, data in decision.events)
        self._commit(events)
        return Outcome(noted + events, decision.rejection)

    # ------------------------------------------------------------------------------ the clock
    def watch_clock(self, now: Instant | None = None) -> tuple[Event, ...]:
        """Record a wall-clock change seen while the program runs (the monotonic clock did not
        move with it): a `clock_change_noted` event, shown on the record. Countdowns stay on the
        monotonic clock; the event explains the jump in wall times. Called before every
        command; the window may call it on its timer."""
        now = now or self.clock.now()
        if not self._events or not self._state.active:
            return ()
        jump = wall_jump(self._events[-1].at, now, self.clock_tolerance_s)
        if jump is None:
            return ()
        event = Event(Event.new_id(), self.procedure_id, "clock_change_noted", {
            "reason": f"the wall clock moved by {jump:+.1f} s while the program was running",
            "runtime": True, "boot_changed": False, "wall_minus_mono_s": round(jump, 3),
            "last_event_at": self._events[-1].at.to_dict(), "seen_at": now.to_dict(),
        }, "system", now)
        self._commit((event,))
        return (event,)

    def _reject(self, command: Command, rejection: Rejection, now: Instant) -> Outcome:
        if self._state.procedure_id is None:  # nothing to log a rejection against yet
            return Outcome((), rejection)
        event = self._event("command_rejected", {
            "command": command.name, "args": jsonable(command.args),
            "rejection": rejection.to_dict(),
        }, command, now)
        self._commit((event,))
        return Outcome((event,), rejection)

    def _event(self, kind: str, data: dict[str, Any], command: Command, now: Instant) -> Event:
        data = dict(data)
        if kind == "deviation_recorded":
            signatures = [s for s in command.signatures if s.meaning == "deviation"]
        else:
            signatures = [s for s in command.signatures if s.meaning != "deviation"]
        if signatures:
            data["signatures"] = [s.to_dict() for s in signatures]
        if command.witness:
            data["witness"] = command.witness
        return Event(Event.new_id(), self.procedure_id, kind, stamp(kind, data),
                     command.user or "system", now)

    def _commit(self, events: Sequence[Event]) -> None:
        for listener in self._listeners:
            listener(events)  # may raise: then nothing below happens
        state = self._state
        for event in events:
            state = evolve(state, event)
        self._state = state
        self._events.extend(events)

    # ------------------------------------------------------------------------------ replay
    @classmethod
    def rebuild(cls, profile: Profile, clock: Clock, events: Sequence[Event],
                verifier: IdentityVerifier | None = None,
                guards: Iterable[Guard] = (), custody: Custody | None = None) -> Procedure:
        if not events:
            raise ValueError("a procedure is rebuilt from at least its opening event")
        proc = cls(profile, clock, verifier, events[0].procedure_id, guards, custody)
        proc._state = fold(events)
        proc._events = list(events)
        return proc

