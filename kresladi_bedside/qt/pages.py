"""One wizard page per engine step. Each loads its Designer form, turns the nurse's actions into
engine commands, and shows what the engine answers. `isComplete`, `validatePage` and `nextId`
all ask the engine where the procedure is; no page knows a limit, a dose or a time rule."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, Qt, QTimer, QTimeZone
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateTimeEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ..engine import Order, OrderError, Outcome
from ..engine.steps import Step, labels_needed
from ..engine.summary import any_given, flush_text, stop_summary
from ..labels.model import Source
from ..people import PeopleError
from ..profile import Instruction
from .display import (
    LABEL_NAMES,
    accepted_text,
    deviation_line,
    display_name,
    flush_total_text,
    parse_local_time,
    reason_words,
    refusal_text,
    step_title,
    stop_view,
    window_sentence,
)
from .forms import load_form
from .one_press import carry_on, enter_moves_on, focus_first
from .session import Result
from .signin import training_signin_text

if TYPE_CHECKING:
    from .host import PageHost

MESSAGE_PX = 60  # two lines at 20 px: the reason (first) always shows; a long citation is cut
THAW_METHODS = (("water_bath", "37 °C water bath"), ("dry", "Dry thaw"))


class AttestList:
    """The profile's attestations for a step, as check boxes (or, where the profile lists the
    possible answers, one large radio button per answer: a drop-down is hard to use with gloves
    and closes under a hurried click). Unconfirmed items are left out: the engine names what is
    missing."""

    def __init__(self, box: QWidget, items: tuple[Instruction, ...]) -> None:
        self.widgets: dict[str, QCheckBox | QButtonGroup] = {}
        self.texts: dict[str, str] = {}
        self.by_button: str | None = None
        self.together = False
        layout = box.layout()
        for item in items:
            self.texts[item.id] = item.text
            if item.values:
                text = QLabel(item.text)
                text.setTextFormat(Qt.TextFormat.PlainText)
                text.setWordWrap(True)
                layout.addWidget(text)
                row = QHBoxLayout()
                group = QButtonGroup(box)
                for value in item.values:
                    radio = QRadioButton(value)
                    radio.setAccessibleName(f"{item.text}: {value}")
                    radio.setProperty("value", value)
                    group.addButton(radio)
                    row.addWidget(radio)
                row.addStretch(1)
                layout.addLayout(row)
                self.widgets[item.id] = group
            else:
                check = QCheckBox(item.text)
                check.setAccessibleName(item.text)
                check.setMinimumHeight(44)
                layout.addWidget(check)
                self.widgets[item.id] = check

    def as_button(self, box: QWidget, button: Any, action: str) -> None:
        """A step with one plain attestation is attested by its own button: the button says the
        sentence, and pressing it is the attestation (one press, never a forgotten tick)."""
        if len(self.widgets) != 1:
            return
        key, w = next(iter(self.widgets.items()))
        if not isinstance(w, QCheckBox):
            return
        self.by_button = key
        box.setVisible(False)
        button.setText(f"{self.texts[key]} — {action}")
        button.setAccessibleName(f"{action}: {self.texts[key]}")

    def as_one(self, box: QWidget, button: Any, action: str) -> None:
        """Instructions acknowledged together (the profile's `[acknowledge] together`): each
        sentence stays on the page in full, one press acknowledges them all, and each is
        recorded as acknowledged (the same record as ticking every box)."""
        if not self.widgets or not all(isinstance(w, QCheckBox) for w in self.widgets.values()):
            return
        layout = box.layout()
        for key, w in self.widgets.items():
            assert isinstance(w, QCheckBox)
            line = QLabel(f"• {self.texts[key]}")
            line.setTextFormat(Qt.TextFormat.PlainText)
            line.setWordWrap(True)
            line.setAccessibleName(self.texts[key])
            layout.insertWidget(layout.indexOf(w), line)
            w.setVisible(False)
        self.together = True
        button.setText(f"These instructions are given and in place — {action}")
        button.setAccessibleName(f"{action.replace('&', '')}: these instructions are given "
                                 "and in place")

    def values(self) -> dict[str, Any]:
        if self.by_button:
            return {self.by_button: True}  # the button's own sentence was pressed
        if self.together:
            return {key: True for key in self.widgets}  # every sentence shown was acknowledged
        out: dict[str, Any] = {}
        for key, w in self.widgets.items():
            if isinstance(w, QCheckBox):
                if w.isChecked():
                    out[key] = True
            elif w.checkedButton() is not None:
                out[key] = w.checkedButton().property("value")
        return out

    def unanswered(self) -> list[str]:
        """The items not ticked or chosen, in words (to list them all at once)."""
        given = self.values()
        return [self.texts[key] for key in self.widgets if key not in given]

    def text_of(self, key: str) -> str:
        return self.texts[key]

    def set_one(self, key: str) -> None:
        w = self.widgets[key]
        if isinstance(w, QCheckBox):
            w.setChecked(True)
        else:
            w.buttons()[0].setChecked(True)

    def choose(self, key: str, value: str) -> None:
        w = self.widgets[key]
        assert isinstance(w, QButtonGroup)
        next(b for b in w.buttons() if b.property("value") == value).setChecked(True)

    def set_all(self) -> None:
        """Tick every box and take each choice's first answer (tests and screenshots)."""
        for key in self.widgets:
            self.set_one(key)


def scrolling(widget: QWidget) -> QScrollArea:
    # QWizard is as tall as its tallest page; scrolling keeps the header's clocks from being
    # squeezed on a small screen.
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setAccessibleName(widget.accessibleName())
    return area


class StepPage(QWizardPage):
    form_name = ""
    steps: tuple[str, ...] = ()  # the engine steps this page shows
    instruction_steps: tuple[str, ...] = ()  # profile instruction steps shown here

    def __init__(self, win: PageHost, step: str, bag: int | None = None) -> None:
        super().__init__()
        self.win = win
        self.step_name = step
        self.bag = bag
        self.form = load_form(self.form_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # At the top, never scrolled away: what the previous step recorded (once the window
        # moved on by itself) and why the last action was refused. Both keep a fixed height,
        # empty or not, so nothing below them moves when a message appears.
        self.doneLabel = QLabel("")
        self.doneLabel.setObjectName("doneLabel")
        self.doneLabel.setAccessibleName("What was just recorded")
        self.doneLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.doneLabel.setWordWrap(True)
        message = self.form.messageLabel
        self.form.widget.layout().removeWidget(message)
        top = QHBoxLayout()
        for label, stretch in ((self.doneLabel, 2), (message, 3)):
            label.setFixedHeight(MESSAGE_PX)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            top.addWidget(label, stretch)
        layout.addLayout(top)
        layout.addWidget(scrolling(self.form.widget))
        self.setAccessibleName(step_title(step, bag, None))
        win.session.changed.connect(self._changed)
        self.setup()

    def _changed(self, outcome: Outcome) -> None:
        """Session.changed: the page on screen repaints from the engine after every command."""
        if self.wizard() is not None and self.wizard().currentPage() is self:
            self.refresh()
            self.completeChanged.emit()

    # ---------------------------------------------------------------- what subclasses fill in
    def setup(self) -> None:
        """Connect the form's buttons."""

    def refresh(self) -> None:
        """Show the state as the engine now has it."""

    # ---------------------------------------------------------------- asking the engine
    def initializePage(self) -> None:
        state = self.win.session.state
        count = len(state.order.bags) if state.order else None
        self.setTitle(step_title(self.step_name, self.bag, count))
        self.show_instructions()
        self.form.messageLabel.setText("")
        self.doneLabel.setText(self.win.take_done_note())
        self.refresh()

    def here(self) -> bool:
        step = self.win.session.step()
        return step.name in (self.steps or (self.step_name,)) and step.bag == self.bag

    def isComplete(self) -> bool:
        return not self.here()

    def validatePage(self) -> bool:
        return not self.here()

    def nextId(self) -> int:
        return self.win.page_id_for(self.win.session.step())

    # ---------------------------------------------------------------- helpers
    def show_instructions(self) -> None:
        if "instructionLabel" not in _names(self.form) or not self.instruction_steps:
            return
        profile = self.win.session.profile
        enforce, remind = [], []
        for step in self.instruction_steps:
            enforce += [i.text for i in profile.instructions_for(step, "enforce")]
            remind += [i.text for i in profile.instructions_for(step, "remind")]
        self.form.instructionLabel.setText("\n".join(enforce))
        self.form.instructionLabel.setVisible(bool(enforce))
        self.form.remindersLabel.setText("\n".join(f"• {t}" for t in remind))
        self.form.remindersLabel.setVisible(bool(remind))

    def submit(self, name: str, args: dict[str, Any] | None = None) -> Result:
        """Send a command; show the engine's answer on this page. A limit passed opens the
        deviation dialog and, once signed, sends the same command again with it."""
        result = self.win.submit(name, args)
        rejection = result.rejection
        if rejection is not None and rejection.kind == "deviation_required":
            signed = self.win.ask_deviation(rejection)
            if signed is not None:
                deviation, signature = signed
                result = self.win.submit(name, args, deviation=deviation,
                                         signatures=(signature,))
                rejection = result.rejection
        self.show_result(result)
        return result

    def show_result(self, result: Result) -> None:
        if result.storage_error is not None:
            self.form.messageLabel.setText(
                f"NOT RECORDED — this step is not done.\n{result.storage_error}")
        elif result.rejection is not None:
            self.form.messageLabel.setText(refusal_text(result.rejection))
        else:
            self.form.messageLabel.setText("")
        self.refresh()
        self.completeChanged.emit()


def _names(form: Any) -> set[str]:
    from .forms import FORM_WIDGETS

    return set(FORM_WIDGETS.get(form.name, ()))


class SignInPage(QWizardPage):
    """Badge + PIN through the people layer. With no user at all, the same page creates the
    first administrator (name, badge scan, PIN twice) and signs them in."""

    def __init__(self, win: PageHost) -> None:
        super().__init__()
        self.win = win
        self.form = load_form("signin.ui")
        QVBoxLayout(self).addWidget(scrolling(self.form.widget))
        self.setTitle("Sign in")
        self.setAccessibleName("Sign in")
        self._scanned: tuple[str, Source] | None = None
        self.form.signInButton.clicked.connect(self.sign_in)
        self.form.pinEdit.returnPressed.connect(self.sign_in)
        self.form.pinAgainEdit.returnPressed.connect(self.sign_in)

    @property
    def first_run(self) -> bool:
        return self.win.people.first_run()

    def show_mode(self) -> None:
        first = self.first_run
        for widget in (self.form.nameEdit, self.form.pinAgainEdit, self.form.nurseCheck):
            widget.setVisible(first)
        if first:
            self.setTitle("First start: create the administrator")
            self.form.instructionLabel.setText(
                "No user exists on this workstation yet. The first person becomes its "
                "administrator (who adds the other users): type your name, scan your badge, "
                "choose a PIN of 4 to 12 digits and type it twice.")
            self.form.signInButton.setText("&Create and sign in")
        else:
            self.setTitle("Sign in")
            self.form.instructionLabel.setText("Scan your badge, then enter your PIN.")
            self.form.signInButton.setText("&Sign in")
        training = training_signin_text(self.win.people) if self.win.session.training else ""
        self.form.trainingLabel.setText(training)
        self.form.trainingLabel.setVisible(bool(training))

    def take_scan(self, payload: str, source: Source = "wedge") -> None:
        self._scanned = (payload, source)
        self.form.badgeEdit.setText(payload)
        (self.form.pinEdit if self.form.nameEdit.text() or not self.first_run
         else self.form.nameEdit).setFocus()

    def badge(self) -> tuple[str, Source]:
        """The badge as scanned; anything else in the field was typed (and needs a reason)."""
        text = self.form.badgeEdit.text()
        if self._scanned is not None and self._scanned[0] == text:
            return self._scanned
        return text, "typed"

    def sign_in(self) -> None:
        payload, source = self.badge()
        people = self.win.people
        try:
            if self.first_run:
                self._create_administrator(payload, source)
            who = people.sign_in(payload, self.form.pinEdit.text(), source=source)
        except PeopleError as exc:
            self.form.pinEdit.clear()
            self.form.pinAgainEdit.clear()
            self.form.messageLabel.setText(str(exc))
            return
        self.form.pinEdit.clear()
        self.form.pinAgainEdit.clear()
        self.form.badgeEdit.clear()
        self._scanned = None
        self.form.messageLabel.setText("")
        self.win.signed_in(who)
        self.show_mode()
        self.completeChanged.emit()
        self.wizard().next()

    def _create_administrator(self, payload: str, source: Source) -> None:
        from ..people import InvalidUserData

        pin = self.form.pinEdit.text()
        if pin != self.form.pinAgainEdit.text():
            raise InvalidUserData("The two PINs are not the same: type the PIN twice.",
                                  code="pin_mismatch")
        scan = self.win.people.read_badge(payload, source)
        badge = scan.identifiers.get("badge") or scan.identifiers.get("staff_gsrn")
        if scan.kind != "badge" or not badge:
            raise InvalidUserData(f"That was a {scan.kind} label, not a staff badge.",
                                  code="not_a_badge")
        roles = ("nurse",) if self.form.nurseCheck.isChecked() else ()
        self.win.people.init_admin(self.form.nameEdit.text(), str(badge), pin, roles)

    def initializePage(self) -> None:
        self.show_mode()
        first = self.form.nameEdit if self.first_run else self.form.badgeEdit
        QTimer.singleShot(0, first.setFocus)

    def isComplete(self) -> bool:
        return self.win.session.user is not None

    def nextId(self) -> int:
        return self.win.page_id_for(self.win.session.step())


class OrderPage(StepPage):
    form_name = "order.ui"
    steps = ("new", "order")

    def setup(self) -> None:
        self.form.instructionLabel.setText(
            "Choose this patient's received product (received and verified at the pharmacy) and "
            "open its infusion. 'Open order file…' is for IT and tests only.")
        self.form.sampleButton.setVisible(self.win.session.training)
        self.form.sampleButton.clicked.connect(self.use_sample)
        self.form.openOrderButton.clicked.connect(self.open_file)
        from .receipt_chooser import attach_chooser  # issue 18: start from a received product

        self.received = attach_chooser(self)

    def show_instructions(self) -> None:
        self.form.remindersLabel.setVisible(False)

    def use_sample(self) -> None:
        from ..training.sample import sample_order

        self.prepare(sample_order(self.win.session.clock.now()))

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open order", "", "Order (*.json)")
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        try:
            order = Order.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:  # OrderError and JSON errors are ValueErrors
            kind = "order" if isinstance(exc, OrderError) else "file"
            self.form.messageLabel.setText(f"This {kind} cannot be used: {exc}")
            return
        self.prepare(order)

    def prepare(self, order: Order) -> None:
        if self.win.session.step().name == "new":
            opened = self.submit("open", {"training": self.win.session.training})
            if not opened.accepted:
                return
        self.submit("prepare_order", {"order": order.to_dict()})

    def refresh(self) -> None:
        self.received.refresh()
        order = self.win.session.state.order
        if order is None:  # a new procedure: nothing of the last patient's order remains
            self.form.orderLabel.setText("")
            return
        lines = [f"{display_name(order.patient.name)} — MRN {order.patient.mrn} — DOB "
                 f"{order.patient.dob.isoformat()} — {order.weight_kg:g} kg"]
        lines += [f"Bag {b.number}: {b.bag_id}, lot {b.lot}, expires "
                  f"{b.expiry.date().isoformat()}, {b.cd34_per_kg / 1e6:.2f} × 10⁶ CD34+/kg"
                  for b in order.bags]
        self.form.orderLabel.setText("\n".join(lines))


class GatesPage(StepPage):
    form_name = "gates.ui"
    instruction_steps = ("gates",)

    def setup(self) -> None:
        self.attest = AttestList(self.form.attestBox,
                                 self.win.session.profile.attestations_for("gates"))
        self.form.recordButton.clicked.connect(self.record)
        # Clinical values start blank (the minimum, shown as "enter …"), never at a plausible
        # default: a pre-filled -150 °C or "conditioning ended now" could be recorded unread.
        f = self.form
        f.backupSpin.setSpecialValueText("enter CD34+/kg of the back-up")
        f.backupSpin.setValue(f.backupSpin.minimum())
        f.storageSpin.setMinimum(-274)
        f.storageSpin.setSpecialValueText("enter the storage temperature")
        f.storageSpin.setValue(f.storageSpin.minimum())
        # a full list of what to fix fits (this page has no clock tiles above it)
        f.messageLabel.setFixedHeight(2 * MESSAGE_PX)
        # typed, as the chart has it: no calendar, no arrows, no silent "now"
        f.conditioningEdit.setPlaceholderText("YYYY-MM-DD HH:MM, MM-DD HH:MM or MMDDHHMM")
        # §2.2: conditioning begins only once KRESLADI is received and stored and the back-up is
        # confirmed. The instants are entered from the chart where known (blank: not recorded);
        # the engine flags an order that was wrong. Each sits beside the value it dates.
        self.backupWhen = self.when_field(f.backupSpin, "confirmed at", "Back-up confirmed at")
        self.storedWhen = self.when_field(f.storageSpin, "stored since",
                                          "Product received and stored at")
        self.conditioningStart = self.when_field(f.conditioningEdit, "began at",
                                                 "Conditioning began at", before=True)
        # the three values from the keyboard alone: Enter goes on to the next one the page
        # needs (the optional instants are reached with Tab); Enter in the last records
        enter_moves_on((f.backupSpin, f.storageSpin, f.conditioningEdit), self.record)

    def initializePage(self) -> None:
        super().initializePage()
        focus_first(self.form.backupSpin)

    def when_field(self, beside: QWidget, caption: str, name: str, *,
                   before: bool = False) -> QLineEdit:
        """An optional typed instant in the row of `beside` (after it, or before it)."""
        edit = QLineEdit()
        edit.setPlaceholderText("YYYY-MM-DD HH:MM (if known)")
        edit.setAccessibleName(name)
        edit.setMinimumSize(240, 48)
        label = QLabel(caption)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(edit)
        layout = self.form.widget.layout()
        assert layout is not None
        for i in range(layout.count()):
            row = layout.itemAt(i).layout()
            if row is not None and isinstance(row, QHBoxLayout) and row.indexOf(beside) >= 0:
                at = row.indexOf(beside) + (0 if before else 1)
                row.insertWidget(at, edit)
                row.insertWidget(at, label)
                break
        return edit

    def typed_when(self, edit: QLineEdit, what: str, problems: list[str]) -> str | None:
        """An optional instant as ISO text, None when blank; a problem when unreadable."""
        if not edit.text().strip():
            return None
        now = self.win.session.clock.now().local()
        assert now.tzinfo is not None
        try:
            return parse_local_time(edit.text(), now.tzinfo, now).isoformat()
        except ValueError as exc:
            problems.append(f"{what}: {exc}")
            return None

    def set_conditioning_end(self, local: datetime) -> None:
        """Type the conditioning end (tests and screenshots)."""
        self.form.conditioningEdit.setText(local.strftime("%Y-%m-%d %H:%M"))

    def conditioning_end(self) -> datetime:
        """The typed conditioning end as an aware local time; ValueError says what is wrong."""
        now = self.win.session.clock.now().local()
        assert now.tzinfo is not None
        return parse_local_time(self.form.conditioningEdit.text(), now.tzinfo, now)

    def commands(self) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
        """Every command this page would record, and every entry missing or unreadable."""
        state, f = self.win.session.state, self.form
        steps: list[tuple[str, dict[str, Any]]] = []
        problems: list[str] = []
        if state.backup_cd34_per_kg is None:
            if f.backupSpin.value() == f.backupSpin.minimum():
                problems.append("enter the back-up collection's CD34+ cells/kg")
            # The count is typed beside "Back-up collection, cryopreserved and available":
            # typing it is the confirmation (the record still says "available, N/kg").
            backup: dict[str, Any] = {"available": True,
                                      "cd34_per_kg": f.backupSpin.value() * 1e6}
            confirmed = self.typed_when(self.backupWhen, "back-up confirmed at", problems)
            if confirmed is not None:
                backup["confirmed_at"] = confirmed
            steps.append(("confirm_backup", backup))
        if state.conditioning_end is None:
            try:
                conditioning: dict[str, Any] = {"at": self.conditioning_end().isoformat()}
            except ValueError as exc:
                problems.append(f"conditioning end: {exc}")
                conditioning = {}
            began = self.typed_when(self.conditioningStart, "conditioning began at", problems)
            if began is not None:
                conditioning["conditioning_start"] = began
            if conditioning.get("at"):
                steps.append(("record_conditioning_end", conditioning))
        if state.storage_celsius is None:
            if f.storageSpin.value() == f.storageSpin.minimum():
                problems.append("enter the on-site storage temperature")
            storage: dict[str, Any] = {"temperature_c": f.storageSpin.value()}
            stored = self.typed_when(self.storedWhen, "stored since", problems)
            if stored is not None:
                storage["stored_at"] = stored
            steps.append(("confirm_storage", storage))
        problems += [f"answer: {text}" for text in self.attest.unanswered()]
        steps.append(("attest", {"items": self.attest.values()}))
        return steps, problems

    def record(self) -> None:
        """Check every entry first — the form's own and then the engine's answer to each —
        and record nothing unless all of them would be accepted."""
        steps, problems = self.commands()
        if not problems:
            for name, args in steps:
                rejection = self.win.session.preview(name, args)
                # a passed limit (e.g. conditioning begun before storage) is a fact to sign
                # for when it is recorded, not an entry to fix
                if rejection is not None and rejection.kind != "deviation_required":
                    problems.append(reason_words(rejection.reason))
        if problems:
            self.form.messageLabel.setText(
                "Nothing recorded yet — fix these first: " + "; ".join(problems) + ".")
            return
        for name, args in steps:
            if not self.submit(name, args).accepted:
                return

    def refresh(self) -> None:
        state = self.win.session.state
        f = self.form
        for w, done in ((f.backupSpin, state.backup_cd34_per_kg is not None),
                        (self.backupWhen, state.backup_cd34_per_kg is not None),
                        (f.conditioningEdit, state.conditioning_end is not None),
                        (self.conditioningStart, state.conditioning_end is not None),
                        (f.storageSpin, state.storage_celsius is not None),
                        (self.storedWhen, state.storage_celsius is not None)):
            w.setEnabled(not done)


class ScanPage(StepPage):
    """A page that waits for labels: wristband, shipper, cassettes and bags."""

    def setup(self) -> None:
        self.form.typedButton.clicked.connect(self.win.type_identifier)
        self.win.attach_camera(self.form.cameraBox)
        # the scan's result, right under the header: the one thing to read after each scan
        result = self.form.scanResultLabel
        self.form.widget.layout().removeWidget(result)
        result.setFixedHeight(104)
        result.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.layout().insertWidget(1, result)
        # here the message line carries only the citation (the reason is in the result box)
        self.form.messageLabel.setStyleSheet("font-size: 15px; font-weight: normal;"
                                             " color: #333333;")

    def show_scan(self, text: str, tone: str = "refused") -> None:
        """The scan's result, coloured by what it means: ACCEPTED green, NOT ACCEPTED amber,
        a stop red (never told apart only by ✔ and ✘)."""
        label = self.form.scanResultLabel
        label.setText(text)
        label.setProperty("tone", tone)
        label.style().unpolish(label)
        label.style().polish(label)

    def show_result(self, result: Result) -> None:
        super().show_result(result)
        if result.rejection is not None:  # the reason is in the scan box: cite, don't repeat
            self.form.messageLabel.setText(result.rejection.citation)

    def needed(self) -> list[tuple[str, str, int | None]]:
        return []

    def refresh(self) -> None:
        state = self.win.session.state
        lines = []
        for role, stage, bag in self.needed():
            done = state.label_accepted(role, stage, bag)
            name = LABEL_NAMES.get(role, role) + (f" (bag {bag})" if bag else "")
            lines.append(f"{'✔' if done else '○'} {name}")
        self.form.progressLabel.setText("\n".join(lines))


class IdentityPage(ScanPage):
    form_name = "identity.ui"
    instruction_steps = ("identity",)

    def needed(self) -> list[tuple[str, str, int | None]]:
        return labels_needed(self.win.session.state, Step(self.step_name, self.bag))


class BedsideIdentityPage(ScanPage):
    form_name = "bedside_identity.ui"
    instruction_steps = ("bedside_identity",)

    def needed(self) -> list[tuple[str, str, int | None]]:
        return [("wristband", "bedside", self.bag), ("bag", "bedside", self.bag)]


class InspectPage(StepPage):
    form_name = "inspect.ui"
    instruction_steps = ("inspect", "thaw")  # the thaw's reminders: the bag goes in from here
    steps = ("inspect", "between_bags")
    DAMAGED = "Bag is &damaged"
    CONFIRM = "Press again: bag is DAMAGED (ends the procedure)"

    def setup(self) -> None:
        self.form.intactButton.clicked.connect(self.intact)
        self.form.compromisedButton.clicked.connect(self.compromised)
        # Inspected, into its sterile bag and into the bath: one moment, one press. The
        # inspection and the thaw stay two commands (two events, the thaw page's own checks:
        # the hospital's record, any check the profile adds, the timer).
        for value, text in THAW_METHODS:
            self.form.methodCombo.addItem(text, value)
        before = self.win.session.profile.attestations_for("thaw")
        said = before[0].text + " " if len(before) == 1 and not before[0].values else ""
        self.form.thawButton.setText(f"No breaks or cracks. {said}— &START THAW (timer starts)")
        self.form.thawButton.setAccessibleName(
            f"Bag intact, start the thaw now: no breaks or cracks. {said}")
        self.form.thawButton.clicked.connect(self.intact_and_thaw)

    def intact_and_thaw(self) -> None:
        method = self.form.methodCombo.currentIndex()

        def thaw(page: ThawPage) -> None:
            page.form.methodCombo.setCurrentIndex(method)
            page.start()
        if self.intact().accepted:
            carry_on(self, ThawPage, thaw)

    def refresh(self) -> None:
        self.form.compromisedButton.setText(self.DAMAGED)

    def intact(self) -> Result:
        self.form.compromisedButton.setText(self.DAMAGED)
        return self.submit("inspect_bag", {"bag": self.bag, "intact": True,
                                    "note": self.form.noteEdit.text().strip() or None})

    def compromised(self) -> None:
        # Two presses: a damaged bag ends the procedure for good, so a slip must not do it.
        if self.form.compromisedButton.text() != self.CONFIRM:
            self.form.compromisedButton.setText(self.CONFIRM)
            return
        self.submit("inspect_bag", {"bag": self.bag, "intact": False,
                                    "note": self.form.noteEdit.text().strip() or None})

    def here(self) -> bool:
        step = self.win.session.step()
        return step.name == "inspect" and step.bag == self.bag


class ThawPage(StepPage):
    form_name = "thaw.ui"
    instruction_steps = ("thaw", "thaw_complete")
    MAX_QUESTIONS = 10  # at most one question per attestation the engine names

    def setup(self) -> None:
        profile = self.win.session.profile
        self.before = AttestList(self.form.attestBox, profile.attestations_for("thaw"))
        self.after = AttestList(self.form.completeAttestBox,
                                profile.attestations_for("thaw_complete"))
        for value, text in THAW_METHODS:
            self.form.methodCombo.addItem(text, value)
        self.form.startButton.setText("&Start thaw — the timer starts now")
        self.before.as_button(self.form.attestBox, self.form.startButton,
                              "&START THAW (timer starts)")
        self.after.as_button(self.form.completeAttestBox, self.form.completeButton,
                             "THAW &COMPLETE")
        self.form.startButton.clicked.connect(self.start)
        self.form.completeButton.clicked.connect(self.complete)
        # Whether the thaw timer runs, always in view: never silently absent.
        self.statusLabel = QLabel("")
        self.statusLabel.setObjectName("thawStatusLabel")
        self.statusLabel.setAccessibleName("Thaw timer status")
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setFixedHeight(72)  # two lines, running or not: nothing moves
        layout = self.form.widget.layout()
        layout.insertWidget(layout.indexOf(self.form.attestBox), self.statusLabel)

    def start(self) -> None:
        """Start the thaw. Where the engine names a check not yet ticked (the sterile overbag),
        ask it now, as the bag goes into the bath: answered yes, the timer starts at once."""
        if not self.win.thaw_allowed(self.bag):  # the hospital's record (issue 14)
            return
        for _ in range(self.MAX_QUESTIONS):
            result = self.submit("start_thaw", {"bag": self.bag,
                                                "method": self.form.methodCombo.currentData(),
                                                "attest": self.before.values()})
            missing = self._unticked(result)
            if missing is None:
                return
            from .dialogs import ConfirmDialog

            ask = ConfirmDialog(
                "Before the thaw timer starts",
                f"THE THAW TIMER IS NOT RUNNING YET.\n\n{missing[1]}\n\nIs that done?",
                "&Yes — start the thaw timer now", "&No — not yet", self)
            if ask.exec() != ConfirmDialog.DialogCode.Accepted:
                return
            self.before.set_one(missing[0])

    def _unticked(self, result: Result) -> tuple[str, str] | None:
        r = result.rejection
        if r is None or r.rule != "attestation":
            return None
        item = (r.details or {}).get("instruction")
        if item not in self.before.widgets:
            return None
        return item, self.before.text_of(item)

    def complete(self) -> None:
        self.submit("complete_thaw", {"bag": self.bag, "attest": self.after.values()})

    def refresh(self) -> None:
        bag = self.win.session.state.bag(self.bag)
        started = bag.thaw_started is not None
        for w in (self.form.attestBox, self.form.methodCombo, self.form.startButton):
            w.setEnabled(not started)
        # once the timer runs, the start row gives its place to "thaw complete" (no scrolling
        # for the button that matters on a 768-pixel screen)
        for w in (self.form.methodCaption, self.form.methodCombo, self.form.startButton):
            w.setVisible(not started)
        self.form.attestBox.setVisible(not started and not self.before.by_button)
        for w in (self.form.completeAttestBox, self.form.completeButton):
            w.setEnabled(started)
        if started:
            at = bag.thaw_started.local().strftime("%H:%M:%S")
            self.statusLabel.setText(f"Thaw timer RUNNING since {at} (see the clock above).")
        else:
            self.statusLabel.setText(
                "THAW TIMER NOT RUNNING. Press START THAW as the bag goes into the bath.")
        self.statusLabel.setProperty("running", "true" if started else "false")
        self.statusLabel.style().unpolish(self.statusLabel)
        self.statusLabel.style().polish(self.statusLabel)
        (self.form.completeButton if started else self.form.startButton).setFocus()


class LineChecksPage(StepPage):
    form_name = "line_checks.ui"
    instruction_steps = ("line_checks", "infusion")  # how to connect, before the start

    def setup(self) -> None:
        self.checks = AttestList(self.form.attestBox,
                                 self.win.session.profile.attestations_for("line_checks"))
        self.form.confirmButton.clicked.connect(self.checked_and_start)

    def checked_and_start(self) -> None:
        """Line checked, port connected: the infusion starts with the same press (two
        commands, two events; a refused start stays on the infusion page with its reason)."""
        if self.submit("check_line", {"bag": self.bag, "items": self.checks.values()}).accepted:
            carry_on(self, InfusionPage,
                     lambda page: page.submit("start_infusion", {"bag": page.bag}))


class InfusionPage(StepPage):
    form_name = "infusion.ui"
    instruction_steps = ("infusion", "infusion_end")

    def setup(self) -> None:
        self.end_checks = AttestList(self.form.attestBox,
                                     self.win.session.profile.attestations_for("infusion_end"))
        self.end_checks.as_button(self.form.attestBox, self.form.endButton, "&END INFUSION")
        self.form.startButton.clicked.connect(
            lambda: self.submit("start_infusion", {"bag": self.bag}))
        self.form.endButton.clicked.connect(
            lambda: self.submit("end_infusion", {"bag": self.bag,
                                                 "attest": self.end_checks.values()}))

    def refresh(self) -> None:
        started = self.win.session.state.bag(self.bag).infusion_started is not None
        self.form.startButton.setEnabled(not started)
        self.form.attestBox.setEnabled(started)
        self.form.endButton.setEnabled(started)


class FlushPage(StepPage):
    form_name = "flush.ui"
    instruction_steps = ("flush",)

    def setup(self) -> None:
        # empty until the nurse types the volume: a 0.0 already in the field reads as an entry
        self.form.volumeSpin.setSpecialValueText(" ")
        self.form.volumeSpin.setValue(self.form.volumeSpin.minimum())
        # When the flush ended is a clinical time the nurse enters (default: now).
        self.endedEdit = QDateTimeEdit()
        self.endedEdit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.endedEdit.setAccessibleName("Flush ended at")
        self.endedEdit.setMinimumHeight(44)
        self.endedEdit.editingFinished.connect(
            lambda: self.endedEdit.setProperty("touched", True))
        ended_row = QHBoxLayout()
        ended_caption = QLabel("Flush ended at:")
        ended_caption.setBuddy(self.endedEdit)
        ended_row.addWidget(ended_caption)
        ended_row.addWidget(self.endedEdit)
        ended_row.addStretch(1)
        layout = self.form.totalLabel.parentWidget().layout()
        layout.insertLayout(layout.indexOf(self.form.totalLabel), ended_row)
        self.form.volumeSpin.valueChanged.connect(lambda _value: self.show_figures())
        self.form.flushButton.clicked.connect(self.log)

    def cue(self) -> str:
        """What the engine would say to this volume, as it is typed (nothing is recorded): a
        volume large for the child's weight is flagged before the nurse logs it."""
        volume = self.form.volumeSpin.value()
        if volume == self.form.volumeSpin.minimum():
            return ""
        rejection = self.win.session.preview("log_flush", {"bag": self.bag,
                                                           "volume_ml": volume})
        if rejection is None:
            return ""
        if rejection.kind == "deviation_required":
            return ("⚠ LARGE FOR THIS CHILD'S WEIGHT — " + reason_words(rejection.reason) +
                    " Logging it asks for a signed reason.")
        return "⚠ " + reason_words(rejection.reason)

    def initializePage(self) -> None:
        self.form.volumeSpin.setValue(self.form.volumeSpin.minimum())
        self.endedEdit.setProperty("touched", False)
        super().initializePage()
        focus_first(self.form.volumeSpin)  # after QWizard has placed its own focus

    def log(self) -> None:
        if self.form.volumeSpin.value() == self.form.volumeSpin.minimum():
            self.form.messageLabel.setText("Type the saline flush volume in mL first.")
            self.form.volumeSpin.setFocus()
            return
        self.submit("log_flush", {"bag": self.bag, "volume_ml": self.form.volumeSpin.value(),
                                  "ended_at": self.ended_at()})

    def ended_at(self) -> str:
        """The entered flush end as an ISO instant with the workstation's offset."""
        offset = timedelta(seconds=self.win.session.clock.now().utc_offset_s)
        secs = self.endedEdit.dateTime().toSecsSinceEpoch()
        return datetime.fromtimestamp(secs, timezone(offset)).isoformat()

    def show_figures(self) -> None:
        """mL and mL/kg, this bag's and all flushes', against the site's threshold, as the
        nurse types (the engine's own figures)."""
        state = self.win.session.state
        if state.order is None or self.bag is None:
            return
        typed = self.form.volumeSpin.value()
        if typed == self.form.volumeSpin.minimum():
            figures = flush_total_text(state.bags, state.order.weight_kg)
        else:
            figures = flush_text(state, self.bag, typed)
        cue = self.cue() if self.here() else ""
        self.form.totalLabel.setText(figures + (f"\n{cue}" if cue else ""))

    def refresh(self) -> None:
        # The workstation's clock as the engine reads it (training runs faster), with its offset.
        clock_now = self.win.session.clock.now()
        zone = QTimeZone.fromSecondsAheadOfUtc(clock_now.utc_offset_s)
        self.endedEdit.setTimeZone(zone)
        now = QDateTime.fromSecsSinceEpoch(int(clock_now.wall.timestamp()), zone)
        self.endedEdit.setMaximumDateTime(now.addSecs(60))
        if not self.endedEdit.property("touched"):
            self.endedEdit.setDateTime(now)
        self.show_figures()


def add_correction_button(page: StepPage) -> None:
    """A way to the flush correction from the pages that follow a flush."""
    from PySide6.QtWidgets import QPushButton

    button = QPushButton("&Correct a recorded flush volume…")
    button.setAccessibleName("Correct a recorded flush volume")
    button.setMinimumHeight(48)
    button.clicked.connect(page.win.correct_flush)
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    layout = page.form.widget.layout()
    layout.insertLayout(layout.indexOf(page.form.messageLabel), row)
    page.correctButton = button


class BetweenBagsPage(StepPage):
    form_name = "between_bags.ui"
    instruction_steps = ("between_bags",)

    def setup(self) -> None:
        add_correction_button(self)

    def refresh(self) -> None:
        now = self.win.session.clock.now()
        for c in self.win.session.procedure.countdowns(now):
            if c.id == "interbag" and c.bag == self.bag:
                self.form.waitLabel.setText(
                    f"Bag {self.bag} stays in liquid nitrogen until its window opens.\n"
                    f"{window_sentence(c, now, self.bag)}\nA chime sounds when it opens, "
                    "and this page moves on to inspecting the bag by itself.")
                return
        self.form.waitLabel.setText(f"Bag {self.bag} may now be taken for inspection.")


class PostInfusionPage(StepPage):
    form_name = "post_infusion.ui"
    instruction_steps = ("post_infusion",)

    def setup(self) -> None:
        profile = self.win.session.profile
        self.checks = AttestList(self.form.attestBox, profile.attestations_for("post_infusion"))
        if profile.acknowledged_as_one("post_infusion"):
            self.checks.as_one(self.form.attestBox, self.form.acknowledgeButton,
                               "&ACKNOWLEDGE and finish")
        self.form.acknowledgeButton.clicked.connect(
            lambda: self.submit("acknowledge_post_infusion", {"attest": self.checks.values()}))
        add_correction_button(self)


class FinalPage(StepPage):
    """The end of a procedure (complete or stopped): nothing follows but printing the record."""

    def setup(self) -> None:
        self.form.printButton.clicked.connect(self.win.print_record)
        self.setFinalPage(True)
        # nothing is refused here any more: the room goes to the result and the print button
        self.form.messageLabel.setFixedHeight(0)

    def nextId(self) -> int:
        return -1

    def isComplete(self) -> bool:
        return True


class CompletePage(FinalPage):
    form_name = "complete.ui"

    def refresh(self) -> None:
        state = self.win.session.state
        self.form.instructionLabel.setText(
            "The procedure is complete and recorded. Print the record for the chart. The "
            "patient must never donate blood, organs, tissues or cells.")
        lines = []
        for b in state.bags:
            given = b.infusion_ended.local().strftime("%H:%M") if b.infusion_ended else "—"
            lines.append(f"Bag {b.number}: infusion ended {given}, flush {b.flush_ml or 0:g} mL")
        lines += [deviation_line(d.rule, d.bag, d.reason) for d in state.deviations]
        self.form.summaryLabel.setText("\n".join(lines))


class StoppedPage(FinalPage):
    form_name = "stopped.ui"

    def refresh(self) -> None:
        state = self.win.session.state
        profile = self.win.session.profile
        finding = next((e for e in reversed(self.win.session.events)
                        if e.type == "hard_stop"), None)
        field = finding.data.get("details", {}).get("field") if finding else None
        view = stop_view(state.stop_rule, state.stop_reason, field)
        # After a bag was given the child received part of the dose: the page says what was
        # given and not "do not give this product" (engine.summary).
        summary = stop_summary(state, profile)
        self.form.titleLabel.setText(summary.title if any_given(state) else view.title)
        lines = [view.what, "", *summary.given]
        if summary.post_infusion_acknowledged is not None:
            lines.append("Post-infusion instructions acknowledged "
                         f"{summary.post_infusion_acknowledged.local():%H:%M}: irradiate blood "
                         "products for 3 months; the patient must never donate blood, organs, "
                         "tissues or cells.")
        if summary.backup:
            lines += ["", summary.backup]
        self.form.whatLabel.setText("\n".join(lines))
        self.form.contactLabel.setText(f"Call {profile.manufacturer_contact}\n"
                                       f"({profile.manufacturer_when})"
                                       if summary.call_manufacturer else "")
        last = next((e for e in reversed(self.win.session.events)
                     if e.type == "procedure_stopped"), None)
        when = last.at.local().strftime("%Y-%m-%d %H:%M:%S") if last else "—"
        self.form.recordedLabel.setText(
            f"Recorded in the procedure log at {when}. No step can follow; print the record, "
            "follow local guidelines, and keep the product for the manufacturer.")


def scan_feedback(result: Result, scan_kind: str | None) -> str:
    from .display import rejected_text

    if result.storage_error is not None:
        return f"✘ NOT RECORDED — {result.storage_error}"
    if result.rejection is not None:
        return rejected_text(result.rejection, scan_kind)
    for event in result.outcome.events if result.outcome else ():
        if event.type == "label_accepted":
            return accepted_text(event.data["label"])
    return "Scan recorded."
