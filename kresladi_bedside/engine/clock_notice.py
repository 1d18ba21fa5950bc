"""What the nurse is told when a clock moved: one sentence, from the procedure's timeline and its
recorded clock changes (pure; the window shows it beside the clocks, the record prints it).

A restart whose wall clock went back leaves the time the workstation was down unknown; a restart
otherwise counts the wall clock's downtime for the limits only; a wall-clock change while the
program ran changes nothing (countdowns are monotonic) but is said.
"""

from __future__ import annotations

from ..clock import Instant
from .state import State

ATTEST_HINT = "Procedure → Attest the real time… (signed)"


def _hhmm(at: Instant) -> str:
    return at.local().strftime("%H:%M")


def clock_headline(state: State) -> str:
    """The notice in one line (the window's status line; the full sentence is its tooltip)."""
    text = clock_notice(state)
    if not text:
        return ""
    segments = state.timeline.segments
    when = _hhmm(segments[-1].first) if len(segments) > 1 else ""
    if text.startswith("CLOCK MOVED BACK"):
        return (f"CLOCK MOVED BACK (restart {when}): downtime unknown — waits count from the "
                "last record; attest the real time: Procedure menu.")
    if text.startswith("The workstation restarted at"):
        return (f"Workstation restarted at {when}: waits count from the last record; attest "
                "the real time if more passed: Procedure menu.")
    return text


def clock_notice(state: State) -> str:
    """'' when no clock moved in this procedure; else what moved and how limits are judged."""
    segments = state.timeline.segments
    last_attested = max((s for s in segments if s.attested), default=None,
                        key=lambda s: segments.index(s))
    unknown = [s for s in segments[1:] if s.gap_high is None and not s.attested
               and (last_attested is None or segments.index(s) > segments.index(last_attested))]
    if unknown:
        seg = unknown[-1]
        return (f"CLOCK MOVED BACK across the restart at {_hhmm(seg.first)}: how long the "
                "workstation was down is unknown. Waits count from the last recorded instant "
                "(they may run longer than needed); a limit that spans the restart needs the "
                f"real time attested or a signed deviation ({ATTEST_HINT}).")
    if len(segments) > 1 and segments[-1].attested and state.times_attested:
        at, real = state.times_attested[-1]
        return (f"The workstation restarted; the real time was attested at {_hhmm(at)} "
                f"({real[11:16]}, signed): the clocks count from it.")
    if len(segments) > 1:
        seg = segments[-1]
        down = seg.gap_high or 0.0
        return (f"The workstation restarted at {_hhmm(seg.first)} (its clock shows "
                f"{down / 60:.0f} min down). Waits count from the last recorded instant plus "
                "the time since the restart; limits count the clock's downtime. If more time "
                f"passed, attest the real time ({ATTEST_HINT}).")
    if state.clock_changes:
        return (f"The workstation clock was changed at {_hhmm(state.clock_changes[-1])}; "
                "recorded in the log. Countdowns are not affected.")
    return ""
