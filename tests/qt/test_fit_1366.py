"""Issue 25, item 10: at 1366×768 every primary action of every page and dialog on the two-bag
path is on screen without scrolling: the button lies inside the 1366×768 window and no scroll
area clips it (its visible region is the whole button)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget

from kresladi_bedside.labels import samples as S
from kresladi_bedside.qt.pages import (
    FlushPage,
    InfusionPage,
    InspectPage,
    LineChecksPage,
    ThawPage,
)

SCREEN = QRect(0, 0, 1366, 768)


def on_screen(button: QWidget, top: QWidget) -> str | None:
    """None when the whole button shows inside the screen; else what is wrong."""
    QApplication.processEvents()
    if not button.isVisible():
        return f"{button.objectName()} hidden"
    corner = button.mapTo(top, QPoint(0, 0))
    rect = QRect(top.mapToGlobal(corner) - top.mapToGlobal(QPoint(0, 0)) + top.pos(),
                 button.size())
    if not SCREEN.contains(rect):
        return f"{button.objectName()} at {rect.getRect()} outside 1366×768"
    if button.visibleRegion().boundingRect().size() != button.size():
        return f"{button.objectName()} clipped (scroll needed)"
    return None


@pytest.mark.xfail(strict=True, reason="NOT DONE (issue 25, item 10): at 1366×768 the gates "
                   "page's Record button, the line checks' confirm button (61 px low) and the "
                   "flush page's Log flush still need scrolling; the walk names each")
def test_every_primary_action_fits_1366x768(bedside) -> None:
    b = bedside()
    w = b.window
    w.showNormal()
    w.move(0, 0)
    w.setFixedSize(1366, 768)
    problems: list[str] = []

    def check(name: str, button: QWidget) -> None:
        problem = on_screen(button, w)
        if problem:
            problems.append(f"{name}: {problem}")

    b.sign_in()
    if not hasattr(b.page.form, "sampleButton"):
        b.next()
    b.page.form.sampleButton.click()
    b.next()
    check("gates", b.page.form.recordButton)
    b.gates()
    b.next()
    for payload in (S.wristband_payload(), S.shipper_payload(), S.cassette_payload(1),
                    S.bag_payload(1), S.cassette_payload(2)):
        b.scan(payload)
    for bag in (1, 2):
        assert isinstance(b.page, InspectPage)
        check(f"inspect {bag}", b.page.form.thawButton)
        b.page.form.intactButton.click()
        b.next()
        assert isinstance(b.page, ThawPage)
        check(f"thaw {bag} start", b.page.form.startButton)
        b.page.before.set_all()
        b.page.form.startButton.click()
        b.advance(200)
        check(f"thaw {bag} complete", b.page.form.completeButton)
        b.page.after.set_all()
        b.page.form.completeButton.click()
        b.next()
        b.scan(S.wristband_payload())
        b.scan(S.bag_payload(bag))
        b.next()
        assert isinstance(b.page, LineChecksPage)
        check(f"line checks {bag}", b.page.form.confirmButton)
        b.page.checks.set_all()
        b.page.form.confirmButton.click()
        b.next()
        assert isinstance(b.page, InfusionPage)
        check(f"infusion {bag} start", b.page.form.startButton)
        b.page.form.startButton.click()
        b.advance(300)
        check(f"infusion {bag} end", b.page.form.endButton)
        b.page.end_checks.set_all()
        b.page.form.endButton.click()
        b.next()
        assert isinstance(b.page, FlushPage)
        check(f"flush {bag}", b.page.form.flushButton)
        b.page.form.volumeSpin.setValue(10)
        b.page.form.flushButton.click()
        if bag == 1:
            b.advance(3700)
            b.scan(S.wristband_payload())
            check("bag 2's storage", b.page.keptButton)
            b.page.keptButton.click()  # kept in vapor-phase LN2 until now
            b.scan(S.bag_payload(2))
            b.next()
    check("post-infusion", b.page.form.acknowledgeButton)
    assert problems == [], "\n".join(problems)
