"""What a stopped procedure gave, in words a nurse reads on the page and the record prints.

A stop after a bag was infused is not "do not give this product": the child received part of the
dose. The page and the record say exactly what was given and what was not; the post-infusion
instructions still apply (shown, acknowledged, printed); and, when conditioning was recorded,
the back-up collection's rescue use (§2.2) is named. Pure: the window and the record call it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..clock import Instant
from ..config import ClinicalConfig
from ..profile import Profile
from .state import BagState, State

# Hard stops about the product itself: every bag of that procedure is out of custody for good
# (the ledger) and the manufacturer is called. An identity mismatch found on the wristband is
# about the patient, not the product.
PRODUCT_STOP_RULES: frozenset[str] = frozenset(
    {"integrity", "expiry", "storage", "identity", "bag_not_on_sheet"})


def hard_stop_subject(rule: str | None, details: Mapping[str, Any] | None) -> str:
    """'product', 'patient' or 'other': what a hard stop was found in."""
    if rule not in PRODUCT_STOP_RULES:
        return "other"
    if rule == "identity":
        details = details or {}
        scan = details.get("scan")
        kind = (scan.get("kind") if isinstance(scan, Mapping) else None) or str(
            details.get("label", ""))
        if str(kind).startswith("wristband"):
            return "patient"
    return "product"


def bag_given_text(bag: BagState, lot: str | None = None) -> str:
    lot_text = f" (lot {lot})" if lot else ""
    if bag.infusion_ended is not None:
        ml = "" if bag.flush_ml is None else f", flushed with {bag.flush_ml:g} mL saline"
        return f"Bag {bag.number}{lot_text}: GIVEN — entire contents infused{ml}."
    if bag.infusion_started is not None:
        return (f"Bag {bag.number}{lot_text}: PARTLY GIVEN — the infusion was started and not "
                "recorded as complete.")
    if bag.thaw_started is not None:
        return (f"Bag {bag.number}{lot_text}: NOT GIVEN — thawed, never to be refrozen or "
                "given later.")
    if bag.intact is False:
        return f"Bag {bag.number}{lot_text}: NOT GIVEN — found compromised."
    return f"Bag {bag.number}{lot_text}: NOT GIVEN."


def any_given(state: State) -> bool:
    return any(b.infusion_started is not None for b in state.bags)


def post_infusion_due(state: State) -> bool:
    """The post-infusion instructions apply (a bag was infused) and are not yet acknowledged."""
    return any_given(state) and state.post_infusion_acknowledged is None


@dataclass(frozen=True)
class StopSummary:
    title: str
    given: tuple[str, ...]  # one line per bag
    post_infusion_due: bool
    post_infusion_acknowledged: Instant | None
    backup: str | None  # the back-up collection's rescue use, when conditioning was recorded
    backup_citation: str | None
    call_manufacturer: bool  # the stop was found in the product (not the patient, not a choice)


def stop_summary(state: State, profile: Profile) -> StopSummary:
    lots = {b.number: b.lot for b in state.order.bags} if state.order else {}
    given = tuple(bag_given_text(b, lots.get(b.number)) for b in state.bags)
    some = any_given(state)
    remaining = [b.number for b in state.bags if b.infusion_started is None]
    if some and remaining:
        title = (f"STOPPED after part of the dose — do not give bag"
                 f"{'s' if len(remaining) > 1 else ''} {', '.join(map(str, remaining))}")
    elif some:
        title = "STOPPED — every bag was given; see the record"
    else:
        title = "STOPPED — no KRESLADI was given; do not give this product"
    subject = hard_stop_subject(state.stop_rule, state.stop_details)
    backup = citation = None
    if state.conditioning_end is not None or state.conditioning_start is not None:
        cells = (f" ({state.backup_cd34_per_kg:,.0f} CD34+ cells/kg)"
                 if state.backup_cd34_per_kg is not None else "")
        rule = profile.rules.get("backup_rescue")
        citation = rule.citation if rule is not None else None
        if some:
            dose = "every bag was infused" if not remaining else "part of the dose was infused"
            backup = (f"Conditioning was given and {dose}: the back-up collection{cells} is "
                      "kept for rescue if engraftment fails or is lost.")
        elif subject == "product":  # §2.2: the product found compromised after conditioning
            backup = (f"KRESLADI was compromised after conditioning and before infusion: the "
                      f"back-up collection{cells} is for rescue treatment. Tell the transplant "
                      "physician now.")
        else:  # stopped by staff, or for the patient: nothing says the product is compromised
            why = f" ({state.stop_reason})" if state.stop_reason else ""
            backup = (f"Conditioning was given and no KRESLADI was infused: the procedure was "
                      f"stopped{why}. Tell the transplant physician now; the back-up "
                      f"collection{cells} remains available for rescue treatment.")
    if subject == "patient" and not some:
        title = ("STOPPED — the patient does not match this KRESLADI: do not give it to this "
                 "patient")
    return StopSummary(title, given, post_infusion_due(state), state.post_infusion_acknowledged,
                       backup, citation, subject == "product")


def site_policy(state: State) -> ClinicalConfig:
    """The site policy the procedure opened under (defaults for a log without one)."""
    known = ClinicalConfig.__dataclass_fields__
    return ClinicalConfig(**{k: float(v) for k, v in state.policy.items() if k in known})


def flush_figures(state: State, bag: int, volume_ml: float,
                  policy: ClinicalConfig | None = None) -> dict[str, float]:
    """A flush in mL and mL/kg, this bag's and the procedure's total with it, against the
    site's threshold: what the engine checks, the flush page shows as the nurse types and the
    record prints."""
    policy = policy or site_policy(state)
    order = state.order
    assert order is not None
    weight = order.weight_kg
    others = sum(b.flush_ml or 0.0 for b in state.bags if b.number != bag)
    total = others + volume_ml
    # Every bag infused so far (this one included), its tubing's priming, and the flushes: the
    # volume that reached the child (§2.3).
    given = [b for b in state.bags if b.number == bag or b.infusion_ended is not None]
    bags_ml = sum(order.bag(b.number).volume_ml or 0.0 for b in given)
    priming = sum(policy.priming_volume_ml if b.priming_ml is None else b.priming_ml
                  for b in given)
    infused = bags_ml + priming + total
    return {"volume_ml": volume_ml, "ml_per_kg": volume_ml / weight, "total_ml": total,
            "total_ml_per_kg": total / weight, "weight_kg": weight,
            "bags_ml": bags_ml, "priming_ml": priming, "infused_ml": infused,
            "infused_ml_per_kg": infused / weight,
            "threshold_ml_per_kg": policy.flush_warn_ml_per_kg,
            "max_ml_per_bag": policy.flush_max_ml_per_bag}


def flush_text(state: State, bag: int, volume_ml: float) -> str:
    """The flush page's line, updated as the nurse types."""
    f = flush_figures(state, bag, volume_ml)
    text = (f"Bag {bag}: {f['volume_ml']:g} mL = {f['ml_per_kg']:.2f} mL/kg. All flushes: "
            f"{f['total_ml']:g} mL = {f['total_ml_per_kg']:.2f} mL/kg at {f['weight_kg']:g} kg. "
            f"Volume infused (bags {f['bags_ml']:g} + priming {f['priming_ml']:g} + flushes): "
            f"{f['infused_ml']:g} mL = {f['infused_ml_per_kg']:.2f} mL/kg. "
            f"Site threshold {f['threshold_ml_per_kg']:g} mL/kg; at most "
            f"{f['max_ml_per_bag']:g} mL per bag.")
    if f["volume_ml"] > f["max_ml_per_bag"]:
        text += " ABOVE THE MAXIMUM PER BAG: check the volume."
    elif f["infused_ml_per_kg"] > f["threshold_ml_per_kg"]:
        text += " ABOVE THE SITE THRESHOLD: logging it needs a deviation with a reason."
    return text
