"""The gates page: back-up collection, conditioning end and storage temperature, all checked
before any is recorded."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ...sync import GateReader, GateValues, reader_for
from ..background import run_in_background
from ..display import parse_local_time, reason_words
from ..fitted import fitting_px
from ..forms import GatesForm, box_layout
from ..one_press import enter_moves_on, focus_first, into, reading_order
from ..page_views import gates_view
from ..session import Result
from .base import MESSAGE_PX, AttestList, StepPage

UNKNOWN_WORD = "unknown"  # typed in an instant's field: attest it unknown (signed)
UNKNOWN_HINT = f"YYYY-MM-DD HH:MM, or {UNKNOWN_WORD}"
SHOWN = "%Y-%m-%d %H:%M"  # an instant as the page shows it once read
READING = "Reading the EHR for the conditioning and back-up records… (you can type meanwhile)"


class GatesPage(StepPage[GatesForm]):
    instruction_steps = ("gates",)
    # the conditioning row (Record at its end) pinned below the scroll area (1366×768)
    primary = ("conditioningEdit", "recordButton")

    def setup(self) -> None:
        self.attest = AttestList(self.form.attestBox,
                                 self.model.profile.attestations_for("gates"))
        self.form.recordButton.clicked.connect(self.record)
        # Clinical values start blank (the minimum, shown as "enter …"), never at a plausible
        # default: a pre-filled -150 °C or "conditioning ended now" could be recorded unread.
        f = self.form
        f.backupSpin.setSpecialValueText("enter CD34+/kg of the back-up")
        f.backupSpin.setValue(f.backupSpin.minimum())
        f.storageSpin.setMinimum(-274)
        f.storageSpin.setSpecialValueText("enter the storage temperature")
        f.storageSpin.setValue(f.storageSpin.minimum())
        # 1366×768 (issue 25): every entry and Record without scrolling. The message line is
        # the pages' own height; while it holds a message it has the row's whole width (the
        # "✔ Recorded" note beside it gives way), and its text is made smaller rather than cut.
        f.messageLabel.setFixedHeight(MESSAGE_PX)
        self.attest.answers_beside_question()
        column = box_layout(f.widget)
        margins = column.contentsMargins()
        column.setContentsMargins(margins.left(), 0, margins.right(), 0)
        column.setSpacing(0)
        for i in reversed(range(column.count())):  # the form's trailing spacer: no room to spare
            item = column.itemAt(i)
            if item is not None and item.spacerItem() is not None:
                column.takeAt(i)
                break
        # typed, as the chart has it: no calendar, no arrows, no silent "now"
        f.conditioningEdit.setPlaceholderText("YYYY-MM-DD HH:MM, MM-DD HH:MM or MMDDHHMM")
        # §2.2: conditioning begins only once KRESLADI is received and stored and the back-up is
        # confirmed. Each instant is entered from the chart, carried from the receipt (stored),
        # or, typed "unknown", attested unknown with a signed reason (the engine asks for the
        # signature); never left blank, so the rule is never skipped. The engine flags an order
        # that was wrong. Each sits beside the value it dates.
        self.backupWhen = self.when_field(f.backupSpin, "confirmed at", "Back-up confirmed at")
        self.storedWhen = self.when_field(f.storageSpin, "stored since",
                                          "Product received and stored at")
        # after the end, not between "ended at:" and its entry ("ended began at at:")
        self.conditioningStart = self.when_field(f.conditioningEdit, "it began at",
                                                 "Conditioning began at")
        # Typed instants are shown as a date and time once read ("02220200" was left as typed)
        for edit in (f.conditioningEdit, self.backupWhen, self.storedWhen,
                     self.conditioningStart):
            edit.editingFinished.connect(lambda edit=edit: self.show_readable(edit))
        # The EHR's values (sync/ehr_gates.py), where the site names its codes: read off the
        # GUI thread when the page opens, shown closed; the nurse may set them aside.
        self.reader: GateReader | None = (None if self.model.training
                                          else reader_for(self.win.site))
        self.carried: dict[str, Any] = {}  # "backup" / "conditioning": what the EHR gave
        self._reading: object | None = None  # the read under way (its token)
        self._read_for: str | None = None  # the procedure it was asked for
        self.ehr_note = ""  # what the EHR's read last said (shown in the message line)
        self.asideButton = QPushButton("Not what you know? &Type them instead")
        self.asideButton.setObjectName("asideButton")
        self.asideButton.setAccessibleName("Set the EHR's values aside and type them from the "
                                           "chart")
        self.asideButton.setMinimumHeight(44)
        self.asideButton.clicked.connect(self.set_aside)
        self.asideButton.setVisible(False)
        # Record ends the conditioning row (pinned below the scroll area): one row less; the
        # EHR's values are set aside from the end of the storage row, which has room to spare
        bar = self.actionBar
        assert bar is not None
        own_row = self._row_of(f.recordButton)
        own_row.removeWidget(f.recordButton)
        self._row_of(f.conditioningEdit).addWidget(f.recordButton)
        bar.removeItem(own_row)
        for i in range(column.count()):
            item = column.itemAt(i)
            row = item.layout() if item is not None else None
            if isinstance(row, QHBoxLayout) and row.indexOf(f.storageSpin) >= 0:
                row.addWidget(self.asideButton)
        f.conditioningCaption.setMinimumWidth(260)  # two lines, not three, beside Record
        # every entry from the keyboard alone, in the rows' order: Enter goes on to the next
        # one still open (the instants too: each must be entered or attested; one carried
        # from the receipt is closed and skipped); Enter in the last records
        enter_moves_on((f.backupSpin, self.backupWhen, f.storageSpin, self.storedWhen,
                        f.conditioningEdit, self.conditioningStart), self.record)
        # Tab in reading order: the confirmations above, then each value and its instant
        reading_order([*self.attest.focusable(), f.backupSpin, self.backupWhen, f.storageSpin,
                       self.storedWhen, f.conditioningEdit, self.conditioningStart,
                       f.recordButton])

    def initializePage(self) -> None:
        super().initializePage()
        focus_first(self.form.backupSpin)
        self.fit_message()
        self.read_ehr()

    # ------------------------------------------------------------------ from the EHR
    def read_ehr(self) -> None:
        """Ask the EHR for the values still to enter, off the GUI thread, once per opening;
        within the site's deadline, else the nurse types them (she can type meanwhile)."""
        state = self.model.state
        view = gates_view(state)
        if self._read_for != state.procedure_id:
            self.carried.clear()  # another procedure's (a window that went on to the next)
        if self.reader is None or self._read_for == state.procedure_id or \
                state.order is None or state.ehr_set_aside or \
                (view.backup_done and view.conditioning_done):
            return
        self._read_for = state.procedure_id
        token = self._reading = object()
        reader, mrn = self.reader, state.order.patient.mrn
        self.say_ehr(READING, ok=True)
        run_in_background(lambda: reader.read(mrn), owner=self,
                          success=lambda got: self._answered(token, got),
                          failure=lambda exc: self._answered(token, GateValues(problems=(
                              f"The EHR could not be read ({type(exc).__name__}: {exc}): type "
                              "the values from the chart.",))))
        QTimer.singleShot(int((reader.timeout_s + 1) * 1000), self, lambda: self._answered(
            token, GateValues(problems=(f"The EHR did not answer within {reader.timeout_s:g} "
                                        "s: type the values from the chart.",))))

    def _answered(self, token: object, got: GateValues) -> None:
        """The EHR's answer (or the deadline: whichever comes first counts): each kind it gave
        is shown closed, unless the nurse typed that kind already (her values are kept)."""
        if token is not self._reading:
            return
        self._reading = None  # answered: neither a later answer nor the deadline counts
        view = gates_view(self.model.state)
        f = self.form
        notes = list(got.problems)
        if got.backup is not None and not view.backup_done:
            if f.backupSpin.value() != f.backupSpin.minimum() or self.backupWhen.text().strip():
                notes.append(f"You typed the back-up values: yours are kept (the EHR's "
                             f"{got.backup.source.resource} is not used).")
            else:
                self.carried["backup"] = got.backup
                f.backupSpin.setValue(got.backup.cd34_per_kg / 1e6)
                shown(self.backupWhen, self._carried_text(got.backup.confirmed_at,
                                                          got.backup.source.words()))
        if got.conditioning is not None and not view.conditioning_done:
            if f.conditioningEdit.text().strip() or self.conditioningStart.text().strip():
                notes.append(f"You typed the conditioning instants: yours are kept (the EHR's "
                             f"{got.conditioning.source.resource} is not used).")
            else:
                c = self.carried["conditioning"] = got.conditioning
                shown(f.conditioningEdit, self._carried_text(c.ended, c.source.words()))
                shown(self.conditioningStart, self._carried_text(c.began, c.source.words()))
        if self.carried:
            notes.insert(0, "From the EHR: " + ", ".join(
                f"{'back-up collection' if k == 'backup' else 'conditioning'} "
                f"({v.source.resource})" for k, v in self.carried.items())
                + ". Check them against what you know.")
        self.say_ehr(" ".join(notes) or "The EHR gave nothing to use: type the values from "
                     "the chart.", ok=not got.problems)
        focused = self.focusWidget()
        self.refresh()
        if focused is None or not focused.isEnabled():
            first = next((w for w in (f.backupSpin, self.backupWhen, f.storageSpin,
                                      self.storedWhen, f.conditioningEdit,
                                      self.conditioningStart) if w.isEnabled()), None)
            if first is not None:
                into(first)

    def _carried_text(self, at: datetime, words: str) -> str:
        now = self.model.clock.now().local()
        return f"{at.astimezone(now.tzinfo).strftime(SHOWN)} ({words})"

    def say_ehr(self, text: str, *, ok: bool) -> None:
        """What the EHR read is doing or gave, in the message line (a refusal later takes its
        place): in the success colour when nothing went wrong."""
        from ..style import show_tone

        self.ehr_note = text
        self.form.messageLabel.setText(text)
        show_tone(self.form.messageLabel, "ok" if ok else "")
        self.fit_message()

    def _row_of(self, button: QWidget) -> QHBoxLayout:
        """The pinned row (below the scroll area) that holds `button`."""
        bar = self.actionBar
        assert bar is not None
        for i in range(bar.count()):
            item = bar.itemAt(i)
            row = item.layout() if item is not None else None
            if isinstance(row, QHBoxLayout) and row.indexOf(button) >= 0:
                return row
        raise LookupError(f"{button.objectName()} is not in a pinned row")

    def fit_message(self) -> None:
        """The message line takes the row's whole width while it holds a message (the list of
        what to fix can be long; the "✔ Recorded" note gives way), in a smaller type where it
        would wrap past its height (fitted.fitting_px), never cut; its tooltip has it whole."""
        label = self.form.messageLabel
        label.setStyleSheet("")
        self.doneLabel.setVisible(not label.text())
        width = self.width() - 24 if label.text() else label.width()
        px = fitting_px(label.text(), label.font(), width, MESSAGE_PX)
        label.setStyleSheet("" if px is None else f"font-size: {px}px;")
        label.setToolTip(label.text())

    def show_result(self, result: Result) -> None:
        from ..style import show_tone

        show_tone(self.form.messageLabel, "")  # a refusal in the error colour, always
        super().show_result(result)
        self.fit_message()

    def set_aside(self) -> None:
        """The EHR's values are not what the nurse knows: recorded (one press), then typed."""
        sources = [v.source.to_dict() for v in self.carried.values()]
        if not sources or not self.submit("set_aside_ehr_values", {"sources": sources}).accepted:
            return
        self.carried.clear()
        f = self.form
        f.backupSpin.setValue(f.backupSpin.minimum())
        for edit in (self.backupWhen, f.conditioningEdit, self.conditioningStart):
            edit.clear()
        self.say_ehr("The EHR's values are set aside (recorded): type them from the chart.",
                     ok=True)
        self.refresh()
        into(f.backupSpin if f.backupSpin.isEnabled() else f.storageSpin)

    def show_readable(self, edit: QLineEdit) -> None:
        """A typed instant, once it reads as one, shown as the date and time it was read as."""
        text = edit.text().strip()
        if not edit.isEnabled() or not text or text.lower() == UNKNOWN_WORD:
            return
        with suppress(ValueError):  # else left as typed: Record names what is wrong with it
            edit.setText(self._typed_local(text).strftime(SHOWN))

    def when_field(self, beside: QWidget, caption: str, name: str, *,
                   before: bool = False) -> QLineEdit:
        """An optional typed instant in the row of `beside` (after it, or before it)."""
        edit = QLineEdit()
        edit.setPlaceholderText(UNKNOWN_HINT)
        edit.setAccessibleName(name)
        edit.setMinimumSize(240, 48)
        label = QLabel(caption)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(edit)
        # its row is in the form's column, or pinned below the scroll area
        for layout in (box_layout(self.form.widget), self.actionBar):
            for i in range(layout.count() if layout is not None else 0):
                item = layout.itemAt(i) if layout is not None else None
                row = item.layout() if item is not None else None
                if isinstance(row, QHBoxLayout) and row.indexOf(beside) >= 0:
                    at = row.indexOf(beside) + (0 if before else 1)
                    row.insertWidget(at, edit)
                    row.insertWidget(at, label)
                    return edit
        raise LookupError(f"no row holds {beside.objectName()}")

    def instant_fields(self) -> dict[str, tuple[QLineEdit, str]]:
        """Each conditioning-order instant's field and caption, by its engine name."""
        return {"backup_confirmed_at": (self.backupWhen, "back-up confirmed at"),
                "conditioning_start": (self.conditioningStart, "conditioning began at"),
                "stored_at": (self.storedWhen, "stored since")}

    def unknown_attestations(self, problems: list[str]) -> list[tuple[str, dict[str, Any]]]:
        """`attest_instant_unknown` for each missing instant typed "unknown"; a problem naming
        every missing one left blank (it must be entered or attested: never skipped)."""
        view = gates_view(self.model.state)
        recorded = {"backup_confirmed_at": view.backup_done,
                    "conditioning_start": view.conditioning_done, "stored_at": view.storage_done}
        steps: list[tuple[str, dict[str, Any]]] = []
        blank: list[str] = []
        for name, (edit, caption) in self.instant_fields().items():
            if name not in view.instants_missing:
                continue
            text = edit.text().strip()
            if text.lower() == UNKNOWN_WORD:
                steps.append(("attest_instant_unknown", {"instant": name}))
            elif not text:
                blank.append(caption)
            elif recorded[name]:  # its value went in without it: no command takes it now
                problems.append(f"{caption}: recorded without it; type “{UNKNOWN_WORD}” to "
                                "attest it is not known (signed)")
        if blank:
            problems.append(f"{', '.join(blank)}: enter from the chart, or type "
                            f"“{UNKNOWN_WORD}” to attest it is not known (signed)")
        return steps

    def typed_when(self, edit: QLineEdit, what: str, problems: list[str]) -> str | None:
        """An optional instant as ISO text, None when blank or "unknown" (attested apart);
        a problem when unreadable."""
        if not edit.text().strip() or edit.text().strip().lower() == UNKNOWN_WORD:
            return None
        try:
            return self._typed_local(edit.text()).isoformat()
        except ValueError as exc:
            problems.append(f"{what}: {exc}")
            return None

    def set_conditioning_end(self, local: datetime) -> None:
        """Type the conditioning end (tests and screenshots)."""
        self.form.conditioningEdit.setText(local.strftime("%Y-%m-%d %H:%M"))

    def set_order_instants(self, *, began: datetime, stored: datetime,
                           confirmed: datetime) -> None:
        """Type the conditioning-order instants (tests and screenshots)."""
        fmt = "%Y-%m-%d %H:%M"
        self.conditioningStart.setText(began.strftime(fmt))
        self.storedWhen.setText(stored.strftime(fmt))
        self.backupWhen.setText(confirmed.strftime(fmt))

    def conditioning_end(self) -> datetime:
        """The typed conditioning end as an aware local time; ValueError says what is wrong."""
        return self._typed_local(self.form.conditioningEdit.text())

    def _typed_local(self, text: str) -> datetime:
        """Typed text read as a local time, in the site's zone and relative to now."""
        now = self.model.clock.now().local()
        assert now.tzinfo is not None
        return parse_local_time(text, now.tzinfo, now)

    def commands(self) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
        """Every command this page would record, and every entry missing or unreadable."""
        state, f = self.model.state, self.form
        problems: list[str] = []
        # first: a cancelled signature then records nothing else
        steps = self.unknown_attestations(problems)
        carried = self.carried
        if state.backup_cd34_per_kg is None and "backup" in carried:
            steps.append(("confirm_backup", {
                "available": True, "cd34_per_kg": carried["backup"].cd34_per_kg,
                "confirmed_at": carried["backup"].confirmed_at.isoformat(),
                "source": carried["backup"].source.to_dict()}))
        elif state.backup_cd34_per_kg is None:
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
        if state.conditioning_end is None and "conditioning" in carried:
            steps.append(("record_conditioning_end", {
                "at": carried["conditioning"].ended.isoformat(),
                "conditioning_start": carried["conditioning"].began.isoformat(),
                "source": carried["conditioning"].source.to_dict()}))
        elif state.conditioning_end is None:
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
            # carried from the receipt (shown, closed): the engine takes the order's instant
            stored = (None if gates_view(state).stored_carried is not None
                      else self.typed_when(self.storedWhen, "stored since", problems))
            if stored is not None:
                storage["stored_at"] = stored
            steps.append(("confirm_storage", storage))
        left = self.attest.unanswered()  # each is right above, in full: named by its start
        if left:
            problems.append("answer above: " + ", ".join(
                f"“{' '.join(text.split()[:3])}…”" for text in left))
        steps.append(("attest", {"items": self.attest.values()}))
        return steps, problems

    def record(self) -> None:
        """Check every entry first — the form's own and then the engine's answer to each —
        and record nothing unless all of them would be accepted."""
        steps, problems = self.commands()
        if not problems:
            for name, args in steps:
                rejection = self.model.preview(name, args)
                # a passed limit (e.g. conditioning begun before storage) is a fact to sign
                # for when it is recorded, not an entry to fix
                if rejection is not None and rejection.kind != "deviation_required":
                    problems.append(reason_words(rejection.reason))
        if problems:
            self.form.messageLabel.setText(
                "Nothing recorded yet — fix these first: " + "; ".join(problems) + ".")
            from ..style import show_tone

            show_tone(self.form.messageLabel, "")
            self.fit_message()
            return
        for name, args in steps:
            if not self.submit(name, args).accepted:
                return

    def refresh(self) -> None:
        view = gates_view(self.model.state)
        f = self.form
        for w, done in ((f.backupSpin, view.backup_done), (self.backupWhen, view.backup_done),
                        (f.conditioningEdit, view.conditioning_done),
                        (self.conditioningStart, view.conditioning_done),
                        (f.storageSpin, view.storage_done), (self.storedWhen, view.storage_done)):
            w.setEnabled(not done)
        for name, (edit, _) in self.instant_fields().items():
            if name in view.instants_missing:
                edit.setEnabled(True)  # still to enter or attest, whatever else is recorded
        for name, reason in view.instants_unknown:
            edit = self.instant_fields()[name][0]
            edit.setText(f"unknown — signed: {reason}")
            edit.setEnabled(False)
        # the EHR's: shown, closed (until recorded or set aside)
        for w, kind in ((f.backupSpin, "backup"), (self.backupWhen, "backup"),
                        (f.conditioningEdit, "conditioning"),
                        (self.conditioningStart, "conditioning")):
            if kind in self.carried:
                w.setEnabled(False)
        self.asideButton.setVisible(bool(self.carried) and not (
            view.backup_done and view.conditioning_done))
        if view.stored_carried is not None:  # the receipt's: shown, not typed again
            carried = view.stored_carried.local().strftime("%Y-%m-%d %H:%M")
            shown(self.storedWhen, f"{carried} (from the receipt)")
            self.storedWhen.setEnabled(False)


def shown(edit: QLineEdit, text: str) -> None:
    """A value carried in, closed: its beginning (the date and time) in view, whole in the
    tooltip, however narrow the entry."""
    edit.setText(text)
    edit.setCursorPosition(0)
    edit.setToolTip(text)
    # and again once laid out: an entry given its text while narrower keeps its scroll
    QTimer.singleShot(0, edit, lambda: edit.setCursorPosition(0) if edit.text() else None)
