"""Clocks in the header: reopening mid-thaw, 20,000 ticks, alarms, storage failure."""

from __future__ import annotations

from kresladi_bedside.labels import samples as S
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.alarm_state import SILENCE_SECONDS
from kresladi_bedside.qt.pages import ThawPage
from kresladi_bedside.store import DiskFullError, open_store
from kresladi_bedside.store.recovery import recover


def to_thaw(b) -> None:
    b.sign_in()
    b.page.form.sampleButton.click()
    b.next()
    b.gates()
    b.next()
    for payload in (S.wristband_payload(), S.shipper_payload(), S.cassette_payload(1),
                    S.bag_payload(1), S.cassette_payload(2)):
        b.scan(payload)
    b.next()
    b.page.form.intactButton.click()
    b.next()
    assert isinstance(b.page, ThawPage)
    b.page.before.set_all()
    b.page.form.startButton.click()


def test_closing_mid_thaw_reopens_at_the_thaw_with_the_countdown_right(bedside, clock,
                                                                       db_path) -> None:
    store = open_store(db_path)
    first = bedside(store=store)
    to_thaw(first)
    first.advance(100)
    assert first.window.header.tiles["thaw:1"].digits.text() == "3:20"  # left of 5:00
    first.close()
    store.close()

    clock.reboot(boot="second-boot", wall_jump_s=35)  # the workstation restarted
    store = open_store(db_path)
    # the people log ("people") has no final event either: it is not a procedure to reopen
    recovery = recover(store, load_profile(), clock)
    assert len(recovery.procedures) == 1
    again = bedside(store=store, procedure=recovery.procedures[0].procedure)
    # the clocks show before anyone signs in (the header is on the sign-in page too)
    # across the restart the wall clock's 35 s of downtime count for the limits, marked as an
    # estimate (issue 23: the true downtime cannot be measured)
    assert again.window.header.tiles["thaw:1"].digits.text() == "≈2:45"  # ≈2:15 gone
    assert again.window.header.tiles["infusion_window:1"].digits.text() == "≈27:45"
    assert "restarted" in again.window.clock_notice.text()
    again.sign_in()
    assert isinstance(again.page, ThawPage) and again.page.bag == 1
    assert not again.page.form.startButton.isEnabled()
    assert again.page.form.completeButton.isEnabled()
    store.close()


def test_twenty_thousand_ticks(bedside) -> None:
    b = bedside()
    to_thaw(b)
    tile = b.window.header.tiles["thaw:1"]
    for _ in range(20_000):
        b.clock.advance(1)
        b.window.tick()
    # 20,000 s after the start of the thaw, computed from the engine, not from counting
    assert tile.digits.text() == "5:28:20"  # over the 5:00 by that much
    assert tile.caption.text().startswith("OVER by")
    assert b.window.header.tiles["infusion_window:1"].caption.text().startswith("OVER by")


def test_alarm_levels_sound_silence_and_acknowledge(bedside) -> None:
    b = bedside()
    to_thaw(b)
    b.advance(239)
    assert b.player.played[-1] is None
    b.advance(2)  # 4:01: the engine says warning
    assert b.player.played[-1] == "warning"
    assert "WARNING: Thaw, bag 1" in b.window.header.form.alarmLabel.text()
    b.advance(60)  # 5:01: alarm
    assert b.player.played[-1] == "alarm"
    b.window.header.form.silenceButton.click()
    assert b.player.played[-1] in (None, "warning")
    b.advance(SILENCE_SECONDS - 5)
    assert b.player.played[-1] != "alarm"
    b.advance(10)  # silence over, not acknowledged: it sounds again
    assert b.player.played[-1] == "alarm"
    b.window.header.form.acknowledgeButton.click()
    assert b.player.played[-1] is None
    acks = [e.data["alarm"] for e in b.session.events if e.type == "alarm_acknowledged"]
    assert acks == ["thaw:1:alarm"]  # what was showing; the warning had become the alarm
    b.advance(30)
    assert b.player.played[-1] is None  # stays quiet once acknowledged


def test_a_storage_failure_is_a_blocking_not_recorded_alarm(bedside, db_path,
                                                            monkeypatch) -> None:
    store = open_store(db_path)
    b = bedside(store=store)
    to_thaw(b)
    b.advance(60)

    def full(events):
        raise DiskFullError("the disk is full", db_path)

    monkeypatch.setattr(store, "append", full)
    b.page.after.set_all()
    b.page.form.completeButton.click()
    assert b.session.state.bag(1).thaw_completed is None  # not done
    assert isinstance(b.page, ThawPage)
    assert b.page.form.messageLabel.text().startswith("NOT RECORDED")
    banner = b.window.header.form.recordBanner
    assert banner.isVisible() and "NOT RECORDED" in banner.text()
    box = b.window.alarms.not_recorded_box
    assert box is not None and box.isVisible()
    assert b.player.played[-1] == "technical"
    monkeypatch.undo()
    b.window.alarms.not_recorded_box.accept()
    b.page.form.completeButton.click()
    assert b.session.state.bag(1).thaw_completed is not None
    assert not banner.isVisible()
    store.close()


def test_finding_11_wall_clock_change_while_running_is_recorded_and_shown(bedside, clock,
                                                                          db_path) -> None:
    store = open_store(db_path)
    b = bedside(store=store)
    to_thaw(b)
    b.advance(30)
    clock.jump(-900)  # someone sets the workstation clock back 15 minutes mid-thaw
    b.window.tick()
    last = store.events(b.session.procedure.procedure_id)[-1]
    assert last.type == "clock_change_noted" and last.data["runtime"] is True
    assert "changed by -900 s" in b.window.statusBar().currentMessage()
    assert b.window.header.tiles["thaw:1"].digits.text() == "4:30"  # the monotonic clock
    b.window.tick()  # noted once
    assert [e.type for e in store.events(b.session.procedure.procedure_id)].count(
        "clock_change_noted") == 1
