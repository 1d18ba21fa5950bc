"""Issue 23: one timeline the limits are judged on, and refusals before the harm.

Restarts with the wall clock moved back and forward by 1 h, mid-thaw and mid-wait; a forward
jump never shortens the 24 h wait; durations never negative; an infusion started at 30:00 or
later needs a signed deviation at its start; a bag that expires before thaw start + 30 min is
not thawed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kresladi_bedside.clock import FakeClock, Instant
from kresladi_bedside.engine import Deviation
from kresladi_bedside.timeline import Timeline

from .driver import START, Driver, rejection

SIGNED = Deviation("Restart mid-thaw; real time read off the ward clock", "u-nurse")
HOUR = 3600


def restart(d: Driver, jump: float) -> None:
    """The workstation restarts with its wall clock moved by `jump`; at start-up recovery
    records what it saw (store/recovery.py), the first instant of the new boot."""
    d.clock.reboot(boot="b2", wall_jump_s=jump)
    d.ok("note_clock_change", reason="restart", boot_changed=True)


def thawing(clock: FakeClock | None = None) -> Driver:
    d = Driver(clock=clock).ready_to_thaw()
    d.ok("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    return d


# ---------------------------------------------------------------------------- the timeline
def test_within_a_boot_wall_clock_moves_do_not_count() -> None:
    clock = FakeClock(START)
    a = clock.now()
    clock.advance(100)
    clock.jump(-HOUR)
    b = clock.now()
    line = Timeline().add(a).add(b)
    span = line.span(a, b)
    assert span.low == span.high == 100


@pytest.mark.parametrize("jump", [-HOUR, +HOUR])
def test_across_a_restart_the_lower_bound_is_the_last_instant_plus_monotonic(jump: int) -> None:
    clock = FakeClock(START)
    a = clock.now()
    clock.advance(120)
    last = clock.now()
    clock.reboot(boot="b2", wall_jump_s=jump)
    clock.advance(60)
    first = clock.now()  # the first instant recorded in the new boot (recovery's note)
    clock.advance(60)
    now = clock.now()
    line = Timeline().add(a).add(last).add(first)
    span = line.span(a, now)
    # 120 s before the restart + 60 s after its first recorded instant: the downtime (and the
    # time from boot to that instant) counts 0 on the lower bound.
    assert span.low == 180
    if jump < 0:
        assert span.high is None  # the clock went back: the downtime is unknown
    else:
        assert span.high == 180 + HOUR + 60  # with the wall clock's downtime: conservative
    assert span.best() >= 0


def test_an_attested_time_places_the_restart_and_never_shrinks_elapsed() -> None:
    clock = FakeClock(START)
    a = clock.now()
    clock.reboot(boot="b2", wall_jump_s=-HOUR)
    now = clock.now()
    line = Timeline().add(a)
    placed = line.attest(now, START + timedelta(minutes=7))
    span = placed.span(a, now)
    assert span.low == span.high == 7 * 60


# ---------------------------------------------------------------------------- mid-thaw
def restarted_mid_thaw(jump: float) -> Driver:
    """2:00 into the thaw (last recorded instant), a restart with the wall clock moved by
    `jump`, then 1:00 more: 3:00 of thaw really."""
    d = thawing()
    d.advance(120)
    d.ok("acknowledge_alarm", alarm="thaw:1")  # the last recorded instant before the restart
    restart(d, jump)
    d.advance(60)
    return d


def test_restart_mid_thaw_with_the_clock_moved_back_1h_needs_the_real_time() -> None:
    d = restarted_mid_thaw(-HOUR)
    # 3 minutes of thaw really, a wall clock 57 min behind: never a negative duration, and
    # the 5-minute limit cannot be judged: a signed deviation or the real time attested.
    r = rejection(d.do("complete_thaw", bag=1, attest={"no_visible_ice": True}))
    assert (r["kind"], r["rule"]) == ("deviation_required", "thaw_time")
    assert "cannot be known" in r["reason"] and "clock went back" in r["reason"]
    # The nurse attests the real time (signed): now the thaw is 3:00 and passes.
    real = START + timedelta(minutes=3)
    assert rejection(d.do("attest_time", real_time=real.isoformat()))["kind"] == \
        "deviation_required"
    d.ok("attest_time", SIGNED, real_time=real.isoformat())
    out = d.ok("complete_thaw", bag=1, attest={"no_visible_ice": True})
    done = next(e for e in out.events if e.type == "thaw_completed")
    assert done.data["duration_s"] == pytest.approx(180)


def test_an_attested_time_before_the_lower_bound_is_refused() -> None:
    d = restarted_mid_thaw(-HOUR)
    r = rejection(d.do("attest_time", SIGNED, real_time=(START + timedelta(seconds=60))
                       .isoformat()))
    assert r["rule"] == "clock" and "never shrinks" in r["reason"]


def test_restart_mid_thaw_with_the_clock_moved_back_1h_signed_deviation_records_bounds() -> None:
    d = restarted_mid_thaw(-HOUR)
    out = d.ok("complete_thaw", SIGNED, bag=1, attest={"no_visible_ice": True})
    done = next(e for e in out.events if e.type == "thaw_completed")
    assert done.data["duration_s"] == pytest.approx(180)  # at least; never −3420
    assert done.data["timing"] == {"low_s": 180.0, "high_s": None}


def test_restart_mid_thaw_with_the_clock_moved_forward_1h_is_judged_over() -> None:
    d = restarted_mid_thaw(+HOUR)
    # The wall clock says 63 min: an upper limit takes the larger estimate (conservative).
    r = rejection(d.do("complete_thaw", bag=1, attest={"no_visible_ice": True}))
    assert (r["kind"], r["rule"]) == ("deviation_required", "thaw_time")
    assert r["details"]["measured_s"] == pytest.approx(HOUR + 180)


@pytest.mark.parametrize("jump", [-HOUR, +HOUR])
def test_a_wall_clock_move_while_running_mid_thaw_changes_nothing(jump: int) -> None:
    d = thawing()
    d.advance(100)
    d.clock.jump(jump)
    d.advance(100)
    out = d.ok("complete_thaw", bag=1, attest={"no_visible_ice": True})
    done = next(e for e in out.events if e.type == "thaw_completed")
    assert done.data["duration_s"] == pytest.approx(200) and "timing" not in done.data
    assert any(e.type == "clock_change_noted" for e in out.events)


# ---------------------------------------------------------------------------- mid-wait
def _bag_one_given(clock: FakeClock | None = None) -> Driver:
    d = Driver(clock=clock).open().order().gates().identity().give_bag(1)
    assert d.step == "between_bags"
    return d


@pytest.mark.parametrize("jump", [-HOUR, +HOUR])
def test_restart_mid_wait_never_shortens_the_hour_between_bags(jump: int) -> None:
    d = _bag_one_given()
    d.advance(20 * 60)
    d.do("acknowledge_alarm", alarm="interbag")  # a recorded instant before the restart
    restart(d, jump)
    d.advance(40 * 60 - 1)  # 59:59 since the end of the flush
    assert d.step == "between_bags"
    r = rejection(d.do("inspect_bag", bag=2, intact=True))
    assert (r["kind"], r["rule"]) == ("wait", "interbag_window")
    d.advance(1)
    d.release(2)
    d.ok("inspect_bag", bag=2, intact=True)


def test_forward_jump_while_running_does_not_shorten_the_24h_wait() -> None:
    clock = FakeClock(START)
    d = Driver(clock=clock).open().order().gates(conditioning_hours_ago=22).identity()
    d.ok("inspect_bag", bag=1, intact=True)
    d.clock.jump(+2 * HOUR)  # the wall clock says 24 h; really 22 h 0 min
    d.advance(HOUR - 60)  # really 22:59 after; the wall says 24:59
    r = rejection(d.do("start_thaw", bag=1, method="water_bath",
                       attest={"sterile_overbag": True}))
    assert (r["kind"], r["rule"]) == ("wait", "conditioning_window")
    d.advance(HOUR + 60)  # really 24:00
    d.ok("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})


def test_forward_jump_across_a_restart_does_not_shorten_the_24h_wait() -> None:
    clock = FakeClock(START)
    d = Driver(clock=clock).open().order().gates(conditioning_hours_ago=23).identity()
    d.ok("inspect_bag", bag=1, intact=True)
    restart(d, +HOUR)  # the wall clock says 24 h; really 23 h
    d.advance(30)
    r = rejection(d.do("start_thaw", bag=1, method="water_bath",
                       attest={"sterile_overbag": True}))
    assert (r["kind"], r["rule"]) == ("wait", "conditioning_window")


def test_backward_jump_across_a_restart_near_48h_needs_a_deviation() -> None:
    d = Driver().open().order().gates(conditioning_hours_ago=47).identity()
    d.ok("inspect_bag", bag=1, intact=True)
    restart(d, -HOUR)
    r = rejection(d.do("start_thaw", bag=1, method="water_bath",
                       attest={"sterile_overbag": True}))
    assert (r["kind"], r["rule"]) == ("deviation_required", "conditioning_window")


# ---------------------------------------------------------------------------- 30:00 at start
@pytest.mark.parametrize(("after_s", "asked"), [(29 * 60 + 59, False), (30 * 60, True),
                                                (30 * 60 + 1, True)])
def test_infusion_start_after_the_window_needs_a_deviation_at_start(after_s: int,
                                                                    asked: bool) -> None:
    d = Driver().ready_to_thaw()
    d.line_checked(1, thaw_s=240)
    d.advance(after_s - 240)
    out = d.do("start_infusion", bag=1)
    if not asked:
        assert out.accepted
        return
    r = rejection(out)
    assert (r["kind"], r["rule"]) == ("deviation_required", "infusion_window")
    assert "Complete infusion of each bag of KRESLADI within 30 minutes" in r["citation"]
    assert d.proc.state.bag(1).infusion_started is None  # nothing started: asked before
    out = d.ok("start_infusion", Deviation("Line occlusion cleared; consultant informed",
                                           "u-nurse"), bag=1)
    assert [e.type for e in out.events][:2] == ["deviation_recorded", "infusion_started"]
    d.advance(300)
    d.ok("end_infusion", bag=1, attest={"entire_contents": True})  # not asked twice


# ---------------------------------------------------------------------------- expiry
@pytest.mark.parametrize(("expires_after_s", "thawed"), [(29 * 60 + 59, False),
                                                         (30 * 60 + 1, True)])
def test_thaw_refused_when_the_bag_expires_before_its_infusion_can_end(
        expires_after_s: int, thawed: bool) -> None:
    clock = FakeClock(START, utc_offset_s=-5 * HOUR)
    d = Driver(clock=clock).ready_to_thaw(expiry=START + timedelta(seconds=expires_after_s))
    out = d.do("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    assert out.accepted is thawed
    if thawed:
        return
    r = rejection(out)
    assert (r["kind"], r["rule"]) == ("hard_stop", "expiry")
    assert d.proc.state.bag(1).thaw_started is None and d.step == "stopped"
    # Said in site time (here the workstation's −05:00), never UTC.
    assert "08:29 -0500" in r["reason"] and "+0000" not in r["reason"]


def test_expiry_with_the_clock_set_back_is_judged_on_the_later_time() -> None:
    d = Driver().ready_to_thaw(expiry=START + timedelta(minutes=50))
    d.advance(25 * 60)
    d.do("acknowledge_alarm", alarm="x")
    restart(d, +HOUR)  # later by the wall clock: judged on it
    r = rejection(d.do("start_thaw", bag=1, method="water_bath",
                       attest={"sterile_overbag": True}))
    assert (r["kind"], r["rule"]) == ("hard_stop", "expiry")


def test_durations_are_never_negative_on_events() -> None:
    d = thawing()
    d.advance(60)
    d.ok("acknowledge_alarm", alarm="thaw:1")
    restart(d, -2 * HOUR)
    d.advance(60)
    d.ok("complete_thaw", SIGNED, bag=1, attest={"no_visible_ice": True})
    d.bedside(1)
    d.ok("check_line", bag=1, items={"central_access": True, "no_inline_filter": True,
                                     "no_pump": True, "tubing_primed": True})
    d.ok("start_infusion", SIGNED, bag=1)  # 24–48 h cannot be judged either: signed
    d.advance(300)
    out = d.ok("end_infusion", SIGNED, bag=1, attest={"entire_contents": True})
    ended = next(e for e in out.events if e.type == "infusion_ended")
    assert ended.data["thaw_to_end_s"] >= 420 and ended.data["infusion_s"] == pytest.approx(300)


def test_instants_without_a_boot_are_placed_by_wall_time() -> None:
    typed = Instant.from_wall(datetime(2026, 3, 1, 13, 0, tzinfo=UTC))
    clock = FakeClock(START)
    now = clock.now()
    span = Timeline().add(now).span(typed, now)
    assert span.low == span.high == 24 * HOUR
