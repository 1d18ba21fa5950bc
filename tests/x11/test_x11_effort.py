"""Finding 18 (issue 17) with real X key events: the gates page opens with the keyboard in its
first entry, Enter goes on to the next entry the page needs, and Enter in the last records the
page — so a nurse types the three values without reaching for the mouse."""

from __future__ import annotations

from .app import human_delay

BACKUP = "'Back-up collection CD34+ cells per kg, millions<QDoubleSpinBox>'"


def test_gates_typed_from_the_keyboard_alone(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_gates(b)")
    b.wait_until(f"focus() == {BACKUP}")  # no click to get into the first entry
    b.run("b.page.attest.set_all()")  # the two answers are clicks (not keys): not under test
    def before(hours: float) -> str:
        return b.eval(f"(b.clock.now().local() - __import__('datetime').timedelta(hours={hours}))"
                      ".strftime('%m%d%H%M')")

    ended = before(30)
    # count, back-up confirmed, temperature, stored, conditioning ended, began: digits, Enter
    b.type(f"2.4\r{before(240)}\r-180\r{before(250)}\r{ended}\r{before(130)}\r",
           human_delay())
    b.wait_until("b.session.state.conditioning_end is not None")
    assert b.eval("b.session.state.backup_cd34_per_kg") == 2.4e6
    assert b.eval("b.session.state.storage_celsius") == -180
    assert b.eval("b.session.state.conditioning_end.local().strftime('%m%d%H%M')") == ended
    b.wait_until("type(b.page).__name__ == 'IdentityPage'")


def test_enter_in_an_entry_left_blank_moves_on_and_records_nothing(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_gates(b)")
    b.wait_until(f"focus() == {BACKUP}")
    # the back-up's count skipped; the instants left blank
    b.type("\r\r-180\r\r\r\r", human_delay())
    b.settle()
    assert b.eval("b.session.state.storage_celsius") is None  # nothing recorded…
    assert "back-up collection" in b.eval("b.page.form.messageLabel.text()")  # …and why
    assert b.eval("type(b.page).__name__") == "GatesPage"
