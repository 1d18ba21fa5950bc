"""Findings 5 and 9 (issue 17): Ctrl+Q mid-thaw asks first (and Enter keeps the window); the
idle lock never falls while a thaw or infusion runs but does elsewhere; the lock screen keeps
the countdowns and a working Acknowledge, and the PIN typed there goes to the PIN field. Real
X key events on Xvfb, the procedure clock a fake one the test moves."""

from __future__ import annotations

from kresladi_bedside.qt.signin import TRAINING_NURSE

IDLE_S = 5 * 60  # the site default: tests/qt/conftest's PeopleConfig()


def idle(b, seconds: int, step: int = 10) -> None:
    """Nobody touches anything while `seconds` pass on the procedure clock."""
    b.run(f"for _ in range({seconds // step}):\n"
          f"    b.clock.advance({step})\n"
          f"    b.window.tick()")


def test_ctrl_q_mid_thaw_asks_and_enter_keeps_the_window(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.thaw_started(b)\nb.clock.advance(150)\nb.window.tick()")
    b.key("ctrl+q")
    b.wait_until("QApplication.activeModalWidget() is not None")
    text = b.eval("QApplication.activeModalWidget().text()")
    assert "Thaw, bag 1: 2 min 30 s left of 5 min 00 s (until " in text
    b.key("Return")  # the default is to keep working
    b.wait_until("QApplication.activeModalWidget() is None")
    assert b.eval("b.window.isVisible()")
    b.key("ctrl+q")
    b.wait_until("QApplication.activeModalWidget() is not None")
    b.key("alt+q")  # &Quit anyway
    b.proc.wait(timeout=20)


def test_ctrl_q_with_no_clock_running_quits_at_once(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_gates(b)")
    b.key("ctrl+q")
    b.proc.wait(timeout=20)  # the last window closed: the program ended
    assert "Quit while a clock runs" not in b.log()


def test_no_idle_lock_from_thaw_to_end_of_infusion_but_a_lock_elsewhere(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.thaw_started(b)")
    idle(b, 290)  # 4:50 with no key pressed: "thaw complete" is due now
    assert not b.eval("b.window.is_locked()")
    b.run("b.page.after.set_all()\nb.page.form.completeButton.click()")
    assert b.eval("b.session.state.bag(1).thaw_completed is not None")
    idle(b, IDLE_S + 60)  # the 30-minute window runs on to the end of the infusion
    assert not b.eval("b.window.is_locked()")
    b2 = bedside_x()
    b2.run("nav.to_identity(b)")  # only the conditioning window runs: that is no reason
    idle(b2, IDLE_S + 10)
    assert b2.eval("b.window.is_locked()")


def test_lock_screen_pin_goes_to_the_pin_field_and_unlocks(bedside_x) -> None:
    b = bedside_x(no_device=True)  # the technical alarm shows on the lock screen too
    b.run("nav.to_identity(b)")
    idle(b, IDLE_S + 10)
    assert b.eval("b.window.is_locked()")
    b.wait_until("focus() == 'PIN<QLineEdit>'")
    b.type(TRAINING_NURSE.pin, 300)  # gloved, slowly, across ticks
    b.settle(1.2)
    assert b.eval("focus()") == "PIN<QLineEdit>"
    assert b.eval("b.window.lock_form.pinEdit.text()") == TRAINING_NURSE.pin
    b.key("Return")
    b.wait_until("not b.window.is_locked() or b.window.lock_form.messageLabel.text()")
    assert not b.eval("b.window.is_locked()"), b.eval("b.window.lock_form.messageLabel.text()")


def test_lock_screen_shows_the_countdowns_and_acknowledge_works_and_is_recorded(
        bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_identity(b)")
    b.key("ctrl+l")
    b.wait_until("b.window.is_locked()")
    b.run("b.window.alarms.raise_technical('scanner', 'Scanner: disconnected')\n"
          "b.window.tick()")
    assert b.eval("b.window.header.isVisible()")
    assert b.eval("[t.isVisible() for t in b.window.header.tiles.values()]") == [True]
    b.key("F10")
    b.wait_until("'acknowledged' in b.window.header.form.alarmLabel.text()")
    acks = b.eval("[e.data for e in b.session.events if e.type == 'alarm_acknowledged']")
    assert acks == [{"alarm": "scanner", "bag": None, "screen": "lock"}]
    assert b.eval("b.window.is_locked()")  # answering the alarm does not unlock
