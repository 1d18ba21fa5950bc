"""The signed acts of custody in the window: a reason signed by the nurse (PIN always: it opens
or moves a product), then a witness with their own badge and PIN (`dialogs.WitnessDialog`).
Used to open a product while the hospital's server cannot say who holds it, and to take over
a procedure from another workstation."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from ..engine import Signature
from ..labels.model import Source
from ..people import People, PeopleError
from .dialogs import WitnessDialog, _button, _text_label


class SignedReasonDialog(QDialog):
    """What is about to happen, why (recorded), and the signed-in nurse's PIN."""

    def __init__(self, title: str, text: str, action: str, people: People,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(f"{title} dialog")
        self._people = people
        self.reason = ""
        self.signature: Signature | None = None
        layout = QVBoxLayout(self)
        self.textLabel = _text_label(text)
        self.textLabel.setStyleSheet("font-size: 20px; font-weight: bold;")
        layout.addWidget(self.textLabel)
        layout.addWidget(_text_label("Why? (recorded, with both signatures)"))
        self.reasonEdit = QPlainTextEdit()
        self.reasonEdit.setAccessibleName("Reason")
        self.reasonEdit.setTabChangesFocus(True)
        self.reasonEdit.setMaximumHeight(110)
        layout.addWidget(self.reasonEdit)
        user = people.current_user
        row = QHBoxLayout()
        row.addWidget(_text_label(f"Signed by: {user.name if user else '—'} — PIN:"))
        self.pinEdit = QLineEdit()
        self.pinEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pinEdit.setAccessibleName("PIN to sign")
        self.pinEdit.returnPressed.connect(self.sign)
        row.addWidget(self.pinEdit)
        layout.addLayout(row)
        self.messageLabel = _text_label("")
        self.messageLabel.setMinimumHeight(48)
        layout.addWidget(self.messageLabel)
        buttons = QHBoxLayout()
        self.cancelButton = _button("&Cancel", "Cancel")
        self.signButton = _button(action, "Sign")
        self.signButton.setAutoDefault(False)
        self.cancelButton.setDefault(True)  # the safe answer
        buttons.addStretch(1)
        buttons.addWidget(self.cancelButton)
        buttons.addWidget(self.signButton)
        layout.addLayout(buttons)
        self.cancelButton.clicked.connect(self.reject)
        self.signButton.clicked.connect(self.sign)
        self.reasonEdit.setFocus()
        self.setMinimumWidth(820)

    def take_scan(self, payload: str, source: Source = "wedge") -> None:
        self.messageLabel.setText("A scan is not needed here: write the reason and sign.")

    def sign(self) -> None:
        reason = self.reasonEdit.toPlainText().strip()
        missing = [m for m, ok in (("write why", bool(reason)),
                                   ("enter your PIN", bool(self.pinEdit.text()))) if not ok]
        if missing:
            self.messageLabel.setText("Not signed — " + "; ".join(missing) + ".")
            return
        try:
            self.signature = self._people.sign("performed", pin=self.pinEdit.text())
        except PeopleError as exc:
            self.pinEdit.clear()
            self.messageLabel.setText(f"Not signed — {exc}")
            return
        self.reason = reason
        self.accept()


def ask_signed_reason(title: str, text: str, action: str, witness_for: str, people: People,
                      parent: QWidget | None) -> tuple[str, Signature, Signature] | None:
    """The reason, the nurse's signature and a witness's: None when either is cancelled."""
    dialog = SignedReasonDialog(title, text, action, people, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signature is None:
        return None
    witness = WitnessDialog([witness_for], people, parent)
    if witness.exec() != QDialog.DialogCode.Accepted or witness.signature is None:
        return None
    return dialog.reason, dialog.signature, witness.signature
