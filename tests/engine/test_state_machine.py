"""Random commands and clock advances against the engine, with the invariants that matter, and
the engine held to its own table (engine/table.py): an accepted command lands in a step its row
`leads_to`, and every refusal names a rule listed for its command."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from kresladi_bedside.engine import Command, Deviation
from kresladi_bedside.engine.events import event_problems
from kresladi_bedside.engine.state import fold
from kresladi_bedside.engine.table import rules_for, transition

from .driver import DINS, LINE_OK, NURSE, PATIENT, POST_OK, Driver, order_dict, scan

BAGS = st.sampled_from([1, 2, 3])
ADVANCES = st.sampled_from([1, 30, 59, 60, 239, 240, 299, 300, 301, 900, 1799, 1800, 1801,
                            3599, 3600, 3601, 7199, 7200, 7201, 86400])
SCANS = st.sampled_from([
    scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]),
    scan("wristband", mrn=PATIENT["mrn"], dob=PATIENT["dob"]),
    scan("wristband", mrn="MRN0000000", dob=PATIENT["dob"]),
    scan("shipper", mrn=PATIENT["mrn"], coi=PATIENT["coi"]),
    scan("cassette", din=DINS[0], coi=PATIENT["coi"]),
    scan("cassette", din=DINS[1], coi=PATIENT["coi"]),
    scan("bag", din=DINS[0], coi=PATIENT["coi"]),
    scan("bag", din=DINS[1], coi=PATIENT["coi"]),
    scan("bag", din=DINS[1], coi="CH0000000000"),
    scan("bag", din="W999926999999", coi=PATIENT["coi"]),
    scan("bag", "typed", din=DINS[0]),
])


def _args(name: str, bag: int, good: bool) -> dict[str, Any]:
    match name:
        case "prepare_order":
            return {"order": order_dict() if good else order_dict(bags=1, dose=(2e6,))}
        case "confirm_backup":
            return {"available": good, "cd34_per_kg": 3e6,
                    "confirmed_at": "2026-02-20T06:00:00+00:00"}
        case "record_conditioning_end":
            return {"at": "2026-03-01T06:00:00+00:00" if good else "2026-03-02T12:30:00+00:00",
                    "conditioning_start": "2026-02-25T06:00:00+00:00"}
        case "confirm_storage":
            return {"temperature_c": -170 if good else -100,
                    "stored_at": "2026-02-19T06:00:00+00:00"}
        case "attest":
            return {"items": {"hsct_appropriate": True, "ustekinumab": "given"} if good else
                    {"ustekinumab": "perhaps"}}
        case "confirm_bag_storage":
            return {"bag": bag, "kept_frozen": good}
        case "inspect_bag":
            return {"bag": bag, "intact": good}
        case "start_thaw":
            return {"bag": bag, "method": "dry", "attest": {"sterile_overbag": good}}
        case "complete_thaw":
            return {"bag": bag, "attest": {"no_visible_ice": True}}
        case "check_line":
            return {"bag": bag, "items": LINE_OK if good else {**LINE_OK, "no_pump": False}}
        case "end_infusion":
            return {"bag": bag, "attest": {"entire_contents": True}}
        case "log_flush":
            return {"bag": bag, "volume_ml": 4.0 if good else 0}
        case "acknowledge_post_infusion":
            return {"attest": POST_OK}
        case "stop_procedure":
            return {"reason": "family withdrew consent" if good else ""}
        case "acknowledge_alarm":
            return {"alarm": "thaw:1"}
        case "correct":
            return {"event_id": "not-a-flush", "reason": "typo" if good else "",
                    "changes": {"volume_ml": 3.0}}
    return {"bag": bag}


COMMAND_NAMES = st.sampled_from([
    "prepare_order", "confirm_backup", "record_conditioning_end", "confirm_storage", "attest",
    "confirm_bag_storage", "inspect_bag", "start_thaw", "complete_thaw", "check_line",
    "start_infusion", "end_infusion",
    "log_flush", "acknowledge_post_infusion", "acknowledge_alarm", "stop_procedure", "correct",
    "no_such_command",
])
DEVIATIONS = st.sampled_from([None, None, Deviation("pharmacist agreed", NURSE),
                              Deviation("", NURSE), Deviation("reason", "")])


class ProcedureMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.d = Driver()
        self.d.ok("open")
        self.d.clock.set(self.d.clock.now().wall.replace(hour=13))

    def _handle(self, command: Command) -> None:
        before = self.d.proc.state
        step = self.d.proc.step()
        outcome = self.d.proc.handle(command)
        stopped = any(e.type == "hard_stop" for e in outcome.events)
        if outcome.rejection is not None:
            assert outcome.rejection.rule in rules_for(command.name), (
                f"{command.name} at {step.name} refused under {outcome.rejection.rule!r}, "
                f"not listed for it in engine/table.py")
        if outcome.rejection is not None and not stopped:
            assert self.d.proc.state == before, "a rejected command changed the state"
            assert [e.type for e in outcome.events] == ["command_rejected"]
        else:  # accepted, or a hard stop recorded: the procedure moved as its row says
            row = transition(command.name, step.name)
            assert row is not None, f"{command.name} accepted at {step.name}, not in the table"
            after = self.d.proc.step().name
            assert after in row.lands_in(step.name), (
                f"{command.name} at {step.name} led to {after}, not one of "
                f"{row.lands_in(step.name)}")

    @rule(seconds=ADVANCES)
    def time_passes(self, seconds: int) -> None:
        self.d.advance(seconds)

    @rule(name=COMMAND_NAMES, bag=BAGS, good=st.booleans(), deviation=DEVIATIONS)
    def nurse_does_something(self, name: str, bag: int, good: bool,
                             deviation: Deviation | None) -> None:
        self._handle(Command(name, _args(name, bag, good), NURSE, deviation))

    @rule(label=SCANS)
    def nurse_scans(self, label: Any) -> None:
        self._handle(Command("scan", {"scan": label.to_dict()}, NURSE))

    @rule(deviation=DEVIATIONS)
    def nurse_does_the_next_right_thing(self, deviation: Deviation | None) -> None:
        step = self.d.proc.step()
        bag = step.bag or 1
        wanted = {
            "order": ["prepare_order"], "inspect": ["inspect_bag"],
            "between_bags": ["inspect_bag"], "line_checks": ["check_line"],
            "flush": ["log_flush"], "post_infusion": ["acknowledge_post_infusion"],
            "gates": ["confirm_backup", "record_conditioning_end", "confirm_storage", "attest"],
            "thaw": ["start_thaw", "complete_thaw"], "infusion": ["start_infusion",
                                                                   "end_infusion"],
        }.get(step.name, [])
        if step.name == "identity" and step.bag is not None:  # a later bag, at its own turn
            wanted = ["confirm_bag_storage"]
        for name in wanted:
            self._handle(Command(name, _args(name, bag, True), NURSE, deviation))
        if step.name in ("identity", "bedside_identity"):
            for label in (scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]),
                          scan("shipper", mrn=PATIENT["mrn"], coi=PATIENT["coi"]),
                          scan("cassette", din=DINS[bag - 1], coi=PATIENT["coi"]),
                          scan("bag", din=DINS[bag - 1], coi=PATIENT["coi"]),
                          scan("cassette", din=DINS[1], coi=PATIENT["coi"]),
                          scan("bag", din=DINS[1], coi=PATIENT["coi"])):
                self._handle(Command("scan", {"scan": label.to_dict()}, NURSE))

    # ---------------------------------------------------------------------------- invariants
    @invariant()
    def no_infusion_without_identity_confirmed_twice(self) -> None:
        state = self.d.proc.state
        for bag in state.bags:
            if bag.infusion_started is not None:
                assert state.identity_confirmed_twice(bag.number), bag

    @invariant()
    def never_two_bags_thawed_at_once(self) -> None:
        thawed_not_done = [b for b in self.d.proc.state.bags
                           if b.thaw_started is not None and b.done_at is None]
        assert len(thawed_not_done) <= 1

    @invariant()
    def a_later_bag_is_thawed_only_after_the_earlier_is_done(self) -> None:
        bags = self.d.proc.state.bags
        for earlier, later in pairwise(bags):
            if later.thaw_started is not None:
                assert earlier.done_at is not None

    @invariant()
    def every_deviation_carries_a_reason_and_a_user(self) -> None:
        for dev in self.d.proc.state.deviations:
            assert dev.reason.strip() and dev.signed_by
        for event in self.d.proc.events:
            assert event.user

    @invariant()
    def every_event_matches_the_event_table(self) -> None:
        for event in self.d.proc.events:
            assert event_problems(event) == [], event

    @invariant()
    def rebuilt_state_equals_live_state(self) -> None:
        assert fold(self.d.proc.events) == self.d.proc.state


ProcedureMachine.TestCase.settings = settings(
    max_examples=150, stateful_step_count=60, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestProcedureMachine = ProcedureMachine.TestCase


def test_random_runs_reach_the_steps_the_invariants_are_about() -> None:
    """Invariants over runs that never got past the gates would prove nothing: check that the
    random walks infuse bags, reach the second bag and sign deviations."""
    seen: Counter[str] = Counter()

    class Counting(ProcedureMachine):
        def teardown(self) -> None:
            state = self.d.proc.state
            seen["infused"] += any(b.infusion_started for b in state.bags)
            seen["second bag infused"] += len(state.bags) > 1 and bool(
                state.bags[1].infusion_started)
            seen["deviation"] += bool(state.deviations)
            seen["stopped"] += state.outcome == "stopped"

    run_state_machine_as_test(Counting, settings=settings(
        max_examples=120, stateful_step_count=60, deadline=None, derandomize=True,
        database=None, suppress_health_check=[HealthCheck.too_slow]))
    assert all(seen[k] > 0 for k in ("infused", "second bag infused", "deviation", "stopped")), seen
