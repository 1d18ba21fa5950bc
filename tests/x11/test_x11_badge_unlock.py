"""The hour between two bags (issue 25, actions on the real path): the screen locked while
nobody touched it; the same nurse comes back and scans her own badge with a real scanner's keys
(xdotool, 1 ms a key, Shift for capitals), and it opens — her next signature asks the PIN. A
colleague's badge scanned there is a take-over: it waits for that colleague's PIN."""

from __future__ import annotations

from kresladi_bedside.qt.signin import TRAINING_NURSE, TRAINING_WITNESS

from .test_x11_lock_quit import IDLE_S, idle


def test_her_own_badge_scanned_unlocks_and_a_colleague_s_waits_for_a_pin(bedside_xx) -> None:
    b = bedside_xx()
    b.run("nav.to_identity(b)")
    idle(b, IDLE_S + 10)
    assert b.eval("b.window.is_locked()")
    b.scan(TRAINING_WITNESS.payload())  # someone else's badge: a take-over, PIN needed
    b.wait_until("b.window.lock_form.badgeEdit.text() != ''")
    b.settle()
    assert b.eval("b.window.is_locked()")
    assert b.eval("focus()") == "PIN<QLineEdit>"
    b.run("b.window.lock_screen.prepare()")  # she walks away; the nurse comes back
    b.scan(TRAINING_NURSE.payload())
    b.wait_until("not b.window.is_locked()")
    assert b.eval("b.people.current_user.name") == TRAINING_NURSE.name
    assert b.eval("b.people.needs_pin_to_sign()")  # the screen opened, not a signing session
    kinds = b.eval("[e.type for e in b.people.audit.events()][-2:]")
    assert kinds[-1] == "session_unlocked_by_badge", kinds
