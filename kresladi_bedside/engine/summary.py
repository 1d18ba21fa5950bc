"""What a stopped procedure gave, in words a nurse reads on the page and the record prints.

A stop after a bag was infused is not "do not give this product": the child received part of the
dose. The page and the record say exactly what was given and what was not; the post-infusion
instructions still apply (shown, acknowledged, printed); and, when conditioning was recorded,
the back-up collection's rescue use (§2.2) is named. Pure: the window and the record call it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..clock import Instant
from ..profile import Profile
from .state import BagState, State


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
    backup = citation = None
    if state.conditioning_end is not None or state.conditioning_start is not None:
        cells = (f" ({state.backup_cd34_per_kg:,.0f} CD34+ cells/kg)"
                 if state.backup_cd34_per_kg is not None else "")
        rule = profile.rules.get("backup_rescue")
        citation = rule.citation if rule is not None else None
        if some:
            backup = (f"Conditioning was given and part of the dose was infused: the back-up "
                      f"collection{cells} is kept for rescue if engraftment fails or is lost.")
        else:
            backup = (f"KRESLADI was compromised after conditioning and before infusion: the "
                      f"back-up collection{cells} is for rescue treatment. Tell the transplant "
                      "physician now.")
    return StopSummary(title, given, post_infusion_due(state), state.post_infusion_acknowledged,
                       backup, citation)
