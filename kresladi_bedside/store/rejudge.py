"""An imported procedure judged again by the engine's table, event by event (issue 26, item 4).

Why: replaying an import by folding (`Procedure.rebuild`) accepts whatever the file says happened:
events after `procedure_completed`, a thaw with no identity scan, a bag infused twice all folded
without a complaint. Here each command's events are put back at the step the procedure had
reached just before them (the engine's own `current_step` on the state folded so far, at the
events' own instant), and the command that makes them must be one the engine's table allows at
that step (`engine.table.transition`), exactly as `decide` refuses it live. The log holds events,
not commands: the events of one command share one instant (`Procedure._event`), so the first
event of each group names the command (`COMMAND_OF`); the events that only ever follow another's
(a bag completed after its flush, a deviation beside the step it excuses) are judged with it.

What this does not redo: the checks inside a handler that depend on more than the step (a scan
judged against the order, a time limit): the events record the decision the other workstation's
engine made, and the file's signature (store/signing.py) says which workstation that was.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..engine.model import Event
from ..engine.state import State, evolve
from ..engine.steps import current_step
from ..engine.table import transition
from ..profile import Profile

# The command whose decision leads with this event type.
COMMAND_OF: dict[str, str] = {
    "procedure_opened": "open",
    "order_prepared": "prepare_order",
    "backup_confirmed": "confirm_backup",
    "conditioning_end_recorded": "record_conditioning_end",
    "storage_confirmed": "confirm_storage",
    "attested": "attest",
    "label_accepted": "scan",
    "bag_inspected": "inspect_bag",
    "thaw_started": "start_thaw",
    "thaw_completed": "complete_thaw",
    "line_checked": "check_line",
    "infusion_started": "start_infusion",
    "infusion_ended": "end_infusion",
    "flush_logged": "log_flush",
    "post_infusion_acknowledged": "acknowledge_post_infusion",
    "hard_stop": "stop_procedure",
    "procedure_stopped": "stop_procedure",
    "alarm_acknowledged": "acknowledge_alarm",
    "alarm_silenced": "silence_alarm",
    "clock_change_noted": "note_clock_change",
    "correction": "correct",
    "command_rejected": "acknowledge_alarm",  # a refusal is logged at any open step
}
# Only ever written beside (after) another event of the same command.
FOLLOWERS: frozenset[str] = frozenset({"bag_completed", "procedure_completed",
                                       "deviation_recorded"})
# A stop is decided inside many commands (a mismatching scan, an expired bag): it is judged as
# that command was, at any open step where the procedure can still stop.
STOPS: frozenset[str] = frozenset({"hard_stop", "procedure_stopped"})


# A bag's own order of work: what must have happened to that bag (BagState field, set) and what
# must not have happened yet (unset) before this event. The table judges the procedure's step;
# this judges the bag the event names (a thaw completed that never started, a bag infused twice).
BAG_ORDER: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bag_inspected": ((), ("inspected_at",)),
    "thaw_started": (("inspected_at",), ("thaw_started",)),
    "thaw_completed": (("thaw_started",), ("thaw_completed",)),
    "line_checked": (("thaw_completed",), ("line_checked",)),
    "infusion_started": (("line_checked",), ("infusion_started",)),
    "infusion_ended": (("infusion_started",), ("infusion_ended",)),
    "flush_logged": (("infusion_ended",), ("flush_ml",)),
    "bag_completed": (("infusion_ended",), ("done_at",)),
}


class Misjudged(ValueError):
    """An event the engine would not have made at the step the procedure had reached."""


def _groups(events: Sequence[Event]) -> list[list[Event]]:
    groups: list[list[Event]] = []
    for event in events:
        if groups and groups[-1][0].at == event.at and event.type != "procedure_opened":
            groups[-1].append(event)
        else:
            groups.append([event])
    return groups


def rejudge(events: Sequence[Event], profile: Profile) -> None:
    """Raise Misjudged naming the first event the engine's table refuses where it stands."""
    state = State()
    for group in _groups(events):
        leads = [e for e in group if e.type not in FOLLOWERS]
        if not leads:
            raise Misjudged(f"seq {_seq(events, group[0])}: {group[0].type} without the step "
                            "that makes it")
        lead = leads[0]
        if lead.type == "procedure_opened" and state.procedure_id is not None:
            raise Misjudged(f"seq {_seq(events, lead)}: the procedure is opened a second time")
        step = current_step(state, lead.at, profile).name
        command = COMMAND_OF.get(lead.type)
        if command is None:
            raise Misjudged(f"seq {_seq(events, lead)}: {lead.type!r} is not a procedure event")
        allowed = transition(command, step) is not None
        if lead.type in STOPS:
            allowed = transition("stop_procedure", step) is not None
        if not allowed:
            raise Misjudged(f"seq {_seq(events, lead)}: {lead.type} at the step "
                            f"'{step}', where the engine does not allow '{command}'")
        for event in group:
            _bag_in_order(state, event, _seq(events, event))
            state = evolve(state, event)


def _bag_in_order(state: State, event: Event, seq: int) -> None:
    rule = BAG_ORDER.get(event.type)
    if rule is None:
        return
    number = event.data.get("bag") if isinstance(event.data, dict) else None
    bag = next((b for b in state.bags if b.number == number), None)
    if bag is None:
        raise Misjudged(f"seq {seq}: {event.type} names bag {number!r}, which the order does "
                        "not hold")
    before, not_yet = rule
    missing = [f for f in before if getattr(bag, f) is None]
    again = [f for f in not_yet if getattr(bag, f) is not None]
    if missing or again:
        what = (f"before its {missing[0].replace('_', ' ')}" if missing
                else f"a second time ({again[0].replace('_', ' ')} already recorded)")
        raise Misjudged(f"seq {seq}: {event.type} for bag {number} {what}")


def _seq(events: Sequence[Event], event: Event) -> int:
    return next(i for i, e in enumerate(events, start=1) if e is event)
