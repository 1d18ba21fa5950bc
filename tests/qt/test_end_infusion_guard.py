"""END INFUSION (issue 25, item 8): a click aimed at the button records at once (its text is the
attestation); a key press on it (a held Tab then Enter, Space) or a click landing within a
double click's time of the page appearing (the second half of a double click on START INFUSION)
asks first, and the answer "keep infusing" records nothing. Real keys under X:
tests/x11/test_x11_guarded_keys.py."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kresladi_bedside.labels import samples as S
from kresladi_bedside.qt.dialogs import ConfirmDialog
from kresladi_bedside.qt.pages import InfusionPage

from .test_window_flow import to_thaw


def _infusing(b) -> InfusionPage:
    to_thaw(b)
    b.page.form.startButton.click()
    b.advance(200)
    b.page.form.completeButton.click()
    b.scan(S.wristband_payload())
    b.scan(S.bag_payload(1))
    b.page.checks.set_all()
    b.page.form.confirmButton.click()  # line checked: START INFUSION
    page = b.page
    assert isinstance(page, InfusionPage)
    b.advance(120)
    return page


def _ended(b) -> list:
    return [e for e in b.session.events if e.type == "infusion_ended"]


def test_a_click_as_the_page_appears_asks_and_keep_infusing_records_nothing(bedside) -> None:
    b = bedside()
    page = _infusing(b)
    asked = b.when_dialog(ConfirmDialog, lambda d: d.noButton.click())
    QTest.mouseClick(page.form.endButton, Qt.MouseButton.LeftButton)  # at once: a double click
    assert len(asked) == 1 and "BAG 1" in asked[0].textLabel.text()
    assert _ended(b) == []


def test_a_click_aimed_at_the_button_records_at_once(bedside) -> None:
    b = bedside()
    page = _infusing(b)
    page.end_press._shown_at -= 5  # on screen for a while: the nurse aims at it
    asked = b.when_dialog(ConfirmDialog, lambda d: d.noButton.click())
    QTest.mouseClick(page.form.endButton, Qt.MouseButton.LeftButton)
    assert asked == [] and len(_ended(b)) == 1


def test_space_on_the_button_asks_and_yes_records(bedside) -> None:
    b = bedside()
    page = _infusing(b)
    page.end_press._shown_at -= 5
    asked = b.when_dialog(ConfirmDialog, lambda d: d.yesButton.click())
    QTest.keyClick(page.form.endButton, Qt.Key.Key_Space)
    b.wedge.release_held()  # the scanner filter holds a typed key up to 0.1 s: let it go now
    assert len(asked) == 1 and len(_ended(b)) == 1
