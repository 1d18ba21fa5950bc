"""The record's hand-over section: every time the procedure moved between workstations — who,
when, from which workstation to which, by signed file or through the hospital's server, and the
hand-over's id (engine/handover.py). The same rows print on either workstation: the one the
procedure left holds `procedure_handed_over`, the one that continued holds the file's copy of it
(by file) and `procedure_taken_over` (through the server: with its signed reason). A log written
before issue 29 holds that reason in a `custody_taken_over` after it (engine/events.RETIRED):
read as the same fact, it completes that row, never a second one."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from ..clock import Instant
from ..engine.events import fact
from ..engine.model import Event
from .view import Row

COPY_NOTE = ("Without the hospital's server nothing stops a hand-over file from being copied "
             "and taken over on a second workstation: the same hand-over id or file SHA-256 on "
             "another workstation's record means two workstations held this procedure.")


def handover_rows(events: Sequence[Event],
                  at: Callable[[Instant | None], str | None]) -> tuple[Row, ...]:
    rows: list[Row] = []
    taken: tuple[int, Event] | None = None  # the last take-over's row, and its event
    for event in events:
        d = event.data
        if event.type == "procedure_handed_over":
            rows.append(_handed_over(event, d, at))
        elif event.type == "procedure_taken_over":
            taken = (len(rows), event)
            rows.append(_taken_over(event, d, at))
        elif fact(event.type) == "procedure_taken_over" and taken is not None:
            row, first = taken  # a retired note of the same take-over: its reason and witness
            rows[row] = _taken_over(first, {**first.data, **{
                k: d[k] for k in ("reason", "witness") if k in d}}, at)
    return tuple(rows)


def by_file(events: Sequence[Event]) -> bool:
    """A hand-over by file is among them (the record then prints `COPY_NOTE`)."""
    return any(e.type in ("procedure_handed_over", "procedure_taken_over")
               and e.data.get("via") == "file" for e in events)


def _route(d: Mapping[str, Any]) -> str:
    to = d.get("to_workstation") or "the workstation that takes the file over"
    return f"from workstation {d.get('from_workstation')} to {to}"


def _handed_over(event: Event, d: Mapping[str, Any],
                 at: Callable[[Instant | None], str | None]) -> Row:
    if d.get("via") == "server":
        return Row(f"{at(event.at)} · learnt from the hospital's server",
                   f"taken over {_route(d)} by {d.get('taken_by') or event.user} at "
                   f"{d.get('taken_at') or '—'}; every command is refused on "
                   f"{d.get('from_workstation')} from then on · hand-over {d.get('handover_id')}",
                   "HANDED OVER")
    return Row(f"{at(event.at)} · handed over by {d.get('by_name') or event.user}",
               f"{_route(d)}, by the signed file {d.get('file') or '—'}; every command is "
               f"refused on {d.get('from_workstation')} from then on · hand-over "
               f"{d.get('handover_id')}", "HANDED OVER")


def _instant(text: object) -> Instant | None:
    try:
        return Instant.from_wall(datetime.fromisoformat(str(text)))
    except ValueError:
        return None


def _taken_over(event: Event, d: Mapping[str, Any],
                at: Callable[[Instant | None], str | None]) -> Row:
    if d.get("via") == "server":
        steps = ", ".join(d.get("steps") or ()) or "—"
        how = f"through the hospital's server (custody steps {steps})"
    else:
        how = (f"by the signed file {d.get('file')} (SHA-256 {d.get('file_sha256')}, signed by "
               f"workstation {d.get('signed_by')}), handed over there by "
               f"{d.get('handed_over_by')} at {at(_instant(d.get('handed_over_at')))}; every "
               "event decided again here")
    why = f" · reason: {d['reason']}" if d.get("reason") else ""
    witness = f", witnessed by {d['witness']}" if d.get("witness") else ""
    return Row(f"{at(event.at)} · taken over by {d.get('by_name') or event.user}{witness}",
               f"{_route(d)}, {how} · hand-over {d.get('handover_id')}{why}", "TAKEN OVER")
