"""The infusion procedure: the state, the events that made it, and the one door commands come
through (the kernel's `Door`, engine/door.py), with the engine's rules (decide.py), its steps and
countdowns, and the wall clock watched before every command."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import tzinfo
from typing import Any

from ..clock import Clock, Instant
from ..config import IdentityConfig
from ..profile import Profile
from . import runs
from .countdowns import Countdown, countdowns
from .custody import Custody
from .decide import Decision, decide
from .door import Door, DoorGuard, first_id
from .events import stamp
from .identity import IdentityVerifier
from .model import Command, Event
from .state import State, evolve, fold
from .steps import Step, current_step
from .table import allowed_at

Guard = DoorGuard[State]


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


class Procedure(Door[State]):
    """The infusion: its door (engine/door.py) with the engine's rules (decide.py)."""

    rejected_kind = "command_rejected"
    clock_tolerance_s = CLOCK_TOLERANCE_S

    def __init__(self, profile: Profile, clock: Clock, verifier: IdentityVerifier | None = None,
                 procedure_id: str | None = None, guards: Iterable[Guard] = (),
                 custody: Custody | None = None) -> None:
        super().__init__(profile, clock, procedure_id or uuid.uuid4().hex, guards, custody)
        self.verifier = verifier if verifier is not None else default_verifier(profile)

    # ------------------------------------------------------------------------------ the door's
    def fold(self, events: Iterable[Event]) -> State:
        return fold(events)

    def evolve(self, state: State, event: Event) -> State:
        return evolve(state, event)

    def decide(self, state: State, command: Command, now: Instant) -> Decision:
        return decide(state, command, now, self.profile, self.verifier, self.custody)

    def opened(self) -> bool:
        return self._state.procedure_id is not None

    def before(self, now: Instant) -> tuple[Event, ...]:
        return self.watch_clock(now)

    def payload(self, kind: str, data: dict[str, Any], command: Command) -> dict[str, Any]:
        data = super().payload(kind, data, command)
        if command.witness:
            data["witness"] = command.witness
        return stamp(kind, data)

    # ------------------------------------------------------------------------------ reading
    def step(self, now: Instant | None = None) -> Step:
        return current_step(self._state, now or self.clock.now(), self.profile)

    def countdowns(self, now: Instant | None = None) -> list[Countdown]:
        return countdowns(self._state, now or self.clock.now(), self.profile)

    def allowed(self, now: Instant | None = None) -> tuple[str, ...]:
        return allowed_at(self.step(now).name)

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

    # ------------------------------------------------------------------------------ the program
    def note_program_start(self, workstation: str, now: Instant | None = None
                           ) -> tuple[Event, ...]:
        """The program started again with this procedure open (engine/runs.py): recorded
        past the door (no one is signed in yet), like a clock change."""
        now = now or self.clock.now()
        if not self._events or not self._state.active:
            return ()
        event = runs.started(self._events, workstation, now)
        self._commit((event,))
        return (event,)

    def note_program_quit(self, workstation: str, signed_in: str | None,
                          now: Instant | None = None) -> tuple[Event, ...]:
        """The program is being quit with this procedure open (engine/runs.py)."""
        now = now or self.clock.now()
        if not self._events or not self._state.active or self._events[-1].type == runs.QUIT:
            return ()  # a window closed twice is quit once
        event = runs.quit_(self.procedure_id, workstation, signed_in, now)
        self._commit((event,))
        return (event,)

    # ------------------------------------------------------------------------------ replay
    @classmethod
    def rebuild(cls, profile: Profile, clock: Clock, events: Sequence[Event],
                verifier: IdentityVerifier | None = None,
                guards: Iterable[Guard] = (), custody: Custody | None = None) -> Procedure:
        return cls(profile, clock, verifier, first_id(events, "procedure"), guards,
                   custody).restored(events)
