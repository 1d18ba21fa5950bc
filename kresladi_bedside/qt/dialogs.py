"""The deliberate side paths: a signed deviation, a witness's signature, and typing a label that
cannot be scanned. Each is a Designer form inside a dialog; the people layer checks who signs and
the engine decides what it is worth."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from ..engine import Deviation, Signature
from ..labels.model import Source
from ..people import People, PeopleError
from .forms import load_form

WITNESS_REASONS = {
    "identity_initial": "the identity check before thaw (wristband, shipper, cassettes, bags)",
    "identity_bedside": "the identity check at the bedside, before infusion",
    "typed_identifier": "an identifier typed by hand instead of scanned",
    "deviation": "a deviation from a limit",
}


class DeviationDialog(QDialog):
    """A limit was passed: continuing needs a reason and the signed-in nurse's signature (the PIN
    again only when the people layer asks for it, outside a continuous session)."""

    def __init__(self, rule_text: str, people: People, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Deviation: reason and signature")
        self.setAccessibleName("Deviation dialog")
        self.form = load_form("deviation.ui")
        QVBoxLayout(self).addWidget(self.form.widget)
        self.form.ruleLabel.setText(rule_text)
        self._people = people
        self.deviation: Deviation | None = None
        self.signature: Signature | None = None
        user = people.current_user
        self.pin_needed = people.needs_pin_to_sign()
        signer = user.name if user else "nobody (sign in first)"
        self.form.signerLabel.setText(
            f"Signed by: {signer} — meaning: reason for deviation"
            + ("\nEnter your PIN to sign." if self.pin_needed else ""))
        self.form.pinEdit.setVisible(self.pin_needed)
        self.form.pinEdit.returnPressed.connect(self.sign)
        self.form.signButton.clicked.connect(self.sign)
        self.form.cancelButton.clicked.connect(self.reject)
        _enter_signs(self.form)
        self.form.reasonEdit.setFocus()
        self.resize(720, 440)

    def take_scan(self, payload: str, source: Source = "wedge") -> None:
        """A scan while the dialog is open is not a reason; say so rather than lose it."""
        self.form.messageLabel.setText("A scan is not needed here: write the reason and sign.")

    def sign(self) -> None:
        reason = self.form.reasonEdit.toPlainText().strip()
        if not reason:
            self.form.messageLabel.setText("Write the reason for the deviation.")
            return
        pin = self.form.pinEdit.text() if self.pin_needed else None
        if pin == "":
            self.form.messageLabel.setText("Enter your PIN to sign.")
            self.form.pinEdit.setFocus()
            return
        try:
            signature = self._people.sign("deviation", pin=pin)
        except PeopleError as exc:
            self.form.pinEdit.clear()
            self.form.messageLabel.setText(str(exc))
            return
        self.deviation = Deviation(reason=reason, signed_by=signature.user)
        self.signature = signature
        self.accept()


def _enter_signs(form: Any) -> None:
    """Enter means sign, never Cancel (a dialog's first button is otherwise its default)."""
    form.cancelButton.setAutoDefault(False)
    form.signButton.setDefault(True)


class WitnessDialog(QDialog):
    """A second person signs as witness with their own badge (scanned) and PIN."""

    def __init__(self, reasons: list[str], people: People, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Witness: second person's badge and PIN")
        self.setAccessibleName("Witness dialog")
        self.form = load_form("witness.ui")
        QVBoxLayout(self).addWidget(self.form.widget)
        performer = people.current_user
        what = "; ".join(WITNESS_REASONS.get(r, r) for r in reasons)
        self.form.whatLabel.setText(
            f"A WITNESS is needed for {what}.\n"
            f"Nurse doing the step: {performer.name if performer else '—'}")
        self._people = people
        self._scanned: tuple[str, Source] | None = None
        self.signature: Signature | None = None
        self.form.signButton.clicked.connect(self.sign)
        self.form.pinEdit.returnPressed.connect(self.sign)
        self.form.cancelButton.clicked.connect(self.reject)
        _enter_signs(self.form)
        self.form.badgeEdit.setFocus()
        self.setMinimumSize(760, 480)

    def take_scan(self, payload: str, source: Source = "wedge") -> None:
        """The witness's badge, from the scanner."""
        self._scanned = (payload, source)
        self.form.badgeEdit.setText(payload)
        self.form.pinEdit.setFocus()

    def sign(self) -> None:
        text = self.form.badgeEdit.text()
        if not text.strip() or not self.form.pinEdit.text():
            # e.g. the scanner's own Enter after the badge: not an attempt, so not a failure
            self.form.messageLabel.setText("Witness: scan your badge and enter your PIN.")
            self.form.pinEdit.setFocus()
            return
        payload, source = self._scanned if self._scanned and self._scanned[0] == text \
            else (text, "typed")
        try:
            self.signature = self._people.witness(payload, self.form.pinEdit.text(),
                                                  source=source)
        except PeopleError as exc:
            self.form.pinEdit.clear()
            self.form.messageLabel.setText(str(exc))
            return
        self.accept()


class TypedEntryDialog(QDialog):
    """Typing a label's contents: a separate path that always records why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Type an identifier (not a scan)")
        self.setAccessibleName("Typed entry dialog")
        self.form = load_form("typed.ui")
        QVBoxLayout(self).addWidget(self.form.widget)
        self.payload = ""
        self.reason = ""
        self.form.submitButton.clicked.connect(self.submit)
        self.form.cancelButton.clicked.connect(self.reject)
        self.form.payloadEdit.setFocus()
        self.resize(720, 360)

    def submit(self) -> None:
        payload = self.form.payloadEdit.text().strip()
        reason = self.form.reasonEdit.text().strip()
        if not payload:
            self.form.messageLabel.setText("Type what the label says.")
            return
        if not reason:
            self.form.messageLabel.setText("Say why the label cannot be scanned.")
            return
        self.payload, self.reason = payload, reason
        self.accept()
