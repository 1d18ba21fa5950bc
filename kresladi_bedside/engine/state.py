"""The procedure's state, and the fold that builds it from events.

`evolve(state, event)` is the only way state changes, so replaying the log rebuilds exactly the
state the live program had. It trusts its events: every check happens in `decide` before an event
exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ..clock import Instant
from ..timeline import Timeline
from .door import replay
from .events import fact, upcast
from .handover import Moved, moved
from .identity import AcceptedLabel
from .model import Event, Order


@dataclass(frozen=True)
class BagState:
    number: int
    # a later bag: its storage re-confirmed at its own turn, before it leaves its cassette
    storage_reconfirmed_at: Instant | None = None
    inspected_at: Instant | None = None
    intact: bool | None = None
    thaw_started: Instant | None = None
    thaw_method: str | None = None
    thaw_completed: Instant | None = None
    line_checked: Instant | None = None
    infusion_started: Instant | None = None
    infusion_ended: Instant | None = None
    flush_ml: float | None = None
    priming_ml: float | None = None  # the tubing set's priming volume, entered at line check
    flush_ended: Instant | None = None  # when the flush ended, as the nurse entered it
    flush_event: str | None = None  # id of the flush_logged event, for corrections
    done_at: Instant | None = None


@dataclass(frozen=True)
class DeviationRecord:
    rule: str
    bag: int | None
    reason: str
    signed_by: str
    at: Instant
    measured_s: float | None = None


@dataclass(frozen=True)
class State:
    procedure_id: str | None = None
    opened_at: Instant | None = None
    training: bool = False
    policy: Mapping[str, Any] = field(default_factory=dict)  # site policy when it opened
    order: Order | None = None
    backup_cd34_per_kg: float | None = None
    backup_confirmed_at: Instant | None = None  # when its availability was confirmed
    conditioning_start: Instant | None = None
    conditioning_end: Instant | None = None
    storage_celsius: float | None = None
    stored_at: Instant | None = None  # when KRESLADI was received and stored on site
    attested: Mapping[str, Any] = field(default_factory=dict)
    # instants of the conditioning-order rule attested unknown (signed), with the reason
    unknown_instants: Mapping[str, str] = field(default_factory=dict)
    # EHR records whose gate values the nurse set aside ("Procedure/<id>", …): never used
    ehr_set_aside: tuple[str, ...] = ()
    labels: tuple[AcceptedLabel, ...] = ()
    bags: tuple[BagState, ...] = ()
    deviations: tuple[DeviationRecord, ...] = ()
    alarms_acknowledged: tuple[tuple[str, Instant], ...] = ()
    clock_changes: tuple[Instant, ...] = ()
    # custody notes in order: ("opened_offline" | "reconciled" | "conflict", when, the
    # event's data)
    custody_notes: tuple[tuple[str, Instant, Mapping[str, Any]], ...] = ()
    # Every recorded instant (rejections aside: they change nothing): the one timeline the
    # limits are judged on (kresladi_bedside/timeline.py).
    # Not part of the state's equality: rejected commands' instants are trusted instants too
    # (written to the log at that time), and a rejection otherwise changes nothing.
    timeline: Timeline = field(default_factory=Timeline, compare=False)
    times_attested: tuple[tuple[Instant, str], ...] = ()
    post_infusion_acknowledged: Instant | None = None
    outcome: str | None = None  # None while active; "complete" or "stopped"
    stop_rule: str | None = None
    stop_reason: str | None = None
    stop_details: Mapping[str, Any] | None = None  # the hard stop's details (what was found)
    # handed over to another workstation (engine/handover.py): every command is refused here
    moved_out: Moved | None = None

    # ------------------------------------------------------------------ questions the engine asks
    def bag(self, number: int) -> BagState:
        return self.bags[number - 1]

    def current_bag(self) -> BagState | None:
        """The first bag not yet completely administered."""
        return next((b for b in self.bags if b.done_at is None), None)

    def previous_bag(self, number: int) -> BagState | None:
        return self.bags[number - 2] if number > 1 else None

    def label_accepted(self, role: str, stage: str, bag: int | None = None) -> bool:
        return any(x.role == role and x.stage == stage and x.bag == bag for x in self.labels)

    def initial_identity_confirmed(self) -> bool:
        """The first identity step: wristband, shipper, every cassette and bag 1. A later bag
        stays frozen in its cassette until its own thaw (`bag_released`)."""
        if self.order is None:
            return False
        return (
            self.label_accepted("wristband", "initial")
            and self.label_accepted("shipper", "initial")
            and all(self.label_accepted("cassette", "initial", b.number)
                    for b in self.order.bags)
            and self.bag_released(1)
        )

    def bag_released(self, number: int) -> bool:
        """Bag `number` was taken out of its cassette and its label matched the cassette's."""
        return self.label_accepted("bag", "initial", number)

    def identity_stage(self) -> str:
        """Where a scan now belongs: 'initial' (patient, shipper, cassettes, a bag out of its
        cassette) or 'bedside' (re-confirmation before infusion)."""
        if not self.initial_identity_confirmed():
            return "initial"
        bag = self.current_bag()
        if bag is not None and not self.bag_released(bag.number):
            return "initial"
        return "bedside"

    def bedside_identity_confirmed(self, number: int) -> bool:
        return (self.label_accepted("wristband", "bedside", number)
                and self.label_accepted("bag", "bedside", number))

    def identity_confirmed_twice(self, number: int) -> bool:
        return (self.label_accepted("bag", "initial", number)
                and self.bedside_identity_confirmed(number))

    def administered_at(self, number: int) -> Instant | None:
        """When bag `number` was administered completely: the end of its saline flush (§2.3:
        the flush is part of administering the bag, "to ensure as many cells as possible are
        delivered"), the instant the 1–2 h wait before the next bag counts from."""
        return self.bag(number).flush_ended

    def has_deviation(self, rule: str, bag: int | None) -> bool:
        return any(d.rule == rule and d.bag == bag for d in self.deviations)

    @property
    def active(self) -> bool:
        return (self.procedure_id is not None and self.outcome is None
                and self.moved_out is None)


def _instant(d: Mapping[str, Any] | None) -> Instant | None:
    return None if d is None else Instant.from_dict(dict(d))


def _with_bag(state: State, number: int, **changes: Any) -> State:
    bags = list(state.bags)
    bags[number - 1] = replace(bags[number - 1], **changes)
    return replace(state, bags=tuple(bags))


def _flush_end(at: Instant, ended: Mapping[str, Any] | None) -> Instant:
    """The flush end the nurse entered, put on the monotonic timeline: so many seconds before
    the instant it was logged (a wall-clock change meanwhile does not move it)."""
    if ended is None:
        return at
    typed = Instant.from_dict(dict(ended))
    before = max((at.wall - typed.wall).total_seconds(), 0.0)
    return at.plus(-before)


def evolve(state: State, event: Event) -> State:
    event = upcast(event)  # a payload written by an older program, read as today's (events.py)
    d, at = event.data, event.at
    if event.type != "time_attested":
        state = replace(state, timeline=state.timeline.add(at))
    match fact(event.type):  # a retired name read as today's fact (events.RETIRED)
        case "procedure_opened":
            return replace(state, procedure_id=event.procedure_id, opened_at=at,
                           training=bool(d.get("training", False)),
                           policy=dict(d.get("policy") or {}))
        case "order_prepared":
            order = Order.from_dict(d["order"], strict=False)
            return replace(state, order=order,
                           bags=tuple(BagState(b.number) for b in order.bags),
                           stored_at=_instant(d.get("stored_at")) or state.stored_at)
        case "backup_confirmed":
            return replace(state, backup_cd34_per_kg=float(d["cd34_per_kg"]),
                           backup_confirmed_at=_instant(d.get("confirmed_at")))
        case "conditioning_end_recorded":
            return replace(state, conditioning_end=Instant.from_dict(d["conditioning_end"]),
                           conditioning_start=_instant(d.get("conditioning_start")))
        case "storage_confirmed":
            return replace(state, storage_celsius=float(d["temperature_c"]),
                           stored_at=_instant(d.get("stored_at")))
        case "attested":
            return replace(state, attested={**state.attested, **d["items"]})
        case "ehr_values_set_aside":
            return replace(state, ehr_set_aside=(*state.ehr_set_aside, *(
                str(source["resource"]) for source in d["sources"])))
        case "order_instant_unknown":
            return replace(state, unknown_instants={**state.unknown_instants,
                                                    d["instant"]: d["reason"]})
        case "label_accepted":
            return replace(state, labels=(*state.labels, AcceptedLabel.from_dict(d["label"])))
        case "bag_inspected":
            return _with_bag(state, d["bag"], inspected_at=at, intact=bool(d["intact"]))
        case "bag_storage_confirmed":
            return _with_bag(state, d["bag"], storage_reconfirmed_at=at)
        case "deviation_recorded":
            record = DeviationRecord(d["rule"], d.get("bag"), d["reason"], d["signed_by"], at,
                                     d.get("measured_s"))
            return replace(state, deviations=(*state.deviations, record))
        case "thaw_started":
            return _with_bag(state, d["bag"], thaw_started=at, thaw_method=d.get("method"))
        case "thaw_completed":
            return _with_bag(state, d["bag"], thaw_completed=at)
        case "line_checked":
            priming = d.get("priming_ml")
            return _with_bag(state, d["bag"], line_checked=at,
                             priming_ml=None if priming is None else float(priming))
        case "infusion_started":
            return _with_bag(state, d["bag"], infusion_started=at)
        case "infusion_ended":
            return _with_bag(state, d["bag"], infusion_ended=at)
        case "flush_logged":
            return _with_bag(state, d["bag"], flush_ml=float(d["volume_ml"]),
                             flush_ended=_flush_end(at, d.get("ended_at")),
                             flush_event=event.id)
        case "bag_completed":
            return _with_bag(state, d["bag"], done_at=at)
        case "correction":
            changes = d["changes"]
            if "volume_ml" in changes:
                return _with_bag(state, d["bag"], flush_ml=float(changes["volume_ml"]))
            return state
        case "post_infusion_acknowledged":
            return replace(state, post_infusion_acknowledged=at)
        case "procedure_completed":
            return replace(state, outcome="complete")
        case "hard_stop":
            return replace(state, stop_rule=d["rule"], stop_reason=d["reason"],
                           stop_details=dict(d.get("details") or {}))
        case "procedure_stopped":
            return replace(state, outcome="stopped", stop_rule=d.get("rule") or state.stop_rule,
                           stop_reason=d["reason"])
        case "alarm_acknowledged":
            return replace(state, alarms_acknowledged=(*state.alarms_acknowledged,
                                                       (d["alarm"], at)))
        case "alarm_silenced":
            return state  # the record's: the sound is the window's business
        case "clock_change_noted":
            return replace(state, clock_changes=(*state.clock_changes, at))
        case "time_attested":
            real = datetime.fromisoformat(d["real_time"])
            return replace(state, timeline=state.timeline.attest(at, real),
                           times_attested=(*state.times_attested, (at, d["real_time"])))
        case "program_started":
            return state  # the record's: the clocks run on whether or not the program does
        case "program_quit":
            return state
        case "prethaw_checked":
            return state  # the record's: a "found" answer stops the procedure by its own command
        case "custody_opened_offline":
            return _custody_note(state, event)
        case "custody_reconciled":
            return _custody_note(state, event)
        case "custody_conflict":
            return _custody_note(state, event)
        case "procedure_handed_over":
            return replace(state, moved_out=moved(d, event.user, at))
        case "procedure_taken_over":
            return replace(state, moved_out=None)
        case "command_rejected":
            return state  # audit only: a rejection changes nothing but the timeline's last instant
    raise ValueError(f"unknown event type {event.type!r}")


def _custody_note(state: State, event: Event) -> State:
    note = (event.type.removeprefix("custody_"), event.at, dict(event.data))
    return replace(state, custody_notes=(*state.custody_notes, note))


def fold(events: Iterable[Event], state: State | None = None) -> State:
    return replay(evolve, events, state or State())
