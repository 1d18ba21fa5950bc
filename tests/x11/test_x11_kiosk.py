"""Issue 25, items 4 and 11: the shortcuts work as the program starts, with a window manager and
in a kiosk session without one (nothing gives the window the keyboard but the program itself);
and the lock screen allows nothing but unlocking (no Ctrl+P, no Ctrl+Q, no menu)."""

from __future__ import annotations

import time

from kresladi_bedside.labels import samples as S
from kresladi_bedside.qt.signin import TRAINING_NURSE, TRAINING_WITNESS


def keys(b, *names: str) -> None:
    """Keys as a person presses them: to whatever X gives them to (no focus set by the test),
    with the pointer resting on the screen's middle, where the window is."""
    b.x.xdotool("mousemove", "--sync", "960", "540")
    b.x.xdotool("key", "--delay", "80", *names)


def test_ctrl_l_locks_as_started_with_or_without_a_window_manager(bedside_xx) -> None:
    b = bedside_xx(as_started=True)
    b.run("nav.to_gates(b)")
    time.sleep(0.5)
    keys(b, "ctrl+l")
    b.wait_until("b.window.is_locked()")


def test_shortcuts_still_work_after_a_dialog_closed(bedside_xx) -> None:
    """A witness dialog opens and closes (its PIN typed and Enter): the keyboard comes back to
    the window, so Ctrl+L still locks."""
    b = bedside_xx(as_started=True)
    b.run("nav.to_identity(b)\nb.witness_pin = None")
    time.sleep(0.3)
    b.x.xdotool("mousemove", "--sync", "960", "540")
    b.x.xdotool("type", "--delay", "1", S.wristband_payload() + "\r")
    b.wait_until("type(QApplication.activeModalWidget()).__name__ == 'WitnessDialog'")
    b.wait_until("'badge' in focus().lower()")
    b.x.xdotool("type", "--delay", "1", TRAINING_WITNESS.payload() + "\r")
    b.wait_until("'PIN' in focus()")
    b.x.xdotool("type", "--delay", "70", TRAINING_WITNESS.pin + "\r")
    b.wait_until("QApplication.activeModalWidget() is None")
    assert "ACCEPTED" in b.eval("b.window.scans.last_text")
    time.sleep(0.3)
    keys(b, "ctrl+l")
    b.wait_until("b.window.is_locked()")


def test_the_lock_screen_allows_nothing_but_unlocking(bedside_xx, tmp_path) -> None:
    """Ctrl+P does not print or save the record, Ctrl+Q does not quit (even with no clock
    running), Alt+P opens no menu; a label scanned there is not taken for a badge; the PIN
    unlocks and the shortcuts work again."""
    b = bedside_xx(as_started=True)
    b.run("nav.to_identity(b)")
    time.sleep(0.3)
    keys(b, "ctrl+l")
    b.wait_until("b.window.is_locked()")
    for combo in ("ctrl+p", "ctrl+q", "alt+p", "alt+e", "alt+w"):
        keys(b, combo)
        b.settle(0.5)
        assert b.proc.poll() is None, f"{combo} quit the program on the lock screen"
        assert b.eval("QApplication.activeModalWidget() is None and "
                      "QApplication.activePopupWidget() is None"), f"{combo} opened something"
        assert b.eval("b.window.is_locked()")
    b.x.xdotool("type", "--delay", "1", S.bag_payload(1) + "\r")
    b.wait_until("'not a badge' in b.window.lock_form.messageLabel.text()")
    assert b.eval("b.window.lock_form.badgeEdit.text()") == ""
    b.wait_until("focus() == 'PIN<QLineEdit>'")
    keys(b, "ctrl+a", "BackSpace")  # Alt+P, Alt+E, Alt+W typed p, e, w there: cleared
    b.x.xdotool("type", "--delay", "70", TRAINING_NURSE.pin + "\r")
    b.wait_until("not b.window.is_locked() or b.window.lock_form.messageLabel.text() != ''")
    assert not b.eval("b.window.is_locked()"), b.eval("b.window.lock_form.messageLabel.text()")
    b.settle(0.5)
    keys(b, "ctrl+l")  # the shortcuts are back
    b.wait_until("b.window.is_locked()")
