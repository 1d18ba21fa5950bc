"""Every rule of the profile at its boundaries (the issue's list), through the engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from kresladi_bedside.engine import Deviation
from kresladi_bedside.engine.state import fold

from .driver import DINS, LINE_OK, POST_OK, START, Driver, order_dict, rejection

SIGNED = Deviation("thaw bath slow; pharmacist informed", "u-nurse")


def thawing(extra_s: float = 0) -> Driver:
    d = Driver().ready_to_thaw()
    d.ok("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    d.advance(extra_s)
    return d


# ----------------------------------------------------------------------------- thaw ≤ 5:00
def test_thaw_of_exactly_five_minutes_is_accepted() -> None:
    d = thawing(300)
    d.ok("complete_thaw", bag=1, attest={"no_visible_ice": True})
    assert d.step == "bedside_identity"
    assert not d.proc.state.deviations


def test_thaw_of_five_minutes_one_second_needs_a_signed_deviation() -> None:
    d = thawing(301)
    r = rejection(d.do("complete_thaw", bag=1, attest={"no_visible_ice": True}))
    assert (r["kind"], r["rule"]) == ("deviation_required", "thaw_time")
    assert "took 5 min 01 s" in r["reason"] and "§2.2" in r["citation"]
    assert d.step == "thaw"
    out = d.ok("complete_thaw", SIGNED, bag=1, attest={"no_visible_ice": True})
    assert [e.type for e in out.events] == ["deviation_recorded", "thaw_completed"]
    [dev] = d.proc.state.deviations
    assert (dev.rule, dev.bag, dev.reason, dev.signed_by) == ("thaw_time", 1, SIGNED.reason,
                                                              "u-nurse")


def test_a_deviation_without_reason_or_signer_is_refused() -> None:
    d = thawing(400)
    for bad in (Deviation("  ", "u-nurse"), Deviation("slow bath", "")):
        r = rejection(d.do("complete_thaw", bad, bag=1, attest={"no_visible_ice": True}))
        assert r["kind"] == "deviation_required"
    assert d.step == "thaw"


# ------------------------------------------------------------- thaw start → infusion end ≤ 30:00
def infusing(thaw_s: float = 240) -> Driver:
    d = Driver().ready_to_thaw()
    d.line_checked(method="dry", thaw_s=thaw_s)
    d.ok("start_infusion", bag=1)
    return d


def test_infusion_ending_thirty_minutes_after_thaw_start_is_accepted() -> None:
    d = infusing()
    d.advance(1800 - 240)
    out = d.ok("end_infusion", bag=1, attest={"entire_contents": True})
    assert out.events[-1].data["thaw_to_end_s"] == 1800


def test_infusion_ending_at_thirty_minutes_one_second_needs_a_deviation() -> None:
    d = infusing()
    d.advance(1801 - 240)
    r = rejection(d.do("end_infusion", bag=1, attest={"entire_contents": True}))
    assert (r["kind"], r["rule"]) == ("deviation_required", "infusion_window")
    assert d.step == "infusion"
    d.ok("end_infusion", SIGNED, bag=1, attest={"entire_contents": True})
    assert d.step == "flush"


# --------------------------------------------------------------------- between bags: 1–2 h
def after_bag_one() -> Driver:
    return Driver().open().order().gates().identity().give_bag(1)


@pytest.mark.parametrize(("gap_s", "kind"), [(3599, "wait"), (3600, None)])
def test_second_bag_waits_one_hour_after_the_first(gap_s: int, kind: str | None) -> None:
    d = after_bag_one()
    assert d.step == "between_bags"
    d.advance(gap_s)
    if kind is None:
        d.release(2)  # out of its cassette only now
        assert d.do("inspect_bag", bag=2, intact=True).accepted
    else:
        r = rejection(d.do("inspect_bag", bag=2, intact=True))
        assert (r["kind"], r["rule"]) == ("wait", "interbag_window")
        assert r["until"]["wall"] == (
            d.proc.state.bag(1).infusion_ended.plus(3600)).wall.isoformat(
            timespec="microseconds")


def test_window_opening_moves_the_step_from_waiting_to_inspection() -> None:
    d = after_bag_one()
    d.advance(3599)
    assert d.step == "between_bags"
    d.advance(1)
    assert (d.step, d.proc.step().bag) == ("identity", 2)  # bag 2 out of its cassette now
    d.release(2)
    assert d.step == "inspect"


@pytest.mark.parametrize(("gap_s", "needs_deviation"), [(7200, False), (7201, True)])
def test_second_bag_thawed_after_two_hours_needs_a_deviation(gap_s: int,
                                                             needs_deviation: bool) -> None:
    d = after_bag_one()
    d.advance(3600)
    d.release(2)
    d.ok("inspect_bag", bag=2, intact=True)
    d.advance(gap_s - 3600)
    out = d.do("start_thaw", bag=2, method="water_bath", attest={"sterile_overbag": True})
    if needs_deviation:
        r = rejection(out)
        assert (r["kind"], r["rule"]) == ("deviation_required", "interbag_window")
    else:
        assert out.accepted


# --------------------------------------------------------------- 24–48 h after conditioning
@pytest.mark.parametrize(("hours_ago", "expected"), [
    (24 - 1 / 3600, "wait"), (24, None), (48, None), (48 + 1 / 3600, "deviation_required"),
])
def test_conditioning_window_at_thaw(hours_ago: float, expected: str | None) -> None:
    d = Driver().open().order()
    now = d.clock.now().wall
    d.ok("confirm_backup", available=True, cd34_per_kg=3e6,
         confirmed_at=(now - timedelta(days=9)).isoformat())
    end = now - timedelta(seconds=round(hours_ago * 3600))
    d.ok("record_conditioning_end", at=end.isoformat(),
         conditioning_start=(end - timedelta(days=4)).isoformat())
    d.ok("confirm_storage", temperature_c=-160, stored_at=(now - timedelta(days=10)).isoformat())
    d.ok("attest", items={"hsct_appropriate": True, "ustekinumab": "given"})
    d.identity()
    d.ok("inspect_bag", bag=1, intact=True)
    out = d.do("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    if expected is None:
        assert out.accepted
    else:
        r = rejection(out)
        assert (r["kind"], r["rule"]) == (expected, "conditioning_window")


def test_conditioning_wait_lifts_by_itself() -> None:
    d = Driver().open().order().gates(conditioning_hours_ago=23.5).identity()
    d.ok("inspect_bag", bag=1, intact=True)
    r = rejection(d.do("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True}))
    assert r["kind"] == "wait"
    d.advance(1800)
    d.ok("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True})


def test_infusion_started_past_48_hours_needs_a_deviation_unless_signed_at_thaw() -> None:
    d = Driver().open().order().gates(conditioning_hours_ago=48 - 100 / 3600).identity()
    d.ok("inspect_bag", bag=1, intact=True)
    d.line_checked(method="dry", thaw_s=200)
    r = rejection(d.do("start_infusion", bag=1))
    assert (r["kind"], r["rule"]) == ("deviation_required", "conditioning_window")
    d.ok("start_infusion", SIGNED, bag=1)


# ------------------------------------------------------------------------------ the order
@pytest.mark.parametrize(("dose", "accepted"), [
    ((1.4e6, 1.4e6 - 1), False), ((1.4e6, 1.4e6), True),
])
def test_minimum_dose_just_under_and_at(dose: tuple[float, float], accepted: bool) -> None:
    d = Driver().open()
    out = d.do("prepare_order", order=order_dict(dose=dose))
    assert out.accepted is accepted
    if not accepted:
        r = rejection(out)
        assert (r["kind"], r["rule"]) == ("hard_stop", "min_dose")
        assert d.step == "order"


def test_three_bags_are_refused_by_the_bag_count() -> None:
    d = Driver().open()
    order = order_dict(bags=3, dose=(1e6,), lots=("LOT-A", "LOT-B", "LOT-C"))
    r = rejection(d.do("prepare_order", order=order))
    assert (r["kind"], r["rule"]) == ("hard_stop", "bag_count")


def test_three_lots_are_refused_even_where_a_profile_allows_three_bags() -> None:
    # KRESLADI's 2-bag cap hides the lot rule; a profile allowing 3 bags shows it stands alone.
    profile = Driver().profile
    bag_count = profile.rule("bag_count")
    wider = replace(profile, rules={**profile.rules, "bag_count": replace(
        bag_count, params={**bag_count.params, "max": 3})})
    d = Driver(profile=wider).open()
    three_lots = order_dict(bags=3, dose=(1e6,), lots=("LOT-A", "LOT-B", "LOT-C"))
    r = rejection(d.do("prepare_order", order=three_lots))
    assert (r["kind"], r["rule"]) == ("hard_stop", "max_lots")
    assert "LOT-C" in r["reason"]
    two_lots = order_dict(bags=3, dose=(1e6,), lots=("LOT-A", "LOT-B"))
    assert d.do("prepare_order", order=two_lots).accepted


def test_bag_count_differing_from_the_sheet_is_a_hard_stop() -> None:
    d = Driver().open()
    r = rejection(d.do("prepare_order", order=order_dict(bags=1, dose=(3e6,), sheet=2)))
    assert (r["kind"], r["rule"]) == ("hard_stop", "bag_count")
    assert "2 bag(s)" in r["reason"] and "1 were received" in r["reason"]


def test_an_order_missing_a_field_names_it() -> None:
    d = Driver().open()
    order = order_dict()
    del order["patient"]["dob"]
    r = rejection(d.do("prepare_order", order=order))
    assert "dob" in r["reason"]


# --------------------------------------------------------------------------- product checks
def test_expired_bag_at_thaw_is_a_hard_stop_that_ends_the_procedure() -> None:
    d = Driver()
    d.clock.set(START)
    d.ready_to_thaw(expiry=START + timedelta(minutes=30))
    d.advance(31 * 60)
    out = d.do("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True})
    assert out.rejection is not None and out.rejection.kind == "hard_stop"
    assert out.rejection.rule == "expiry"
    assert [e.type for e in out.events] == ["hard_stop", "procedure_stopped"]
    assert "1-800-982-2410" in out.events[0].data["contact"]
    assert d.step == "stopped"
    assert d.proc.state.bag(1).thaw_started is None


def test_second_bag_thawed_while_the_first_infuses_is_refused() -> None:
    d = infusing()
    out = d.do("start_thaw", bag=2, method="dry", attest={"sterile_overbag": True})
    r = rejection(out)
    assert (r["kind"], r["rule"]) == ("hard_stop", "one_bag_at_a_time")
    assert d.proc.state.bag(2).thaw_started is None
    assert d.step == "infusion"


def test_compromised_bag_stops_the_procedure() -> None:
    d = Driver().open().order().gates().identity()
    out = d.do("inspect_bag", bag=1, intact=False, note="crack at port")
    assert out.rejection is not None and out.rejection.rule == "integrity"
    assert d.step == "stopped"
    assert d.proc.state.stop_rule == "integrity"


def test_backup_collection_below_two_million_per_kg_is_refused() -> None:
    d = Driver().open().order()
    assert rejection(d.do("confirm_backup", available=True, cd34_per_kg=1.99e6))["rule"] == \
        "backup_collection"
    assert rejection(d.do("confirm_backup", available=False, cd34_per_kg=3e6))["kind"] == \
        "hard_stop"
    assert d.ok("confirm_backup", available=True, cd34_per_kg=2e6)


@pytest.mark.parametrize(("temp", "accepted"), [(-150, True), (-149.9, False)])
def test_storage_at_or_below_minus_150(temp: float, accepted: bool) -> None:
    d = Driver().open().order()
    assert d.do("confirm_storage", temperature_c=temp).accepted is accepted


def test_each_line_check_is_required() -> None:
    d = Driver().ready_to_thaw()
    d.ok("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True})
    d.advance(100)
    d.ok("complete_thaw", bag=1, attest={"no_visible_ice": True})
    d.bedside(1)
    for item in LINE_OK:
        r = rejection(d.do("check_line", bag=1, items={**LINE_OK, item: False}))
        assert r["rule"] == "line" and r["details"]["instruction"] == item
    d.ok("check_line", bag=1, items=LINE_OK)


def test_attestations_are_required_where_the_profile_says() -> None:
    d = Driver().ready_to_thaw()
    r = rejection(d.do("start_thaw", bag=1, method="dry"))
    assert r["rule"] == "attestation" and "sterile plastic bag" in r["reason"]


def test_gates_attestation_values_come_from_the_profile() -> None:
    d = Driver().open().order()
    assert rejection(d.do("attest", items={"ustekinumab": "maybe"}))["rule"] == "attestation"
    assert d.do("attest", items={"ustekinumab": "given"}).accepted


@pytest.mark.parametrize("volume", [0, -1, 501, "5", True])
def test_flush_volume_must_be_a_plausible_number(volume: object) -> None:
    d = Driver().open().order().gates().identity()
    d.ok("inspect_bag", bag=1, intact=True)
    d.line_checked(method="dry", thaw_s=0)
    d.ok("start_infusion", bag=1)
    d.ok("end_infusion", bag=1, attest={"entire_contents": True})
    assert rejection(d.do("log_flush", bag=1, volume_ml=volume))["rule"] == "flush"


# ------------------------------------------------------------------------ identity, sequence
def test_infusion_needs_identity_confirmed_at_the_bedside() -> None:
    d = Driver().ready_to_thaw()
    d.ok("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True})
    d.ok("complete_thaw", bag=1, attest={"no_visible_ice": True})
    assert rejection(d.do("start_infusion", bag=1))["rule"] == "procedure"
    assert rejection(d.do("check_line", bag=1, items=LINE_OK))["rule"] == "procedure"


def test_identity_mismatch_is_a_hard_stop() -> None:
    d = Driver().open().order().gates()
    out = d.scan("wristband", mrn="MRN9999999", name="RIVERA^MATEO")
    assert out.rejection is not None and out.rejection.kind == "hard_stop"
    assert d.step == "stopped"


def test_a_bag_for_another_bag_number_at_the_bedside_is_refused() -> None:
    d = Driver().ready_to_thaw()
    d.ok("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True})
    d.ok("complete_thaw", bag=1, attest={"no_visible_ice": True})
    d.scan("wristband", mrn="MRN0042117", dob="2024-05-01")
    r = rejection(d.scan("bag", din=DINS[1], coi="CH1234567890"))
    assert r["rule"] == "one_bag_at_a_time"
    assert d.step == "bedside_identity"


def test_a_command_out_of_order_is_refused_with_the_step() -> None:
    d = Driver().open()
    r = rejection(d.do("start_infusion", bag=1))
    assert r["rule"] == "procedure" and r["citation"] == "" and "order" in r["reason"]


def test_a_command_without_a_user_is_refused() -> None:
    from kresladi_bedside.engine import Command

    d = Driver().open()
    out = d.proc.handle(Command("prepare_order", {"order": order_dict()}, user=""))
    assert rejection(out)["rule"] == "procedure"


def test_rejections_are_logged_but_change_nothing() -> None:
    d = Driver().open().order()
    before = d.proc.state
    out = d.do("confirm_storage", temperature_c=-20)
    assert [e.type for e in out.events] == ["command_rejected"]
    assert out.events[0].data["rejection"]["rule"] == "storage"
    assert d.proc.state == before


def test_a_complete_two_bag_procedure_rebuilds_from_its_events() -> None:
    d = Driver().complete()
    assert d.step == "complete"
    assert fold(d.proc.events) == d.proc.state
    assert [b.flush_ml for b in d.proc.state.bags] == [4.5, 4.5]


def test_a_flush_volume_correction_points_at_the_corrected_event() -> None:
    d = Driver().open().order().gates().identity().give_bag(1)
    flush = next(e for e in d.proc.events if e.type == "flush_logged")
    out = d.ok("correct", event_id=flush.id, reason="misread syringe",
               changes={"volume_ml": 5.0})
    assert out.events[0].data["event_id"] == flush.id
    assert out.events[0].data["previous"] == {"volume_ml": 4.5}
    assert d.proc.state.bag(1).flush_ml == 5.0
    assert rejection(d.do("correct", event_id="nope", reason="x",
                          changes={"volume_ml": 5.0}))["rule"] == "flush"


def test_post_infusion_needs_every_instruction_acknowledged() -> None:
    d = Driver().open().order().gates().identity().give_bag(1)
    d.advance(3600)
    d.give_bag(2)
    r = rejection(d.do("acknowledge_post_infusion",
                       attest={**POST_OK, "never_donate": False}))
    assert "never donate" in r["reason"]
    d.ok("acknowledge_post_infusion", attest=POST_OK)
    assert d.step == "complete"


# ----------------------------------------------------------------------------- no re-freeze
@pytest.mark.parametrize("then", ["at once", "after the thaw completed"])
def test_a_second_thaw_of_a_bag_is_refused_under_no_refreeze(then: str) -> None:
    d = thawing(60)
    if then != "at once":
        d.ok("complete_thaw", bag=1, attest={"no_visible_ice": True})
    events = len(d.proc.events)
    r = rejection(d.do("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True}))
    cited = d.profile.rules["no_refreeze"]
    assert r["rule"] == "no_refreeze" and r["citation"] == cited.citation
    assert "refreeze" in r["reason"] and "Do not re-freeze after thawing" in r["citation"]
    assert [e.type for e in d.proc.events[events:]] == ["command_rejected"]
