"""Receipt → storage → infusion day on one real workstation, through the window: the pharmacist
receives (scans through the window, storage, sheet, blind double check), the nurse opens the
infusion from the received product and scans only the wristband and the bags."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.labels import samples
from kresladi_bedside.receipt import awaiting_infusion
from kresladi_bedside.store import open_store

from .conftest import PIN_A, PIN_B, PIN_N, SAMPLE, START, badge, sheet
from .workstation import PIN_W, Workstation


@pytest.fixture
def station(qtbot, tmp_path: Path):
    from kresladi_bedside.clock import FakeClock

    store = open_store(tmp_path / "ward.db")
    ws = Workstation(qtbot, FakeClock(START, utc_offset_s=-5 * 3600), store, SiteConfig(),
                     "one-workstation")
    yield ws
    ws.close()
    store.close()


def receive(ws: Workstation, *, verified_values: dict | None = None):
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    assert not dialog.printButton.isVisibleTo(dialog)  # nothing to print while it is open
    ws.shot(dialog, "receipt-1-patient")
    ws.scan(SAMPLE.mrn)  # the MRN from the patient's label, through the scanner
    assert dialog.state.mrn == SAMPLE.mrn, dialog.form.messageLabel.text()
    ws.scan(samples.shipper_payload())
    ws.scan(samples.cassette_payload(1))
    ws.shot(dialog, "receipt-2-labels")
    ws.scan(samples.cassette_payload(2))
    assert "Cassette 2: ✔ DIN W123426100002" in dialog.form.progressLabel.text()
    assert dialog.state.step() == "storage", dialog.form.scanResultLabel.text()
    dialog.form.storageSpin.setValue(-182)
    dialog.form.locationEdit.setText("LN2 tank 2, rack B, position 4")
    dialog.form.cassetteCheck.setChecked(True)
    ws.shot(dialog, "receipt-3-storage")
    dialog.form.storageButton.click()
    assert dialog.state.step() == "sheet", dialog.form.messageLabel.text()
    from kresladi_bedside.qt.receipt_sheet import fill_sheet

    fill_sheet(dialog.form, sheet())
    ws.shot(dialog, "receipt-4-sheet")
    dialog.form.enterButton.click()
    assert dialog.state.step() == "verify", dialog.form.messageLabel.text()
    ws.verify(dialog, verified_values or sheet(), "P10002", PIN_B)
    return dialog


def test_receipt_then_infusion_day_on_one_workstation(station: Workstation) -> None:
    ws = station
    dialog = receive(ws)  # the verifier's agreement completes the receipt (one press)
    assert dialog.state.outcome == "received", dialog.form.messageLabel.text()
    assert "RECEIVED" in dialog.form.doneLabel.text()
    ws.shot(dialog, "receipt-7-received")
    dialog.form.closeButton.click()
    assert len(awaiting_infusion(ws.store)) == 1

    # Infusion day, days later (conditioning began after the product was received and stored,
    # §2.2): the nurse signs in; the order page lists the received product.
    ws.clock.advance(2 * 86400)
    ws.sign_in("N20002", PIN_N)
    page = ws.window.current_page()
    chooser = page.received
    assert chooser.form.productList.count() == 1
    assert "RIVERA^MATEO" not in chooser.form.productList.item(0).text()  # sheet name kept
    assert "W123426100001" in chooser.form.productList.item(0).text()
    ws.shot(ws.window, "bedside-1-received-products")
    chooser.form.openButton.click()
    order = ws.window.session.state.order
    assert order is not None and order.patient.coi == SAMPLE.coi
    assert not ws.window.session.state.labels  # nothing scanned at receipt carries over
    assert awaiting_infusion(ws.store) == []
    ws.shot(ws.window, "bedside-2-order-from-receipt")
    assert not chooser.form.widget.isVisible()

    # Gates, then identity: the wristband, the shipper and every cassette are matched to the
    # patient again on the infusion day (§2.2), then bag 1.
    next_button = ws.window.wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()
    gates = ws.window.current_page()
    gates.attest.set_all()
    gates.form.backupSpin.setValue(2.4)
    gates.form.storageSpin.setValue(-180)
    ended = ws.clock.now().local() - timedelta(hours=30)
    gates.set_conditioning_end(ended)
    # stored: carried from the receipt (left blank here); the other two from the chart
    gates.conditioningStart.setText((ended - timedelta(hours=10)).strftime("%Y-%m-%d %H:%M"))
    gates.backupWhen.setText((ended - timedelta(days=9)).strftime("%Y-%m-%d %H:%M"))
    gates.form.recordButton.click()
    assert ws.window.session.step().name == "identity", gates.form.messageLabel.text()
    next_button.click()
    ws.shot(ws.window, "bedside-3-identity-carried")
    for payload in (samples.wristband_payload(), samples.shipper_payload(),
                    samples.cassette_payload(1), samples.cassette_payload(2),
                    samples.bag_payload(1), samples.bag_payload(2)):
        # (Where the engine keeps bag 2 in its cassette until its own thaw, bag 1 is enough.)
        if ws.window.session.step().name != "identity":
            break
        text = ws.scan(payload)
        assert text.startswith("✔"), text
    assert ws.window.session.step().name == "inspect"
    ws.shot(ws.window, "bedside-4-identity-confirmed")


def test_verifier_value_differs_is_refused_on_screen(station: Workstation) -> None:
    wrong = sheet(weight_kg=9.1)
    dialog = receive(station, verified_values=wrong)
    assert dialog.state.step() == "verify"
    message = dialog.form.messageLabel.text()
    assert "weight before the first apheresis" in message and "9.1" not in message
    station.shot(dialog, "receipt-5b-verify-refused")


def test_the_typist_cannot_verify_on_screen(station: Workstation) -> None:
    ws = station
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    ws.scan(SAMPLE.mrn)
    ws.enter_receipt(dialog, celsius=-182, location="tank 2")
    # Alice typed and is signed in: her own badge at the double check is refused.
    outcome = ws.verify(dialog, sheet(), "P10001", PIN_A)
    assert outcome is None
    assert dialog.state.verified_by is None and dialog.state.step() == "verify"


def test_a_cassette_for_another_patient_stops_the_receipt_on_screen(
        station: Workstation) -> None:
    from datetime import date

    ws = station
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    ws.scan(SAMPLE.mrn)
    ws.scan(samples.shipper_payload())
    text = ws.scan(samples.cassette_payload(1, dob=date(2023, 1, 1)))
    assert dialog.state.outcome == "stopped"
    assert "differs from the shipper label" in dialog.form.messageLabel.text()
    assert "1-800-982-2410" in dialog.form.doneLabel.text()
    assert text == "badge"  # the window handed the scan to the open dialog
    ws.shot(dialog, "receipt-stop-wrong-patient")


def test_without_sync_the_receipt_travels_as_an_export_file(qtbot, tmp_path: Path) -> None:
    """Two workstations, two stores, no EHR: the pharmacy exports the receipt, the bedside
    imports it (hashes checked; an altered file is refused) and opens the infusion from it."""
    from kresladi_bedside.clock import FakeClock

    clock = FakeClock(START, utc_offset_s=-5 * 3600)
    pharmacy_store = open_store(tmp_path / "pharmacy.db")
    bedside_store = open_store(tmp_path / "bedside.db")
    pharmacy = Workstation(qtbot, clock, pharmacy_store, SiteConfig(), "pharmacy-file")
    try:
        dialog = receive(pharmacy)  # verified: completed at once
        assert dialog.state.outcome == "received"
        assert dialog.form.exportButton.isVisible() and not dialog.form.sendButton.isVisible()
        exported = tmp_path / "receipt.jsonl"
        written = dialog.export(str(exported))
        # the file holds the whole chain as it was; then the export is recorded here as a
        # hand-over, and this workstation no longer offers the product (issue 24)
        events = pharmacy_store.events(dialog.receipt.receipt_id)
        assert written == len(events) - 1 and events[-1].type == "custody_handed_over"
        assert "no longer offers it" in dialog.form.messageLabel.text()
        assert awaiting_infusion(pharmacy_store) == []
    finally:
        pharmacy.close()
    bedside = Workstation(qtbot, clock, bedside_store, SiteConfig(), "bedside-file")
    try:
        bedside.sign_in("N20002", PIN_N)
        chooser = bedside.window.current_page().received
        assert not chooser.form.ehrButton.isVisible()
        # A receipt file is countersigned by a pharmacist or an administrator (issue 26): a
        # witness's signature is not enough.
        people = bedside.people
        walt = people.witness(badge("W30003"), PIN_W)
        assert chooser.import_file(str(exported), signature=walt) == 0
        assert "not a pharmacist" in chooser.form.chooserMessageLabel.text()
        bob = people.witness(badge("P10002"), PIN_B, roles=("pharmacy", "administrator"))
        altered = tmp_path / "altered.jsonl"
        altered.write_text(exported.read_text(encoding="utf-8").replace("9.5", "19.5", 1),
                           encoding="utf-8")
        assert chooser.import_file(str(altered), signature=bob) == 0
        assert "signature does not match" in chooser.form.chooserMessageLabel.text()
        assert chooser.import_file(str(exported), signature=bob) > 0
        assert chooser.form.productList.count() == 1
        chooser.form.openButton.click()
        assert bedside.window.session.state.order is not None
        assert awaiting_infusion(bedside_store) == []
    finally:
        bedside.close()
        pharmacy_store.close()
        bedside_store.close()


def test_a_receipt_closed_halfway_is_resumed_not_restarted(station: Workstation) -> None:
    ws = station
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    ws.scan(SAMPLE.mrn)
    ws.scan(samples.shipper_payload())
    receipt_id = dialog.receipt.receipt_id
    dialog.form.closeButton.click()
    again = ws.open_receipt()
    assert again.receipt.receipt_id == receipt_id
    assert again.state.shipper() is not None and again.state.step() == "labels"
    ws.scan(samples.cassette_payload(1))
    assert again.state.step() == "storage"


def test_window_refuses_another_childs_product_naming_field_and_sources(
        station: Workstation) -> None:
    """Same DOB, another COI and patient ID on every label: the pharmacist sees the hard stop
    once the double-checked sheet is compared with the labels, naming the field and the two
    sources, never either value."""
    from kresladi_bedside.qt.receipt_sheet import fill_sheet

    ws = station
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    ws.scan(SAMPLE.mrn)
    other = {"coi": "CHW123426000999", "patient_id": "KR0999"}
    ws.scan(samples.shipper_payload(**other))
    ws.scan(samples.cassette_payload(1, **other))
    ws.scan(samples.cassette_payload(2, **other))
    assert dialog.state.step() == "storage", dialog.form.scanResultLabel.text()
    dialog.form.storageSpin.setValue(-182)
    dialog.form.locationEdit.setText("LN2 tank 2")
    dialog.form.cassetteCheck.setChecked(True)
    dialog.form.storageButton.click()
    fill_sheet(dialog.form, sheet())
    dialog.form.enterButton.click()
    ws.verify(dialog, sheet(), "P10002", PIN_B)
    ws.shot(dialog, "receipt-wrong-patient")
    assert dialog.state.outcome == "stopped"
    shown = dialog.form.doneLabel.text() + dialog.form.messageLabel.text()
    assert "chain-of-identity number on the shipper label differs from the Lot Information " \
           "Sheet" in shown
    assert "000999" not in shown and "000417" not in shown
    assert not awaiting_infusion(ws.store)


def _on_screen(widget) -> str:
    """Every text a person can see in `widget` and its visible children."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

    texts = []
    for w in [widget, *widget.findChildren(QWidget)]:
        if w.isVisibleTo(widget) and isinstance(w, QLabel | QLineEdit | QAbstractButton):
            texts.append(w.text())
    return "\n".join(texts)


def test_the_double_check_is_blind_until_both_agree(station: Workstation) -> None:
    """Issue 25, item 2: nothing of the first entry (nor the patient it must match) is on the
    receipt dialog behind the verifier, before, during and after a refused verification."""
    from kresladi_bedside.qt.receipt_verify import ReceiptVerifyDialog

    ws = station
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    ws.scan(SAMPLE.mrn)
    ws.enter_receipt(dialog, celsius=-182, location="LN2 tank 2")
    assert dialog.state.step() == "verify", dialog.form.messageLabel.text()
    typed = sheet()
    secrets = [typed["name"], typed["dob"], typed["mrn"], "9.5 kg",
               *(f"{b['volume_ml']:g} mL" for b in typed["bags"]),
               *(f"{b['cd34_per_kg'] / 1e6:g} ×" for b in typed["bags"])]

    def shown() -> list[str]:
        text = _on_screen(dialog)
        return [s for s in secrets if s in text]

    assert shown() == []
    check = ReceiptVerifyDialog(dialog)
    check.show()
    assert [s for s in secrets if s in _on_screen(check)] == []
    check.close()
    refused = ws.verify(dialog, sheet(weight_kg=9.9), "P10002", PIN_B)  # one value differs
    assert refused is not None and not refused.accepted
    assert shown() == []  # …still nothing next to the refusal
    ws.verify(dialog, typed, "P10002", PIN_B)
    assert dialog.state.outcome == "received", dialog.form.messageLabel.text()
    assert typed["name"] in _on_screen(dialog)  # both agree: shown for the record


def test_a_wristband_scanned_at_the_patient_step_gives_its_mrn(station: Workstation) -> None:
    """Issue 25, item 8: the wristband's QR is not taken whole for the MRN."""
    ws = station
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    ws.scan(samples.wristband_payload())
    assert dialog.state.mrn == SAMPLE.mrn, dialog.form.messageLabel.text()


def test_enter_in_the_receipt_dialog_presses_no_button_nobody_chose(station: Workstation) -> None:
    """Issue 25, item 8: Enter opened "Type an identifier" (the dialog's first button)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication, QPushButton

    ws = station
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    ws.scan(SAMPLE.mrn)
    assert dialog.state.step() == "labels"
    assert [b.text() for b in dialog.findChildren(QPushButton)
            if b.isDefault() or b.autoDefault()] == []
    dialog.form.concernEdit.setFocus()
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(dialog.form.concernEdit,
                               QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier,
                                         "\r"))
    assert QApplication.activeModalWidget() is dialog


def test_a_success_is_not_in_the_error_colour(station: Workstation) -> None:
    """Issue 25, item 13: "Concern recorded" was shown in the error red."""
    ws = station
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    ws.scan(SAMPLE.mrn)
    label = dialog.form.messageLabel
    dialog.form.concernEdit.setText("Shipper lid dented")
    dialog.form.concernButton.click()
    assert "Concern recorded" in label.text()
    assert label.palette().color(label.foregroundRole()).name() == "#0b5d1e"
    dialog.form.storageButton.click()  # nothing entered: refused, in the error colour
    assert label.text() and label.palette().color(label.foregroundRole()).name() == "#8b0000"


def test_the_receipt_prints_from_the_receipt_view_off_the_gui_thread(
        station: Workstation, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 25, item 7: a receipt cannot be printed at all. Now its own record prints from the
    pharmacy's receipt view (here saved as PDF through the same question as the record)."""
    from pypdf import PdfReader
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

    ws = station
    dialog = receive(ws)
    if dialog.state.outcome is None:  # nothing to print before it ends
        assert not dialog.printButton.isVisibleTo(dialog)
        dialog.form.completeButton.click()
    assert dialog.state.outcome == "received"
    assert dialog.printButton.isVisibleTo(dialog)
    # the cassettes' expiry as a local date and time, not the label's ISO (item 14)
    shown = dialog.form.progressLabel.text()
    assert "30 Nov 2035, 12:00" in shown and "2035-11-30T12:00" not in shown, shown
    pdf = tmp_path / "receipt.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(pdf), "PDF (*.pdf)")))
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        asked.append(box.text())
        next(b for b in box.buttons() if "PDF" in b.text().replace("&", "")).click()

    QTimer.singleShot(0, answer)
    dialog.printButton.click()
    assert asked and asked[0].startswith("KRESLADI receipt receipt-")
    qtbot.waitUntil(lambda: not ws.window.records.busy, timeout=60_000)
    last = ws.window.records.jobs.last
    assert last is not None and last.error is None and last.pages >= 1, last
    text = "".join(p.extract_text() or "" for p in PdfReader(pdf).pages)
    for expected in ("KRESLADI receipt record", "RECEIVED", "LN2 tank 2", "-182 °C"):
        assert expected in " ".join(text.split()), expected


def test_the_order_file_button_is_for_it_not_for_every_nurse(station: Workstation) -> None:
    """Issue 25, item 14: "Open order file… is for IT and tests only" was shown to every nurse.
    On a clinical workstation a nurse no longer sees it; an administrator (IT) does."""
    ws = station
    ws.sign_in("N20002", PIN_N)
    page = ws.window.current_page()
    assert page.step_name in ("new", "order")
    assert not page.form.openOrderButton.isVisibleTo(page)
    ws.sign_in("A10001", "58204716")
    page = ws.window.current_page()
    page.refresh()
    assert page.form.openOrderButton.isVisibleTo(page)
