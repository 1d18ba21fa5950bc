"""An imported procedure decided again by the engine, command by command (issue 26, item 4).

Why: replaying an import by folding (`Procedure.rebuild`) accepts whatever the file says happened
(events after `procedure_completed`, a thaw with no identity scan, a bag infused twice), and
judging only the step each event stands at still accepts what the handlers would refuse (a bag
scan whose DIN is not the order's, a thaw before the 24 h conditioning wait, a flush volume out of
range). So every command is made again from the events it wrote and handed to a fresh engine
`Procedure` (in memory: nothing is written anywhere), with a clock that reads the event's own
recorded instant, this workstation's profile and identity verifier, and `guards` (the caller's:
who signed, people/attested.py). The engine must accept it and write exactly the imported events.

Compared: each event's type, user, instant and payload (as stored, canonical JSON; an older
payload upcast first). Ignored: the event id, the one thing the engine makes up (a new uuid); the
file's ids are kept, hashed in the chain that `verify` checks, and the state goes on from the
imported events, so that a correction names the imported flush by its id. Also ignored: an
accepted label's `matched` list (the verifier's explanation, worded by its version: the verdict
itself is compared) and, in a procedure opened before the site policy was recorded, the policy.

Taken as the signing workstation decided it (its Ed25519 signature says which workstation that
was, store/signing.py), not decided again:
- a hard stop with no event of its own command before it (a custody bar from that workstation's
  ledger or the server, an expired bag at thaw): its arguments are not in the log. It must stand
  where the engine allows a stop; a stop only ends a procedure, it never lets a bag be given;
- a `command_rejected` audit event: a refusal changes nothing (the fold ignores it);
- the program's own notes that it was quit or started again (`program_quit`,
  `program_started`, engine/runs.py): they change nothing either;
- custody across procedures: the hospital's server holds it (sync), not this scratch engine.

A retired event name (engine/events.RETIRED) is read as today's fact, never rewritten: a
`custody_taken_over` (before issue 29, the signed reason of a server take-over, written beside
it) is taken when the take-over it notes, `procedure_taken_over` through the server from and to
the same workstations, stands before it with no note of its own yet, the procedure is still
open, it gives a reason, and its signers pass the guards as its command would have.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..clock import Instant
from ..engine import Command, Deviation, Event, Outcome, Procedure, Rejection, Signature
from ..engine.door import DoorGuard
from ..engine.events import COMMON_KEYS, RETIRED, VERSION_KEY, upcast
from ..engine.identity import IdentityVerifier
from ..engine.state import State
from ..engine.steps import current_step
from ..engine.table import transition
from ..profile import Profile
from .recovery import SYSTEM_USER  # the program's own commands (a restart's clock)
from .rows import canonical_json

# Written only after (or, a deviation, before) another event of the same command.
FOLLOWERS = frozenset({"bag_completed", "procedure_completed", "deviation_recorded"})
# Taken as the signing workstation wrote them (see the module's docstring).
ATTESTED = frozenset({"hard_stop", "command_rejected", "program_started", "program_quit"})
# ... of which these change nothing (the fold ignores them): taken once the procedure is open
NOTES = frozenset({"command_rejected", "program_started", "program_quit"})


class Misjudged(ValueError):
    """An event the engine would not have written: names the event and the rule."""


class _Now:
    """The clock the re-decision runs on: the instant each event recorded."""

    def __init__(self, at: Instant) -> None:
        self.at = at

    def now(self) -> Instant:
        return self.at


class _Replaying(Procedure):
    def adopt(self, events: Sequence[Event]) -> None:
        """Go on from the imported events (their ids), once they were found the engine's own."""
        self._commit(events)

    def attempt(self, command: Command | None) -> Outcome:
        """What the door writes for `command` (None: the clock watched on its own), and then
        back to where it was: the imported events, not these, are the history."""
        state, count = self._state, len(self._events)
        try:
            if command is None:
                return Outcome(self.watch_clock())
            return self.handle(command)
        finally:
            self._state = state
            del self._events[count:]

    def guarded(self, command: Command) -> Rejection | None:
        """What the guards (who signed, people/attested.py) answer to `command`, without the
        procedure's own rules."""
        now = self.clock.now()
        return next((r for guard in self._guards
                     if (r := guard(self._state, command, now)) is not None), None)


def _instant(raw: Any) -> Instant | None:
    try:
        return Instant.from_dict(raw)
    except (TypeError, KeyError, ValueError):
        return None


def _local(raw: Any) -> str | None:
    """An instant the nurse typed, as she typed it (ISO with offset), from its stored form."""
    return None if raw is None else Instant.from_dict(raw).local().isoformat()


def _plain(data: Mapping[str, Any]) -> dict[str, Any]:
    """A payload that holds its command's arguments as given, without what the door adds."""
    return {k: v for k, v in data.items() if k not in COMMON_KEYS and k != VERSION_KEY}


# Commands whose events hold their arguments as given, None included.
GIVEN_AS_WRITTEN = frozenset({"alarm_acknowledged", "alarm_silenced", "clock_change_noted"})
# The command (name, arguments) that writes each lead event, from the event's payload.
ARGS: dict[str, tuple[str, Callable[[Mapping[str, Any]], dict[str, Any]]]] = {
    "procedure_opened": ("open", lambda d: {"training": d.get("training"),
                                            "site": d.get("site"), "policy": d.get("policy"),
                                            "workstation": d.get("workstation")}),
    # from a receipt: its storage instant too (the conditioning-order rule's "stored since")
    "order_prepared": ("prepare_order", lambda d: {"order": d.get("order"),
                                                   "stored_at": _local(d.get("stored_at"))}),
    "backup_confirmed": ("confirm_backup", lambda d: {
        "available": d.get("available"), "cd34_per_kg": d.get("cd34_per_kg"),
        "confirmed_at": _local(d.get("confirmed_at")), "source": d.get("source")}),
    "conditioning_end_recorded": ("record_conditioning_end", lambda d: {
        "at": _local(d.get("conditioning_end")),
        "conditioning_start": _local(d.get("conditioning_start")), "source": d.get("source")}),
    "ehr_values_set_aside": ("set_aside_ehr_values", lambda d: {"sources": d.get("sources")}),
    "storage_confirmed": ("confirm_storage", lambda d: {
        "temperature_c": d.get("temperature_c"), "stored_at": _local(d.get("stored_at"))}),
    "attested": ("attest", lambda d: {"items": d.get("items")}),
    "order_instant_unknown": ("attest_instant_unknown",
                              lambda d: {"instant": d.get("instant")}),
    "label_accepted": ("scan", lambda d: {"scan": (d.get("label") or {}).get("scan")}),
    "bag_storage_confirmed": ("confirm_bag_storage", lambda d: {
        "bag": d.get("bag"), "kept_frozen": d.get("kept_frozen")}),
    "bag_inspected": ("inspect_bag", lambda d: {"bag": d.get("bag"), "intact": d.get("intact"),
                                                "note": d.get("note")}),
    "thaw_started": ("start_thaw", lambda d: {"bag": d.get("bag"), "method": d.get("method"),
                                              "attest": d.get("attested")}),
    "thaw_completed": ("complete_thaw", lambda d: {"bag": d.get("bag"),
                                                   "attest": d.get("attested")}),
    "line_checked": ("check_line", lambda d: {"bag": d.get("bag"), "items": d.get("items"),
                                              "priming_ml": d.get("priming_ml")}),
    "infusion_started": ("start_infusion", lambda d: {"bag": d.get("bag")}),
    "infusion_ended": ("end_infusion", lambda d: {"bag": d.get("bag"),
                                                  "attest": d.get("attested")}),
    "flush_logged": ("log_flush", lambda d: {"bag": d.get("bag"), "volume_ml": d.get("volume_ml"),
                                             "ended_at": _local(d.get("ended_at"))}),
    "post_infusion_acknowledged": ("acknowledge_post_infusion",
                                   lambda d: {"attest": d.get("attested")}),
    "procedure_stopped": ("stop_procedure", lambda d: {"reason": d.get("reason")}),
    "alarm_acknowledged": ("acknowledge_alarm", _plain),
    "alarm_silenced": ("silence_alarm", _plain),
    "clock_change_noted": ("note_clock_change", _plain),
    "prethaw_checked": ("note_prethaw_check", lambda d: {
        "bag": d.get("bag"), "verdict": d.get("verdict"), "detail": d.get("detail")}),
    "time_attested": ("attest_time", lambda d: {"real_time": d.get("real_time")}),
    "correction": ("correct", lambda d: {"event_id": d.get("event_id"),
                                         "reason": d.get("reason"), "changes": d.get("changes")}),
    # custody on the server as the procedure met it (issue 24): recorded notes, the same
    # command made again from what each wrote
    "custody_opened_offline": ("note_custody", lambda d: _custody("opened_offline", d)),
    "custody_reconciled": ("note_custody", lambda d: _custody("reconciled", d)),
    "custody_conflict": ("note_custody", lambda d: _custody("conflict", d)),
    # a hand-over's payload is its arguments (engine/handover.py)
    "procedure_handed_over": ("hand_over", _plain),
    "procedure_taken_over": ("take_over", _plain),
}


def _custody(kind: str, d: Mapping[str, Any]) -> dict[str, Any]:
    return {"kind": kind, **{k: d.get(k) for k in ("reason", "cause", "last_known", "steps",
                                                  "from_workstation", "to_workstation")}}


def command_for(events: Sequence[Event], lead: int) -> Command:
    """The command that wrote `events[lead]` (and the deviations recorded just before it)."""
    event = events[lead]
    name, args = ARGS[event.type]
    data = event.data
    arguments = {k: v for k, v in args(data).items()
                 if v is not None or event.type in GIVEN_AS_WRITTEN}
    if event.type == "flush_logged" and _instant(data.get("ended_at")) == event.at:
        del arguments["ended_at"]  # none typed: the flush ended when it was logged
    if event.type == "order_prepared":  # an order opened from a receipt carries its labels
        carried = [e for e in events[lead + 1:] if e.at == event.at
                   and e.type == "label_accepted" and e.data.get("carried_from") is not None]
        if carried:
            arguments["carried_labels"] = [e.data["label"]["scan"] for e in carried]
            arguments["receipt_id"] = carried[0].data["carried_from"]
    deviations = [e for e in events[:lead] if e.at == event.at
                  and e.type == "deviation_recorded"]
    deviation = (Deviation(str(deviations[0].data.get("reason")),
                           str(deviations[0].data.get("signed_by"))) if deviations else None)
    signatures = [*(s for e in deviations for s in e.data.get("signatures") or ()),
                  *(data.get("signatures") or ())]
    return Command(name, arguments, event.user, deviation,
                   tuple(dict.fromkeys(Signature.from_dict(s) for s in signatures)),
                   data.get("witness"))


def redecide(events: Sequence[Event], profile: Profile, verifier: IdentityVerifier | None = None,
             guards: Iterable[DoorGuard[State]] = ()) -> None:
    """Raise Misjudged naming the first imported event the engine does not write itself."""
    if not events:
        return
    clock = _Now(events[0].at)
    procedure = _Replaying(profile, clock, verifier, events[0].procedure_id, guards)
    position = 0
    while position < len(events):
        event = events[position]
        clock.at = event.at
        where = f"seq {position + 1} ({event.type})"
        if event.type in RETIRED:
            taken = _retired(procedure, events, position, where)
        elif event.type in ATTESTED and (event.type in NOTES or procedure.state.active):
            taken = _attested(procedure, events, position, where, profile)
        else:
            taken = _decided(procedure, events, position, where)
        if taken < 1:  # e.g. a clock change the door does not see: never stand still
            raise Misjudged(f"{where}: the engine writes nothing here")
        procedure.adopt(events[position:position + taken])
        position += taken


def _lead(events: Sequence[Event], position: int) -> int:
    """The event that names the command: past the clock change noted before it and the
    deviations recorded first, at the same instant."""
    at, lead = events[position].at, position
    if _watched(events[lead]):
        lead += 1
    while (lead < len(events) and events[lead].at == at
           and events[lead].type == "deviation_recorded"):
        lead += 1
    return lead


def _watched(event: Event) -> bool:
    """A clock change the door noted on its own before a command (Procedure.watch_clock)."""
    return (event.type == "clock_change_noted" and event.user == SYSTEM_USER
            and event.data.get("runtime") is True)


def _decided(procedure: _Replaying, events: Sequence[Event], position: int, where: str) -> int:
    event = events[position]
    lead = _lead(events, position)
    if _watched(event) and (lead >= len(events) or events[lead].at != event.at
                            or events[lead].type in ("command_rejected", "hard_stop")):
        made = procedure.attempt(None).events  # watched by the window's timer
        _same(made, events, position, where)
        return len(made)
    if lead >= len(events) or events[lead].at != event.at or events[lead].type in FOLLOWERS:
        raise Misjudged(f"{where}: written without the step that makes it")
    if events[lead].type not in ARGS:
        raise Misjudged(f"{where}: {events[lead].type!r} is not written by any command")
    command = command_for(events, lead)
    if command.user == SYSTEM_USER and command.name != "note_clock_change":
        raise Misjudged(f"{where}: the program itself never gives '{command.name}'")
    outcome = procedure.attempt(command)
    rejection = outcome.rejection
    if rejection is not None and not any(e.type == "hard_stop" for e in outcome.events):
        raise Misjudged(f"seq {lead + 1} ({events[lead].type}): the engine refuses "
                        f"'{command.name}' (rule '{rejection.rule}': {rejection.reason})")
    _same(outcome.events, events, position, where)
    return len(outcome.events)


def _same(made: Sequence[Event], events: Sequence[Event], position: int, where: str) -> None:
    imported = events[position:position + len(made)]
    for offset, mine in enumerate(made):
        seq = position + offset + 1
        if offset >= len(imported):
            raise Misjudged(f"seq {seq}: the engine writes {mine.type} here, the file ends")
        theirs = imported[offset]
        if mine.type != theirs.type:
            raise Misjudged(f"seq {seq} ({theirs.type}): the engine writes {mine.type} here")
        ours, file = _compared(mine), _compared(upcast(theirs))
        if mine.type == "procedure_opened" and "policy" not in file:
            ours.pop("policy", None)  # written before the policy was (issue 13): the defaults
        differ = sorted(k for k in {*ours, *file} if ours.get(k, ...) != file.get(k, ...))
        for what, a, b in (("user", mine.user, theirs.user), ("instant", mine.at, theirs.at),
                           *((f"'{k}'", ours.get(k), file.get(k)) for k in differ[:1])):
            if a != b:
                raise Misjudged(f"seq {seq} ({theirs.type}): its {what} is not what the engine "
                                f"writes (file: {str(b)[:160]}; engine: {str(a)[:160]})")


def _compared(event: Event) -> dict[str, Any]:
    """An event's payload as compared: all of it, but for the identifiers an accepted label was
    matched by (`label.matched`), the verifier's explanation, which another program version
    or verifier words differently; the verdict (role, bag, stage, scan, expiry) is compared."""
    data = dict(event.data)
    if event.type == "label_accepted" and isinstance(data.get("label"), Mapping):
        data["label"] = {k: v for k, v in data["label"].items() if k != "matched"}
    compared: dict[str, Any] = json.loads(canonical_json(data))  # as stored: lists, not tuples
    return compared


def _attested(procedure: _Replaying, events: Sequence[Event], position: int, where: str,
              profile: Profile) -> int:
    event = events[position]
    if event.type in NOTES:
        if not procedure.opened():
            raise Misjudged(f"{where}: {event.type} logged before the procedure was opened")
        return 1
    step = current_step(procedure.state, event.at, profile).name
    if transition("stop_procedure", step) is None:
        raise Misjudged(f"{where}: a stop at the step '{step}', where the engine does not "
                        "allow one")
    following = events[position + 1] if position + 1 < len(events) else None
    if following is None or following.type != "procedure_stopped" or following.at != event.at:
        raise Misjudged(f"{where}: a hard stop without the procedure_stopped that ends it")
    return 2


def _retired(procedure: _Replaying, events: Sequence[Event], position: int, where: str) -> int:
    """A `custody_taken_over` written before issue 29 (see the module's docstring)."""
    event = events[position]
    route = ("from_workstation", "to_workstation")
    fact = next((e for e in reversed(events[:position])
                 if e.type in ("procedure_taken_over", event.type)), None)
    if (fact is None or fact.type != "procedure_taken_over" or fact.data.get("via") != "server"
            or any(fact.data.get(k) != event.data.get(k) for k in route)):
        raise Misjudged(f"{where}: no take-over through the server from "
                        f"{event.data.get('from_workstation')} to "
                        f"{event.data.get('to_workstation')} before it")
    if not procedure.state.active:
        raise Misjudged(f"{where}: logged after the procedure ended")
    if not str(event.data.get("reason") or "").strip():
        raise Misjudged(f"{where}: a take-over note without its reason")
    command = Command("note_custody", _custody("taken_over", event.data), event.user, None,
                      tuple(Signature.from_dict(s) for s in event.data.get("signatures") or ()),
                      event.data.get("witness"))
    refused = procedure.guarded(command)
    if refused is not None:
        raise Misjudged(f"{where}: {refused.reason}")
    return 1
