"""The program's own runs over an open procedure: each start and each quit, as events.

The clocks of a thaw or an infusion run on whether or not this program does, so a quit or a
crash changes nothing in the procedure; but the record must say it happened ("The workstation
was not restarted during the procedure" has to be true). A quit writes `program_quit`; the next
start writes `program_started`, and says whether the run before it ended with that quit or ended
uncleanly (killed, crashed, the power cut: its last record is anything else), and how long the
program was away: exact within one boot (the monotonic clock), by the wall clock across a
reboot, unknown when the wall clock now reads earlier than the last record.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ..clock import Instant
from .model import Event

SYSTEM_USER = "system"
QUIT = "program_quit"
STARTED = "program_started"


def away(last: Instant, now: Instant) -> tuple[float | None, str]:
    """Seconds from `last` to `now` and what measured them: "monotonic" (same boot), "wall
    clock" (another boot), or (None, "unknown") when the wall clock went back across a reboot."""
    if (last.mono is not None and now.mono is not None and last.boot_id is not None
            and last.boot_id == now.boot_id):
        return round(now.mono - last.mono, 3), "monotonic"
    wall = (now.wall - last.wall).total_seconds()
    if wall < 0:
        return None, "unknown"
    return round(wall, 3), "wall clock"


def started(events: Sequence[Event], workstation: str, now: Instant) -> Event:
    """The program started again with this procedure (whose log is `events`) open."""
    last = events[-1]
    gap_s, basis = away(last.at, now)
    return Event(Event.new_id(), last.procedure_id, STARTED, {
        "workstation": workstation,
        "previous_end": "quit" if last.type == QUIT else "unclean",
        "last_event": last.type, "last_event_at": last.at.to_dict(),
        "boot_changed": last.at.boot_id != now.boot_id,
        "away_s": gap_s, "away_basis": basis, "pid": os.getpid(),
    }, SYSTEM_USER, now)


def quit_(procedure_id: str, workstation: str, signed_in: str | None, now: Instant) -> Event:
    """The program is quit (Ctrl+Q, the window's close) with this procedure open."""
    data: dict[str, object] = {"workstation": workstation}
    if signed_in:
        data["signed_in"] = signed_in
    return Event(Event.new_id(), procedure_id, QUIT, data, signed_in or SYSTEM_USER, now)
