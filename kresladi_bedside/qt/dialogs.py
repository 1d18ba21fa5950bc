"""The two deliberate side paths: a signed deviation, and typing a label that cannot be scanned.
Both are Designer forms inside a dialog; the engine decides what they are worth."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from ..clock import Clock
from ..engine import Deviation, Signature
from .forms import load_form
from .signin import SignIn, SignInRefused


class DeviationDialog(QDialog):
    """A limit was passed: continuing needs a reason and the signer's badge and PIN."""

    def __init__(self, rule_text: str, signin: SignIn, clock: Clock,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Deviation: reason and signature")
        self.setAccessibleName("Deviation dialog")
        self.form = load_form("deviation.ui")
        QVBoxLayout(self).addWidget(self.form.widget)
        self.form.ruleLabel.setText(rule_text)
        self._signin, self._clock = signin, clock
        self.deviation: Deviation | None = None
        self.signature: Signature | None = None
        self.form.signButton.clicked.connect(self.sign)
        self.form.cancelButton.clicked.connect(self.reject)
        self.form.reasonEdit.setFocus()
        self.resize(720, 480)

    def take_scan(self, payload: str) -> None:
        """A badge scanned while the dialog is open fills the signer's badge."""
        self.form.badgeEdit.setText(payload)
        self.form.pinEdit.setFocus()

    def sign(self) -> None:
        reason = self.form.reasonEdit.toPlainText().strip()
        if not reason:
            self.form.messageLabel.setText("Write the reason for the deviation.")
            return
        try:
            who = self._signin.authenticate(self.form.badgeEdit.text(), self.form.pinEdit.text())
        except SignInRefused as exc:
            self.form.messageLabel.setText(str(exc))
            return
        self.deviation = Deviation(reason=reason, signed_by=who.user_id)
        self.signature = Signature(who.user_id, who.name, "deviation", self._clock.now())
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
