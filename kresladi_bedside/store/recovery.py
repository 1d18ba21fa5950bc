"""Coming back after a crash: find unfinished procedures and rebuild them from their events.

Countdowns need nothing special: the engine computes them from the recorded instants on its one
timeline (kresladi_bedside/timeline.py: monotonic within a boot; across a restart the last
recorded instant plus the monotonic time since). What recovery adds is the record that the clock
may have moved while the program was down: a `note_clock_change` command whose event says what
was seen, so the record and the screen explain any jump in the countdowns.

Before first paint `recover` checks only what it is about to use: the unfinished procedures'
chains, their seals and heads. The whole log, the people log included, is verified afterwards,
off the GUI thread, by `full_check(path)`; `report_alarms(report)` words what it found (a damaged
people log has its own alarm; sign-in itself refuses while it is damaged, people.People).
A procedure that cannot be replayed (a hostile import, a damaged row) is blocked with its own
reason, never a crash: the rest of the workstation works.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..clock import Clock, Instant
from ..engine import Command, Procedure
from ..engine.identity import IdentityVerifier
from ..profile import Profile
from .db import Store, open_store
from .errors import StorageError
from .listener import StoreListener
from .verify import VerifyReport, verify

PEOPLE_LOG = "people"  # people.audit.PEOPLE_LOG (the store does not import people)

FINAL_EVENT_TYPES: frozenset[str] = frozenset({"procedure_completed", "procedure_stopped"})
# Wall and monotonic clocks may drift apart a little (NTP slewing); more than this is a move.
DEFAULT_TOLERANCE_S = 2.0
SYSTEM_USER = "system"


@dataclass(frozen=True)
class ClockChange:
    boot_changed: bool
    wall_minus_mono_s: float | None  # within one boot: how far the wall clock moved on its own
    last: Instant
    now: Instant

    def to_args(self) -> dict[str, Any]:
        return {
            "reason": self.describe(),
            "boot_changed": self.boot_changed,
            "wall_minus_mono_s": self.wall_minus_mono_s,
            "last_event_at": self.last.to_dict(),
            "seen_at": self.now.to_dict(),
        }

    def describe(self) -> str:
        if self.boot_changed:
            gap = (self.now.wall - self.last.wall).total_seconds()
            if gap < 0:
                return (f"the workstation restarted and its clock now reads {-gap:.0f} s before "
                        "the last recorded instant: the clock moved back; the time it was down "
                        "is unknown (waits count from the last recorded instant; a limit that "
                        "spans the restart needs the real time attested or a signed deviation)")
            return (f"the workstation restarted ({gap:.0f} s by its wall clock since the last "
                    "recorded instant): waits count from the last recorded instant plus the "
                    "time since the restart; limits count the wall clock's downtime")
        return (f"the wall clock moved by {self.wall_minus_mono_s:+.1f} s while the program was "
                "down")


def detect_clock_change(last: Instant, now: Instant,
                        tolerance_s: float = DEFAULT_TOLERANCE_S) -> ClockChange | None:
    if last.mono is None or now.mono is None or last.boot_id is None or now.boot_id is None:
        return None  # an instant typed by a person: nothing to compare
    if last.boot_id != now.boot_id:
        return ClockChange(True, None, last, now)
    wall_s = (now.wall - last.wall).total_seconds()
    mono_s = now.mono - last.mono
    if abs(wall_s - mono_s) > tolerance_s:
        return ClockChange(False, wall_s - mono_s, last, now)
    return None


def unfinished_procedures(store: Store) -> list[str]:
    """Procedures with no final event, oldest first. Only chains that open with
    `procedure_opened` are procedures: other logs in the store (the people log) never finish and
    are never reopened. A procedure handed over to another workstation (its last custody event
    is `procedure_handed_over`, engine/handover.py) is no longer this workstation's to resume:
    every command for it is refused here.

    Found from the chain heads (one row per chain, kept by the events' trigger) with an index
    seek per chain, never a read of every past event: start-up with a thousand finished
    procedures costs what it costs with none. A chain whose head row was removed around the
    program is not reopened here; the full verification after first paint finds it (a chain
    without its head) and raises the log alarm."""
    finals = ", ".join("?" for _ in FINAL_EVENT_TYPES)
    return [r[0] for r in store.conn.execute(
        f"""SELECT h.procedure_id FROM chain_heads h
            WHERE NOT EXISTS (SELECT 1 FROM events f WHERE f.procedure_id = h.procedure_id
                                                       AND f.type IN ({finals}))
              AND EXISTS (SELECT 1 FROM events o WHERE o.procedure_id = h.procedure_id
                                                   AND o.seq = 1
                                                   AND o.type = 'procedure_opened')
              AND COALESCE((SELECT c.type FROM events c
                             WHERE c.procedure_id = h.procedure_id
                               AND c.type IN ('procedure_handed_over', 'procedure_taken_over')
                             ORDER BY c.seq DESC LIMIT 1), '') != 'procedure_handed_over'
            ORDER BY (SELECT min(pos) FROM events p WHERE p.procedure_id = h.procedure_id)""",
        tuple(sorted(FINAL_EVENT_TYPES)),
    )]


@dataclass
class Recovered:
    procedure: Procedure
    clock_change: ClockChange | None


@dataclass
class Recovery:
    report: VerifyReport  # of the chains checked before first paint (report.full is False)
    procedures: list[Recovered]
    blocked: tuple[str, ...]  # unfinished but broken or unreplayable: an alarm, not resumed
    reasons: dict[str, str] = field(default_factory=dict)  # blocked procedure -> why
    key_alarm: str | None = None  # the log cannot be sealed: nothing is reopened or recorded

    def alarm_texts(self) -> list[str]:
        """What the window shows, one alarm per damaged log, each in its own words."""
        keyed = [] if self.key_alarm is None else [
            f"LOG LOCKED FOR WRITING: {self.key_alarm}. Call technical support "
            "(kresladi-bedside verify)."]
        texts = keyed + [
            f"PROCEDURE LOG DAMAGED: procedure {pid} was not reopened. {why} Its record and log "
            "are kept as they are; call technical support (kresladi-bedside verify)."
            for pid, why in self.reasons.items()]
        return texts


def report_alarms(report: VerifyReport) -> list[str]:
    """The alarms a full verification raises, each damaged log in its own words."""
    texts = []
    people = next((b for b in report.breaks if b.procedure_id == PEOPLE_LOG), None)
    if people is not None:
        texts.append(f"PEOPLE LOG DAMAGED: {people.describe()}. Sign-in, signatures and badge "
                     "locks rely on it, so no one can sign in until technical support has "
                     "checked it (kresladi-bedside verify).")
    others = [b for b in report.breaks if b.procedure_id != PEOPLE_LOG]
    if others or report.integrity != "ok" or report.key_problem is not None:
        rest = replace(report, breaks=tuple(others))
        texts.append(f"LOG VERIFICATION FAILED: {rest.summary()} Call technical support "
                     "(kresladi-bedside verify).")
    return texts


def rebuild(store: Store, procedure_id: str, profile: Profile, clock: Clock,
            verifier: IdentityVerifier | None = None,
            tolerance_s: float = DEFAULT_TOLERANCE_S, workstation: str | None = None
            ) -> Recovered:
    """Replay one procedure, subscribe the store to it, and record a clock that moved. With
    `workstation` (a program starting, not a tool reading the log) the start itself is recorded,
    saying whether the last run ended with a quit or uncleanly (engine/runs.py)."""
    events = store.events(procedure_id)
    if not events:
        raise KeyError(procedure_id)
    procedure = Procedure.rebuild(profile, clock, events, verifier)
    procedure.subscribe(StoreListener(store))
    if workstation is not None:
        procedure.note_program_start(workstation)
    change = detect_clock_change(events[-1].at, clock.now(), tolerance_s)
    if change is not None:
        procedure.handle(Command("note_clock_change", change.to_args(), user=SYSTEM_USER))
    return Recovered(procedure, change)


def recover(store: Store, profile: Profile, clock: Clock,
            verifier: IdentityVerifier | None = None,
            tolerance_s: float = DEFAULT_TOLERANCE_S, workstation: str | None = None
            ) -> Recovery:
    """At start: check the unfinished chains and the people log, then rebuild each unfinished
    procedure whose chain holds and replays (each start recorded in it when `workstation`
    names this one). Never raises for a log it cannot replay."""
    unfinished = unfinished_procedures(store)
    report = verify(store, unfinished)
    if store.key_state in ("missing", "another", "tampered"):
        # Once keyed, always keyed: nothing is reopened (its first write would be refused)
        # and the window says why at once, before anyone starts a step.
        locked = {pid: "The log cannot be sealed on this workstation." for pid in unfinished}
        return Recovery(report, [], tuple(unfinished), locked, store.key_problem())
    broken = {b.procedure_id: b for b in report.breaks}
    recovered: list[Recovered] = []
    reasons: dict[str, str] = {}
    for procedure_id in unfinished:
        if procedure_id in broken:
            reasons[procedure_id] = f"Its log is broken: {broken[procedure_id].describe()}."
            continue
        try:
            recovered.append(rebuild(store, procedure_id, profile, clock, verifier,
                                     tolerance_s, workstation))
        except StorageError:
            raise  # the disk itself: the window's NOT RECORDED alarm, as for any write
        except Exception as exc:  # any replay failure blocks only this procedure
            reasons[procedure_id] = (f"Its events cannot be replayed ({type(exc).__name__}: "
                                     f"{str(exc)[:200]}).")
    return Recovery(report, recovered, tuple(reasons), reasons)


def full_check(path: str | Path) -> VerifyReport:
    """The whole log verified on a connection of its own (read-only): call it off the GUI thread
    after first paint; a report that is not ok must raise an alarm."""
    with open_store(path, read_only=True) as store:
        return verify(store)
