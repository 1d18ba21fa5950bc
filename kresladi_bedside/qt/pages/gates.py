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
from ..forms import GatesForm, box_layout
from ..one_press import enter_moves_on, focus_first, into, reading_order
from ..page_views import gates_view
from .base import MESSAGE_PX, AttestList, StepPage

UNKNOWN_WORD = "unknown"  # typed in an instant's field: attest it unknown (signed)
UNKNOWN_HINT = f"YYYY-MM-DD HH:MM, or {UNKNOWN_WORD}"
SHOWN = "%Y-%m-%d %H:%M"  # an instant as the page shows it once read
READING = "Reading the EHR for the conditioning and back-up records… (you can type meanwhile)"


class GatesPage(StepPage[GatesForm]):
    instruction_steps = ("gates",)
    primary = ("recordButton",)

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
        # a full list of what to fix fits (this page has no clock tiles above it)
        f.messageLabel.setFixedHeight(2 * MESSAGE_PX)
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
        self.ehrLabel = QLabel()
        self.ehrLabel.setObjectName("ehrLabel")
        self.ehrLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.ehrLabel.setWordWrap(True)
        self.ehrLabel.setAccessibleName("Values read from the hospital's EHR")
        self.asideButton = QPushButton("Not what I know — &type these from the chart")
        self.asideButton.setObjectName("asideButton")
        self.asideButton.setAccessibleName("Set the EHR's values aside and type them")
        self.asideButton.setMinimumHeight(44)
        self.asideButton.clicked.connect(self.set_aside)
        self.asideButton.setVisible(False)
        ehr_row = QHBoxLayout()
        ehr_row.addWidget(self.ehrLabel, 1)
        ehr_row.addWidget(self.asideButton)
        column = box_layout(f.widget)
        column.insertLayout(column.indexOf(f.attestBox) + 1, ehr_row)
        self.ehrLabel.setVisible(self.reader is not None)
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
        self.ehrLabel.setText(READING)
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
                self.backupWhen.setText(self._carried_text(got.backup.confirmed_at,
                                                            got.backup.source.words()))
        if got.conditioning is not None and not view.conditioning_done:
            if f.conditioningEdit.text().strip() or self.conditioningStart.text().strip():
                notes.append(f"You typed the conditioning instants: yours are kept (the EHR's "
                             f"{got.conditioning.source.resource} is not used).")
            else:
                c = self.carried["conditioning"] = got.conditioning
                f.conditioningEdit.setText(self._carried_text(c.ended, c.source.words()))
                self.conditioningStart.setText(self._carried_text(c.began, c.source.words()))
        if self.carried:
            notes.insert(0, "From the EHR: " + ", ".join(
                ("back-up collection" if k == "backup" else "conditioning") for k in self.carried)
                + ". Check them against what you know.")
        self.ehrLabel.setText(" ".join(notes) or "The EHR gave nothing to use: type the "
                              "values from the chart.")
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
        self.ehrLabel.setText("The EHR's values are set aside (recorded): type them from the "
                              "chart.")
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
        layout = box_layout(self.form.widget)
        for i in range(layout.count()):
            item = layout.itemAt(i)
            row = item.layout() if item is not None else None
            if isinstance(row, QHBoxLayout) and row.indexOf(beside) >= 0:
                at = row.indexOf(beside) + (0 if before else 1)
                row.insertWidget(at, edit)
                row.insertWidget(at, label)
                break
        return edit

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
        problems += [f"answer: {text}" for text in self.attest.unanswered()]
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
            self.storedWhen.setText(f"{carried} (from the receipt)")
            self.storedWhen.setEnabled(False)
