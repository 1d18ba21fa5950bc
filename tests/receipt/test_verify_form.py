"""Issue 25: the verifier's blind form asks exactly the rule's fields (receipt/blind.py)
and holds nothing of the first entry in any of its widgets, shown or hidden."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLabel, QLineEdit, QWidget

from kresladi_bedside.qt.receipt_sheet import entry_of
from kresladi_bedside.qt.receipt_verify import ReceiptVerifyDialog

from .conftest import EHR_SAMPLE, PIN_A, PIN_B, SAMPLE, sheet
from .test_receipt_window import station  # noqa: F401  (the fixture)
from .workstation import Workstation

EVERY = ("mrn", "name", "dob", "coi", "patient_id", "weight_kg", "sheet_bag_count",
         "bag1.cd34_per_kg", "bag1.volume_ml", "bag2.cd34_per_kg", "bag2.volume_ml")


def to_verify(ws: Workstation, *, ehr: bool) -> object:
    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    if ehr:  # the EHR's answer for the MRN, as sync.lookup gives it (tests/integration: real)
        dialog.form.mrnEdit.setText(SAMPLE.mrn)
        dialog._open(SAMPLE.mrn, EHR_SAMPLE.to_dict())
    else:  # a workstation without an EHR: the scanned MRN alone
        ws.scan(SAMPLE.mrn)
    ws.enter_receipt(dialog, celsius=-182, location="LN2 tank 2")
    assert dialog.state.step() == "verify", dialog.form.messageLabel.text()
    return dialog


def every_text(widget: QWidget) -> str:
    """Every text any widget of `widget` holds, visible or not (and every entry's contents)."""
    texts = [widget.windowTitle()]
    for w in [widget, *widget.findChildren(QWidget)]:
        if isinstance(w, QLabel | QLineEdit | QAbstractButton):
            texts.append(w.text())
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        if isinstance(w, QAbstractSpinBox):
            texts.append(w.text())
        texts += [w.toolTip(), w.accessibleName(), w.accessibleDescription()]
    return "\n".join(texts)


def asked(check: ReceiptVerifyDialog) -> tuple[str, ...]:
    return tuple(k for k in EVERY if entry_of(check.form, k).isVisibleTo(check))


def open_form(ws: Workstation, *, ehr: bool) -> tuple[object, ReceiptVerifyDialog]:
    """The receipt up to the double check, and the verifier's form open over it."""
    dialog = to_verify(ws, ehr=ehr)
    check = ReceiptVerifyDialog(dialog)
    check.show()
    return dialog, check


def test_with_the_ehr_patient_the_form_asks_the_five_kinds_and_shows_nothing_typed(
        station: Workstation) -> None:  # noqa: F811
    ws = station
    dialog, check = open_form(ws, ehr=True)
    assert asked(check) == ("coi", "patient_id", "weight_kg", "bag1.cd34_per_kg",
                            "bag1.volume_ml", "bag2.cd34_per_kg", "bag2.volume_ml")
    assert not check.form.vmrnLabel.isVisibleTo(check)
    assert check.focusWidget() is check.form.coiEdit  # the keyboard in the first asked entry
    what = check.form.instructionLabel.text()
    assert "against the EHR's patient" in what and "against the cassettes scanned" in what
    typed = sheet()
    first = [typed["name"], typed["mrn"], typed["dob"], typed["coi"], typed["patient_id"],
             "9.5", "RIVERA", EHR_SAMPLE.name, "Mateo",
             *(f"{b['cd34_per_kg'] / 1e6:g}" for b in typed["bags"])]
    text = every_text(check)
    assert [s for s in first if s in text] == []
    check.close()
    # the verifier types only what is asked: agreed, received
    outcome = ws.verify(dialog, typed, "P10002", PIN_B)
    assert outcome is not None and outcome.accepted, dialog.form.messageLabel.text()
    assert dialog.state.outcome == "received", dialog.form.messageLabel.text()


def test_offline_the_form_asks_mrn_name_and_date_of_birth_too(
        station: Workstation) -> None:  # noqa: F811
    ws = station
    dialog, check = open_form(ws, ehr=False)
    assert asked(check) == ("mrn", "name", "dob", "coi", "patient_id", "weight_kg",
                            "bag1.cd34_per_kg", "bag1.volume_ml", "bag2.cd34_per_kg",
                            "bag2.volume_ml")
    assert check.focusWidget() is check.form.sheetMrnEdit
    assert check.form.vnameLabel.isVisibleTo(check)
    typed = sheet()
    text = every_text(check)
    assert [s for s in (typed["name"], typed["mrn"], typed["coi"], "9.5") if s in text] == []
    check.close()
    # a hidden entry typed into (it cannot be, by a person) is not read: the shown ones are
    refused = ws.verify(dialog, sheet(name="RIVERA, MARIO"), "P10002", PIN_B)
    assert refused is not None and refused.rejection.details["field"] == "name"
    assert "MARIO" not in dialog.form.messageLabel.text()
