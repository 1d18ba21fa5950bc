"""Issue 25, item 8, the receipt dialog's two findings with real X key events (xdotool), under a
window manager and without one: Enter in the dialog presses no button nobody chose (it opened
"Type an identifier"), and a wristband's QR scanned at the patient step gives its MRN (it was
taken whole for the MRN). The pharmacist signs in with her own badge and PIN; the dialog opens
window-modal over the bedside window, as *Receipt ▸ Receive a product…* opens it."""

from __future__ import annotations

import pytest

from kresladi_bedside.labels import samples as S

from .app import human_delay

PHARMACIST = ("from kresladi_bedside.qt.signin import TRAINING_NURSE\n"
              "from kresladi_bedside.labels.samples import badge_payload\n"
              "admin = b.people.sign_in(TRAINING_NURSE.payload(), TRAINING_NURSE.pin)\n"
              "b.people.add_user('Priya Shah', 'P10001', '40172958', ['pharmacy'], by=admin.id)\n"
              "b.people.add_user('Leo Martin', 'P10002', '73915864', ['pharmacy'], by=admin.id)\n"
              "b.people.sign_in(badge_payload(badge='P10001', name=None), '40172958')\n"
              "d = b.window.procedure_actions.receive_product()")
TYPED = "type(QApplication.activeModalWidget()).__name__ == 'TypedEntryDialog'"


def test_enter_in_the_receipt_dialog_does_its_entry_s_step_and_opens_nothing(bedside_xx) -> None:
    b = bedside_xx()
    b.run(PHARMACIST)
    b.wait_until("QApplication.activeModalWidget() is d")
    b.ensure_focus()
    b.run("d.form.mrnEdit.setFocus()")
    b.wait_until("focus() == 'Patient MRN<QLineEdit>'")
    b.type(S.SAMPLE_PATIENT.mrn + "\r", human_delay())  # the MRN typed, Enter: find the patient
    b.wait_until(f"d.state.step() == 'labels' or {TYPED}")
    assert b.eval("QApplication.activeModalWidget() is d")
    b.run("d.form.concernEdit.setFocus()")
    b.wait_until("focus() == 'Concern<QLineEdit>'")
    b.type("\r", human_delay())  # Enter in an entry with nothing to do: nothing happens
    b.settle(0.6)
    assert b.eval("QApplication.activeModalWidget() is d"), b.eval("focus()")
    assert b.eval("d.state.step()") == "labels"
    assert b.eval("d.isVisible()")


def test_a_wristband_scanned_at_the_patient_step_gives_its_mrn(bedside_xx) -> None:
    b = bedside_xx()
    b.run(PHARMACIST)
    b.wait_until("QApplication.activeModalWidget() is d")
    b.scan(S.wristband_payload())  # MRN:…|NAME:…|DOB:… at 1 ms a key, Shift for each capital
    b.wait_until("d.state.step() != 'new' or d.form.messageLabel.text()")
    assert b.eval("d.state.mrn") == S.SAMPLE_PATIENT.mrn, b.eval("d.form.messageLabel.text()")
    assert b.eval("d.form.mrnEdit.text()") == S.SAMPLE_PATIENT.mrn


SITE_LIST = ("import dataclasses\n"
             "from kresladi_bedside.config import ReceiptConfig\n"
             "b.window.site = dataclasses.replace(b.window.site, receipt=ReceiptConfig("
             "storage_positions=('LN2 tank 1 A1', 'LN2 tank 2 B4')))\n")
EHR_ANSWER = ("d.form.mrnEdit.setText({mrn!r})\n"
              "d._open({mrn!r}, {{'mrn': {mrn!r}, 'name': 'Rivera, Mateo', "
              "'dob': '2024-03-15', 'reference': 'Patient/p1'}})")


@pytest.mark.parametrize("ehr", [True, False], ids=["ehr-patient", "offline"])
def test_the_receipt_is_typed_from_the_keyboard_as_the_effort_count_assumes(
        bedside_xx, ehr: bool) -> None:
    """tests/receipt/test_effort_real_path.py counts no click into an entry and one Tab between
    entries: each step's page opens with the keyboard in its first entry, and Tab goes through
    the Lot Information Sheet in the order it is printed; the storage position is picked from
    the site's list with two clicks; the verifier's blind form asks only the rule's fields
    (receipt/blind.py: with the EHR's patient, not MRN, name nor DOB; offline, those
    too; never the bag count, checked against the cassettes) and Tab goes through them."""
    b = bedside_xx()
    b.run(SITE_LIST + PHARMACIST)
    b.wait_until("QApplication.activeModalWidget() is d and focus() == 'Patient MRN<QLineEdit>'")
    p = S.SAMPLE_PATIENT
    if ehr:  # the EHR's answer for the MRN, as sync.lookup gives it (a real server: integration)
        b.run(EHR_ANSWER.format(mrn=p.mrn))
    labels = (S.shipper_payload(), S.cassette_payload(1), S.cassette_payload(2))
    for payload in labels if ehr else (p.mrn, *labels):
        b.scan(payload)
        b.settle(0.3)
    b.wait_until("d.state.step() == 'storage'")
    b.wait_until("focus() == 'Storage temperature in degrees Celsius<QDoubleSpinBox>'")
    b.type("-182\t", human_delay())
    b.wait_until("focus() == 'Storage unit and position<QComboBox>'")
    b.click("d.positions")  # the list opens…
    b.wait_until("d.positions.view().isVisible()")
    x, y = b.eval("(lambda v: (lambda r: (v.viewport().mapToGlobal(r.center()).x(), "
                  "v.viewport().mapToGlobal(r.center()).y()))(v.visualRect("
                  "v.model().index(1, 0))))(d.positions.view())")
    b.x.xdotool("mousemove", "--sync", str(x), str(y))
    b.x.xdotool("click", "1")  # …and its item
    b.wait_until("d.positions.currentText() == 'LN2 tank 2 B4'")
    b.click("d.form.storageButton")
    b.wait_until("d.state.step() == 'sheet' or d.form.messageLabel.text()")
    assert b.eval("d.state.step()") == "sheet", b.eval("d.form.messageLabel.text()")
    assert b.eval("d.state.storage_location") == "LN2 tank 2 B4"
    b.wait_until("focus() == 'MRN on the sheet<QLineEdit>'")
    typed = [p.mrn, "RIVERA, MATEO", "20240315", p.coi, p.patient_id, "9.5", "2",
             "3.1", "20", "1.9", "20"]
    b.type("\t".join(typed), human_delay())
    b.click("d.form.enterButton")
    b.wait_until("d.state.step() == 'verify' or d.form.messageLabel.text()")
    assert b.eval("d.state.step()") == "verify", b.eval("d.form.messageLabel.text()")
    sheet = b.eval("(lambda s: [s.mrn, s.name, s.dob.isoformat(), s.coi, s.patient_id, "
                   "s.weight_kg, s.sheet_bag_count] + [[x.cd34_per_kg, x.volume_ml] "
                   "for x in s.bags])(d.state.sheet)")
    assert sheet == [p.mrn, "RIVERA, MATEO", "2024-03-15", p.coi, p.patient_id, 9.5, 2,
                     [3.1e6, 20.0], [1.9e6, 20.0]]
    assert b.eval("d.state.storage_celsius") == -182
    # the second person: the blind form opens with the keyboard in its first asked entry; the
    # asked values, Tab between them; her badge scanned; her PIN and Enter: agreed, received
    b.click("d.form.verifyButton")
    b.wait_until("type(QApplication.activeModalWidget()).__name__ == 'ReceiptVerifyDialog'")
    blind = typed[3:6] + typed[7:] if ehr else typed[:6] + typed[7:]
    first = "Chain-of-identity number on the sheet" if ehr else "MRN on the sheet"
    b.wait_until(f"focus() == '{first}<QLineEdit>'")
    assert b.eval("QApplication.activeModalWidget().retyped") == (
        ["coi", "patient_id", "weight_kg"] if ehr else
        ["mrn", "name", "dob", "coi", "patient_id", "weight_kg"]) + [
        "bag1.cd34_per_kg", "bag1.volume_ml", "bag2.cd34_per_kg", "bag2.volume_ml"]
    b.type("\t".join(blind), human_delay())
    b.scan("BADGE:P10002")
    b.wait_until("focus() == 'Verifier PIN<QLineEdit>'")
    b.type("73915864\r", human_delay())
    b.wait_until("d.state.outcome is not None or d.form.messageLabel.text()")
    assert b.eval("d.state.outcome") == "received", b.eval("d.form.messageLabel.text()")
