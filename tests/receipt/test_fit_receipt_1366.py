"""Issue 25, item 10, on the real (not training) path: the receipt dialog at each of its steps,
the blind verification dialog and the nurse's received-product chooser fit a 1366×768 screen,
each step's own button, the concern box (with the manufacturer's number), End and Close in
view without scrolling. The walk's checks are tests/qt/test_fit_1366.py's."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from qt.test_fit_1366 import SCREEN, TITLE_BAR_PX, Walk

from kresladi_bedside.labels import samples
from kresladi_bedside.qt.fitted import SCREEN_MARGIN_PX
from kresladi_bedside.qt.receipt_sheet import fill_sheet
from kresladi_bedside.qt.receipt_verify import ReceiptVerifyDialog

from .conftest import PIN_A, PIN_B, PIN_N, SAMPLE, sheet
from .test_receipt_window import station  # noqa: F401  (the fixture)
from .workstation import Workstation, badge


def as_on_the_screen(dialog, width: int, height: int) -> None:
    """The size fit_to_screen gives on a 1366×768 screen (the offscreen test screen is
    800×800): the wanted size, less the screen's margin."""
    dialog.resize(min(width, SCREEN.width() - SCREEN_MARGIN_PX),
                  min(height, SCREEN.height() - SCREEN_MARGIN_PX))
    QApplication.processEvents()


def test_receipt_verification_and_chooser_fit_1366x768(station: Workstation) -> None:  # noqa: F811
    ws = station
    ws.window.resize(SCREEN.width(), SCREEN.height() - TITLE_BAR_PX)
    walk = Walk(ws.window, "receipt")
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    as_on_the_screen(dialog, 1300, 1000)
    f = dialog.form
    always = (f.concernButton, f.concernEdit, f.contactLabel, f.stopButton, f.closeButton)
    walk.dialog("receipt: patient", dialog, f.lookupButton, *always)
    ws.scan(SAMPLE.mrn)
    walk.dialog("receipt: labels", dialog, f.typedButton, *always)
    for payload in (samples.shipper_payload(), samples.cassette_payload(1),
                    samples.cassette_payload(2)):
        ws.scan(payload)
    assert dialog.state.step() == "storage", f.messageLabel.text()
    walk.dialog("receipt: storage", dialog, f.storageSpin, f.locationEdit, f.storageButton,
                *always)  # (the button's text is the "bags stay in their cassettes" check)
    f.storageSpin.setValue(-182)
    f.locationEdit.setText("LN2 tank 2, rack B, position 4")
    f.storageButton.click()
    assert dialog.state.step() == "sheet", f.messageLabel.text()
    walk.dialog("receipt: sheet", dialog, f.enterButton, *always)
    fill_sheet(f, sheet())
    f.enterButton.click()
    assert dialog.state.step() == "verify", f.messageLabel.text()
    walk.dialog("receipt: verify", dialog, f.verifyButton, *always)
    check = ReceiptVerifyDialog(dialog)
    check.show()
    as_on_the_screen(check, 1300, 800)
    c = check.form
    walk.dialog("blind verification", check, c.sheetMrnEdit, c.bag2VolumeEdit, c.badgeEdit,
                c.pinEdit, c.signButton, c.cancelButton)
    fill_sheet(c, sheet())
    check.take_scan(badge("P10002"), "wedge")
    c.pinEdit.setText(PIN_B)

    def exec_() -> int:
        check.sign()
        return int(check.result())

    check.exec = exec_  # type: ignore[method-assign]
    assert dialog.verify(check).accepted, f.messageLabel.text()
    assert dialog.state.outcome == "received", f.messageLabel.text()  # completes with it
    walk.dialog("receipt: received", dialog, f.exportButton, *always)
    f.closeButton.click()
    ws.sign_in("N20002", PIN_N)
    chooser = ws.window.current_page().received
    chooser.form.productList.setCurrentRow(0)
    walk.page("received products", chooser.form.openButton)
    assert walk.problems == [], "\n".join(walk.problems)
