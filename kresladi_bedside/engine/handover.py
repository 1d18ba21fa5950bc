"""Hand-over of an open procedure between workstations, as the engine records it (issue 24).

Two events, in the procedure's own chain:
- `procedure_handed_over` — written on the workstation the procedure leaves: by file (no server:
  the nurse exports it, store/handover_file.py) or learnt from the hospital's server (another
  workstation took the claim over, sync/handover.py). From then on the procedure is at the step
  `moved` here: every command is refused, naming where it went, who handed it over and when; no
  countdown runs and no alarm sounds for it here.
- `procedure_taken_over` — written on the workstation that continues it, after the other's events
  were imported and decided again (store/rejudge.py). By file it must follow the file's own
  `procedure_handed_over` with the same hand-over id; by server the imported chain has none (the
  first workstation may be dead). The procedure goes on from its recorded instants: no deadline
  moves (engine/countdowns.py reads only the instants the chain holds). One event for the one
  fact: through the server it also carries the signed reason (`reason`, the command's
  signatures and `witness`: the nurse and a witness in the window, the nurse at the command
  line). Logs written before issue 29 hold that reason in a `custody_taken_over` beside it,
  read as the same fact (events.RETIRED).

Both events carry the workstations (from → to) and the hand-over id; the record prints them
(record/handover.py) on either workstation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..clock import Instant
from .ruling import Ruling

VIAS = ("file", "server")
MAX_TEXT = 300  # a workstation's name, a file's name: printed, never parsed

HANDED_OVER_KEYS = ("via", "handover_id", "from_workstation")
HANDED_OVER_OPTIONAL = ("to_workstation", "file", "taken_by", "taken_at", "reason", "by_name")
TAKEN_OVER_KEYS = ("via", "handover_id", "from_workstation", "to_workstation")
# `by_name`: the performer's printed name (the other workstation does not know its user ids)
TAKEN_OVER_OPTIONAL = ("file", "file_sha256", "key_id", "signed_by", "handed_over_by",
                       "handed_over_at", "steps", "by_name", "reason")


@dataclass(frozen=True)
class Moved:
    """Where a procedure handed over from this workstation went."""

    via: str
    handover_id: str
    to_workstation: str | None
    file: str | None
    by: str  # the user who handed it over (file) or took it over (server)
    at: Instant

    def describe(self) -> str:
        where = (f"to workstation {self.to_workstation}" if self.to_workstation
                 else "to another workstation")
        how = f" in the signed file {self.file}" if self.file else (
            " through the hospital's server" if self.via == "server" else "")
        verb = "taken over" if self.via == "server" else "handed over"
        return (f"{verb} {where}{how}, by {self.by} at "
                f"{self.at.local():%Y-%m-%d %H:%M:%S %z}")


def moved(data: Mapping[str, Any], user: str, at: Instant) -> Moved:
    """The state's note of a `procedure_handed_over` event."""
    return Moved(str(data["via"]), str(data["handover_id"]), data.get("to_workstation"),
                 data.get("file"), str(data.get("taken_by") or data.get("by_name") or user), at)


def _text(d: Ruling[Any], key: str, *, required: bool) -> str | None:
    value = d.args.get(key)
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            d.refuse("procedure", f"A hand-over names its {key.replace('_', ' ')}.")
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        d.refuse("procedure", f"The hand-over's {key.replace('_', ' ')} must be text of at "
                 f"most {MAX_TEXT} characters.")
    return value


def _payload(d: Ruling[Any], keys: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Any]:
    via = d.args.get("via")
    if via not in VIAS:
        d.refuse("procedure", f"A procedure is handed over by file or through the server, not "
                 f"{via!r}.")
    data: dict[str, Any] = {"via": via}
    for key in keys[1:]:
        data[key] = _text(d, key, required=True)
    for key in optional:
        if key == "steps":
            steps = d.args.get("steps")
            if steps:
                if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps):
                    d.refuse("procedure", "The server's custody steps are a list of references.")
                data["steps"] = list(steps)
            continue
        if key == "reason":  # the nurse's own words, signed: any length, as written
            reason = d.args.get("reason")
            if reason is not None and (not isinstance(reason, str) or not reason.strip()):
                d.refuse("procedure", "Say why (recorded with the take-over).", field="reason")
            if reason is not None:
                data["reason"] = reason.strip()
            continue
        value = _text(d, key, required=False)
        if value is not None:
            data[key] = value
    return data


def hand_over(d: Ruling[Any]) -> None:
    """This workstation gives the open procedure up (see the module's docstring)."""
    state = d.state
    if not state.active:
        d.refuse("procedure", "Only an open procedure can be handed over.")
    data = _payload(d, HANDED_OVER_KEYS, HANDED_OVER_OPTIONAL)
    d.emit("procedure_handed_over", **data)


def take_over(d: Ruling[Any]) -> None:
    """This workstation continues a procedure another one held."""
    state = d.state
    data = _payload(d, TAKEN_OVER_KEYS, TAKEN_OVER_OPTIONAL)
    out: Moved | None = state.moved_out
    if data["via"] == "file":
        if out is None or out.via != "file":
            d.refuse("procedure", "A file hand-over continues only a procedure its file hands "
                     "over (its last step is the hand-over).")
        if out.handover_id != data["handover_id"]:
            d.refuse("procedure", f"This file's hand-over is {out.handover_id}, not "
                     f"{data['handover_id']}.")
    elif out is not None or state.outcome is not None:
        d.refuse("procedure", "Only an open procedure can be taken over through the server.")
    if data["from_workstation"] == data["to_workstation"]:
        d.refuse("procedure", "A procedure is taken over from another workstation, not from "
                 "this one.")
    d.emit("procedure_taken_over", **data)


def moved_refusal(out: Moved) -> str:
    return (f"This procedure moved: {out.describe()}. This workstation refuses every command "
            "for it; continue on the workstation that took it over.")
