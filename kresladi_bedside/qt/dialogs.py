"""The deliberate side paths: a signed deviation, a witness's signature, and typing a label that
cannot be scanned (each a Designer form inside a dialog); a yes/no question; a reason signed with
the PIN (`SignedReasonDialog`: the stop, opening offline, taking over). The people layer checks
who signs and the engine decides what it is worth."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..engine import Deviation, Signature
from ..labels.model import Source
from ..people import People, PeopleError
from ..people.roles import WITNESS_ROLES
from .forms import DeviationForm, TypedForm, WitnessForm

WITNESS_REASONS = {
    "identity_initial": "the identity check before thaw (wristband, shipper, cassettes, bags)",
    "identity_bedside": "the identity check at the bedside, before infusion",
    "typed_identifier": "an identifier typed by hand instead of scanned",
    "deviation": "a deviation from a limit",
    "offline_opening": "opening a product while the hospital's server cannot say who holds "
                       "it",
    "take_over": "taking over a procedure from another workstation",
    "receipt_import": "a receipt file from another workstation (a pharmacist or an "
                      "administrator signs)",
}


class DeviationDialog(QDialog):
    """A limit was passed: continuing needs a reason and the signed-in nurse's signature (the PIN
    again only when the people layer asks for it, outside a continuous session)."""

    def __init__(self, rule_text: str, people: People, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Deviation: reason and signature")
        self.setAccessibleName("Deviation dialog")
        self.form = DeviationForm.load()
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

    def __init__(self, reasons: list[str], people: People, parent: QWidget | None = None,
                 roles: tuple[str, ...] = WITNESS_ROLES) -> None:
        super().__init__(parent)
        self.roles = roles  # who may sign here (a receipt file: pharmacy or administrator)
        self.setWindowTitle("Witness: second person's badge and PIN")
        self.setAccessibleName("Witness dialog")
        self.form = WitnessForm.load()
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
                                                  source=source, roles=self.roles)
        except PeopleError as exc:
            self.form.pinEdit.clear()
            self.form.messageLabel.setText(str(exc))
            return
        self.accept()


TYPED_KINDS: tuple[tuple[str, str], ...] = (
    ("bag", "Bag label"), ("cassette", "Cassette label"),
)


class TypedEntryDialog(QDialog):
    """Typing a label's contents: a separate path that always records why, and which label it
    is (a cassette whose label is frosted is typed as a cassette, not taken for a bag)."""

    def __init__(self, parent: QWidget | None = None, kind: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Type an identifier (not a scan)")
        self.setAccessibleName("Typed entry dialog")
        self.form = TypedForm.load()
        QVBoxLayout(self).addWidget(self.form.widget)
        self.payload = ""
        self.reason = ""
        self.kind = ""
        self.scanned: tuple[str, Source] | None = None
        row = QHBoxLayout()
        row.addWidget(_text_label("Which label is it?"))
        self.kinds = QButtonGroup(self)
        for value, text in TYPED_KINDS:
            button = QRadioButton(text)
            button.setProperty("kind", value)
            button.setAccessibleName(text)
            button.setMinimumHeight(44)
            button.setChecked(value == kind)
            self.kinds.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        layout = self.form.widget.layout()
        assert isinstance(layout, QBoxLayout)  # typed.ui's top layout is a QVBoxLayout
        layout.insertLayout(1, row)
        self.form.submitButton.clicked.connect(self.submit)
        self.form.cancelButton.clicked.connect(self.reject)
        self.form.cancelButton.setAutoDefault(False)
        self.form.submitButton.setDefault(True)
        self.form.payloadEdit.setFocus()
        self.resize(760, 400)

    def take_scan(self, payload: str, source: Source = "wedge") -> None:
        """The label scanned after all: a scan beats typing. The dialog gives way and whoever
        opened it reads `scanned` as any scan (nothing typed here is recorded)."""
        self.scanned = (payload, source)
        self.reject()

    def choose(self, kind: str) -> None:
        for button in self.kinds.buttons():
            button.setChecked(button.property("kind") == kind)

    def submit(self) -> None:
        payload = self.form.payloadEdit.text().strip()
        reason = self.form.reasonEdit.text().strip()
        checked = self.kinds.checkedButton()
        missing = []
        if checked is None:
            missing.append("choose which label it is (bag or cassette)")
        if not payload:
            missing.append("type what the label says")
        if not reason:
            missing.append("say why the label cannot be scanned")
        if missing:
            self.form.messageLabel.setText("Not sent — " + "; ".join(missing) + ".")
            return
        assert checked is not None
        self.payload, self.reason, self.kind = payload, reason, str(checked.property("kind"))
        self.accept()


def _text_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setMinimumSize(200, 52)
    return button


def _safe_buttons(layout: QBoxLayout, safe: QPushButton, act: QPushButton) -> None:
    """The safe answer first and the default (Enter, Escape); the act beside it, never the
    default."""
    row = QHBoxLayout()
    act.setAutoDefault(False)
    safe.setDefault(True)
    row.addStretch(1)
    row.addWidget(safe)
    row.addWidget(act)
    layout.addLayout(row)


class ConfirmDialog(QDialog):
    """A yes/no question where "no" is the safe answer and the default (Enter, Escape)."""

    def __init__(self, title: str, text: str, yes: str, no: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        self.textLabel = _text_label(text)
        self.textLabel.setStyleSheet("font-size: 22px;")
        layout.addWidget(self.textLabel)
        self.yesButton = _button(yes, yes.replace("&", ""))
        self.noButton = _button(no, no.replace("&", ""))
        _safe_buttons(layout, self.noButton, self.yesButton)
        self.yesButton.clicked.connect(self.accept)
        self.noButton.clicked.connect(self.reject)
        self.noButton.setFocus()
        self.setMinimumWidth(720)


@dataclass(frozen=True)
class SignedAsk:
    """The words of a signed reason (`SignedReasonDialog`): (text, accessible name) pairs for
    the buttons; `tick`: a box the signer ticks first (what they understand); `refused`: the
    message's first words when something is missing."""

    title: str
    text: str
    sign: tuple[str, str]
    prompt: str = "Why? (recorded, with both signatures)"
    cancel: tuple[str, str] = ("&Cancel", "Cancel")
    banner: str | None = None
    tick: tuple[str, str, str] | None = None  # (its text, accessible name, missing: …)
    reason_name: str = "Reason"
    pin_name: str = "PIN to sign"
    refused: str = "Not signed"
    enter_signs: bool = True  # Enter in the PIN signs (False: it answers the safe Cancel)


class SignedReasonDialog(QDialog):
    """What is about to happen, why (recorded), and the signed-in user's signature: the PIN
    always (it ends a procedure, opens or moves a product). Cancel is the default. The stop
    (`StopDialog`) and the acts of custody (custody_dialogs.py) are this one shape."""

    def __init__(self, ask: SignedAsk, people: People, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ask = ask
        self.setWindowTitle(ask.title)
        self.setAccessibleName(f"{ask.title} dialog")
        self._people = people
        self.reason = ""
        self.signature: Signature | None = None
        layout = QVBoxLayout(self)
        if ask.banner:
            banner = _text_label(ask.banner)
            banner.setStyleSheet("font-size: 30px; font-weight: bold; color: #ffffff;"
                                 " background: #c00000; padding: 8px;")
            layout.addWidget(banner)
        self.textLabel = _text_label(ask.text)
        self.textLabel.setStyleSheet("font-size: 22px; font-weight: bold;")
        layout.addWidget(self.textLabel)
        layout.addWidget(_text_label(ask.prompt))
        self.reasonEdit = QPlainTextEdit()
        self.reasonEdit.setAccessibleName(ask.reason_name)
        self.reasonEdit.setTabChangesFocus(True)
        self.reasonEdit.setMaximumHeight(110)
        layout.addWidget(self.reasonEdit)
        self.understoodCheck: QCheckBox | None = None
        if ask.tick:
            self.understoodCheck = QCheckBox(ask.tick[0])
            self.understoodCheck.setAccessibleName(ask.tick[1])
            layout.addWidget(self.understoodCheck)
        user = people.current_user
        row = QHBoxLayout()
        row.addWidget(_text_label(f"Signed by: {user.name if user else '—'} — PIN:"))
        self.pinEdit = QLineEdit()
        self.pinEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pinEdit.setAccessibleName(ask.pin_name)
        if ask.enter_signs:
            self.pinEdit.returnPressed.connect(self.sign)
        row.addWidget(self.pinEdit)
        layout.addLayout(row)
        self.messageLabel = _text_label("")
        self.messageLabel.setObjectName("messageLabel")
        self.messageLabel.setMinimumHeight(56)
        layout.addWidget(self.messageLabel)
        self.cancelButton = _button(*ask.cancel)
        self.signButton = _button(*ask.sign)
        _safe_buttons(layout, self.cancelButton, self.signButton)
        self.cancelButton.clicked.connect(self.reject)
        self.signButton.clicked.connect(self.sign)
        self.reasonEdit.setFocus()
        self.setMinimumWidth(820)

    def take_scan(self, payload: str, source: Source = "wedge") -> None:
        tick = ", tick," if self.ask.tick else ""
        self.messageLabel.setText(f"A scan is not needed here: write the reason{tick} and "
                                  "sign.")

    def sign(self) -> None:
        reason = self.reasonEdit.toPlainText().strip()
        missing = [m for m, ok in (
            ("write why", bool(reason)),
            (self.ask.tick[2] if self.ask.tick else "",
             self.understoodCheck is None or self.understoodCheck.isChecked()),
            ("enter your PIN", bool(self.pinEdit.text()))) if not ok]
        if missing:
            self.messageLabel.setText(f"{self.ask.refused} — " + "; ".join(missing) + ".")
            return
        try:
            self.signature = self._people.sign("performed", pin=self.pinEdit.text())
        except PeopleError as exc:
            self.pinEdit.clear()
            self.messageLabel.setText(f"{self.ask.refused} — {exc}")
            return
        self.reason = reason
        self.accept()


STOP_CONSEQUENCE = (
    "Stopping ENDS this procedure for good. No further step can be recorded for it: no thaw, "
    "no infusion, no flush. Any bag not yet given must not be given under this procedure; keep "
    "the product and call the manufacturer. This cannot be undone.")
STOP = SignedAsk(
    "Stop the procedure", STOP_CONSEQUENCE, ("S&ign and STOP the procedure", "Sign and stop"),
    prompt="Why is the procedure ending? (recorded)", cancel=("Do &not stop", "Do not stop"),
    banner="STOP THE PROCEDURE?",
    tick=("I understand: the procedure ends now and cannot be continued.",
          "I understand the procedure ends", "tick that you understand the procedure ends"),
    reason_name="Reason for stopping", pin_name="PIN to sign the stop", refused="Not stopped",
    enter_signs=False)  # it cannot be undone: Enter answers "Do not stop"


class StopDialog(SignedReasonDialog):
    """Ending the procedure on purpose: the consequence spelled out, a reason, a tick that the
    nurse understands, and their signature (PIN always: it ends the procedure)."""

    def __init__(self, people: People, parent: QWidget | None = None) -> None:
        super().__init__(STOP, people, parent)
        self.consequenceLabel = self.textLabel
        self.stopButton = self.signButton
        self.stopButton.setStyleSheet("background: #c00000; color: #ffffff;")


class CorrectionDialog(QDialog):
    """Correct a recorded saline flush volume: which bag, the right volume, and why. The engine
    records it as a new event pointing at the old one (nothing is overwritten)."""

    def __init__(self, flushes: list[tuple[int, float, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correct a recorded flush volume")
        self.setAccessibleName("Flush correction dialog")
        layout = QVBoxLayout(self)
        layout.addWidget(_text_label(
            "The recorded volume stays on the record; the correction is added beside it with "
            "your name and reason."))
        self.bagCombo = QComboBox()
        self.bagCombo.setAccessibleName("Which bag's flush")
        for bag, volume, event_id in flushes:
            self.bagCombo.addItem(f"Bag {bag}: recorded {volume:g} mL", (bag, event_id))
        layout.addWidget(self.bagCombo)
        row = QHBoxLayout()
        row.addWidget(_text_label("Correct volume:"))
        self.volumeSpin = QDoubleSpinBox()
        self.volumeSpin.setAccessibleName("Correct flush volume in millilitres")
        self.volumeSpin.setDecimals(1)
        self.volumeSpin.setMaximum(10000)
        self.volumeSpin.setSuffix(" mL")
        self.volumeSpin.setSpecialValueText(" ")  # empty until typed, never a silent 0
        row.addWidget(self.volumeSpin)
        row.addStretch(1)
        layout.addLayout(row)
        self.reasonEdit = QLineEdit()
        self.reasonEdit.setAccessibleName("Reason for the correction")
        self.reasonEdit.setPlaceholderText("Why (required), e.g. misread the syringe")
        layout.addWidget(self.reasonEdit)
        self.messageLabel = _text_label("")
        self.messageLabel.setObjectName("messageLabel")
        self.messageLabel.setMinimumHeight(56)
        layout.addWidget(self.messageLabel)
        buttons = QHBoxLayout()
        self.cancelButton = _button("Cancel", "Cancel")
        self.saveButton = _button("&Record the correction", "Record the correction")
        self.cancelButton.setAutoDefault(False)
        self.saveButton.setDefault(True)
        buttons.addStretch(1)
        buttons.addWidget(self.cancelButton)
        buttons.addWidget(self.saveButton)
        layout.addLayout(buttons)
        self.cancelButton.clicked.connect(self.reject)
        self.saveButton.clicked.connect(self.save)
        self.event_id = ""
        self.volume = 0.0
        self.reason = ""
        self.setMinimumWidth(720)

    def save(self) -> None:
        if self.volumeSpin.value() == self.volumeSpin.minimum():
            self.messageLabel.setText("Enter the correct volume in mL.")
            return
        if not self.reasonEdit.text().strip():
            self.messageLabel.setText("Say why the volume is corrected.")
            return
        self.event_id = self.bagCombo.currentData()[1]
        self.volume = self.volumeSpin.value()
        self.reason = self.reasonEdit.text().strip()
        self.accept()
