"""Issue 13's findings 3–8, each reproduced against the engine (they failed before the fix)."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from kresladi_bedside.engine import Deviation
from kresladi_bedside.engine.summary import flush_figures
from kresladi_bedside.profile import load_profile
from kresladi_bedside.training.sample import patient_order

from .driver import DINS, NURSE, PATIENT, Driver, order_dict, rejection

SIGNED = Deviation("documented at the bedside", NURSE)


# ------------------------------------------------------------------ 3: bag 2 stays frozen
def test_finding_3_first_identity_step_takes_bag_1_only_and_bag_2_stays_in_its_cassette() -> None:
    d = Driver().open().order().gates()
    assert d.scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]).accepted
    assert d.scan("shipper", mrn=PATIENT["mrn"], coi=PATIENT["coi"]).accepted
    for din in DINS:
        assert d.scan("cassette", din=din, coi=PATIENT["coi"]).accepted
    # Bag 2's bag label (out of its cassette) is refused now.
    r = rejection(d.scan("bag", din=DINS[1], coi=PATIENT["coi"]))
    assert r["rule"] == "second_bag_frozen" and "cassette" in r["reason"]
    assert "Maintain the second infusion bag" in r["citation"]
    assert d.scan("bag", din=DINS[0], coi=PATIENT["coi"]).accepted
    assert d.step == "inspect"  # bag 1 may be inspected without bag 2 leaving LN2


def test_finding_3_bag_2_is_matched_to_its_cassette_at_its_own_thaw_then_at_the_bedside() -> None:
    d = Driver().open().order().gates().identity().give_bag(1)
    d.advance(3600)
    assert (d.step, d.proc.step().bag) == ("identity", 2)
    # Not before its label is matched to its cassette: the refusal names the bag.
    r = rejection(d.do("inspect_bag", bag=2, intact=True))
    assert r["rule"] == "identity" and "bag 2" in r["reason"].lower()
    r = rejection(d.do("start_thaw", bag=2, method="water_bath",
                       attest={"sterile_overbag": True}))
    assert "bag 2" in r["reason"].lower() and "not possible now" not in r["reason"]
    d.release(2)
    assert d.step == "inspect"
    d.ok("inspect_bag", bag=2, intact=True)
    d.ok("start_thaw", bag=2, method="water_bath", attest={"sterile_overbag": True})
    d.advance(200)
    d.ok("complete_thaw", bag=2, attest={"no_visible_ice": True})
    assert d.step == "bedside_identity"  # and again at the bedside
    assert d.proc.state.identity_confirmed_twice(2) is False
    d.bedside(2)
    assert d.proc.state.identity_confirmed_twice(2)


# ------------------------------------------------------------------ 4: end of administration
def test_finding_4_wait_counts_from_the_end_of_the_flush_not_the_flush_click() -> None:
    """Issue 23 (7): bag 1 is administered completely at the end of its flush (§2.3 step 6),
    so the 1–2 h wait counts from the flush end the nurse entered, not from the end of the
    infusion nor from the moment the flush was logged."""
    d = Driver().open().order().gates().identity()
    d.ok("inspect_bag", bag=1, intact=True)
    d.line_checked()
    d.ok("start_infusion", bag=1)
    d.advance(420)
    d.ok("end_infusion", bag=1, attest={"entire_contents": True})
    assert d.step == "flush"
    assert not [c for c in d.proc.countdowns() if c.id == "interbag"]  # not administered yet
    d.advance(45 * 60)
    flush_end = d.clock.now().wall - timedelta(minutes=40)  # 5 min after the infusion
    d.ok("log_flush", bag=1, volume_ml=4.5, ended_at=flush_end.isoformat())
    assert d.proc.state.bag(1).flush_ended.wall == flush_end
    (wait,) = [c for c in d.proc.countdowns() if c.id == "interbag"]
    assert wait.bag == 2 and wait.opens_in_s == pytest.approx(20 * 60)
    d.advance(19 * 60 + 59)  # 59:59 after the flush end: still a wait
    assert d.step == "between_bags"
    r = rejection(d.do("inspect_bag", bag=2, intact=True))
    assert (r["kind"], r["rule"]) == ("wait", "interbag_window")
    d.advance(1)
    d.release(2)
    d.ok("inspect_bag", bag=2, intact=True)
    d.advance(3600 + 30 * 60)  # 2 h 30 min after the flush end (2 h 35 min after infusion)
    r = rejection(d.do("start_thaw", bag=2, method="water_bath",
                       attest={"sterile_overbag": True}))
    assert (r["kind"], r["rule"]) == ("deviation_required", "interbag_window")
    assert "2 h 30 min" in r["reason"] and "end of its flush" in r["reason"]


@pytest.mark.parametrize(("offset_s", "problem"), [
    (+120, "future"), (-60, "before the end"), (None, None), (0, None),
])
def test_finding_4_flush_end_is_never_in_the_future_or_before_the_infusion_ended(
        offset_s: int | None, problem: str | None) -> None:
    d = Driver().open().order().gates().identity()
    d.ok("inspect_bag", bag=1, intact=True)
    d.line_checked()
    d.ok("start_infusion", bag=1)
    d.advance(420)
    d.ok("end_infusion", bag=1, attest={"entire_contents": True})
    d.advance(300)
    args: dict = {"bag": 1, "volume_ml": 4.5}
    if offset_s is not None:
        base = d.clock.now().wall if offset_s >= 0 else d.proc.state.bag(1).infusion_ended.wall
        args["ended_at"] = (base + timedelta(seconds=offset_s)).isoformat()
    out = d.do("log_flush", **args)
    if problem is None:
        assert out.accepted
    else:
        r = rejection(out)
        assert r["rule"] == "flush" and problem in r["reason"]


# ------------------------------------------------------------------ 5: flush by weight
def _to_flush(weight: float, bags: int = 1) -> Driver:
    d = Driver().open()
    order = order_dict(bags=bags, dose=(3.2e6,) if bags == 1 else (1.6e6, 1.6e6),
                       lots=("LOT-A",) if bags == 1 else ("LOT-A", "LOT-B"))
    order["weight_kg"] = weight
    d.ok("prepare_order", order=order)
    d.gates().identity()
    d.ok("inspect_bag", bag=1, intact=True)
    d.line_checked()
    d.ok("start_infusion", bag=1)
    d.advance(420)
    d.ok("end_infusion", bag=1, attest={"entire_contents": True})
    return d


def test_finding_5_flush_of_83_ml_per_kg_for_a_3_kg_infant_needs_a_deviation() -> None:
    d = _to_flush(3.0)
    # 250 mL was accepted silently (fixed 500 mL limit); now the site's ceiling refuses it ...
    r = rejection(d.do("log_flush", bag=1, volume_ml=250))
    assert r["rule"] == "flush" and "100 mL" in r["reason"]
    # ... and (issue 23) the whole volume infused counts: bag 18 mL + tubing priming 10 mL
    # (the site's default) + 45 mL flush = 73 mL = 24.3 mL/kg, above the site's 10 mL/kg.
    r = rejection(d.do("log_flush", bag=1, volume_ml=45))
    assert (r["kind"], r["rule"]) == ("deviation_required", "flush")
    assert "73 mL" in r["reason"] and "24.3 mL/kg" in r["reason"] and "10 mL/kg" in r["reason"]
    assert "priming 10" in r["reason"]
    assert r["details"]["unit"] == "mL/kg" and r["details"]["measured"] == pytest.approx(24.333)
    # Even a 5 mL flush: 33 mL = 11 mL/kg for this 3 kg child (saline alone: 1.7 mL/kg).
    assert rejection(d.do("log_flush", bag=1, volume_ml=5))["kind"] == "deviation_required"
    out = d.do("log_flush", SIGNED, bag=1, volume_ml=45)
    assert out.accepted
    dev, logged = out.events[0], out.events[1]
    assert dev.type == "deviation_recorded" and dev.data["unit"] == "mL/kg"
    assert logged.data["ml_per_kg"] == 15.0 and logged.data["threshold_ml_per_kg"] == 10.0
    assert logged.data["infused_ml_per_kg"] == pytest.approx(24.333)


def test_finding_5_threshold_is_on_the_total_over_both_bags_and_is_site_policy() -> None:
    d = Driver()
    d.ok("open", policy={"flush_warn_ml_per_kg": 12.0})
    order = order_dict()
    d.ok("prepare_order", order=order)  # 7.4 kg
    d.gates().identity()
    d.give_bag(1)  # 18 mL bag + 10 mL priming + 4.5 mL flush = 4.39 mL/kg
    d.advance(3600)
    d.release(2)
    d.ok("inspect_bag", bag=2, intact=True)
    d.ok("start_thaw", bag=2, method="water_bath", attest={"sterile_overbag": True})
    d.advance(240)
    d.ok("complete_thaw", bag=2, attest={"no_visible_ice": True})
    d.bedside(2)
    from .driver import LINE_OK
    d.ok("check_line", bag=2, items=LINE_OK, priming_ml=12.0)  # this set primes 12 mL
    d.ok("start_infusion", bag=2)
    d.advance(420)
    d.ok("end_infusion", bag=2, attest={"entire_contents": True})
    figures = flush_figures(d.proc.state, 2, 26.0)
    assert figures["total_ml"] == 30.5 and math.isclose(figures["total_ml_per_kg"], 30.5 / 7.4)
    assert (figures["bags_ml"], figures["priming_ml"]) == (36.0, 22.0)
    # Both bags (36) + priming (10 + 12) + flushes (4.5 + 30) = 92.5 mL = 12.5 mL/kg: over 12.
    r = rejection(d.do("log_flush", bag=2, volume_ml=30.0))
    assert r["rule"] == "flush" and "92.5 mL" in r["reason"] and "12 mL/kg" in r["reason"]
    assert d.do("log_flush", bag=2, volume_ml=26.0).accepted  # 88.5 mL = 11.96 mL/kg


def test_finding_5_site_policy_is_checked_when_the_procedure_opens() -> None:
    d = Driver()
    for bad in ({"flush_warn_ml_per_kg": float("nan")}, {"flush_warn_ml_per_kg": -1},
                {"nonsense": 3}):
        assert d.do("open", policy=bad).rejection is not None
    opened = d.ok("open").events[0]
    assert opened.data["policy"] == {"flush_warn_ml_per_kg": 10.0, "flush_max_ml_per_bag": 100.0,
                                     "priming_volume_ml": 10.0}


# ------------------------------------------------------------------ 7: numbers validated
@pytest.mark.parametrize(("path", "value", "field"), [
    (("bags", 0, "cd34_per_kg"), float("nan"), "cd34_per_kg"),
    (("bags", 0, "cd34_per_kg"), float("inf"), "cd34_per_kg"),
    (("bags", 0, "cd34_per_kg"), 0, "cd34_per_kg"),
    (("bags", 1, "cd34_per_kg"), -1.6e6, "cd34_per_kg"),
    (("weight_kg",), 0.2, "weight_kg"),
    (("weight_kg",), 250, "weight_kg"),
    (("weight_kg",), float("nan"), "weight_kg"),
    (("bags", 0, "volume_ml"), float("inf"), "volume_ml"),
    (("sheet_bag_count",), 2.5, "sheet_bag_count"),
])
def test_finding_7_order_numbers_are_finite_and_physical(path: tuple, value: float,
                                                         field: str) -> None:
    order = order_dict()
    target = order
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    r = rejection(Driver().open().do("prepare_order", order=order))
    assert r["rule"] == "order" and field in r["reason"]


@pytest.mark.parametrize(("command", "args", "field"), [
    ("confirm_backup", {"available": True, "cd34_per_kg": float("nan")}, "back-up"),
    ("confirm_backup", {"available": True, "cd34_per_kg": float("inf")}, "back-up"),
    ("confirm_storage", {"temperature_c": float("nan")}, "storage temperature"),
    ("confirm_storage", {"temperature_c": -500}, "storage temperature"),
    ("confirm_storage", {"temperature_c": True}, "storage temperature"),
])
def test_finding_7_gate_numbers_are_finite_and_physical(command: str, args: dict,
                                                        field: str) -> None:
    d = Driver().open().order()
    r = rejection(d.do(command, **args))
    assert field in r["reason"].lower() and r["kind"] == "refused"


def test_finding_7_nan_flush_is_refused_naming_the_field() -> None:
    d = _to_flush(7.4)
    for bad in (float("nan"), float("inf"), 0, -3):
        r = rejection(d.do("log_flush", bag=1, volume_ml=bad))
        assert r["rule"] == "flush" and "flush volume" in r["reason"]


# ------------------------------------------------------------------ 8: missing rules
def test_finding_8_conditioning_begun_before_storage_or_backup_needs_a_deviation() -> None:
    d = Driver().open().order()
    now = d.clock.now().wall
    d.ok("confirm_storage", temperature_c=-170, stored_at=(now - timedelta(days=2)).isoformat())
    d.ok("confirm_backup", available=True, cd34_per_kg=3e6,
         confirmed_at=(now - timedelta(hours=30)).isoformat())
    args = {"at": (now - timedelta(hours=30)).isoformat(),
            "conditioning_start": (now - timedelta(days=3)).isoformat()}
    r = rejection(d.do("record_conditioning_end", **args))
    assert (r["kind"], r["rule"]) == ("deviation_required", "conditioning_order")
    assert "before KRESLADI was received and stored" in r["reason"]
    out = d.do("record_conditioning_end", SIGNED, **args)
    assert out.accepted and out.events[0].type == "deviation_recorded"
    # In the right order: nothing to sign.
    d2 = Driver().open().order()
    d2.ok("confirm_storage", temperature_c=-170, stored_at=(now - timedelta(days=9)).isoformat())
    d2.ok("confirm_backup", available=True, cd34_per_kg=3e6,
          confirmed_at=(now - timedelta(days=8)).isoformat())
    d2.ok("record_conditioning_end", at=(now - timedelta(hours=30)).isoformat(),
          conditioning_start=(now - timedelta(days=4)).isoformat())
    assert d2.proc.state.conditioning_start is not None


def test_finding_8_the_24_48_h_window_is_checked_at_end_of_infusion() -> None:
    d = Driver().open().order().gates(conditioning_hours_ago=47.9).identity()
    d.ok("inspect_bag", bag=1, intact=True)
    d.line_checked()
    d.ok("start_infusion", bag=1)
    d.advance(600)  # 48 h have passed during the infusion
    r = rejection(d.do("end_infusion", bag=1, attest={"entire_contents": True}))
    assert (r["kind"], r["rule"]) == ("deviation_required", "conditioning_window")


def test_finding_8_too_little_time_left_and_usual_infusion_time_are_cued() -> None:
    d = Driver().ready_to_thaw()
    d.line_checked()
    d.advance(22 * 60)  # 26 min since the start of thaw: 4 min left
    (window,) = [c for c in d.proc.countdowns() if c.id == "infusion_window"]
    assert window.level == "warning"  # warned before the infusion is started
    out = d.ok("start_infusion", bag=1)
    assert "Only 4 min 00 s is left" in out.events[0].data["cue"]
    (usual,) = [c for c in d.proc.countdowns() if c.id == "infusion_time"]
    assert usual.level == "ok"
    d.advance(600)
    (usual,) = [c for c in d.proc.countdowns() if c.id == "infusion_time"]
    assert usual.level == "warning" and "usually under 10 min" in usual.label


def test_finding_8_start_thaw_of_unconfirmed_bag_names_the_bag() -> None:
    d = Driver().open().order().gates()
    assert d.scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]).accepted
    assert d.scan("shipper", mrn=PATIENT["mrn"], coi=PATIENT["coi"]).accepted
    assert d.scan("cassette", din=DINS[0], coi=PATIENT["coi"]).accepted
    r = rejection(d.do("inspect_bag", bag=1, intact=True))
    assert "cassette of bag 2" in r["reason"] and "not possible now" not in r["reason"]


# ------------------------------------------------------------------ 11: the clock
def test_finding_11_wall_clock_change_while_running_is_recorded_and_countdowns_hold() -> None:
    d = Driver().ready_to_thaw()
    d.ok("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    d.advance(60)
    d.clock.jump(-3600)  # someone sets the wall clock back an hour mid-thaw
    (thaw,) = [c for c in d.proc.countdowns() if c.id == "thaw"]
    assert thaw.elapsed_s == pytest.approx(60)  # the countdown is on the monotonic clock
    out = d.ok("complete_thaw", bag=1, attest={"no_visible_ice": True})
    noted = out.events[0]
    assert noted.type == "clock_change_noted" and noted.data["runtime"] is True
    assert noted.data["wall_minus_mono_s"] == pytest.approx(-3600)
    assert d.proc.state.clock_changes == (noted.at,)
    # Nothing more to note on the next command: the clock has not moved again.
    d.advance(30)
    assert all(e.type != "clock_change_noted" for e in d.scan(
        "wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]).events)


def test_finding_11_ntp_slew_over_a_long_wait_is_not_a_clock_change() -> None:
    from kresladi_bedside.engine.procedure import wall_jump
    d = Driver()
    start = d.clock.now()
    d.clock.advance(7200)
    d.clock.jump(3.0)  # 3 s of slew over 2 h: within 500 ppm
    assert wall_jump(start, d.clock.now()) is None
    d.clock.jump(5.0)
    assert wall_jump(start, d.clock.now()) == pytest.approx(8.0)


# ------------------------------------------------------------------ 6: stop after a bag was given
def test_finding_6_stop_after_bag_1_keeps_post_infusion_and_says_what_was_given() -> None:
    from kresladi_bedside.engine.summary import stop_summary

    d = Driver().open().order().gates().identity().give_bag(1)
    d.advance(3600)
    d.release(2)
    out = d.do("inspect_bag", bag=2, intact=False, note="crack")
    assert out.rejection is not None and out.rejection.kind == "hard_stop"
    assert d.proc.state.outcome == "stopped"
    assert d.step == "post_infusion"  # the instructions still come
    summary = stop_summary(d.proc.state, d.profile)
    assert summary.title.startswith("STOPPED after part of the dose — do not give bag 2")
    assert summary.given[0].startswith("Bag 1 (lot LOT-A): GIVEN")
    assert "NOT GIVEN — found compromised" in summary.given[1]
    assert summary.backup and "rescue" in summary.backup and summary.call_manufacturer
    assert "Administer the back-up collection for rescue" in (summary.backup_citation or "")
    assert d.do("stop_procedure", reason="again").rejection is not None
    from .driver import POST_OK
    out = d.ok("acknowledge_post_infusion", attest=POST_OK)
    assert [e.type for e in out.events] == ["post_infusion_acknowledged"]
    assert d.proc.state.outcome == "stopped" and d.step == "stopped"


def test_finding_6_stop_before_anything_was_given_has_no_post_infusion_step() -> None:
    from kresladi_bedside.engine.summary import stop_summary

    d = Driver().ready_to_thaw()
    d.ok("stop_procedure", reason="patient febrile")
    assert d.step == "stopped"
    summary = stop_summary(d.proc.state, d.profile)
    assert "no KRESLADI was given" in summary.title and not summary.post_infusion_due
    r = rejection(d.do("acknowledge_post_infusion", attest={}))
    assert r["rule"] == "procedure"


# ------------------------------------------------------------------ 10: the words
def test_finding_10_wrong_wristband_blames_the_patient_not_the_product() -> None:
    from kresladi_bedside.engine.procedure import default_verifier
    from kresladi_bedside.labels import samples
    from kresladi_bedside.labels.parse import parse

    d = Driver(verifier=default_verifier(load_profile()))
    d.open()
    d.ok("prepare_order", order=patient_order(2).to_dict())
    d.gates()
    wrong = parse(samples.wristband_payload(mrn="99999999", name="DOE^JANE", dob="2023-01-01"),
                  "wedge", "]Q1")
    r = rejection(d.do("scan", scan=wrong.to_dict()))
    assert r["kind"] == "hard_stop" and "not the patient this KRESLADI is for" in r["reason"]
    assert "call the manufacturer" not in r["reason"]


def test_finding_10_stale_wristband_and_deviation_times_never_read_as_at_the_limit() -> None:
    from kresladi_bedside.engine.procedure import default_verifier
    from kresladi_bedside.labels import samples
    from kresladi_bedside.labels.parse import parse

    d = Driver(verifier=default_verifier(load_profile()))
    d.open()
    d.ok("prepare_order", order=patient_order(2).to_dict())
    d.gates()
    for payload, sym in ((samples.wristband_payload(), "]Q1"), (samples.shipper_payload(), "]d1"),
                         (samples.cassette_payload(1), "]d1")):
        assert d.do("scan", scan=parse(payload, "wedge", sym).to_dict()).accepted
    d.advance(10 * 60 + 24)
    assert d.do("scan", scan=parse(samples.cassette_payload(2), "wedge", "]d1").to_dict()).accepted
    r = rejection(d.do("scan", scan=parse(samples.bag_payload(1), "wedge", "]d1").to_dict()))
    assert r["rule"] == "wristband_stale"
    assert "10 min 24 s ago, more than the 10 min allowed" in r["reason"]
    # A thaw 0.4 s over 5:00 reads 5 min 00.4 s, not 5:00 (and never "5:00.4": issue 25).
    d2 = Driver().ready_to_thaw()
    d2.ok("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    d2.advance(300.4)
    r = rejection(d2.do("complete_thaw", bag=1, attest={"no_visible_ice": True}))
    assert "took 5 min 00.4 s, longer than 5 min 00 s." in r["reason"]


def test_issue_23_priming_volume_is_the_sites_default_changed_at_the_line_check() -> None:
    d = Driver().ready_to_thaw()
    d.line_checked(1, thaw_s=200)  # the site's default priming
    assert d.proc.state.bag(1).priming_ml == 10.0
    d = Driver().ready_to_thaw()
    d.ok("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True})
    d.ok("complete_thaw", bag=1, attest={"no_visible_ice": True})
    d.bedside(1)
    from .driver import LINE_OK
    r = rejection(d.do("check_line", bag=1, items=LINE_OK, priming_ml=0))
    assert r["rule"] == "line" and r["details"]["field"] == "priming volume of the tubing set"
    out = d.ok("check_line", bag=1, items=LINE_OK, priming_ml=24.5)
    assert out.events[-1].data["priming_ml"] == 24.5
    assert d.proc.state.bag(1).priming_ml == 24.5
    assert flush_figures(d.proc.state, 1, 5.0)["priming_ml"] == 24.5
