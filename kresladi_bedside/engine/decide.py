"""Decide: given the state, a command and the instant, either the events it produces or the
rejection that says why not. Pure: no clock, no storage, no side effects.

Each command has a handler that reads like the label's own step. Guards raise `Refusal`;
limits that a signed deviation may pass go through `Decision.past_limit`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NoReturn

from ..clock import Instant, elapsed
from ..labels.model import Scan
from ..profile import Profile
from .identity import AcceptedLabel, IdentityContext, IdentityVerifier, Stage
from .model import Command, Order, OrderError, Rejection, RejectionKind
from .state import BagState, State
from .steps import Step, current_step
from .table import COMMANDS, allowed_at

PER_BAG_COMMANDS = frozenset({"inspect_bag", "start_thaw", "complete_thaw", "check_line",
                              "start_infusion", "end_infusion", "log_flush"})


class Refusal(Exception):
    def __init__(self, rejection: Rejection) -> None:
        super().__init__(rejection.reason)
        self.rejection = rejection


@dataclass
class Decision:
    """The events a command produces; `rejection` is set too when a hard stop ends the procedure."""

    state: State
    command: Command
    now: Instant
    profile: Profile
    step: Step
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rejection: Rejection | None = None
    _late: list[tuple[str, int | None, float, str]] = field(default_factory=list)

    # ------------------------------------------------------------------------------ helpers
    @property
    def args(self) -> Mapping[str, Any]:
        return self.command.args

    def cite(self, rule: str) -> str:
        found = self.profile.rules.get(rule) or self.profile.rule("identity")
        return found.citation

    def refuse(self, rule: str, reason: str, kind: RejectionKind = "refused",
               until: Instant | None = None, **details: Any) -> NoReturn:
        raise Refusal(Rejection(rule, reason, self.cite(rule), kind, until, details))

    def emit(self, event_type: str, **data: Any) -> None:
        self.events.append((event_type, data))

    def hard_stop(self, rule: str, reason: str, **details: Any) -> None:
        """A finding about the product: recorded, and the procedure ends. No override."""
        contact = self.profile.manufacturer_contact
        self.rejection = Rejection(rule, reason, self.cite(rule), "hard_stop", None,
                                   {**details, "contact": contact})
        self.emit("hard_stop", rule=rule, reason=reason, citation=self.cite(rule),
                  contact=contact, details=details)
        self.emit("procedure_stopped", rule=rule, reason=reason)

    def past_limit(self, rule: str, bag: int | None, measured_s: float, what: str) -> None:
        """A limit was passed: allowed only with a signed deviation (collected, checked at end)."""
        if not self.state.has_deviation(rule, bag):
            self._late.append((rule, bag, measured_s, what))

    def settle_deviations(self) -> None:
        if not self._late:
            return
        deviation = self.command.deviation
        if deviation is None or not deviation.reason.strip() or not deviation.signed_by:
            rule, bag, measured, what = self._late[0]
            self.refuse(rule, f"{what} Continuing needs a deviation: a reason and a signature.",
                        "deviation_required", measured_s=round(measured, 3), bag=bag)
        recorded = [("deviation_recorded", {"rule": rule, "bag": bag, "measured_s": measured,
                                            "what": what, "reason": deviation.reason.strip(),
                                            "signed_by": deviation.signed_by})
                    for rule, bag, measured, what in self._late]
        self.events[0:0] = recorded

    def require_attested(self, step_key: str, given: Mapping[str, Any] | None) -> dict[str, Any]:
        given = given or {}
        confirmed: dict[str, Any] = {}
        for item in self.profile.attestations_for(step_key):
            value = given.get(item.id)
            ok = value in item.values if item.values else value is True
            if not ok:
                choices = f" (one of: {', '.join(item.values)})" if item.values else ""
                self.refuse("attestation", f"Confirm first: {item.text}{choices}",
                            instruction=item.id)
            confirmed[item.id] = value
        return confirmed

    def bag_arg(self) -> BagState:
        """The bag a per-bag command names: only ever the bag now being given."""
        number = self.args.get("bag")
        current = self.state.current_bag()
        if not isinstance(number, int) or not 1 <= number <= len(self.state.bags):
            self.refuse("sequence", f"There is no bag {number!r} in this order.")
        assert current is not None
        if number > current.number:
            self.refuse("one_bag_at_a_time",
                        f"Bag {current.number} is not completely administered yet: bag {number} "
                        "stays in liquid nitrogen until then.", "hard_stop",
                        current_bag=current.number, bag=number)
        if number < current.number:
            self.refuse("sequence", f"Bag {number} has already been administered.")
        return current


# ---------------------------------------------------------------------------------- handlers
def _open(d: Decision) -> None:
    d.emit("procedure_opened", procedure_id=d.state.procedure_id, product=d.profile.id,
           product_name=d.profile.name, training=bool(d.args.get("training", False)),
           site=d.args.get("site"))


def _prepare_order(d: Decision) -> None:
    try:
        order = Order.from_dict(d.args.get("order") or {})
    except OrderError as exc:
        d.refuse("order", f"The Lot Information Sheet entry is incomplete: {exc}")
    count = d.profile.rule("bag_count")
    if not count["min"] <= len(order.bags) <= count["max"]:
        d.refuse("bag_count", f"A dose is {count['min']} or {count['max']} bags; "
                 f"{len(order.bags)} were entered.", "hard_stop")
    if len(order.bags) != order.sheet_bag_count:
        d.refuse("bag_count", f"The Lot Information Sheet lists {order.sheet_bag_count} bag(s) "
                 f"but {len(order.bags)} were received.", "hard_stop")
    numbers = sorted(b.number for b in order.bags)
    if numbers != list(range(1, len(order.bags) + 1)):
        d.refuse("order", f"Bags must be numbered 1 to {len(order.bags)} (got {numbers}).")
    ids = [b.bag_id for b in order.bags]
    if len(set(ids)) != len(ids):
        d.refuse("order", "The same bag identifier is entered twice.")
    max_lots = d.profile.rule("max_lots")["value"]
    if len(order.lots) > max_lots:
        d.refuse("max_lots", f"{len(order.lots)} lots were entered ({', '.join(order.lots)}); "
                 f"at most {max_lots} may be given.", "hard_stop")
    minimum = d.profile.rule("min_dose")["value"]
    if order.dose_cd34_per_kg < minimum:
        d.refuse("min_dose", f"The bags give {order.dose_cd34_per_kg:,.0f} CD34+ cells/kg, "
                 f"below the minimum dose of {minimum:,.0f}.", "hard_stop")
    d.emit("order_prepared", order=order.to_dict())


def _confirm_backup(d: Decision) -> None:
    minimum = d.profile.rule("backup_collection")["value"]
    if d.args.get("available") is not True:
        d.refuse("backup_collection", "The back-up collection must be confirmed available "
                 "before KRESLADI is given.", "hard_stop")
    cells = d.args.get("cd34_per_kg")
    if not isinstance(cells, int | float) or isinstance(cells, bool) or cells < minimum:
        d.refuse("backup_collection", f"The back-up collection must hold at least "
                 f"{minimum:,.0f} CD34+ cells/kg (entered: {cells}).", "hard_stop")
    d.emit("backup_confirmed", available=True, cd34_per_kg=float(cells))


def _record_conditioning_end(d: Decision) -> None:
    raw = d.args.get("at")
    try:
        at = Instant.from_wall(datetime.fromisoformat(str(raw)))
    except ValueError:
        d.refuse("conditioning_window", f"Conditioning end {raw!r} is not a date and time with "
                 "its UTC offset.")
    if (at.wall - d.now.wall).total_seconds() > 60:
        d.refuse("conditioning_window", "Conditioning end cannot be in the future.")
    d.emit("conditioning_end_recorded", conditioning_end=at.to_dict())


def _confirm_storage(d: Decision) -> None:
    limit = d.profile.rule("storage")["max_celsius"]
    temp = d.args.get("temperature_c")
    if not isinstance(temp, int | float) or isinstance(temp, bool):
        d.refuse("storage", f"Storage temperature {temp!r} is not a number.")
    if temp > limit:
        d.refuse("storage", f"The product was stored at {temp} °C, warmer than {limit} °C: do "
                 f"not thaw; call {d.profile.manufacturer_contact}.", "hard_stop")
    d.emit("storage_confirmed", temperature_c=float(temp))


def _attest(d: Decision) -> None:
    items = d.args.get("items") or {}
    known = {i.id: i for i in d.profile.attestations_for("gates")}
    for key, value in items.items():
        item = known.get(key)
        if item is None:
            d.refuse("attestation", f"{key!r} is not something to attest at this step.")
        ok = value in item.values if item.values else value is True
        if not ok:
            d.refuse("attestation", f"Confirm first: {item.text}", instruction=key)
    if not items:
        d.refuse("attestation", "Nothing was attested.")
    d.emit("attested", items=dict(items))


def _scan(d: Decision, verifier: IdentityVerifier) -> None:
    state, order = d.state, d.state.order
    assert order is not None
    try:
        scan = Scan.from_dict(d.args["scan"])
    except (KeyError, TypeError) as exc:
        d.refuse("identity", f"The scan could not be read ({exc}).")
    if scan.source == "typed" and not (scan.typed_reason or "").strip():
        d.refuse("identity", "A typed identifier needs a reason.")
    bedside = d.step.name == "bedside_identity"
    stage: Stage = "bedside" if bedside else "initial"
    ctx = IdentityContext(order, state.labels, stage, d.step.bag, d.now)
    verdict = verifier.judge(scan, ctx)
    if not verdict.ok:
        if verdict.kind == "hard_stop":
            d.hard_stop(verdict.rule or "identity", verdict.reason, scan=scan.to_dict(),
                        **verdict.details)
            return
        d.refuse(verdict.rule or "identity", verdict.reason, **verdict.details)
    role, bag = verdict.role, verdict.bag
    if bedside:
        if role == "wristband":
            bag = d.step.bag
        elif role != "bag":
            d.refuse("identity", f"At the bedside, scan the patient's wristband and bag "
                     f"{d.step.bag}, not the {role} label.")
        elif bag != d.step.bag:
            d.refuse("one_bag_at_a_time", f"This is bag {bag}; bag {d.step.bag} is the one "
                     "being given.", "hard_stop")
    if role == "bag" and bag is not None and d.now.wall > order.bag(bag).expiry:
        d.hard_stop("expiry", f"Bag {bag} expired on {order.bag(bag).expiry.isoformat()}.",
                    scan=scan.to_dict())
        return
    if role != "wristband" and state.label_accepted(role or "", stage, bag):
        d.refuse("identity", f"The {role} label{f' of bag {bag}' if bag else ''} is already "
                 "confirmed.")
    label = AcceptedLabel(role or "wristband", stage, bag, scan, d.now, verdict.matched)
    d.emit("label_accepted", label=label.to_dict())


def _inspect_bag(d: Decision) -> None:
    bag = d.bag_arg()
    _hold_until_interbag_window_opens(d, bag)
    intact = d.args.get("intact")
    if not isinstance(intact, bool):
        d.refuse("integrity", "Say whether the bag is intact.")
    d.emit("bag_inspected", bag=bag.number, intact=intact, note=d.args.get("note"))
    if not intact:
        d.hard_stop("integrity", f"Bag {bag.number} is compromised (breaks or cracks). Follow "
                    f"local guidelines and call {d.profile.manufacturer_contact}.",
                    bag=bag.number, note=d.args.get("note"))


def _hold_until_interbag_window_opens(d: Decision, bag: BagState) -> None:
    previous = d.state.previous_bag(bag.number)
    if previous is None or previous.done_at is None:
        return
    rule = d.profile.rule("interbag_window")
    gone = elapsed(previous.done_at, d.now)
    if gone < rule["min_seconds"]:
        until = previous.done_at.plus(rule["min_seconds"])
        d.refuse("interbag_window", f"Bag {bag.number} stays in liquid nitrogen until 1 hour "
                 f"after bag {previous.number} was given.", "wait", until,
                 elapsed_s=round(gone, 3))


def _check_conditioning_window(d: Decision, bag: BagState) -> None:
    rule = d.profile.rule("conditioning_window")
    start = d.state.conditioning_end
    assert start is not None
    gone = elapsed(start, d.now)
    if gone < rule["min_hours"] * 3600:
        d.refuse("conditioning_window", f"KRESLADI is given {rule['min_hours']} to "
                 f"{rule['max_hours']} hours after conditioning ended; it is too early.", "wait",
                 start.plus(rule["min_hours"] * 3600), elapsed_s=round(gone, 3))
    if gone > rule["max_hours"] * 3600:
        d.past_limit("conditioning_window", bag.number, gone,
                     f"It is more than {rule['max_hours']} hours since conditioning ended.")


def _no_second_thaw(d: Decision, bag: BagState) -> None:
    if bag.thaw_started is not None:
        d.refuse("no_refreeze", f"Bag {bag.number} has already been thawed: never refreeze a "
                 "thawed bag or thaw it again.", bag=bag.number)


def _start_thaw(d: Decision) -> None:
    bag = d.bag_arg()
    _no_second_thaw(d, bag)
    line = d.state.order.bag(bag.number) if d.state.order else None
    assert line is not None
    method = d.args.get("method")
    if method not in ("water_bath", "dry"):
        d.refuse("thaw_time", "Choose the thaw method: 37 °C water bath or dry thaw.")
    attested = d.require_attested("thaw", d.args.get("attest"))
    if d.now.wall > line.expiry:
        d.hard_stop("expiry", f"Bag {bag.number} expired on {line.expiry.isoformat()}: do not "
                    "thaw it.", bag=bag.number)
        return
    _check_conditioning_window(d, bag)
    _hold_until_interbag_window_opens(d, bag)
    previous = d.state.previous_bag(bag.number)
    if previous is not None and previous.done_at is not None:
        rule = d.profile.rule("interbag_window")
        gone = elapsed(previous.done_at, d.now)
        if gone > rule["max_seconds"]:
            d.past_limit("interbag_window", bag.number, gone,
                         f"It is more than 2 hours since bag {previous.number} was given.")
    d.emit("thaw_started", bag=bag.number, method=method, attested=attested)


def _complete_thaw(d: Decision) -> None:
    bag = d.bag_arg()
    if bag.thaw_started is None:
        d.refuse("sequence", f"The thaw of bag {bag.number} has not started.")
    attested = d.require_attested("thaw_complete", d.args.get("attest"))
    limit = d.profile.rule("thaw_time")["max_seconds"]
    took = elapsed(bag.thaw_started, d.now)
    if took > limit:
        d.past_limit("thaw_time", bag.number, took,
                     f"The thaw took {_mmss(took)}, longer than {_mmss(limit)}.")
    d.emit("thaw_completed", bag=bag.number, duration_s=took, attested=attested)


def _check_line(d: Decision) -> None:
    bag = d.bag_arg()
    items = d.args.get("items") or {}
    for item in d.profile.attestations_for("line_checks"):
        if items.get(item.id) is not True:
            d.refuse("line", f"Line check not confirmed: {item.text}", instruction=item.id)
    d.emit("line_checked", bag=bag.number, items={k: True for k in items})


def _start_infusion(d: Decision) -> None:
    bag = d.bag_arg()
    if bag.infusion_started is not None:
        d.refuse("sequence", f"The infusion of bag {bag.number} has already started.")
    if not d.state.identity_confirmed_twice(bag.number):
        d.refuse("identity", f"Bag {bag.number}'s identity must be confirmed before thaw and "
                 "again at the bedside.", "hard_stop")
    _check_conditioning_window(d, bag)
    d.emit("infusion_started", bag=bag.number)


def _end_infusion(d: Decision) -> None:
    bag = d.bag_arg()
    if bag.infusion_started is None:
        d.refuse("sequence", f"The infusion of bag {bag.number} has not started.")
    attested = d.require_attested("infusion_end", d.args.get("attest"))
    assert bag.thaw_started is not None
    limit = d.profile.rule("infusion_window")["max_seconds"]
    took = elapsed(bag.thaw_started, d.now)
    if took > limit:
        d.past_limit("infusion_window", bag.number, took,
                     f"Infusion ended {_mmss(took)} after the start of thaw, later than "
                     f"{_mmss(limit)}.")
    d.emit("infusion_ended", bag=bag.number, thaw_to_end_s=took, attested=attested)


def _valid_flush_volume(d: Decision, volume: Any) -> float:
    limit = d.profile.rule("flush")["max_ml"]
    if not isinstance(volume, int | float) or isinstance(volume, bool) or not 0 < volume <= limit:
        d.refuse("flush", f"Enter the saline flush volume in mL, above 0 and at most {limit} "
                 f"(entered: {volume!r}).")
    return float(volume)


def _log_flush(d: Decision) -> None:
    bag = d.bag_arg()
    volume = _valid_flush_volume(d, d.args.get("volume_ml"))
    d.emit("flush_logged", bag=bag.number, volume_ml=volume)
    d.emit("bag_completed", bag=bag.number)


def _acknowledge_post_infusion(d: Decision) -> None:
    attested = d.require_attested("post_infusion", d.args.get("attest"))
    d.emit("post_infusion_acknowledged", attested=attested)
    d.emit("procedure_completed")


def _stop_procedure(d: Decision) -> None:
    reason = str(d.args.get("reason") or "").strip()
    if not reason:
        d.refuse("sequence", "Ending the procedure needs a reason.")
    d.emit("procedure_stopped", reason=reason, rule=None)


def _acknowledge_alarm(d: Decision) -> None:
    alarm = str(d.args.get("alarm") or "").strip()
    if not alarm:
        d.refuse("sequence", "Which alarm is acknowledged?")
    d.emit("alarm_acknowledged", alarm=alarm, bag=d.args.get("bag"))


def _note_clock_change(d: Decision) -> None:
    d.emit("clock_change_noted", **dict(d.args))


def _correct(d: Decision) -> None:
    event_id = d.args.get("event_id")
    reason = str(d.args.get("reason") or "").strip()
    bag = next((b for b in d.state.bags if b.flush_event == event_id and event_id), None)
    if bag is None:
        d.refuse("flush", "Only a logged flush volume can be corrected; that event is not one.")
    if not reason:
        d.refuse("flush", "A correction needs a reason.")
    changes = d.args.get("changes") or {}
    if set(changes) != {"volume_ml"}:
        d.refuse("flush", "A flush correction changes only its volume in mL.")
    volume = _valid_flush_volume(d, changes["volume_ml"])
    d.emit("correction", event_id=event_id, bag=bag.number, reason=reason,
           changes={"volume_ml": volume}, previous={"volume_ml": bag.flush_ml})


HANDLERS: dict[str, Callable[[Decision], None]] = {
    "open": _open,
    "prepare_order": _prepare_order,
    "confirm_backup": _confirm_backup,
    "record_conditioning_end": _record_conditioning_end,
    "confirm_storage": _confirm_storage,
    "attest": _attest,
    "inspect_bag": _inspect_bag,
    "start_thaw": _start_thaw,
    "complete_thaw": _complete_thaw,
    "check_line": _check_line,
    "start_infusion": _start_infusion,
    "end_infusion": _end_infusion,
    "log_flush": _log_flush,
    "acknowledge_post_infusion": _acknowledge_post_infusion,
    "stop_procedure": _stop_procedure,
    "acknowledge_alarm": _acknowledge_alarm,
    "note_clock_change": _note_clock_change,
    "correct": _correct,
}


def decide(state: State, command: Command, now: Instant, profile: Profile,
           verifier: IdentityVerifier) -> Decision:
    """The events `command` produces at `now`, or raise `Refusal` (nothing changes)."""
    step = current_step(state, now, profile)
    d = Decision(state, command, now, profile, step)
    if command.name not in COMMANDS:
        d.refuse("sequence", f"Unknown command {command.name!r}.")
    if not command.user:
        d.refuse("sequence", "Every step must name the user who does it.")
    if command.name in PER_BAG_COMMANDS and state.active and state.current_bag() is not None:
        bag = d.bag_arg()  # another bag than the one being given: refused before anything else
        if command.name == "start_thaw":
            _no_second_thaw(d, bag)  # at any later step too, under its own rule
    if command.name not in allowed_at(step.name):
        where = f"{step.name} (bag {step.bag})" if step.bag else step.name
        d.refuse("sequence", f"'{command.name}' is not possible now: the procedure is at {where}.",
                 step=step.name)
    if command.name == "scan":
        _scan(d, verifier)
    else:
        HANDLERS[command.name](d)
    if d.rejection is None:
        d.settle_deviations()
    return d


def _mmss(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"
