"""Finding 3 (issue 17): a quick typist's Tab and Enter must move on before the next key is
read, so every key lands in the field it was typed into. Real X key events on Xvfb."""

from __future__ import annotations

QUICK_MS = 45  # a quick typist, quicker than the guide's ~60 ms


def test_badge_tab_pin_typed_quickly_land_in_their_fields(bedside_x) -> None:
    b = bedside_x()
    b.run("b.window.sign_out()")
    b.wait_until("type(b.page).__name__ == 'SignInPage' and focus() == 'Badge<QLineEdit>'")
    b.type("N40217\t2468", QUICK_MS)
    b.settle()
    assert b.eval("b.page.form.badgeEdit.text()") == "N40217"
    assert b.eval("b.page.form.pinEdit.text()") == "2468"


def test_typed_identifier_tab_reason_land_in_their_fields(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_identity(b)")
    b.run("from kresladi_bedside.qt.dialogs import TypedEntryDialog\n"
          "d = TypedEntryDialog(b.window)\nd.open()")
    b.wait_until("QApplication.activeModalWidget() is d and focus().endswith('<QLineEdit>')")
    b.type("W123426100001\tLabel frosted", QUICK_MS)
    b.settle()
    assert b.eval("d.form.payloadEdit.text()") == "W123426100001"
    assert b.eval("d.form.reasonEdit.text()") == "Label frosted"


def test_enter_then_typing_goes_to_where_enter_moved_focus(bedside_x) -> None:
    b = bedside_x()
    b.run("b.window.sign_out()")
    b.wait_until("type(b.page).__name__ == 'SignInPage' and focus() == 'Badge<QLineEdit>'")
    # Enter in the badge field, then straight on: keys follow the focus, never the old field
    b.run("b.page.form.badgeEdit.returnPressed.connect(b.page.form.pinEdit.setFocus)")
    b.type("N40217\r2468", QUICK_MS)
    b.settle()
    assert b.eval("b.page.form.badgeEdit.text()") == "N40217"
    assert b.eval("b.page.form.pinEdit.text()") == "2468"
