"""Issue 25: the signed-in pharmacist opens the receipt with one press on the page she lands on
(the menu's Receipt ▸ Receive a product… is two); a nurse's page has no such button."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from .conftest import PIN_A, PIN_N
from .test_receipt_window import station  # noqa: F401  (the fixture)
from .workstation import Workstation


def test_the_pharmacist_s_page_opens_the_receipt_with_one_press(
        station: Workstation) -> None:  # noqa: F811
    ws = station
    ws.sign_in("N20002", PIN_N)
    chooser = ws.window.current_page().received
    assert not chooser.receiveButton.isVisibleTo(ws.window)  # a nurse receives nothing
    ws.sign_in("P10001", PIN_A)
    chooser = ws.window.current_page().received
    assert chooser.receiveButton.isVisibleTo(ws.window)
    chooser.receiveButton.click()
    ws.qtbot.waitUntil(lambda: type(QApplication.activeModalWidget()).__name__ ==
                       "ReceiptDialog", timeout=3000)
    dialog = QApplication.activeModalWidget()
    assert dialog.state.step() == "new"
    # the keyboard in the MRN entry (the page's own focus, one turn of the event loop later)
    ws.qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.form.mrnEdit, timeout=3000)
