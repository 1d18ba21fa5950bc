"""The events a procedure log holds: each type, its payload version and keys, and the upcasters
that bring a payload written by an older program up to today's version before `evolve` reads it.

The log is append-only and hash-chained: a stored event is never rewritten. So a change to a
payload is a new version of its type here, plus an upcaster `(type, old version)` -> payload of
the next version (eventsourcing's `class_version` / `upcast_v1_v2`). `upcast` runs before
`evolve` (engine/state.py), so the fold always sees today's payloads; the stored row, its hash
and what sync and the record read stay as written.

Version 1 is every payload written so far and carries no version key; from version 2 on the
payload holds `VERSION_KEY`. A payload newer than this program knows is refused, not guessed at.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .handover import (
    HANDED_OVER_KEYS,
    HANDED_OVER_OPTIONAL,
    TAKEN_OVER_KEYS,
    TAKEN_OVER_OPTIONAL,
)
from .model import Event

VERSION_KEY = "_v"
# Added by `Procedure` to any event of a command that carried them.
COMMON_KEYS: frozenset[str] = frozenset({"signatures", "witness"})


class EventSchemaError(ValueError):
    """An event whose type or payload version this program does not know."""


@dataclass(frozen=True)
class EventType:
    name: str
    keys: frozenset[str]  # always present
    optional: frozenset[str] = frozenset()  # may be present
    version: int = 1  # the payload version this program writes
    open_keys: bool = False  # free-form payload (checked only for its required keys)

    def problems(self, data: Mapping[str, Any]) -> list[str]:
        keys = set(data) - COMMON_KEYS - {VERSION_KEY}
        missing = sorted(self.keys - keys)
        extra = sorted(keys - self.keys - self.optional)
        found = [f"{self.name}: missing {k!r}" for k in missing]
        if not self.open_keys:
            found += [f"{self.name}: unexpected {k!r}" for k in extra]
        return found


def _type(name: str, keys: str = "", optional: str = "", **kw: Any) -> EventType:
    return EventType(name, frozenset(keys.split()), frozenset(optional.split()), **kw)


EVENT_TYPES: dict[str, EventType] = {t.name: t for t in (
    # `policy`: the site's clinical policy the procedure began under (written since issue 13)
    # `workstation`: where it was opened (its name as custody and the record show it)
    _type("procedure_opened", "procedure_id product product_name training site",
          "policy workstation"),
    _type("order_prepared", "order", "stored_at"),
    # `source`: the hospital's EHR record the values were read from, not typed (issue 25)
    _type("backup_confirmed", "available cd34_per_kg", "confirmed_at source"),
    _type("conditioning_end_recorded", "conditioning_end", "conditioning_start source"),
    # the EHR's gate values set aside by the nurse (typed from the chart instead)
    _type("ehr_values_set_aside", "sources"),
    _type("storage_confirmed", "temperature_c", "stored_at"),
    _type("attested", "items"),
    # an instant the conditioning-order rule needs, attested unknown (signed: its deviation)
    _type("order_instant_unknown", "instant reason signed_by"),
    _type("label_accepted", "label"),
    _type("bag_inspected", "bag intact note"),
    # a later bag kept in vapor-phase LN2 at <= -150 °C until its own turn (§2.2), confirmed
    _type("bag_storage_confirmed", "bag kept_frozen"),
    # a limit in seconds is `measured_s`; another (mL/kg) is `measured` with its `unit`
    _type("deviation_recorded", "rule bag what reason signed_by", "measured_s measured unit"),
    _type("thaw_started", "bag method attested"),
    # `timing`: only when a restart lies inside the span (its lower bound and upper estimate)
    _type("thaw_completed", "bag duration_s attested", "timing"),
    _type("line_checked", "bag items", "priming_ml"),
    _type("infusion_started", "bag", "window_left_s cue"),
    _type("infusion_ended", "bag thaw_to_end_s attested", "infusion_s timing"),
    _type("flush_logged", "bag volume_ml",
          "ended_at ml_per_kg total_ml_per_kg infused_ml_per_kg threshold_ml_per_kg"),
    _type("bag_completed", "bag"),
    _type("correction", "event_id bag reason changes previous"),
    _type("post_infusion_acknowledged", "attested", "after_stop"),
    _type("procedure_completed"),
    _type("hard_stop", "rule reason citation contact details", "step"),
    _type("procedure_stopped", "rule reason"),
    _type("alarm_acknowledged", "alarm bag", "screen"),
    # a silence is recorded like an acknowledgement: who quietened what, for how long, where
    _type("alarm_silenced", "alarm seconds bag screen"),
    # what the store's recovery saw (store/recovery.py ClockChange.to_args); kept as given
    _type("clock_change_noted", "reason", open_keys=True),
    # the program started again with this procedure open, and how its last run ended ("quit":
    # a `program_quit` was the last record; "unclean": killed, crashed or the power cut): the
    # record's list of restarts (Procedure.note_program_start); kept as given
    _type("program_started", "workstation previous_end", open_keys=True),
    # the program was quit with this procedure open (Procedure.note_program_quit)
    _type("program_quit", "workstation", "signed_in"),
    # the hospital record's answer to the search before a thaw (qt/prethaw.py, sync/prethaw.py)
    _type("prethaw_checked", "bag verdict detail"),
    # custody on the hospital's server as the procedure met it (sync/open_custody.py,
    # sync/handover.py; decide._note_custody)
    _type("custody_opened_offline", "reason cause last_known", "witness"),
    _type("custody_reconciled", "reason steps"),
    _type("custody_conflict", "reason", "steps"),
    # retired (see `RETIRED`): still read in logs written before, never written again
    _type("custody_taken_over", "reason from_workstation to_workstation steps", "witness"),
    _type("command_rejected", "command args rejection"),
    # the nurse attested the real time (signed, with a deviation): the timeline is placed on it
    _type("time_attested", "real_time lower_bound", "upper_estimate"),
    # an open procedure moved between workstations (engine/handover.py)
    _type("procedure_handed_over", " ".join(HANDED_OVER_KEYS), " ".join(HANDED_OVER_OPTIONAL)),
    _type("procedure_taken_over", " ".join(TAKEN_OVER_KEYS), " ".join(TAKEN_OVER_OPTIONAL)),
)}

# Names an older program wrote for a fact that has one name today -> today's name. A stored
# event is never rewritten (the chain hashes it, the file is signed): it is read as today's fact
# (`fact`) by the fold, the record and an import (store/rejudge.py).
# `custody_taken_over`: until issue 29 a server take-over wrote it beside
# `procedure_taken_over` (one fact, two events: its reason and signatures there, the route and
# hand-over id here); `procedure_taken_over` now carries them all.
RETIRED: dict[str, str] = {"custody_taken_over": "procedure_taken_over"}


def fact(event_type: str) -> str:
    """The fact an event of `event_type` records, by today's name."""
    return RETIRED.get(event_type, event_type)


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
# (type, version) -> a function turning that version's payload into the next version's.
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def payload_version(event: Event) -> int:
    version = event.data.get(VERSION_KEY, 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise EventSchemaError(f"event {event.id} ({event.type}): payload version "
                               f"{version!r} is not a version")
    return version


def upcast(event: Event) -> Event:
    """`event` with its payload brought to today's version (the same object when it already
    is). Never changes what is stored."""
    kind = EVENT_TYPES.get(event.type)
    if kind is None:  # evolve refuses types it does not know; the table's test names them
        return event
    version = payload_version(event)
    if version == kind.version:
        return event
    if version > kind.version:
        raise EventSchemaError(
            f"event {event.id} ({event.type}) was written by a newer program (payload version "
            f"{version}; this program knows {kind.version}): update the program")
    data = {k: v for k, v in event.data.items() if k != VERSION_KEY}
    while version < kind.version:
        step = UPCASTERS.get((event.type, version))
        if step is None:
            raise EventSchemaError(f"no upcaster for {event.type} version {version}")
        data = step(data)
        version += 1
    if version > 1:
        data[VERSION_KEY] = version
    return replace(event, data=data)


def stamp(kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A payload as written today: with its version key from version 2 on."""
    version = EVENT_TYPES[kind].version if kind in EVENT_TYPES else 1
    return {**data, VERSION_KEY: version} if version > 1 else dict(data)


def event_problems(event: Event) -> list[str]:
    """What is wrong with an event as written today: unknown type, version, or keys."""
    kind = EVENT_TYPES.get(event.type)
    if kind is None:
        return [f"unknown event type {event.type!r}"]
    try:
        version = payload_version(event)
    except EventSchemaError as exc:
        return [str(exc)]
    if version != kind.version:
        return [f"{event.type}: payload version {version}, written today as {kind.version}"]
    return kind.problems(event.data)
