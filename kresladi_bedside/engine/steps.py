"""Where the procedure is: derived from the state (and, between bags, the time), never stored."""

from __future__ import annotations

from dataclasses import dataclass

from ..clock import Instant
from ..profile import Profile
from .state import State


@dataclass(frozen=True)
class Step:
    name: str
    bag: int | None = None  # the bag this step is about, for per-bag steps


# The instants the conditioning-order rule (§2.2) needs (State fields), each recorded or
# attested unknown, as the nurse reads them.
ORDER_INSTANTS: dict[str, str] = {
    "conditioning_start": "when conditioning began",
    "stored_at": "when KRESLADI was received and stored",
    "backup_confirmed_at": "when the back-up collection was confirmed available",
}


def order_instants_missing(state: State) -> list[str]:
    """The conditioning-order instants neither recorded (typed or carried from the receipt)
    nor attested unknown: the gates stay open until there are none."""
    return [name for name in ORDER_INSTANTS
            if getattr(state, name) is None and name not in state.unknown_instants]


def gates_done(state: State, profile: Profile) -> bool:
    return (
        # a label is accepted only past the gates: a procedure recorded before the instants
        # were required (an older log, reopened mid-thaw after an update) never falls back to
        # the gates page; every new one passes them with each instant accounted for
        (not order_instants_missing(state) or bool(state.labels))
        and state.backup_cd34_per_kg is not None
        and state.conditioning_end is not None
        and state.storage_celsius is not None
        and all(i.id in state.attested for i in profile.attestations_for("gates"))
    )


def interbag_wait_s(state: State, number: int, now: Instant, profile: Profile) -> float | None:
    """How long until the thaw of bag `number` may start (<= 0: it may): 1 h after the previous
    bag was administered completely (the end of its flush), on the timeline's lower bound."""
    previous = state.previous_bag(number)
    done = None if previous is None else state.administered_at(previous.number)
    if done is None:
        return None
    gone = state.timeline.span(done, now).low
    return float(profile.rule("interbag_window")["min_seconds"]) - gone


def current_step(state: State, now: Instant, profile: Profile) -> Step:
    if state.procedure_id is None:
        return Step("new")
    if state.outcome is not None:
        if (state.outcome == "stopped" and state.post_infusion_acknowledged is None
                and any(b.infusion_started is not None for b in state.bags)):
            # Stopped after a bag was given: the post-infusion instructions still apply.
            return Step("post_infusion")
        return Step(state.outcome)
    if state.moved_out is not None:
        return Step("moved")  # handed over to another workstation: nothing more here
    if state.order is None:
        return Step("order")
    if not gates_done(state, profile):
        return Step("gates")
    if not state.initial_identity_confirmed():
        return Step("identity")
    bag = state.current_bag()
    if bag is None:
        return Step("post_infusion")
    n = bag.number
    if bag.inspected_at is None:
        wait = interbag_wait_s(state, n, now, profile)
        if wait is not None and wait > 0:
            return Step("between_bags", n)
        if not state.bag_released(n):
            # out of its cassette only now, at its own thaw (its label is refused until its
            # storage until now is confirmed: released implies confirmed)
            return Step("identity", n)
        return Step("inspect", n)
    if bag.thaw_completed is None:
        return Step("thaw", n)
    if not state.bedside_identity_confirmed(n):
        return Step("bedside_identity", n)
    if bag.line_checked is None:
        return Step("line_checks", n)
    if bag.infusion_ended is None:
        return Step("infusion", n)
    return Step("flush", n)


def labels_needed(state: State, step: Step) -> list[tuple[str, str, int | None]]:
    """The labels a scan step waits for, as (role, stage, bag): the first identity step takes
    the wristband, the shipper, every cassette and bag 1 (a later bag stays in liquid nitrogen
    in its cassette); a later bag's label is matched to its cassette at its own thaw; at the
    bedside, the wristband and the bag being given."""
    if step.name == "bedside_identity" and step.bag is not None:
        return [("wristband", "bedside", step.bag), ("bag", "bedside", step.bag)]
    if step.name != "identity" or state.order is None:
        return []
    if step.bag is not None:
        return [("bag", "initial", step.bag)]
    out: list[tuple[str, str, int | None]] = [("wristband", "initial", None),
                                              ("shipper", "initial", None)]
    out += [("cassette", "initial", b.number) for b in state.order.bags]
    out.append(("bag", "initial", 1))
    return out
