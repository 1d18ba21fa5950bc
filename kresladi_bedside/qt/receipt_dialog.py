"""Receiving KRESLADI (§2.2 "Receipt and Storage"), a dialog over the bedside window for the
pharmacy or cell-therapy laboratory: the patient (from the EHR where one is configured), the
shipper and cassette scans, the storage transfer, the Lot Information Sheet and its blind double
check, then the product sent to the EHR or exported for another workstation.

It turns actions into receipt commands and shows what the core answers; it decides nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..config import workstation_name
from ..engine.model import Command, Outcome, Signature
from ..labels.errors import LabelError
from ..labels.parse import parse
from ..receipt import Receipt, ReceiptState, receipt_guard, unfinished
from ..store import StorageError, StoreListener
from .background import run_in_background
from .display import refusal_text
from .fitted import fit_to_screen, pin_rows
from .forms import ReceiptForm
from .receipt_sheet import read_sheet, show_bag_rows

# The window is typed Any: it imports this module (import contracts in pyproject).
BedsideWindow = Any

PAGES = {"new": 0, "labels": 1, "storage": 2, "sheet": 3, "verify": 4, "complete": 4,
         "received": 5, "stopped": 5}
INSTRUCTIONS = {
    "new": "Scan or type the patient's MRN. Where this workstation has an EHR, the patient's "
           "name and date of birth come from it.",
    "labels": "The shipper arrives in the vapor phase of liquid nitrogen. Scan the shipper "
              "label, then each cassette label (the bags stay in their metal cassettes). Every "
              "patient identifier on them must match the patient.",
    "storage": "Keep the bags in their metal cassettes and transfer them to on-site "
               "vapor-phase LN2 storage at ≤ −150 °C. Record the unit and its temperature.",
    "sheet": "Type from the paper Lot Information Sheet (never from a label): the patient's "
             "identifiers as printed (name, date of birth, chain-of-identity number, patient "
             "ID), the weight before the first apheresis, and for each bag its CD34+ cells/kg "
             "and volume. Every label is then checked against these. DIN, lot and expiry were "
             "read from the cassette labels.",
    "verify": "A second person (pharmacy or cell-therapy laboratory) now checks the values "
              "against the paper sheet, without seeing them, and signs.",
    "complete": "Verified. Complete the receipt: the product then awaits infusion.",
}
# each step's own button (scrolled into view where the screen is short)
STEP_BUTTONS = {"new": "lookupButton", "storage": "storageButton", "sheet": "enterButton",
                "verify": "verifyButton", "complete": "completeButton",
                "received": "exportButton"}


class ReceiptDialog(QDialog):
    def __init__(self, win: BedsideWindow) -> None:
        super().__init__(win)
        self.win = win
        session = win.session
        self.profile = session.profile
        self.store = session.store
        guards, custody = [receipt_guard(win.people)], session.ledger
        open_ones = [] if self.store is None else unfinished(self.store,
                                                             training=session.training)
        if open_ones:  # an unfinished receipt is resumed where it stopped
            self.receipt = Receipt.rebuild(self.profile, session.clock,
                                           self.store.events(open_ones[-1].receipt_id or ""),
                                           guards, custody, session.zone)
        else:
            self.receipt = Receipt(self.profile, session.clock, guards=guards, custody=custody,
                                   zone=session.zone)
        if self.store is not None:
            self.receipt.subscribe(StoreListener(self.store))
        from ..sync import client_for

        self.ehr = None if session.training else client_for(win.site)
        self._waiting: Any = None  # the button of the EHR call under way
        self._shown_step: str | None = None  # the step whose page is on screen
        self.form = ReceiptForm.load()
        # A small screen scrolls the steps; the concern box (with the manufacturer's number),
        # the message and Close / End stay below the scroll area, always in view (issue 25).
        pinned = pin_rows(self.form.widget, [self.form.concernBox, self.form.closeButton])
        self.area = area = QScrollArea()
        area.setWidget(self.form.widget)
        area.setWidgetResizable(True)
        area.setAccessibleName("Receipt")
        column = QVBoxLayout(self)
        column.addWidget(area, 1)
        if pinned is not None:
            column.addLayout(pinned)
        self.setWindowTitle("Receive KRESLADI" + (" — TRAINING" if session.training else ""))
        self.setAccessibleName("Receive KRESLADI")
        fit_to_screen(self, 1300, 1000)
        f = self.form
        f.lookupButton.clicked.connect(self.find_patient)
        f.mrnEdit.returnPressed.connect(self.find_patient)
        f.typedButton.clicked.connect(self.type_identifier)
        f.storageSpin.setSpecialValueText("enter the temperature")
        f.storageSpin.setValue(f.storageSpin.minimum())
        f.storageButton.clicked.connect(self.record_storage)
        f.enterButton.clicked.connect(self.enter_sheet)
        f.verifyButton.clicked.connect(self.verify)
        f.completeButton.clicked.connect(self.complete)
        f.sendButton.clicked.connect(self.send)
        f.exportButton.clicked.connect(lambda: self.export())
        f.concernButton.clicked.connect(self.record_concern)
        f.stopButton.clicked.connect(self.stop)
        f.closeButton.clicked.connect(self.accept)
        self.printButton = self._print_button()
        # Enter never presses a button nobody chose (it opened "Type an identifier"): each
        # entry's own Enter does its step, and no default button ends typed work
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        # §2.2 "Keep the infusion bag(s) in the metal cassette(s) and transfer…": the storage
        # button says it, and pressing it is the attestation (one press, never a forgotten
        # tick); Enter in the last entry goes to that button, it does not attest for her
        f.cassetteCheck.setVisible(False)
        f.storageButton.setText("Bags kept in their metal cassettes — &Record the storage "
                                "transfer")
        f.storageButton.setAccessibleName("Record the storage transfer: the bags stay in their "
                                          "metal cassettes")
        self.positions = self._position_list(tuple(win.site.receipt.storage_positions))
        f.storageSpin.lineEdit().returnPressed.connect(
            (self.positions or f.locationEdit).setFocus)
        f.locationEdit.returnPressed.connect(f.storageButton.setFocus)
        f.contactLabel.setText(f"Call {self.profile.manufacturer_contact}")
        self.refresh()

    @property
    def state(self) -> ReceiptState:
        return self.receipt.state

    # ------------------------------------------------------------------ commands
    def submit(self, name: str, args: dict[str, Any] | None = None, *,
               signatures: tuple[Signature, ...] = (), witness: str | None = None
               ) -> Outcome | None:
        user = self.win.people.current_user
        command = Command(name, dict(args or {}), user=user.id if user else "",
                          signatures=signatures, witness=witness)
        from .style import show_tone

        show_tone(self.form.messageLabel, "")  # what follows is a refusal or nothing
        try:
            outcome = self.receipt.handle(command)
        except StorageError as exc:
            self.form.messageLabel.setText(f"NOT RECORDED — this step is not done.\n{exc}")
            return None
        self.form.messageLabel.setText(refusal_text(outcome.rejection)
                                       if outcome.rejection else "")
        self.refresh()
        return outcome

    def say_done(self, text: str) -> None:
        """A success in the message line, in the success colour (the line's own is the error
        red, item 13): the next message, whatever it is, takes the error colour back."""
        from .style import show_tone

        self.form.messageLabel.setText(text)
        show_tone(self.form.messageLabel, "ok")

    def find_patient(self) -> None:
        """The patient from the EHR, asked off the GUI thread ("Checking the EHR…" meanwhile,
        the client's own deadline bounds it); the receipt opens with the answer."""
        mrn = self.form.mrnEdit.text().strip()
        if self.ehr is None or not mrn:
            self._open(mrn, None)
            return
        from ..sync import lookup

        client, system = self.ehr
        names = [self.profile.name, self.profile.generic_name]
        self._checking(self.form.lookupButton, f"Checking the EHR for MRN {mrn}…")
        run_in_background(lambda: lookup(client, system, mrn, names).to_dict(), owner=self,
                          success=lambda ehr: self._open(mrn, ehr),
                          failure=lambda exc: self._failed("Not opened", exc))

    def _open(self, mrn: str, ehr: dict[str, Any] | None) -> None:
        self._done_checking()
        self.submit("open_receipt", {"mrn": mrn, "ehr": ehr,
                                     "training": self.win.session.training,
                                     "workstation": workstation_name(self.win.site)})

    def _checking(self, button: Any, text: str) -> None:
        """A network call under way: said, and its button off until the answer is back."""
        self._waiting = button
        button.setEnabled(False)
        self.form.messageLabel.setText(text)

    def _done_checking(self) -> None:
        if self._waiting is not None:
            self._waiting.setEnabled(True)
            self._waiting = None

    def _failed(self, what: str, exc: Exception, then: str = "") -> None:
        self._done_checking()
        self.form.messageLabel.setText(f"{what}: {exc}{then}")

    def take_scan(self, payload: str, source: str = "wedge",
                  typed_reason: str | None = None) -> str:
        """Scans reach the dialog while it is open (the window hands them over)."""
        if self.state.step() == "new":
            self.form.mrnEdit.setText(self._mrn_of(payload, source))
            self.find_patient()
            return self.form.messageLabel.text()
        try:
            scan = parse(payload, source, config=self.win.identity_config,  # type: ignore[arg-type]
                         typed_reason=typed_reason,
                         shelf_life_days=self.profile.longest_shelf_life_days)
        except LabelError as exc:
            text = f"✘ NOT READ — this label could not be read.\n{exc}"
            self.form.scanResultLabel.setText(text)
            return text
        outcome = self.submit("scan", {"scan": scan.to_dict()})
        if outcome is None:
            return ""
        if outcome.accepted:
            what = "Shipper" if scan.kind == "shipper" else "Cassette"
            text = f"✔ {what} label accepted."
        else:
            text = "✘ " + refusal_text(outcome.rejection)
        self.form.scanResultLabel.setText(text)
        return text

    def _mrn_of(self, payload: str, source: str) -> str:
        """The MRN a scan at the patient step carries: a wristband's (its QR holds the name and
        date of birth too, never taken for the MRN itself), else the scan as it is."""
        try:
            scan = parse(payload, source, config=self.win.identity_config)  # type: ignore[arg-type]
        except LabelError:
            return payload.strip()
        if scan.kind == "wristband" and scan.identifiers.get("mrn"):
            return str(scan.identifiers["mrn"])
        return payload.strip()

    def type_identifier(self) -> None:
        from .dialogs import TypedEntryDialog

        dialog = TypedEntryDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.take_scan(dialog.payload, "typed", dialog.reason)
        elif dialog.scanned is not None:  # scanned after all, while the dialog was open
            self.take_scan(*dialog.scanned)

    def _position_list(self, positions: tuple[str, ...]) -> QComboBox | None:
        """The site's LN2 storage positions (site file, `receipt.storage_positions`) in place
        of the typed entry: a click opens the list, one picks the position; no list, typed."""
        if not positions:
            return None
        f = self.form
        combo = QComboBox()
        combo.addItems(list(positions))
        combo.setCurrentIndex(-1)  # nothing chosen until she picks: never a default position
        combo.setPlaceholderText("pick the storage position")
        combo.setAccessibleName("Storage unit and position")
        combo.setMinimumHeight(40)
        page = f.locationEdit.parentWidget()
        layout = page.layout() if page is not None else None
        assert layout is not None  # the storage page's form layout (ui/receipt.ui)
        layout.replaceWidget(f.locationEdit, combo)
        f.locationEdit.setVisible(False)
        QWidget.setTabOrder(f.storageSpin, combo)
        QWidget.setTabOrder(combo, f.storageButton)
        combo.activated.connect(lambda _i: f.storageButton.setFocus())
        return combo

    def record_storage(self) -> None:
        f = self.form
        temp = None if f.storageSpin.value() == f.storageSpin.minimum() else f.storageSpin.value()
        location = f.locationEdit.text() if self.positions is None else (
            self.positions.currentText() if self.positions.currentIndex() >= 0 else "")
        self.submit("record_storage", {"temperature_c": temp, "location": location,
                                       "in_cassettes": True})  # the button's own sentence

    def record_concern(self) -> None:
        outcome = self.submit("record_concern", {"text": self.form.concernEdit.text()})
        if outcome is not None and outcome.accepted:
            self.form.concernEdit.clear()
            self.say_done(
                f"Concern recorded. Call {self.profile.manufacturer_contact} now.")

    def enter_sheet(self) -> None:
        self.submit("enter_sheet", {"sheet": read_sheet(self.form, len(self.state.cassettes()))})

    def verify(self, dialog: Any = None) -> Outcome | None:
        """The second person's blind entry and signature (`dialog` for tests)."""
        from .receipt_verify import ReceiptVerifyDialog

        dialog = dialog or ReceiptVerifyDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signature is None:
            return None
        outcome = self.submit("verify_sheet", {"sheet": dialog.sheet},
                              signatures=(dialog.signature,), witness=dialog.signature.user)
        if outcome is not None and outcome.accepted and self.state.step() == "complete":
            # both agree: nothing is left to decide, so the receipt completes with the same
            # press (two commands, two events; a refusal stays on screen with "Complete")
            self.complete()
        return outcome

    def complete(self) -> None:
        outcome = self.submit("complete_receipt")
        if outcome is not None and outcome.accepted and self.ehr is not None:
            self.send()

    def send(self) -> None:
        from .style import show_tone

        show_tone(self.form.messageLabel, "")  # a failure below is in the error colour
        if self.ehr is None or self.store is None:
            self.form.messageLabel.setText("This workstation has no EHR: export the receipt "
                                           "for the bedside workstation instead.")
            return
        from ..sync import send_receipt

        client, system = self.ehr
        user = self.win.people.current_user
        store, clock, rid = self.store, self.win.session.clock, self.receipt.receipt_id
        self._checking(self.form.sendButton, "Sending to the EHR and reading it back…")
        run_in_background(
            lambda: send_receipt(client, store, self.profile, clock, rid, system,
                                 user.id if user else ""), owner=self,
            success=self._sent,
            failure=lambda exc: self._failed("Not sent to the EHR", exc, "\nThe receipt is "
                                             "kept here; send it again, or export it."))

    def _sent(self, where: list[str]) -> None:
        self._done_checking()
        self.say_done(f"Sent to the EHR and read back: {', '.join(where)}.")

    def export(self, path: str | None = None) -> int:
        """The receipt's chain as an export file, signed with this workstation's key (the
        bedside imports it once this workstation is enrolled there, and decides it again), for a
        workstation without the EHR. Returns the events written."""
        from ..store.signing import SignatureError
        from ..store.transfer import write_export
        from .style import show_tone

        show_tone(self.form.messageLabel, "")  # a failure below is in the error colour

        if self.store is None:
            return 0
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export the receipt", f"{self.receipt.receipt_id}.jsonl",
                "Receipt (*.jsonl)")
            if not path:
                return 0
        try:
            with Path(path).open("w", encoding="utf-8") as out:
                count = write_export(self.store, self.receipt.receipt_id, out)
        except (OSError, SignatureError) as exc:
            self.form.messageLabel.setText(f"Not exported: {exc}")
            return 0
        # the file is written and signed (issue 26): only now is the hand-over recorded, so a
        # file that could not be written or signed leaves the product offered here (issue 24)
        from ..receipt import hand_over

        user = self.win.people.current_user
        outcome = hand_over(self.store, self.profile, self.win.session.clock,
                            self.receipt.receipt_id, user.id if user else "", str(path))
        if outcome.rejection is None:
            self.say_done(f"Exported to {path}: import it on the bedside workstation (Received "
                          "products → Import). This workstation no longer offers it.")
        else:
            self.form.messageLabel.setText(f"Exported to {path}. It is NOT marked handed over "
                                           f"here: {outcome.rejection.reason}")
        return count

    def stop(self) -> None:
        reason, ok = QInputDialog.getText(self, "End this receipt",
                                          "Why does the receipt end? (recorded)")
        if ok:
            self.submit("stop_receipt", {"reason": reason})

    # ------------------------------------------------------------------ showing the state
    def refresh(self) -> None:
        f, state = self.form, self.state
        step = state.step()
        f.stepStack.setCurrentIndex(PAGES[step])
        # the stack as tall as the step on screen, not its tallest (the sheet): a short step
        # leaves no empty band and no scrolling on a 768-line screen
        for i in range(f.stepStack.count()):
            page = f.stepStack.widget(i)
            if page is not None:
                page.setSizePolicy(QSizePolicy.Policy.Preferred,
                                   QSizePolicy.Policy.Preferred if i == PAGES[step]
                                   else QSizePolicy.Policy.Ignored)
        f.stepStack.updateGeometry()
        first = {"new": f.mrnEdit, "storage": f.storageSpin, "sheet": f.sheetMrnEdit}.get(step)
        if step != self._shown_step and first is not None:
            # a step's page opens with the keyboard in its first entry: no click to get there
            # (the pharmacist types on from the scanner or from the previous step's button)
            from .one_press import focus_first

            focus_first(first)
        self._shown_step = step
        f.instructionLabel.setText(INSTRUCTIONS.get(step, ""))
        f.patientLabel.setText(self._patient_text())
        cassettes = state.cassettes()
        f.progressLabel.setText(
            f"Shipper: {'✔ scanned' if state.shipper() else 'scan it'}\n" +
            "\n".join(f"Cassette {c.line}: ✔ DIN {c.scan.identifiers.get('din')}, lot "
                      f"{c.scan.identifiers.get('lot')}, expires {self._expiry(c)}"
                      for c in cassettes) +
            ("\nScan each cassette label (one or two)." if len(cassettes) < 2 else ""))
        scanning = step in ("labels", "storage")  # a second cassette may still come
        for widget in (f.progressLabel, f.scanResultLabel, f.typedButton):
            widget.setVisible(scanning)
        show_bag_rows(f, [str(c.scan.identifiers.get("din")) for c in cassettes])
        f.typedLabel.setText(self._typed_text())
        f.verifyButton.setVisible(step == "verify")
        f.completeButton.setVisible(step == "complete")
        f.doneLabel.setText(self._done_text())
        f.doneLabel.setStyleSheet("font-size: 22px; font-weight: bold;"
                                  + (" color: #8b0000;" if state.outcome == "stopped" else ""))
        f.sendButton.setVisible(step == "received" and self.ehr is not None)
        f.exportButton.setVisible(step == "received")
        self.printButton.setVisible(state.outcome is not None)  # received or stopped
        f.stopButton.setEnabled(state.active)
        f.concernButton.setEnabled(state.active)
        self._show_step_button(step)

    def _show_step_button(self, step: str) -> None:
        """Where the screen is too short for the whole step, the step's own button is
        scrolled into view (the fields above it stay reachable by scrolling up)."""
        name = STEP_BUTTONS.get(step)
        if name is None:
            return
        column = self.form.widget.layout()
        if column is not None:  # laid out now: the button's place is known before painting
            column.activate()
        button = getattr(self.form, name)

        def show() -> None:  # once the step's page has its size (after the layout's turn)
            self.area.verticalScrollBar().setValue(0)  # the heading first, as far as it goes
            self.area.ensureWidgetVisible(button, 0, 8)

        show()
        QTimer.singleShot(0, self, show)

    def _expiry(self, cassette: Any) -> str:
        """The cassette's printed expiry as a local date and time in the site's zone (the
        reading the order will hold), or as printed when it cannot be read."""
        from ..receipt import label_expiry
        from .display import local_when

        printed = str(cassette.scan.identifiers.get("expiry"))
        zone = self.win.session.zone
        try:
            return local_when(label_expiry(printed, cassette.at, zone), zone)
        except ValueError:
            return printed

    def _print_button(self) -> QPushButton:
        """*Print the receipt record…* beside the export, once the receipt has ended (received
        or stopped): printed off the GUI thread like the infusion record (qt/record_actions)."""
        button = QPushButton("&Print the receipt record…")
        button.setAccessibleName("Print the receipt record…")
        button.setMinimumSize(180, 44)
        button.setAutoDefault(False)
        row = next(lay for lay in self.form.widget.findChildren(QHBoxLayout)
                   if lay.indexOf(self.form.exportButton) >= 0)
        row.addWidget(button)
        button.clicked.connect(self.print_receipt)
        return button

    def print_receipt(self) -> None:
        if self.state.receipt_id is not None:
            self.win.records.print_receipt(self.state.receipt_id)

    def _blind(self) -> bool:
        """Between the first entry and the second person's agreement nothing of the patient
        or the sheet is on screen (issue 25, item 2): the verifier reads the paper, never a
        value to copy. The EHR's patient hides too (it is what the sheet must match)."""
        return self.state.sheet is not None and not self.state.verified_by

    def _patient_text(self) -> str:
        state = self.state
        if state.step() == "sheet" and state.ehr is not None:
            # the sheet's MRN, name and date of birth are typed once and checked against the
            # EHR's patient (receipt/blind.py): typed from the paper, not from here
            return ("Patient hidden while the sheet is typed: type every value from the paper "
                    "Lot Information Sheet; the workstation checks MRN, name and date of birth "
                    "against the EHR.")
        if self._blind():
            return ("Patient hidden during the blind double check: the second person reads "
                    "every value from the paper Lot Information Sheet.")
        if state.ehr is not None:
            extra = (f"; KRESLADI order {state.ehr.medication_request}"
                     if state.ehr.medication_request else "; no KRESLADI order found in the EHR")
            if state.ehr.coi:
                extra += ", with the manufacturer's chain-of-identity number"
            return (f"{state.ehr.name} — MRN {state.ehr.mrn} — DOB {state.ehr.dob}\n"
                    f"(from the EHR{extra})")
        if state.mrn:
            return (f"MRN {state.mrn}\n(no EHR on this workstation: name and date of birth "
                    "come from the verified sheet)")
        return "No patient yet."

    def _typed_text(self) -> str:
        sheet = self.state.sheet
        if sheet is None:
            return ""
        if self._blind():
            return (f"Typed by {self._name(self.state.sheet_by)}. The values stay hidden "
                    "until a second person has typed them again from the paper sheet and "
                    "both agree.")
        lines = [f"Typed by {self._name(self.state.sheet_by)}: {sheet.name}, DOB "
                 f"{sheet.dob.isoformat()}, MRN {sheet.mrn}, COI {sheet.coi}, patient ID "
                 f"{sheet.patient_id}, {sheet.weight_kg:g} kg, "
                 f"{sheet.sheet_bag_count} bag(s) on the sheet"]
        lines += [f"Bag {b.number}: {b.cd34_per_kg / 1e6:g} × 10⁶ CD34+/kg, {b.volume_ml:g} mL"
                  for b in sheet.bags]
        if self.state.verified_by:
            lines.append(f"Verified against the paper sheet by "
                         f"{self._name(self.state.verified_by)}.")
        return "\n".join(lines)

    def _done_text(self) -> str:
        state = self.state
        if state.outcome == "stopped":
            return (f"STOPPED — this product is not received.\n{state.stop_reason}\n"
                    f"Call {self.profile.manufacturer_contact}.")
        if state.order is None:
            return ""
        from ..receipt import describe

        return ("RECEIVED — awaiting infusion.\n" + describe(state) +
                "\nThe bedside opens the infusion from 'Received products' on its order page.")

    def _name(self, user_id: str | None) -> str:
        user = self.win.people.user(user_id) if user_id else None
        return user.name if user else (user_id or "?")
