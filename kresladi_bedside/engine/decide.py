"""Decide: given the state, a command and the instant, either the events it produces or the
rejection that says why not. Pure: no clock, no storage, no side effects.

Each command has a handler that reads like the label's own step. Guards raise `Refusal`;
limits that a signed deviation may pass go through `Decision.past_limit`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from ..clock import Instant
from ..config import ClinicalConfig
from ..labels import expiry
from ..profile import Profile
from ..timeline import Span
from . import handover
from .custody import Custody, CustodyBar, NoCustody, bar_reason
from .identity import AcceptedLabel, IdentityContext, IdentityVerifier, Stage
from .model import Command, Order, OrderError, number_in
from .ruling import Ruling
from .state import BagState, State
from .steps import ORDER_INSTANTS, Step, current_step, labels_needed
from .summary import flush_figures, site_policy
from .table import COMMANDS, allowed_at

FUTURE_TOLERANCE_S = 60  # a typed time may be this far ahead of the workstation clock
PER_BAG_COMMANDS = frozenset({"inspect_bag", "start_thaw", "complete_thaw", "check_line",
                              "start_infusion", "end_infusion", "log_flush"})


@dataclass
class Decision(Ruling[State]):
    """The engine's ruling (engine/ruling.py): the step the procedure is at, its hard stop, the
    deviations already recorded, and the engine's own helpers for entered values and custody."""

    step: Step = field(kw_only=True)
    zone: tzinfo | None = field(default=None, kw_only=True)  # the site's: expiry in site time

    def stopped(self, rule: str, reason: str, citation: str, contact: str,
                details: Mapping[str, Any]) -> None:
        self.emit("hard_stop", rule=rule, reason=reason, citation=citation, contact=contact,
                  step=self.step.name, details=details)
        self.emit("procedure_stopped", rule=rule, reason=reason)

    def has_deviation(self, rule: str, bag: int | None) -> bool:
        return self.state.has_deviation(rule, bag)

    # ------------------------------------------------------------------------------ time
    def since(self, start: Instant) -> Span:
        """Elapsed from `start` to now on the procedure's one timeline (timeline.py)."""
        return self.state.timeline.span(start, self.now)

    def over_limit(self, rule: str, bag: int | None, span: Span, limit: float,
                   what: Callable[[float], str]) -> None:
        """An upper limit judged conservatively: passed when the upper estimate passes it, or
        when the time cannot be known (the clock went back across a restart)."""
        if span.high is None:
            self.past_limit(rule, bag, span.low,
                            f"{what(span.low)} The real time cannot be known: the clock went "
                            "back across a restart (at least this long has passed). Attest "
                            "the real time, or sign for it.")
        elif span.high > limit:
            self.past_limit(rule, bag, span.high, what(span.high))

    def require_attested(self, step_key: str, given: Mapping[str, Any] | None) -> dict[str, Any]:
        given = given or {}
        confirmed: dict[str, Any] = {}
        for item in self.profile.attestations_for(step_key):
            value = given.get(item.id)
            ok = value in item.values if item.values else value is True
            if not ok:
                choices = f" (one of: {', '.join(item.values)})" if item.values else ""
                self.refuse("attestation", f"Confirm first: {item.text}{choices}",
                            citation=item.citation, instruction=item.id)
            confirmed[item.id] = value
        return confirmed

    def number(self, rule: str, name: str, value: Any, limit: str) -> float:
        """A number the nurse entered: finite and within its physical range, or refused naming
        the field."""
        try:
            return number_in(value, name, limit)
        except OrderError as exc:
            self.refuse(rule, f"{str(exc)[0].upper()}{str(exc)[1:]}.", field=name)

    def instant_arg(self, key: str, name: str, rule: str, *,
                    required: bool = False) -> Instant | None:
        """An instant the nurse entered (ISO date and time with its UTC offset), never in the
        future."""
        raw = self.args.get(key)
        if raw is None and not required:
            return None
        try:
            at = Instant.from_wall(datetime.fromisoformat(str(raw)))
        except ValueError:
            self.refuse(rule, f"The {name} {raw!r} is not a date and time with its UTC offset.",
                        field=key)
        if (at.wall - self.now.wall).total_seconds() > FUTURE_TOLERANCE_S:
            self.refuse(rule, f"The {name} cannot be in the future.", field=key)
        return at

    # ------------------------------------------------------------------ custody (the ledger)
    def bag_identifiers(self, number: int, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Every identifier bag `number` is known by here: the sheet's, then scanned ones."""
        ids: list[str] = list(extra)
        if self.state.order is not None:
            ids.append(self.state.order.bag(number).bag_id)
        for label in self.state.labels:
            if label.bag == number and label.role in ("cassette", "bag"):
                for key in ("din", "bag_id", "serial"):
                    value = label.scan.identifiers.get(key)
                    if value:
                        ids.append(value)
        return tuple(dict.fromkeys(ids))

    def custody_bar_bag(self, identifiers: tuple[str, ...]) -> CustodyBar | None:
        return self.custody.bag_bar(identifiers, excluding=self.state.procedure_id)

    def custody_bar_patient(self, order: Order) -> CustodyBar | None:
        return self.custody.patient_bar(order.patient.mrn, order.patient.coi,
                                        excluding=self.state.procedure_id)

    def custody_stop(self, bar: CustodyBar) -> None:
        """A bag or patient already used elsewhere: the procedure ends here (no override)."""
        rule = "custody_patient" if bar.subject == "patient" else "custody_bag"
        self.hard_stop(rule, bar_reason(bar, self.profile.manufacturer_contact),
                       earlier=bar.to_dict(), bag=bar.bag if bar.subject == "bag" else None)

    def bag_arg(self) -> BagState:
        """The bag a per-bag command names: only ever the bag now being given."""
        number = self.args.get("bag")
        current = self.state.current_bag()
        if not isinstance(number, int) or not 1 <= number <= len(self.state.bags):
            self.refuse("procedure", f"There is no bag {number!r} in this order.")
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
    policy = _policy_args(d, d.args.get("policy"))
    where = d.args.get("workstation")
    d.emit("procedure_opened", procedure_id=d.state.procedure_id, product=d.profile.id,
           product_name=d.profile.name, training=bool(d.args.get("training", False)),
           site=d.args.get("site"), policy=policy,
           **({"workstation": str(where)} if where else {}))


def _policy_args(d: Decision, given: Any) -> dict[str, float]:
    """The site policy this procedure runs under (config `[clinical]`), every value checked."""
    defaults = asdict(ClinicalConfig())
    if given is None:
        return defaults
    if not isinstance(given, Mapping):
        d.refuse("procedure", f"The site policy must be a table of numbers (got {given!r}).")
    policy = dict(defaults)
    for key, value in given.items():
        if key not in defaults:
            d.refuse("procedure", f"{key!r} is not a site policy setting.")
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value) or value <= 0):
            d.refuse("procedure", f"Site policy {key} must be a number above 0 (got {value!r}).")
        policy[key] = float(value)
    return policy


def _policy(d: Decision) -> ClinicalConfig:
    return site_policy(d.state)


def _prepare_order(d: Decision) -> None:
    if d.args.get("carried_labels"):
        # §2.2: "Prior to KRESLADI preparation, match the patient's identity with the patient
        # identifiers on the KRESLADI cassette(s)": on the infusion day, whatever was scanned
        # at receipt.
        d.refuse("identity", "Labels scanned at receipt do not carry over: the shipper and "
                 "every cassette are scanned against the patient on the infusion day.")
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
    patient_bar = d.custody_bar_patient(order)
    if patient_bar is not None:
        d.refuse("custody_patient", bar_reason(patient_bar, d.profile.manufacturer_contact),
                 "hard_stop", earlier=patient_bar.to_dict())
    for line in order.bags:
        bar = d.custody_bar_bag((line.bag_id,))
        if bar is not None:
            d.refuse("custody_bag", bar_reason(bar, d.profile.manufacturer_contact),
                     "hard_stop", earlier=bar.to_dict(), bag=line.number)
    # From a receipt: when KRESLADI was received and stored (its storage_recorded instant), so
    # the conditioning-order rule (§2.2) has it without anyone typing it again.
    stored = d.instant_arg("stored_at", "received and stored at", "order")
    d.emit("order_prepared", order=order.to_dict(),
           **({"stored_at": stored.to_dict()} if stored is not None else {}))


def _confirm_backup(d: Decision) -> None:
    minimum = d.profile.rule("backup_collection")["value"]
    if d.args.get("available") is not True:
        d.refuse("backup_collection", "The back-up collection must be confirmed available "
                 "before KRESLADI is given.", "hard_stop")
    cells = d.number("backup_collection", "back-up collection CD34+/kg",
                     d.args.get("cd34_per_kg"), "backup_cd34_per_kg")
    if cells < minimum:
        d.refuse("backup_collection", f"The back-up collection must hold at least "
                 f"{minimum:,.0f} CD34+ cells/kg (entered: {cells:,.0f}).", "hard_stop")
    confirmed_at = d.instant_arg("confirmed_at", "back-up confirmed at", "backup_collection")
    source = _source_arg(d, "Observation", "backup_collection")
    _check_conditioning_order(d, confirmed=confirmed_at)
    data: dict[str, Any] = {"available": True, "cd34_per_kg": cells}
    if confirmed_at is not None:
        data["confirmed_at"] = confirmed_at.to_dict()
    if source is not None:
        data["source"] = source
    d.emit("backup_confirmed", **data)


def _record_conditioning_end(d: Decision) -> None:
    at = d.instant_arg("at", "conditioning end", "conditioning_window", required=True)
    assert at is not None
    start = d.instant_arg("conditioning_start", "conditioning start", "conditioning_window")
    if start is not None and start.wall > at.wall:
        d.refuse("conditioning_window", "Conditioning start cannot be after its end.")
    source = _source_arg(d, "Procedure", "conditioning_window")
    _check_conditioning_order(d, start=start)
    data: dict[str, Any] = {"conditioning_end": at.to_dict()}
    if start is not None:
        data["conditioning_start"] = start.to_dict()
    if source is not None:
        data["source"] = source
    d.emit("conditioning_end_recorded", **data)


def _source_arg(d: Decision, kind: str, rule: str, raw: Any = None) -> dict[str, Any] | None:
    """Where values came from when not typed: the hospital's EHR record of `kind` that holds
    them (its reference and version as read). Judged by the same rules as typed values; only
    the record is kept with them. One the nurse set aside is never used."""
    raw = d.args.get("source") if raw is None else raw
    if raw is None:
        return None
    resource = str(raw.get("resource") or "") if isinstance(raw, Mapping) else ""
    kind_of, _, rid = resource.partition("/")
    version = raw.get("version") if isinstance(raw, Mapping) else None
    if not isinstance(raw, Mapping) or raw.get("kind") != "ehr" or kind_of != kind or \
            not rid or "/" in rid or not (version is None or isinstance(version, str)):
        d.refuse(rule, f"These values must come from a {kind} of the hospital's EHR, named by "
                 f"its reference and version (got {resource or raw!r}).", field="source")
    if resource in d.state.ehr_set_aside:
        d.refuse(rule, f"The EHR's {resource} was set aside: type these values from the chart.",
                 field="source")
    return {"kind": "ehr", "resource": resource, "version": version,
            "server": str(raw.get("server") or "")}


def _set_aside_ehr_values(d: Decision) -> None:
    """The nurse sets the EHR's values aside (they are not what she knows): each record is
    named, and its values are typed from the chart instead (one press, recorded)."""
    given = d.args.get("sources")
    if not isinstance(given, list) or not given:
        d.refuse("procedure", "Name the EHR records set aside.")
    sources = []
    for raw in given:
        kind = str((raw or {}).get("resource", "")).partition("/")[0] \
            if isinstance(raw, Mapping) else ""
        if kind not in ("Procedure", "Observation"):
            d.refuse("procedure", f"{raw!r} is not an EHR record the gates read.")
        found = _source_arg(d, kind, "procedure", raw)
        assert found is not None
        sources.append(found)
    d.emit("ehr_values_set_aside", sources=sources)


def _check_conditioning_order(d: Decision, *, start: Instant | None = None,
                              stored: Instant | None = None,
                              confirmed: Instant | None = None) -> None:
    """Conditioning must not begin before KRESLADI was received and stored and the back-up
    confirmed (§2.2). It has already begun when this is recorded: a signed deviation says
    why; nothing can undo it."""
    start = start or d.state.conditioning_start
    stored = stored or d.state.stored_at
    confirmed = confirmed or d.state.backup_confirmed_at
    if start is None:
        return
    for what, when in (("KRESLADI was received and stored", stored),
                       ("the back-up collection was confirmed available", confirmed)):
        if when is not None and when.wall > start.wall:
            early = (when.wall - start.wall).total_seconds()
            d.past_limit("conditioning_order", None, early,
                         f"Conditioning began {_hmm(early)} before {what}.")


def _attest_instant_unknown(d: Decision) -> None:
    """An instant the conditioning-order rule needs is not known (not in the chart, not carried
    from a receipt): the nurse says so with a reason and a signature, recorded as a deviation
    (rule `conditioning_order_unknown`), so the rule is never skipped silently (§2.2)."""
    which = d.args.get("instant")
    what = ORDER_INSTANTS.get(str(which))
    if what is None:
        d.refuse("conditioning_order", f"{which!r} is not an instant the conditioning-order "
                 f"rule needs ({', '.join(ORDER_INSTANTS)}).")
    assert what is not None
    if getattr(d.state, str(which)) is not None:
        d.refuse("conditioning_order", f"The instant {what} is already recorded.")
    if which in d.state.unknown_instants:
        d.refuse("conditioning_order", f"The instant {what} is already attested as unknown.")
    deviation = d.command.deviation
    if deviation is None or not deviation.reason.strip() or not deviation.signed_by:
        d.refuse("conditioning_order", f"Attesting that {what} is unknown needs a reason and a "
                 "signature.", "deviation_required", instant=which)
    assert deviation is not None
    reason = deviation.reason.strip()
    d.emit("deviation_recorded", rule="conditioning_order_unknown", bag=None,
           what=f"Not known {what}: the conditioning-order rule cannot be checked against it.",
           reason=reason, signed_by=deviation.signed_by)
    d.emit("order_instant_unknown", instant=which, reason=reason, signed_by=deviation.signed_by)


def _confirm_storage(d: Decision) -> None:
    limit = d.profile.rule("storage")["max_celsius"]
    temp = d.number("storage", "storage temperature", d.args.get("temperature_c"),
                    "storage_celsius")
    if temp > limit:
        d.refuse("storage", f"The product was stored at {temp:g} °C, warmer than {limit} °C: "
                 f"do not thaw; call {d.profile.manufacturer_contact}.", "hard_stop")
    stored_at = (d.instant_arg("stored_at", "received and stored at", "storage")
                 or d.state.stored_at)  # typed here, else the receipt's (order_prepared)
    _check_conditioning_order(d, stored=stored_at)
    data: dict[str, Any] = {"temperature_c": temp}
    if stored_at is not None:
        data["stored_at"] = stored_at.to_dict()
    d.emit("storage_confirmed", **data)


def _attest(d: Decision) -> None:
    items = d.args.get("items") or {}
    known = {i.id: i for i in d.profile.attestations_for("gates")}
    for key, value in items.items():
        item = known.get(key)
        if item is None:
            d.refuse("attestation", f"{key!r} is not something to attest at this step.")
        ok = value in item.values if item.values else value is True
        if not ok:
            d.refuse("attestation", f"Confirm first: {item.text}", citation=item.citation,
                     instruction=key)
    if not items:
        d.refuse("attestation", "Nothing was attested.")
    d.emit("attested", items=dict(items))


def _scan(d: Decision, verifier: IdentityVerifier) -> None:
    state, order = d.state, d.state.order
    assert order is not None
    scan = d.scanned()
    bedside = d.step.name == "bedside_identity"
    stage: Stage = "bedside" if bedside else "initial"
    ctx = IdentityContext(order, state.labels, stage, d.step.bag, d.now)
    verdict = verifier.judge(scan, ctx)
    if (verdict.ok and not bedside and d.step.bag is None and verdict.role == "bag"
            and verdict.bag is not None and verdict.bag > 1):
        d.refuse("second_bag_frozen", f"Bag {verdict.bag} stays in its cassette in liquid "
                 "nitrogen until its own thaw: scan bag 1's label now; bag "
                 f"{verdict.bag}'s label is matched to its cassette when it is taken out.",
                 bag=verdict.bag)
    if (verdict.ok and not bedside and d.step.bag is not None and verdict.role == "bag"
            and verdict.bag == d.step.bag
            and state.bag(verdict.bag).storage_reconfirmed_at is None):
        d.refuse("second_bag_frozen", f"Before bag {verdict.bag} is taken out of its cassette, "
                 "confirm it was kept in vapor-phase liquid nitrogen at ≤ −150 °C until now.",
                 bag=verdict.bag)
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
    if role in ("cassette", "bag") and bag is not None:
        governing = _governing_expiry(d, bag, verdict.expiry)
        if expiry.is_expired(governing, d.now):
            d.hard_stop("expiry", f"Bag {bag} expired on {_site_time(d, governing)}. Do not "
                        f"use it; call {d.profile.manufacturer_contact}.", bag=bag,
                        scan=scan.to_dict())
            return
    if role in ("cassette", "bag") and bag is not None:
        scanned = tuple(str(scan.identifiers[k]) for k in ("din", "bag_id", "serial")
                        if scan.identifiers.get(k))
        bar = d.custody_bar_bag(d.bag_identifiers(bag, scanned))
        if bar is not None:
            d.custody_stop(bar)
            return
    if role != "wristband" and state.label_accepted(role or "", stage, bag):
        d.refuse("identity", f"The {role} label{f' of bag {bag}' if bag else ''} is already "
                 "confirmed.")
    label = AcceptedLabel(role or "wristband", stage, bag, scan, d.now, verdict.matched,
                          verdict.expiry)
    d.emit("label_accepted", label=label.to_dict())


def _governing_expiry(d: Decision, number: int, scanned: datetime | None = None) -> datetime:
    """The earliest of the sheet's expiry and every printed expiry accepted for the bag."""
    assert d.state.order is not None
    found = [d.state.order.bag(number).expiry, *(
        label.expiry for label in d.state.labels
        if label.bag == number and label.expiry is not None)]
    if scanned is not None:
        found.append(scanned)
    return min(found)


def _site_time(d: Decision, when: datetime) -> str:
    """An instant as the nurse reads it: in the site's zone (the workstation's offset now when
    none is known), with its offset — never UTC at a site that is not."""
    return expiry.printed(when, d.zone or d.now.local().tzinfo)


def _latest_now(d: Decision) -> datetime:
    """Now, for an absolute instant such as expiry: the later of the wall clock and the
    timeline's estimate (a clock set back must not make a bag look fresher)."""
    low, high = d.state.timeline.wall(d.now)
    return max(d.now.wall, high or low)


def _expires_before_infusion_can_end(d: Decision, number: int) -> bool:
    """Refuse before the harm: a bag whose expiry (the earliest of the sheet's and every
    printed one, read in the site's zone) falls before thaw start + 30 minutes cannot be given
    within its date; it is not thawed (the procedure stops, nothing is lost)."""
    governing = _governing_expiry(d, number)
    window = d.profile.rule("infusion_window")["max_seconds"]
    now = _latest_now(d)
    if governing >= now + timedelta(seconds=window):
        return False
    if governing <= now:  # expired from the expiry instant on (labels.expiry.is_expired)
        reason = f"Bag {number} expired on {_site_time(d, governing)}"
    else:
        reason = (f"Bag {number} expires at {_site_time(d, governing)}, before its infusion "
                  f"could be complete ({_mmss(window)} after a thaw started now, "
                  f"{_site_time(d, now + timedelta(seconds=window))})")
    d.hard_stop("expiry", f"{reason}: do not thaw it; call {d.profile.manufacturer_contact}.",
                bag=number, expiry=governing.isoformat())
    return True


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


def _confirm_bag_storage(d: Decision) -> None:
    """§2.2 "Maintain the second infusion bag ... within the vapor phase of liquid nitrogen
    storage to maintain temperature less than or equal to -150°C (-238°F) until time to thaw":
    at a later bag's own turn, before it leaves its cassette, the nurse confirms it was kept so
    until now (the gates confirmed the storage hours earlier, before bag 1). Not kept: the bag
    is not thawed; the procedure stops (the manufacturer is called)."""
    bag = d.bag_arg()
    if d.step.bag != bag.number:
        d.refuse("sequence", f"Bag {bag.number}'s storage is confirmed at its own turn, before "
                 "it is taken out of its cassette.")
    if bag.storage_reconfirmed_at is not None:
        d.refuse("sequence", f"Bag {bag.number}'s storage is already confirmed.")
    kept = d.args.get("kept_frozen")
    if not isinstance(kept, bool):
        d.refuse("second_bag_frozen", f"Say whether bag {bag.number} was kept in vapor-phase "
                 "liquid nitrogen at ≤ −150 °C until now.")
    limit = d.profile.rule("storage")["max_celsius"]
    d.emit("bag_storage_confirmed", bag=bag.number, kept_frozen=kept)
    if not kept:
        d.hard_stop("second_bag_frozen", f"Bag {bag.number} was not kept in vapor-phase liquid "
                    f"nitrogen at ≤ {limit} °C until its thaw: do not thaw it; call "
                    f"{d.profile.manufacturer_contact}.", bag=bag.number)


def _administered(d: Decision, bag: BagState) -> tuple[BagState, Instant] | None:
    """The previous bag and when it was completely administered (the end of its flush)."""
    previous = d.state.previous_bag(bag.number)
    if previous is None:
        return None
    done = d.state.administered_at(previous.number)
    return None if done is None else (previous, done)


def _hold_until_interbag_window_opens(d: Decision, bag: BagState) -> None:
    found = _administered(d, bag)
    if found is None:
        return
    previous, done = found
    rule = d.profile.rule("interbag_window")
    gone = d.since(done).low  # a wait: on the lower bound, never shortened by a clock
    if gone < rule["min_seconds"]:
        until = d.now.plus(rule["min_seconds"] - gone)
        d.refuse("interbag_window", f"Bag {bag.number} stays in liquid nitrogen until 1 hour "
                 f"after bag {previous.number} was administered (the end of its flush).",
                 "wait", until, elapsed_s=round(gone, 3))


def _check_conditioning_window(d: Decision, bag: BagState) -> None:
    rule = d.profile.rule("conditioning_window")
    start = d.state.conditioning_end
    assert start is not None
    span = d.since(start)
    gone = span.low  # the 24 h wait: a forward clock jump or a restart never shortens it
    if gone < rule["min_hours"] * 3600:
        d.refuse("conditioning_window", f"KRESLADI is given {rule['min_hours']} to "
                 f"{rule['max_hours']} hours after conditioning ended; it is too early.", "wait",
                 d.now.plus(rule["min_hours"] * 3600 - gone), elapsed_s=round(gone, 3))
    d.over_limit("conditioning_window", bag.number, span, rule["max_hours"] * 3600,
                 lambda _s: f"It is more than {rule['max_hours']} hours since conditioning "
                            "ended.")


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
        d.refuse("thaw_method", "Choose the thaw method: 37 °C water bath or dry thaw.")
    attested = d.require_attested("thaw", d.args.get("attest"))
    assert d.state.order is not None
    bar = d.custody_bar_patient(d.state.order) or d.custody_bar_bag(
        d.bag_identifiers(bag.number))
    if bar is not None:
        d.custody_stop(bar)
        return
    if _expires_before_infusion_can_end(d, bag.number):
        return
    _check_conditioning_window(d, bag)
    _hold_until_interbag_window_opens(d, bag)
    found = _administered(d, bag)
    if found is not None:
        previous, done = found
        rule = d.profile.rule("interbag_window")
        d.over_limit("interbag_window", bag.number, d.since(done), rule["max_seconds"],
                     lambda s: f"It is {_hmm(s)} since bag {previous.number} was administered "
                               f"(the end of its flush), more than "
                               f"{_hmm(rule['max_seconds'])}.")
    d.emit("thaw_started", bag=bag.number, method=method, attested=attested)


def _complete_thaw(d: Decision) -> None:
    bag = d.bag_arg()
    if bag.thaw_started is None:
        d.refuse("procedure", f"The thaw of bag {bag.number} has not started.")
    attested = d.require_attested("thaw_complete", d.args.get("attest"))
    limit = d.profile.rule("thaw_time")["max_seconds"]
    span = d.since(bag.thaw_started)
    d.over_limit("thaw_time", bag.number, span, limit,
                 lambda s: f"The thaw took {_mmss(s)}, longer than {_mmss(limit)}.")
    d.emit("thaw_completed", bag=bag.number, duration_s=round(span.best(), 3),
           attested=attested, **_timing(span))


def _check_line(d: Decision) -> None:
    bag = d.bag_arg()
    items = d.args.get("items") or {}
    for item in d.profile.attestations_for("line_checks"):
        if items.get(item.id) is not True:
            d.refuse("line", f"Line check not confirmed: {item.text}", citation=item.citation,
                     instruction=item.id)
    # §2.3: the priming volume of the tubing set counts in the volume infused (site default,
    # changed here for the set actually used)
    given = d.args.get("priming_ml")
    priming = (_policy(d).priming_volume_ml if given is None
               else d.number("line", "priming volume of the tubing set", given, "priming_ml"))
    d.emit("line_checked", bag=bag.number, items={k: True for k in items},
           priming_ml=priming)


def _start_infusion(d: Decision) -> None:
    bag = d.bag_arg()
    if bag.infusion_started is not None:
        d.refuse("procedure", f"The infusion of bag {bag.number} has already started.")
    if not d.state.identity_confirmed_twice(bag.number):
        d.refuse("identity", f"Bag {bag.number}'s identity must be confirmed before thaw and "
                 "again at the bedside.", "hard_stop")
    _check_conditioning_window(d, bag)
    assert bag.thaw_started is not None
    _check_window_left_at_start(d, bag)
    left = d.profile.rule("infusion_window")["max_seconds"] - d.since(bag.thaw_started).best()
    usual = d.profile.rule("infusion_time")["usual_seconds"]
    data: dict[str, Any] = {"bag": bag.number, "window_left_s": round(left, 3)}
    if left < usual:
        data["cue"] = (f"Only {_mmss(max(left, 0))} is left of the 30 minutes from the start "
                       f"of thaw; an infusion usually takes up to {usual // 60} minutes.")
    d.emit("infusion_started", **data)


def _check_window_left_at_start(d: Decision, bag: BagState) -> None:
    """Refuse before the harm: an infusion started when nothing is left of the 30 minutes from
    the start of thaw cannot be complete within them, so the signed deviation is asked at its
    start (30:00 and later), not after the cells are in."""
    assert bag.thaw_started is not None
    limit = d.profile.rule("infusion_window")["max_seconds"]
    span = d.since(bag.thaw_started)
    # >= : at 30:00 nothing is left to infuse in (over_limit judges > limit)
    d.over_limit("infusion_window", bag.number, span, limit - 0.001,
                 lambda s: f"The infusion would start {_mmss(s)} after the start of thaw: "
                           f"nothing is left of the {_mmss(limit)} to complete it in.")


def _end_infusion(d: Decision) -> None:
    bag = d.bag_arg()
    if bag.infusion_started is None:
        d.refuse("procedure", f"The infusion of bag {bag.number} has not started.")
    attested = d.require_attested("infusion_end", d.args.get("attest"))
    assert bag.thaw_started is not None
    limit = d.profile.rule("infusion_window")["max_seconds"]
    span = d.since(bag.thaw_started)
    d.over_limit("infusion_window", bag.number, span, limit,
                 lambda s: f"Infusion ended {_mmss(s)} after the start of thaw, later than "
                           f"{_mmss(limit)}.")
    _check_conditioning_window(d, bag)  # 24–48 h holds to the end of the infusion
    d.emit("infusion_ended", bag=bag.number, thaw_to_end_s=round(span.best(), 3),
           infusion_s=round(d.since(bag.infusion_started).best(), 3), attested=attested,
           **_timing(span))


def _valid_flush_volume(d: Decision, volume: Any) -> float:
    """Finite, above 0 and at most the ceiling (the site's per bag, never above the product's)."""
    ceiling = min(float(d.profile.rule("flush")["max_ml"]), _policy(d).flush_max_ml_per_bag)
    if (isinstance(volume, bool) or not isinstance(volume, int | float)
            or not math.isfinite(volume) or not 0 < volume <= ceiling):
        d.refuse("flush", f"Enter the saline flush volume in mL, above 0 and at most "
                 f"{ceiling:g} mL per bag (entered: {volume!r}).", field="volume_ml")
    return float(volume)


def _check_flush_per_kg(d: Decision, bag: int, figures: Mapping[str, float]) -> None:
    if figures["infused_ml_per_kg"] > figures["threshold_ml_per_kg"]:
        d.past_limit("flush", bag, figures["infused_ml_per_kg"],
                     f"The volume infused totals {figures['infused_ml']:g} mL (bags "
                     f"{figures['bags_ml']:g}, tubing priming {figures['priming_ml']:g}, saline "
                     f"flush {figures['total_ml']:g}) = {figures['infused_ml_per_kg']:.1f} mL/kg "
                     f"at {figures['weight_kg']:g} kg, above the site's "
                     f"{figures['threshold_ml_per_kg']:g} mL/kg.", unit="mL/kg")


def _log_flush(d: Decision) -> None:
    bag = d.bag_arg()
    volume = _valid_flush_volume(d, d.args.get("volume_ml"))
    ended = d.instant_arg("ended_at", "flush end", "flush") or d.now
    assert bag.infusion_ended is not None
    if ended.wall < bag.infusion_ended.wall:
        d.refuse("flush", f"The flush cannot end before the end of bag {bag.number}'s infusion "
                 f"({bag.infusion_ended.local().strftime('%H:%M:%S')}).", field="ended_at")
    figures = flush_figures(d.state, bag.number, volume, _policy(d))
    _check_flush_per_kg(d, bag.number, figures)
    d.emit("flush_logged", bag=bag.number, volume_ml=volume, ended_at=ended.to_dict(),
           ml_per_kg=round(figures["ml_per_kg"], 3),
           total_ml_per_kg=round(figures["total_ml_per_kg"], 3),
           infused_ml_per_kg=round(figures["infused_ml_per_kg"], 3),
           threshold_ml_per_kg=figures["threshold_ml_per_kg"])
    d.emit("bag_completed", bag=bag.number)


def _acknowledge_post_infusion(d: Decision) -> None:
    attested = d.require_attested("post_infusion", d.args.get("attest"))
    d.emit("post_infusion_acknowledged", attested=attested,
           after_stop=d.state.outcome == "stopped")
    if d.state.outcome is None:  # after a stop the procedure stays stopped
        d.emit("procedure_completed")


def _stop_procedure(d: Decision) -> None:
    if d.state.outcome is not None:
        d.refuse("procedure", "The procedure has already ended.")
    reason = str(d.args.get("reason") or "").strip()
    if not reason:
        d.refuse("procedure", "Ending the procedure needs a reason.")
    d.emit("procedure_stopped", reason=reason, rule=None)


def _acknowledge_alarm(d: Decision) -> None:
    alarm = str(d.args.get("alarm") or "").strip()
    if not alarm:
        d.refuse("procedure", "Which alarm is acknowledged?")
    d.emit("alarm_acknowledged", alarm=alarm, bag=d.args.get("bag"),
           **({"screen": d.args["screen"]} if d.args.get("screen") else {}))


def _silence_alarm(d: Decision) -> None:
    # The sound only: the alarm stays on screen and sounds again when the silence ends, until
    # acknowledged. Recorded so that the record shows who quietened what, when, and where.
    alarm = str(d.args.get("alarm") or "").strip()
    if not alarm:
        d.refuse("procedure", "Which alarm is silenced?")
    d.emit("alarm_silenced", alarm=alarm, seconds=float(d.args.get("seconds") or 0),
           bag=d.args.get("bag"), screen=d.args.get("screen"))


def _note_clock_change(d: Decision) -> None:
    d.emit("clock_change_noted", **dict(d.args))


ATTEST_TOLERANCE_S = 60  # a real time read off a wall clock is good to the minute


def _attest_time(d: Decision) -> None:
    """The nurse attests the real time (from a clock they trust), signed as a deviation: after
    a restart or a clock change the timeline is placed on it. Never earlier than the last
    trusted instant plus the monotonic time since: elapsed time never shrinks."""
    raw = d.args.get("real_time")
    try:
        real = datetime.fromisoformat(str(raw))
    except ValueError:
        real = None
    if real is None or real.tzinfo is None:
        d.refuse("clock", f"The real time {raw!r} is not a date and time with its UTC offset.",
                 field="real_time")
    low, high = d.state.timeline.wall(d.now)
    if (low - real).total_seconds() > ATTEST_TOLERANCE_S:
        d.refuse("clock", f"The real time attested ({_site_time(d, real)}) is earlier than the "
                 f"last trusted instant plus the time counted since ({_site_time(d, low)}): "
                 "elapsed time never shrinks. Check the clock you read.", field="real_time")
    d.past_limit("clock", None, max((real - low).total_seconds(), 0.0),
                 "The real time is attested after a restart or a clock change.")
    d.emit("time_attested", real_time=real.isoformat(), lower_bound=low.isoformat(),
           upper_estimate=None if high is None else high.isoformat())


PRETHAW_VERDICTS = ("found", "not_found", "not_checked")


def _note_prethaw_check(d: Decision) -> None:
    verdict = d.args.get("verdict")
    if verdict not in PRETHAW_VERDICTS:
        d.refuse("procedure", "A pre-thaw check is found, not found or not checked; "
                 f"not {verdict!r}.")
    bag = d.args.get("bag")
    if not isinstance(bag, int) or not 1 <= bag <= len(d.state.bags):
        d.refuse("procedure", f"There is no bag {bag!r} in this order.")
    d.emit("prethaw_checked", bag=bag, verdict=verdict, detail=str(d.args.get("detail") or ""))


# A take-over here from another workstation is not a note: it is `take_over`'s one event,
# `procedure_taken_over`, with its signed reason (engine/handover.py).
CUSTODY_NOTES = ("opened_offline", "reconciled", "conflict")


def _note_custody(d: Decision) -> None:
    """Custody on the hospital's server, as this procedure met it (sync/open_custody.py):
    opened without the server's answer (a signed reason: the nurse and a witness), claimed once
    the server answered again, or a conflict found then (the reconciliation alarm). One event
    each, `custody_<kind>`, for the record."""
    kind = d.args.get("kind")
    if kind not in CUSTODY_NOTES:
        d.refuse("procedure", f"'{kind}' is not a custody note; one of "
                 f"{', '.join(CUSTODY_NOTES)}.")
    reason = str(d.args.get("reason") or "").strip()
    if not reason:
        d.refuse("procedure", "Say why (recorded with the custody note).", field="reason")
    if kind == "opened_offline":
        meanings = {s.meaning for s in d.command.signatures}
        signers = {s.user for s in d.command.signatures}
        if "performed" not in meanings or "witnessed" not in meanings or len(signers) < 2:
            d.refuse("procedure", "Opening without the server's answer needs the nurse's and a "
                     "witness's signatures.")
    extra = {k: d.args[k] for k in ("cause", "last_known", "steps", "from_workstation",
                                     "to_workstation") if k in d.args}
    if d.command.witness:  # who witnessed, so that an import decides it again the same way
        extra["witness"] = d.command.witness
    d.emit(f"custody_{kind}", reason=reason, **extra)


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
    _check_flush_per_kg(d, bag.number, flush_figures(d.state, bag.number, volume, _policy(d)))
    d.emit("correction", event_id=event_id, bag=bag.number, reason=reason,
           changes={"volume_ml": volume}, previous={"volume_ml": bag.flush_ml})


HANDLERS: dict[str, Callable[[Decision], None]] = {
    "open": _open,
    "prepare_order": _prepare_order,
    "confirm_backup": _confirm_backup,
    "record_conditioning_end": _record_conditioning_end,
    "set_aside_ehr_values": _set_aside_ehr_values,
    "confirm_storage": _confirm_storage,
    "attest": _attest,
    "attest_instant_unknown": _attest_instant_unknown,
    "confirm_bag_storage": _confirm_bag_storage,
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
    "silence_alarm": _silence_alarm,
    "note_clock_change": _note_clock_change,
    "attest_time": _attest_time,
    "note_prethaw_check": _note_prethaw_check,
    "note_custody": _note_custody,
    "correct": _correct,
    "hand_over": handover.hand_over,
    "take_over": handover.take_over,
}


def decide(state: State, command: Command, now: Instant, profile: Profile,
           verifier: IdentityVerifier, custody: Custody | None = None) -> Decision:
    """The events `command` produces at `now`, or raise `Refusal` (nothing changes); the
    limits passed are settled by `Ruling.settle`, which the door runs after this.
    `custody` answers for the other procedures in the store (the product ledger)."""
    step = current_step(state, now, profile)
    zone = getattr(verifier, "zone", None)
    d = Decision(state, command, now, profile, custody or NoCustody(), step=step,
                 zone=zone if isinstance(zone, tzinfo) else None)
    if command.name not in COMMANDS:
        d.refuse("procedure", f"Unknown command {command.name!r}.")
    if not command.user:
        d.refuse("procedure", "Every step must name the user who does it.")
    if state.moved_out is not None and command.name != "take_over":
        d.refuse("procedure", handover.moved_refusal(state.moved_out), step=step.name)
    if command.name in PER_BAG_COMMANDS and state.active and state.current_bag() is not None:
        bag = d.bag_arg()  # another bag than the one being given: refused before anything else
        if command.name == "start_thaw":
            _no_second_thaw(d, bag)  # at any later step too, under its own rule
    if command.name in PER_BAG_COMMANDS and step.name == "identity":
        missing = [_label_text(role, bag) for role, stage, bag in labels_needed(state, step)
                   if not state.label_accepted(role, stage, bag)]
        d.refuse("identity", "Identity is not confirmed yet: still to scan "
                 + ", ".join(missing) + ".", step=step.name, missing=missing)
    if command.name not in allowed_at(step.name):
        where = f"{step.name} (bag {step.bag})" if step.bag else step.name
        d.refuse("procedure", f"'{command.name}' is not possible now: the procedure is at "
                 f"{where}.", step=step.name)
    if command.name == "scan":
        _scan(d, verifier)
    else:
        HANDLERS[command.name](d)
    return d  # the door settles the deviations (Ruling.settle)


def _label_text(role: str, bag: int | None) -> str:
    if role == "wristband":
        return "the patient's wristband"
    if role == "shipper":
        return "the shipper label"
    if role == "cassette":
        return f"the cassette of bag {bag}"
    return f"the label of bag {bag} (out of its cassette)"


def _timing(span: Span) -> dict[str, Any]:
    """What the record says of a span that crosses a restart: its bounds (none when exact)."""
    if span.exact:
        return {}
    return {"timing": {"low_s": round(span.low, 3),
                       "high_s": None if span.high is None else round(span.high, 3)}}


def _mmss(seconds: float) -> str:
    """Minutes and seconds in words ("6 min 35 s": "6:35.5" read as a time of day or as hours;
    issue 25, item 14), to the tenth of a second when not whole: a limit passed by a fraction
    must not read as equal to it ("5 min 00.4 s, longer than 5 min 00 s")."""
    tenths_total = math.ceil(round(seconds * 10, 6))  # up: a limit passed shows as passed
    whole, tenths = divmod(tenths_total, 10)
    fraction = f".{tenths}" if tenths else ""
    return f"{whole // 60} min {whole % 60:02d}{fraction} s"


def _hmm(seconds: float) -> str:
    """Hours and minutes (and seconds when not whole minutes): '2 h 35 min'."""
    whole = int(seconds)
    h, rest = divmod(whole, 3600)
    m, sec = divmod(rest, 60)
    parts = [f"{h} h"] if h else []
    parts.append(f"{m} min")
    if sec:
        parts.append(f"{sec} s")
    return " ".join(parts)
