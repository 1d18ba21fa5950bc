"""The bedside window: the header with the clocks, the wizard of pages (or the lock screen)
beneath it, a menu, and the one-second tick that recomputes every countdown from the engine."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..config import IdentityConfig
from ..engine import Deviation, Rejection, Signature
from ..engine.steps import Step
from .alarm_state import ActiveAlarm
from .alarms import AlarmPresenter, QtSoundPlayer, SoundPlayer
from .dialogs import DeviationDialog, TypedEntryDialog
from .display import refusal_text
from .forms import load_form
from .header import Header
from .pages import (
    BedsideIdentityPage,
    BetweenBagsPage,
    CompletePage,
    FlushPage,
    GatesPage,
    IdentityPage,
    InfusionPage,
    InspectPage,
    LineChecksPage,
    OrderPage,
    PostInfusionPage,
    ScanPage,
    SignInPage,
    StepPage,
    StoppedPage,
    ThawPage,
    scan_feedback,
)
from .session import Result, Session
from .signin import SignedIn, SignIn, SignInRefused, UnverifiedSignIn
from .style import STYLE

SIGNIN_ID = 0
FIXED_IDS = {"new": 1, "order": 1, "gates": 2, "identity": 3, "post_infusion": 90,
             "complete": 91, "stopped": 92}
PER_BAG = ("inspect", "thaw", "bedside_identity", "line_checks", "infusion", "flush",
           "between_bags")
STORAGE_ALARM = "not_recorded"


def page_id(step: str, bag: int | None) -> int:
    if step in FIXED_IDS:
        return FIXED_IDS[step]
    return 10 * (bag or 1) + PER_BAG.index(step)


class Wizard(QWizard):
    """A QWizard that only the engine moves: no Back (the log is append-only), and no Escape
    closing it under the nurse's hands."""

    def __init__(self, win: BedsideWindow) -> None:
        super().__init__()
        self.win = win
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.NextButton,
                              QWizard.WizardButton.FinishButton])
        self.setButtonText(QWizard.WizardButton.NextButton, "&Next ▶")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&New procedure")
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton):
            b = self.button(which)
            b.setMinimumSize(180, 52)
            b.setAccessibleName(b.text().replace("&", "").replace(" ▶", ""))

    def reject(self) -> None:  # Escape: stay
        pass

    def accept(self) -> None:  # Finish on the last page: a new procedure, same window
        self.win.new_procedure()


class BedsideWindow(QMainWindow):
    def __init__(self, session: Session, *, signin: SignIn | None = None,
                 player: SoundPlayer | None = None, tick_ms: int = 1000,
                 identity_config: IdentityConfig | None = None) -> None:
        super().__init__()
        self.session = session
        self.identity_config = identity_config
        self.signin = signin or UnverifiedSignIn()
        self.setWindowTitle(f"{session.profile.name} bedside"
                            + (" — TRAINING" if session.training else ""))
        self.setAccessibleName("KRESLADI bedside window")
        self.setStyleSheet(STYLE)
        self.header = Header(session.training)
        self.wizard = Wizard(self)
        self.camera_panels: list[Any] = []
        self.last_scan_text = ""
        self.pages: dict[int, QWizardPage] = {}
        self._build_pages()
        self.lock_form = load_form("lock.ui")
        self.lock_form.unlockButton.clicked.connect(self.unlock)
        self.lock_form.pinEdit.returnPressed.connect(self.unlock)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.wizard)
        self.stack.addWidget(self.lock_form.widget)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.alarms = AlarmPresenter(self.header, player or QtSoundPlayer(self),
                                     self._acknowledge_alarm, session.clock.now)
        self.alarms.seed(tuple(key for key, _ in session.state.alarms_acknowledged))
        session.notRecorded.connect(self.not_recorded)
        session.recorded.connect(self.recorded)
        self._not_recorded_box: QMessageBox | None = None
        self._build_menu()
        self.wizard.currentIdChanged.connect(lambda _id: self.tick())
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.resize(1280, 860)
        self.header.show_user(None)
        self.tick()

    # ------------------------------------------------------------------ pages
    def _build_pages(self) -> None:
        self.wizard.setPage(SIGNIN_ID, SignInPage(self))
        for step, cls in (("order", OrderPage), ("gates", GatesPage),
                          ("identity", IdentityPage), ("post_infusion", PostInfusionPage),
                          ("complete", CompletePage), ("stopped", StoppedPage)):
            self.wizard.setPage(page_id(step, None), cls(self, step))
        per_bag = {"inspect": InspectPage, "thaw": ThawPage,
                   "bedside_identity": BedsideIdentityPage, "line_checks": LineChecksPage,
                   "infusion": InfusionPage, "flush": FlushPage, "between_bags": BetweenBagsPage}
        for bag in range(1, self.session.profile.rule("bag_count")["max"] + 1):
            for step, cls in per_bag.items():
                if step == "between_bags" and bag == 1:
                    continue  # the first bag waits for nothing
                self.wizard.setPage(page_id(step, bag), cls(self, step, bag))
        self.wizard.setStartId(SIGNIN_ID)

    def page_id_for(self, step: Step) -> int:
        return page_id(step.name, step.bag)

    def current_page(self) -> QWizardPage | None:
        return self.wizard.currentPage()

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&Procedure")
        self.print_action = self._action(menu, "&Print or save the record…", self.print_record,
                                         QKeySequence.StandardKey.Print)
        self._action(menu, "&Stop the procedure…", self.stop_procedure)
        self._action(menu, "&Lock the screen", self.lock, "Ctrl+L")
        menu.addSeparator()
        self._action(menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        tools = self.menuBar().addMenu("&Workstation")
        self._action(tools, "&Self-test report…", self.show_self_test)
        self.labels_action = self._action(tools, "Print &training labels…",
                                          self.print_training_labels)
        self.labels_action.setEnabled(self.session.training)

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # ------------------------------------------------------------------ the tick
    @Slot()
    def tick(self) -> None:
        """Every second: recompute from the engine (never from the number of ticks)."""
        now = self.session.clock.now()
        proc = self.session.procedure
        countdowns = proc.countdowns(now)
        step = proc.step(now)
        self.header.show_patient(proc.state, step.bag)
        self.header.show_countdowns(countdowns)
        self.alarms.update(countdowns, now)
        page = self.wizard.currentPage()
        if isinstance(page, StepPage):
            if isinstance(page, BetweenBagsPage):
                page.refresh()
            page.completeChanged.emit()

    # ------------------------------------------------------------------ after each command
    def after_command(self, result: Result) -> None:
        self.tick()
        if self.session.step().name == "stopped":
            self.take_over_with_stop()
        elif result.accepted and not isinstance(self.current_page(), SignInPage):
            page = self.current_page()
            if page is not None and page.isComplete():
                self.wizard.button(QWizard.WizardButton.NextButton).setFocus()

    def take_over_with_stop(self) -> None:
        page = self.current_page()
        if page is not None and self.wizard.currentId() != page_id("stopped", None):
            self.wizard.next()

    def signed_in(self, who: SignedIn) -> None:
        self.session.user = who
        self.header.show_user(who.name)

    # ------------------------------------------------------------------ scans
    @Slot(object)
    def receive_raw(self, raw: Any) -> None:
        """From the scanners (wedge filter, serial port, camera): a RawScan."""
        self.receive_payload(raw.payload, raw.source, raw.symbology)

    def receive_payload(self, payload: str, source: str = "wedge",
                        symbology: str | None = None, typed_reason: str | None = None) -> str:
        """Every scan arrives here, whatever has focus. Returns the text shown for it."""
        modal = QApplication.activeModalWidget()
        if modal is not None and hasattr(modal, "take_scan"):
            modal.take_scan(payload)
            return "badge"
        if self.stack.currentWidget() is self.lock_form.widget:
            self.lock_form.badgeEdit.setText(payload)
            self.lock_form.pinEdit.setFocus()
            return "badge"
        page = self.current_page()
        if isinstance(page, SignInPage):
            page.take_scan(payload)
            return "badge"
        from ..labels.errors import LabelError
        from ..labels.parse import parse

        try:
            scan = parse(payload, source, symbology, config=self.identity_config,
                         typed_reason=typed_reason)
        except LabelError as exc:
            text = f"✘ NOT READ — this label could not be read.\n{exc}"
            self._show_scan(text)
            return text
        return self.receive_scan(scan)

    def receive_scan(self, scan: Any) -> str:
        result = self.session.submit("scan", {"scan": scan.to_dict()})
        text = scan_feedback(result, scan.kind)
        self._show_scan(text)
        page = self.current_page()
        if isinstance(page, StepPage):
            page.show_result(result)
        self.after_command(result)
        return text

    def _show_scan(self, text: str) -> None:
        self.last_scan_text = text
        page = self.current_page()
        if isinstance(page, ScanPage):
            page.show_scan(text)
        elif isinstance(page, StepPage):
            page.form.messageLabel.setText(text)

    def type_identifier(self) -> None:
        dialog = TypedEntryDialog(self)
        if dialog.exec() == TypedEntryDialog.DialogCode.Accepted:
            self.receive_payload(dialog.payload, "typed", typed_reason=dialog.reason)

    @Slot(object)
    def show_camera_frame(self, result: Any) -> None:
        """A decoded frame from the camera worker (BGR numpy image, codes with corners)."""
        image = result.image
        h, w = image.shape[:2]
        rgb = image[:, :, ::-1].copy() if image.ndim == 3 else image
        fmt = QImage.Format.Format_RGB888 if image.ndim == 3 else QImage.Format.Format_Grayscale8
        qimage = QImage(rgb.data, w, h, rgb.strides[0], fmt).copy()
        outlines = [c.position for c in result.codes if c.position]
        for panel in self.camera_panels:
            if panel.isVisible():
                panel.show_frame(qimage, outlines)

    @Slot(str)
    def scanner_failed(self, why: str) -> None:
        self.alarms.raise_technical("scanner", f"Scanner: {why}")
        self.tick()

    def attach_camera(self, box: QWidget) -> None:
        """A camera panel on each scanning page, when the site has a camera (see camera_panel)."""
        from .camera_panel import CameraPanel

        panel = CameraPanel()
        box.layout().addWidget(panel)
        self.camera_panels.append(panel)

    # ------------------------------------------------------------------ deviations, alarms
    def ask_deviation(self, rejection: Rejection) -> tuple[Deviation, Signature] | None:
        dialog = DeviationDialog(refusal_text(rejection), self.signin, self.session.clock, self)
        if dialog.exec() == DeviationDialog.DialogCode.Accepted and dialog.deviation:
            assert dialog.signature is not None
            return dialog.deviation, dialog.signature
        return None

    def _acknowledge_alarm(self, alarm: ActiveAlarm) -> bool:
        if alarm.level == "technical":
            return True  # the program's own alarm: nothing for the procedure log
        if not self.session.state.active:
            return False
        result = self.session.submit("acknowledge_alarm", {"alarm": alarm.key})
        return result.accepted

    # ------------------------------------------------------------------ storage failures
    @Slot(str, str)
    def not_recorded(self, command: str, error: str) -> None:
        text = (f"NOT RECORDED: '{command}' was not saved, so it is not done. {error} "
                "Call technical support; the procedure cannot continue until the log works.")
        self.header.show_not_recorded(text)
        self.alarms.raise_technical(STORAGE_ALARM, "Procedure log: NOT RECORDED")
        if self._not_recorded_box is None:
            box = QMessageBox(QMessageBox.Icon.Critical, "NOT RECORDED", text,
                              QMessageBox.StandardButton.Ok, self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.setAccessibleName("Not recorded alarm")
            box.finished.connect(self._not_recorded_closed)
            self._not_recorded_box = box
            box.open()
        else:
            self._not_recorded_box.setText(text)
        self.tick()

    def _not_recorded_closed(self) -> None:
        self._not_recorded_box = None

    @Slot()
    def recorded(self) -> None:
        if self.header.form.recordBanner.isVisible():
            self.header.show_not_recorded(None)
            self.alarms.clear_technical(STORAGE_ALARM)

    # ------------------------------------------------------------------ menu actions
    def stop_procedure(self) -> None:
        if "stop_procedure" not in self.session.procedure.allowed():
            QMessageBox.information(self, "Stop", "There is no open procedure to stop.")
            return
        reason, ok = QInputDialog.getText(self, "Stop the procedure",
                                          "Why is the procedure ending? (recorded)")
        if ok:
            result = self.session.submit("stop_procedure", {"reason": reason})
            page = self.current_page()
            if isinstance(page, StepPage):
                page.show_result(result)
            self.after_command(result)

    def lock(self) -> None:
        self.stack.setCurrentWidget(self.lock_form.widget)
        self.lock_form.badgeEdit.setFocus()

    def unlock(self) -> None:
        try:
            who = self.signin.authenticate(self.lock_form.badgeEdit.text(),
                                           self.lock_form.pinEdit.text())
        except SignInRefused as exc:
            self.lock_form.messageLabel.setText(str(exc))
            return
        self.lock_form.pinEdit.clear()
        self.lock_form.badgeEdit.clear()
        self.lock_form.messageLabel.setText("")
        self.signed_in(who)
        self.stack.setCurrentWidget(self.wizard)

    def print_record(self) -> None:
        try:
            from . import printing
        except ImportError:
            QMessageBox.information(self, "Record", "Printing is not available in this build.")
            return
        printing.print_procedure(self, self.session)  # type: ignore[attr-defined]

    def print_training_labels(self) -> None:
        try:
            from . import printing
        except ImportError:
            QMessageBox.information(self, "Training labels",
                                    "The training label sheet is not available in this build.")
            return
        printing.print_training_labels(self)  # type: ignore[attr-defined]

    def show_self_test(self) -> None:
        try:
            from .selftest_qt import show_self_test
        except ImportError:
            QMessageBox.information(self, "Self-test", "The self-test is not available.")
            return
        show_self_test(self)

    def new_procedure(self) -> None:
        self.session.start_new()
        self.alarms.seed(())
        self.wizard.restart()
        if self.session.user is not None:
            self.wizard.next()
        self.tick()
