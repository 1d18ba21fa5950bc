"""The bedside window: the header with the clocks, the wizard of pages (or the lock screen)
beneath it, a menu, the status bar (sync), and the one-second tick that recomputes every countdown
from the engine and lets the people layer lock an idle screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..config import IdentityConfig, SiteConfig
from ..engine import Deviation, Outcome, Rejection, Signature
from ..engine.steps import Step
from ..labels.model import Source
from ..people import People, PeopleError, User
from ..store import StorageError, Store
from .alarm_state import ActiveAlarm
from .alarms import AlarmPresenter, QtSoundPlayer, SoundPlayer
from .chime import Chime
from .dialogs import (
    ConfirmDialog,
    CorrectionDialog,
    DeviationDialog,
    StopDialog,
    TypedEntryDialog,
    WitnessDialog,
)
from .display import done_note, refusal_text, scan_tone
from .forms import LockForm, box_layout
from .header import SIGN_IN_FIRST, Header
from .pages import (
    STEP_PAGES,
    BetweenBagsPage,
    FinalPage,
    ScanPage,
    SignInPage,
    StepPage,
    scan_feedback,
)
from .session import Result, Session
from .style import STYLE

if TYPE_CHECKING:
    from .sync_status import SyncStatusIndicator

SIGNIN_ID = 0
FIXED_IDS = {"new": 1, "order": 1, "gates": 2, "identity": 3, "post_infusion": 90,
             "complete": 91, "stopped": 92}
PER_BAG = ("inspect", "thaw", "bedside_identity", "line_checks", "infusion", "flush",
           "between_bags", "identity")  # identity of a later bag: out of its cassette, at its turn
# bag 1's identity is the fixed identity page, and the first bag waits for nothing
BAG_ONE_SKIPS = ("identity", "between_bags")
STORAGE_ALARM = "not_recorded"
TRAINING_SPEEDS = (1.0, 10.0, 60.0)
ACTIVITY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                             QEvent.Type.Wheel, QEvent.Type.TouchBegin})


def _bag_out(event: Any) -> int:
    """The bag an event takes out of its cassette (its label matched at the initial check) or
    inspects; 0 for any other event."""
    if event.type == "bag_inspected":
        return int(event.data.get("bag") or 0)
    label = (event.data.get("label") or {}) if event.type == "label_accepted" else {}
    if label.get("role") == "bag" and label.get("stage") == "initial":
        return int(label.get("bag") or 0)
    return 0


def page_id(step: str, bag: int | None) -> int:
    if step in FIXED_IDS and not (step == "identity" and bag is not None):
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
        # Enter never presses Next or "New procedure": each page's own button records its step
        self.setOption(QWizard.WizardOption.NoDefaultButton, True)
        # No Next: a recorded step moves on by itself (the button exists, off screen, for the
        # rare page that waits; see BedsideWindow.follow_engine). Only the last page has a button.
        self.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.FinishButton])
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
    def __init__(self, session: Session, *, people: People,
                 player: SoundPlayer | None = None, tick_ms: int = 1000,
                 identity_config: IdentityConfig | None = None,
                 site: SiteConfig | None = None, chime: Any = None,
                 settings: QSettings | None = None, step_pages: bool = True) -> None:
        """`step_pages=False`: only the sign-in page now; `build_step_pages()` adds the others
        (qt/app.py does so right after the first paint: they are most of the start-up's forms
        and style-sheet work, and no one can leave the sign-in page sooner)."""
        super().__init__()
        self.session = session
        self.people = people
        self._quit_confirmed = False  # Ctrl+Q asked already: closeEvent does not ask again
        self.site = site or SiteConfig()
        self.identity_config = identity_config or self.site.identity
        session.add_guard(people.guard)  # every command is checked in the core, not here
        from ..sync.open_custody import custody_fence

        fence = None if session.training else custody_fence(self.site)
        if fence is not None:  # taken over elsewhere, or released: commands refused here
            session.add_guard(fence)
        self._witness: tuple[tuple[object, ...], Signature] | None = None
        self.sync: Any = None
        self.prethaw: Any = None  # PrethawChecks when sync is configured (issue 14)
        self.setWindowTitle(f"{session.profile.name} bedside"
                            + (" — TRAINING" if session.training else ""))
        self.setAccessibleName("KRESLADI bedside window")
        self.setStyleSheet(STYLE)
        self.header = Header(session)
        self.wizard = Wizard(self)
        self.camera_panels: list[Any] = []
        self.last_scan_text = ""
        self.pages: dict[int, QWizardPage] = {}
        self.wizard.setPage(SIGNIN_ID, SignInPage(self))
        self.wizard.setStartId(SIGNIN_ID)
        if step_pages:
            self.build_step_pages()
        self.lock_form = LockForm.load()
        self.lock_form.unlockButton.clicked.connect(self.unlock)
        self.lock_form.pinEdit.returnPressed.connect(self.unlock)
        self._lock_scanned: tuple[str, Source] | None = None
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
                                     self._acknowledge_alarm, session.clock.now,
                                     silenced=self._silence_alarms)
        self._complete_shown: tuple[int, bool] | None = None
        self.alarms.seed(tuple(key for key, _ in session.state.alarms_acknowledged))
        session.changed.connect(self.procedure_changed)
        self.chime = chime if chime is not None else Chime(self)
        self._levels: dict[str, str] = {}
        session.notRecorded.connect(self.not_recorded)
        session.recorded.connect(self.recorded)
        self._not_recorded_box: QMessageBox | None = None
        self._build_menu()
        if session.training and self.training_speed() != 1:
            self.set_training_speed(self.training_speed())  # --speed: the lock scales too
        self.wizard.currentIdChanged.connect(lambda _id: self.tick())
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.resize(1280, 860)
        self.settings = settings if settings is not None else QSettings("kresladi",
                                                                        "kresladi-bedside")
        self.header.show_user(None)
        app = QApplication.instance()
        if app is not None:  # a key or a click anywhere in the program is activity
            app.installEventFilter(self)
        self.tick()

    MAXIMISED_KEY = "window/maximised"

    def show(self) -> None:
        """Open maximised (a bedside screen is for this program alone) unless the nurse last
        left it as a smaller window; both are remembered."""
        if self.settings.value(self.MAXIMISED_KEY, True, bool):
            screen = self.screen()
            if screen is not None:  # a display without a window manager ignores "maximised"
                self.setGeometry(screen.availableGeometry())
            self.showMaximized()
        else:
            self.showNormal()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.WindowStateChange and self.isVisible():
            self.settings.setValue(self.MAXIMISED_KEY, self.isMaximized())
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and self.people.current_user is not None:
            self.people.touch()
        return False

    def _may_quit(self) -> bool:
        """False when the user, asked because a product clock runs, stays (quit_guard)."""
        from .quit_guard import may_quit

        return may_quit(self, self.session.procedure.countdowns(self.session.clock.now()))

    def quit_requested(self) -> bool:
        """Ctrl+Q or Quit: asked first while a product clock runs (quit_guard)."""
        if not self._may_quit():
            return False
        self._quit_confirmed = True
        return self.close()

    def closeEvent(self, event: Any) -> None:
        # the window manager's close button or Alt+F4: the same question as Ctrl+Q
        if event.spontaneous() and not self._quit_confirmed and not self._may_quit():
            event.ignore()
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.sync is not None:
            self.sync.stop()
        if self.prethaw is not None:
            self.prethaw.close()
        super().closeEvent(event)

    # ------------------------------------------------------------------ pages
    def build_step_pages(self) -> None:
        """Every page after sign-in (once)."""
        if self.wizard.page(page_id("order", None)) is not None:
            return
        # One page per fixed step ("new" shares the page built for "order": page_id)...
        for step, cls in STEP_PAGES.items():
            if step in FIXED_IDS and step != "new":
                self.wizard.setPage(page_id(step, None), cls(self, step))
        # ...and one per bag for each per-bag step
        for bag in range(1, self.session.profile.rule("bag_count")["max"] + 1):
            for step, cls in STEP_PAGES.items():
                if step not in PER_BAG or (bag == 1 and step in BAG_ONE_SKIPS):
                    continue
                self.wizard.setPage(page_id(step, bag), cls(self, step, bag))

    @property
    def model(self) -> Session:
        """What the pages read (as host.ProcedureModel): the session, never the window."""
        return self.session

    @property
    def log(self) -> Store | None:
        return self.session.store

    def page_id_for(self, step: Step) -> int:
        return page_id(step.name, step.bag)

    def current_page(self) -> QWizardPage | None:
        return self.wizard.currentPage()

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&Procedure")
        self.print_action = self._action(menu, "&Print or save the record…", self.print_record,
                                         QKeySequence.StandardKey.Print)
        self.save_action = self._action(menu, "Save the record as P&DF…", self.save_record)
        self.previous_action = self._action(menu, "Print the p&revious procedure's record…",
                                            self.print_previous_record)
        self.previous_action.setEnabled(False)
        self.correct_action = self._action(menu, "&Correct a recorded flush volume…",
                                           self.correct_flush)
        menu.addSeparator()
        self._action(menu, "&Lock the screen", self.lock, "Ctrl+L")
        self._action(menu, "Sign &out", self.sign_out)
        menu.addSeparator()
        self.quit_action = self._action(menu, "&Quit", self.quit_requested,
                                        QKeySequence.StandardKey.Quit)
        # Ending the procedure is its own menu, far from Lock: a slip must never reach it.
        ending = self.menuBar().addMenu("&End")
        self.stop_action = self._action(ending, "&Stop the procedure (signed)…",
                                        self.stop_procedure)
        receipt = self.menuBar().addMenu("&Receipt")  # issue 18: pharmacy / cell-therapy lab
        self.receive_action = self._action(receipt, "&Receive a product…", self.receive_product)
        tools = self.menuBar().addMenu("&Workstation")
        self._action(tools, "&Self-test report…", self.show_self_test)
        self.labels_action = self._action(tools, "Print &training labels…",
                                          self.print_training_labels)
        self.labels_action.setEnabled(self.session.training)
        if self.session.training:
            self._build_training_menu()

    def _build_training_menu(self) -> None:
        """Training only: time runs faster, and the idle lock and signature lapse with it, so a
        ×10 rehearsal locks after the same real minutes as a real procedure."""
        from PySide6.QtGui import QActionGroup

        training = self.menuBar().addMenu("&Training")
        group = QActionGroup(self)
        self.speed_actions: dict[float, QAction] = {}
        for speed in TRAINING_SPEEDS:
            action = self._action(training, f"Time ×{speed:g}",
                                  lambda _=False, s=speed: self.set_training_speed(s))
            action.setCheckable(True)
            action.setChecked(speed == self.training_speed())
            group.addAction(action)
            self.speed_actions[speed] = action

    def training_speed(self) -> float:
        return float(getattr(self.session.clock, "speed", 1.0))

    def set_training_speed(self, speed: float) -> None:
        from dataclasses import replace

        clock = self.session.clock
        if not self.session.training or not hasattr(clock, "set_speed"):
            return
        clock.set_speed(speed)
        base = getattr(self, "_base_people_config", None) or self.people.config
        self._base_people_config = base
        self.people.config = replace(base, idle_lock_minutes=base.idle_lock_minutes * speed)
        for s, action in getattr(self, "speed_actions", {}).items():
            action.setChecked(s == speed)
        self.tick()

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # ------------------------------------------------------------------ the tick
    @Slot()
    def _watch_clock(self, now: Any) -> None:
        """A wall-clock change while running: recorded by the engine (`clock_change_noted`)
        and shown, once, as a message; countdowns stay on the monotonic clock."""
        try:
            noted = self.session.procedure.watch_clock(now)
        except StorageError as exc:
            self.not_recorded("note_clock_change", str(exc))
            return
        if noted:
            moved = noted[0].data.get("wall_minus_mono_s")
            self.statusBar().showMessage(
                f"The workstation clock was changed by {moved:+.0f} s; recorded in the log. "
                "Countdowns are not affected.", 60_000)

    def tick(self) -> None:
        """Every second: recompute from the engine (never from the number of ticks)."""
        now = self.session.clock.now()
        proc = self.session.procedure
        self._watch_clock(now)
        countdowns = proc.countdowns(now)
        step = proc.step(now)
        self._hold_idle_lock(countdowns, now)
        if self.people.tick() and not self.is_locked():
            self.show_lock()
        page = self.wizard.currentPage()
        if self.is_locked():
            self.header.hide_patient()
        elif isinstance(page, SignInPage) or self.session.user is None:
            self.header.hide_patient(SIGN_IN_FIRST)
        else:  # the bag of the page on screen: header and page never disagree
            self.header.show_patient(page.bag if isinstance(page, StepPage)
                                     and page.bag is not None else step.bag)
        has_record = self.session.store is not None and proc.state.procedure_id is not None
        self.print_action.setEnabled(has_record)
        self.save_action.setEnabled(has_record)
        self.header.show_clocks(countdowns, now)
        self.alarms.update(countdowns, now)
        self._chime_for_opened(countdowns)
        if isinstance(page, StepPage):
            if isinstance(page, BetweenBagsPage):
                page.refresh()
                self.follow_engine()  # the window opened: on to inspecting the next bag
            current = self.wizard.currentPage()
            if isinstance(current, StepPage):
                self._complete_changed(current)

    def _hold_idle_lock(self, countdowns: Any, now: Any) -> None:
        """A running thaw or infusion counts as activity: no idle lock under it (qt/lock.py)."""
        from .lock import idle_lock_held

        if idle_lock_held(countdowns) and not self.people.locked:
            self.people.note_activity(now)

    def _complete_changed(self, page: StepPage[Any]) -> None:
        """Tell the wizard only when the page's completeness really changed (a window opened):
        every completeChanged makes QWizard re-arrange its buttons, which takes the keyboard
        focus from the field the nurse is typing in. Focus never moves on a timer."""
        shown = (id(page), page.isComplete())
        if shown != self._complete_shown:
            self._complete_shown = shown
            page.completeChanged.emit()

    def _chime_for_opened(self, countdowns: Any) -> None:
        from .display import opened_windows

        if opened_windows(self._levels, countdowns):
            self.chime.ring()
        self._levels = {c.alarm_key: c.level for c in countdowns}

    def follow_engine(self) -> None:
        """Once the page's step is recorded, show the page of the engine's next step: the nurse
        never presses Next after a step is done."""
        page = self.current_page()
        if not isinstance(page, StepPage) or isinstance(page, FinalPage) or self.is_locked():
            return
        if page.isComplete() and self.wizard.currentId() != self.page_id_for(
                self.session.step()):
            self._done_note = done_note(page.title(), self.last_scan_text
                                        if isinstance(page, ScanPage) else "",
                                        self.session.clock.now())
            self.wizard.next()

    def take_done_note(self) -> str:
        """The line the next page shows about the step just recorded (once)."""
        note, self._done_note = getattr(self, "_done_note", ""), ""
        return note

    # ------------------------------------------------------------------ after each command
    @Slot(object)
    def procedure_changed(self, outcome: Outcome) -> None:
        """Session.changed: every command's outcome, whoever gave it."""
        self.tick()
        if self.prethaw is not None:
            for e in outcome.events:  # the pre-thaw search starts as the bag leaves its
                bag = _bag_out(e)     # cassette (so its answer is in when the thaw starts,
                facts = self._prethaw_facts(bag) if bag else None  # even with no pause)
                if facts is not None:
                    self.prethaw.start(facts[0], bag, facts[1], facts[2])
        if outcome.events and self.sync is not None and (
                self.session.state.order is not None or any(
                    e.type in ("procedure_completed", "procedure_stopped")
                    for e in outcome.events)):
            # a finished record goes out now, not at the next interval; an open procedure's
            # steps too, so another workstation can take it over (issue 24)
            self.sync.sync_now()
        if self.session.step().name == "stopped":
            self.take_over_with_stop()
        elif outcome.events and outcome.accepted and \
                not isinstance(self.current_page(), SignInPage):
            self.follow_engine()

    def take_over_with_stop(self) -> None:
        page = self.current_page()
        if page is not None and self.wizard.currentId() != page_id("stopped", None):
            self.wizard.next()

    def signed_in(self, who: User) -> None:
        self.session.user = who
        self._witness = None
        self.header.show_user(who.name)

    # ------------------------------------------------------------------ commands
    def submit(self, name: str, args: dict[str, Any] | None = None, *,
               deviation: Deviation | None = None,
               signatures: tuple[Signature, ...] = ()) -> Result:
        """Every command of the window: with a witness when the site wants one for it. If the
        witness dialog is cancelled the command still goes, and the guard's refusal is logged."""
        command = self.session.command(name, args, deviation=deviation, signatures=signatures)
        reasons = self.people.witness_required(self.session.state, command)
        witness = self.witness_for(reasons) if reasons else None
        return self.session.submit(name, args, deviation=deviation, signatures=signatures,
                                   witness=witness)

    def witness_for(self, reasons: list[str]) -> Signature | None:
        """The witness of this step. Rule: one witness signature covers every witnessed command
        of the same step (procedure, step, bag) while the people layer holds it valid, whatever
        the reasons — the witness stands at the bed for the whole identity check. Only a typed
        identifier always asks: the witness reads that typed text against the label itself; their
        signature then covers the rest of the step too."""
        step = self.session.step()
        key = (self.session.procedure.procedure_id, step.name, step.bag)
        if "typed_identifier" not in reasons and self._witness is not None and \
                self._witness[0] == key and \
                self.people.signature_problem(self._witness[1],
                                              self.session.clock.now()) is None:
            return self._witness[1]
        dialog = WitnessDialog(reasons, self.people, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signature is None:
            return None
        self._witness = (key, dialog.signature)
        return dialog.signature

    # ------------------------------------------------------------------ scans
    @Slot(object)
    def receive_raw(self, raw: Any) -> None:
        """From the scanners (wedge filter, serial port, camera): a RawScan."""
        self.receive_payload(raw.payload, raw.source, raw.symbology)

    def receive_payload(self, payload: str, source: Source = "wedge",
                        symbology: str | None = None, typed_reason: str | None = None,
                        typed_kind: str | None = None) -> str:
        """Every scan arrives here, whatever has focus. Returns the text shown for it."""
        self.people.touch()
        modal = QApplication.activeModalWidget()
        if modal is not None and hasattr(modal, "take_scan"):
            modal.take_scan(payload, source)
            return "badge"
        if self.is_locked():
            self._lock_scanned = (payload, source)
            self.lock_form.badgeEdit.setText(payload)
            self.lock_form.pinEdit.setFocus()
            return "badge"
        page = self.current_page()
        if isinstance(page, SignInPage):
            page.take_scan(payload, source)
            return "badge"
        from ..labels.errors import LabelError
        from ..labels.parse import parse

        try:
            scan = parse(payload, source, symbology, config=self.identity_config,
                         typed_reason=typed_reason, typed_kind=typed_kind)
        except LabelError as exc:
            text = f"✘ NOT READ — this label could not be read.\n{exc}"
            self._show_scan(text)
            return text
        return self.receive_scan(scan)

    def receive_scan(self, scan: Any) -> str:
        page = self.current_page()  # the window may move on inside submit (Session.changed)
        result = self.submit("scan", {"scan": scan.to_dict()})
        text = scan_feedback(result, scan.kind)
        witnessed = [s for s in result.outcome.events[0].data.get("signatures", ())
                     if s["meaning"] == "witnessed"] if result.outcome and \
            result.outcome.events else []
        if witnessed and result.accepted:
            text += f"\nWitnessed by {witnessed[0]['name']}."
        self._show_scan(text, "stop" if result.storage_error is not None
                        else scan_tone(result.rejection), page)
        if isinstance(page, StepPage):
            page.show_result(result)
        now_on = self.current_page()
        if now_on is not page and isinstance(page, ScanPage) and isinstance(now_on, StepPage):
            # moved on by this scan: the next page says what the scan recorded
            now_on.doneLabel.setText(done_note(page.title(), text, self.session.clock.now()))
        return text

    def _show_scan(self, text: str, tone: str = "refused", page: Any = None) -> None:
        self.last_scan_text = text
        page = page if page is not None else self.current_page()
        if isinstance(page, ScanPage):
            page.show_scan(text, tone)
        elif isinstance(page, StepPage):
            page.form.messageLabel.setText(text)

    def type_identifier(self, kind: str | None = None) -> None:
        dialog = TypedEntryDialog(self, kind)
        if dialog.exec() == TypedEntryDialog.DialogCode.Accepted:
            self.receive_payload(dialog.payload, "typed", typed_reason=dialog.reason,
                                 typed_kind=dialog.kind)

    @Slot(object)
    def show_camera_frame(self, result: Any) -> None:
        """A decoded frame (FrameResult) made into a preview here; the camera worker sends
        ready previews to `show_camera_preview` instead (see qt/camera.py)."""
        from .camera import make_preview

        outlines = [c.position for c in result.codes if c.position]
        self.show_camera_preview(make_preview(result.image, outlines, result.index))

    @Slot(object)
    def show_camera_preview(self, preview: Any) -> None:
        """A CameraPreview from the camera worker: only shown, on the visible panels."""
        for panel in self.camera_panels:
            if panel.isVisible():
                panel.show_preview(preview)

    @Slot(str)
    def scanner_failed(self, why: str) -> None:
        self.alarms.raise_technical("scanner", f"Scanner: {why}")
        self.tick()

    def attach_camera(self, box: QWidget) -> None:
        """A camera panel on each scanning page, when the site has a camera (see camera_panel)."""
        from .camera_panel import CameraPanel

        panel = CameraPanel()
        box_layout(box).addWidget(panel)
        self.camera_panels.append(panel)

    # ------------------------------------------------------------------ deviations, alarms
    def ask_deviation(self, rejection: Rejection) -> tuple[Deviation, Signature] | None:
        dialog = DeviationDialog(refusal_text(rejection), self.people, self)
        if dialog.exec() == DeviationDialog.DialogCode.Accepted and dialog.deviation:
            assert dialog.signature is not None
            return dialog.deviation, dialog.signature
        return None

    def _acknowledge_alarm(self, alarm: ActiveAlarm) -> bool:
        """Recorded while a procedure is open (at the lock screen too, where the alarm is
        answered without a PIN and the record says so). With no procedure open only the
        program's own (technical) alarms exist, and there is no record to write to."""
        if not self.session.state.active:
            return alarm.level == "technical"
        recorded = self.submit("acknowledge_alarm", self._alarm_args(alarm)).accepted
        # The program's own alarm (a log that cannot be written, no sound device) must not
        # sound for ever because its acknowledgement could not be recorded either.
        return recorded or alarm.level == "technical"

    def _silence_alarms(self, alarms: list[ActiveAlarm]) -> None:
        if not self.session.state.active:
            return
        from .alarm_state import SILENCE_SECONDS

        for alarm in alarms:
            self.submit("silence_alarm", self._alarm_args(alarm, seconds=SILENCE_SECONDS))

    def _alarm_args(self, alarm: ActiveAlarm, **more: Any) -> dict[str, Any]:
        """An alarm command's arguments; answered at the lock screen, the record says so."""
        args: dict[str, Any] = {"alarm": alarm.key, **more}
        if self.is_locked():
            args["screen"] = "lock"
        return args

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
        dialog = StopDialog(self.people, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signature is None:
            return
        result = self.submit("stop_procedure", {"reason": dialog.reason},
                             signatures=(dialog.signature,))
        page = self.current_page()
        if isinstance(page, StepPage):
            page.show_result(result)

    def correct_flush(self) -> None:
        """A recorded flush volume corrected through the engine's `correct` command."""
        state = self.session.state
        flushes = [(b.number, b.flush_ml, b.flush_event) for b in state.bags
                   if b.flush_event and b.flush_ml is not None]
        if not state.active or not flushes:
            QMessageBox.information(self, "Correct a flush volume",
                                    "No flush volume is recorded in an open procedure.")
            return
        dialog = CorrectionDialog(flushes, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        result = self.submit("correct", {"event_id": dialog.event_id, "reason": dialog.reason,
                                         "changes": {"volume_ml": dialog.volume}})
        page = self.current_page()
        if isinstance(page, StepPage):
            page.show_result(result)

    # ------------------------------------------------------------------ lock and sign-in
    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_form.widget

    def lock(self) -> None:
        """Lock by hand (Ctrl+L); the people layer records it."""
        if self.people.current_user is None:
            return
        self.people.lock("manual")
        self.show_lock()

    def show_lock(self) -> None:
        """Patient data hidden; the header's countdowns and alarms keep running."""
        user = self.people.current_user
        name = user.name if user else "—"
        self.lock_form.instructionLabel.setText(
            f"LOCKED — {name} is signed in. The countdowns above keep running.\n"
            f"{name}: enter your PIN and press Unlock.\n"
            "Another nurse: scan your own badge, then enter your PIN (you take over).\n"
            "An alarm can be silenced (F9) and acknowledged (F10) without unlocking.")
        self.lock_form.messageLabel.setText("")
        self.lock_form.badgeEdit.clear()
        self.lock_form.pinEdit.clear()
        self._lock_scanned = None
        self.stack.setCurrentWidget(self.lock_form.widget)
        self.header.hide_patient()
        self.lock_form.pinEdit.setFocus()

    def unlock(self) -> None:
        """The same user's PIN unlocks; a badge scanned here means another user takes over."""
        text = self.lock_form.badgeEdit.text()
        pin = self.lock_form.pinEdit.text()
        try:
            if text.strip():
                payload, source = self._lock_scanned if self._lock_scanned and \
                    self._lock_scanned[0] == text else (text, "typed")
                who = self.people.take_over(payload, pin, source=source)
            else:
                who = self.people.unlock(pin)
        except PeopleError as exc:
            self.lock_form.pinEdit.clear()
            self.lock_form.messageLabel.setText(str(exc))
            return
        self.lock_form.pinEdit.clear()
        self.lock_form.badgeEdit.clear()
        self.lock_form.messageLabel.setText("")
        self.signed_in(who)
        self.stack.setCurrentWidget(self.wizard)
        self.tick()

    def sign_out(self) -> None:
        """Back to the sign-in page; an open procedure stays open for the next nurse."""
        self.people.sign_out()
        self.session.user = None
        self._witness = None
        self.header.show_user(None)
        self.stack.setCurrentWidget(self.wizard)
        self.wizard.restart()
        self.tick()

    # ------------------------------------------------------------------ record, labels, self-test
    def record_document(self, procedure_id: str | None = None) -> Any:
        """The current (or `procedure_id`'s) procedure's record as the log holds it now (printed
        'in progress' while it is open), or None with the reason shown."""
        from ..record import RecordError, load_record, record_document

        store, proc = self.session.store, self.session.procedure
        procedure_id = procedure_id or proc.state.procedure_id
        if store is None or procedure_id is None:
            QMessageBox.information(self, "Record", "There is no procedure record yet.")
            return None
        try:
            view = load_record(store, procedure_id, self.session.profile, self.site,
                               printed_at=self.session.clock.now())
            return record_document(view, self.site.paper_size)
        except (RecordError, ValueError) as exc:
            QMessageBox.warning(self, "Record", f"The record cannot be made: {exc}")
            return None

    def print_record(self) -> None:
        doc = self.record_document()
        if doc is not None:
            self._print(doc)

    def save_record(self, path: str | None = None) -> int:
        """Save the record as a PDF (asks where unless `path`); returns the pages written."""
        doc = self.record_document()
        return 0 if doc is None else self._save(doc, path)

    def print_training_labels(self) -> None:
        from ..training.label_sheet import label_sheet_document

        self._print(label_sheet_document(self.session.clock.now(), self.site.paper_size))

    def _print(self, doc: Any) -> None:
        from .printing import PrintError, print_to_printer, print_with_dialog, printer_to_use

        try:  # the site's printer or the default queue; never a PDF file in its place
            queue: str | None = printer_to_use(self.site.printer)
            problem = ""
        except PrintError as exc:
            queue, problem = None, str(exc)
        question = (f"{doc.title}\nPrint it on {queue}, or save it as a PDF file?" if queue else
                    f"{doc.title}\nIt cannot be printed: {problem}. Save it as a PDF file?")
        box = QMessageBox(QMessageBox.Icon.Question, doc.title, question,
                          QMessageBox.StandardButton.Cancel, self)
        direct = box.addButton(f"&Print on {queue}", QMessageBox.ButtonRole.AcceptRole) \
            if queue else None
        other = box.addButton("&Other printer…", QMessageBox.ButtonRole.ActionRole) \
            if queue else None
        pdf = box.addButton("Save as P&DF…", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is pdf:
            self._save(doc, None)
            return
        try:
            if clicked is direct and queue:
                pages = print_to_printer(doc, queue)
            elif clicked is other and queue:
                pages = print_with_dialog(doc, self, queue)
            else:
                return
        except PrintError as exc:
            QMessageBox.warning(self, "Print", f"Not printed: {exc}")
            return
        if pages:
            self.statusBar().showMessage(f"{doc.title}: {pages} page(s) sent to the printer.",
                                         15_000)

    def _save(self, doc: Any, path: str | None) -> int:
        from .printing import PrintError, save_pdf

        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save as PDF", f"{doc.title}.pdf",
                                                  "PDF (*.pdf)")
            if not path:
                return 0
        try:
            return save_pdf(doc, path)
        except PrintError as exc:
            QMessageBox.warning(self, "Save as PDF", f"Not saved: {exc}")
            return 0

    def show_self_test(self, checks: Any = None) -> QDialog:
        """The self-test report; the checks run off the GUI thread (`qt.selftest_qt`)."""
        from .selftest_qt import show_self_test

        return show_self_test(self, self.site, checks)

    def attach_sync(self, sync: Any, indicator: SyncStatusIndicator) -> None:
        """The sync indicator in the status bar; `sync` (a BackgroundSync) is started by the
        caller and stopped when the window closes."""
        self.sync = sync
        self.statusBar().addPermanentWidget(indicator)
        sync.status_changed.connect(indicator.show_status)
        if getattr(sync, "settings", None) is not None:
            from .prethaw import PrethawChecks

            self.prethaw = PrethawChecks(sync.settings, self.session.profile)

    def _prethaw_facts(self, bag: int) -> tuple[str, str, str] | None:
        from .prethaw import bag_facts

        facts = bag_facts(self.session.state, bag)
        pid = self.session.procedure.procedure_id
        return None if facts is None or pid is None else (pid, *facts)

    def thaw_allowed(self, bag: int) -> bool:
        """Before a thaw: the hospital's record must not already show this bag, or KRESLADI for
        this patient, given (sync.prethaw). Found: a hard stop naming where and when; not
        checked (server unreachable): said on the status bar, never blocking."""
        facts = self._prethaw_facts(bag)
        if self.prethaw is None or facts is None:
            return True
        pid, din, mrn = facts
        result = self.prethaw.result(pid, bag, din, mrn)
        if result.verdict == "not_checked":
            self.statusBar().showMessage(result.message())
            return True
        if result.verdict == "not_found":
            self.statusBar().showMessage(result.message(), 60_000)
            return True
        self.prethaw.forget(pid, bag)
        QMessageBox.critical(self, "Stop: already given", result.message()
                             + "\n\nDo not thaw. The procedure is stopped; call the "
                             f"manufacturer ({self.session.profile.manufacturer_contact}).")
        self.submit("stop_procedure", {"reason": result.message()})
        return False

    def receive_product(self) -> QDialog:
        """The receipt dialog (window-modal: scans go to it while it is open)."""
        from .receipt_dialog import ReceiptDialog

        dialog = ReceiptDialog(self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _r: self.tick())
        dialog.finished.connect(lambda _r: self._refresh_received())
        dialog.open()
        return dialog

    def _refresh_received(self) -> None:
        page = self.wizard.page(page_id("order", None))
        if hasattr(page, "received"):
            page.received.refresh()

    def new_procedure(self) -> None:
        """Start the next patient's procedure, only when confirmed; the finished one's record
        stays reachable (Procedure ▸ Print the previous procedure's record)."""
        state = self.session.state
        if state.procedure_id is not None:
            dialog = ConfirmDialog(
                "Start a new procedure?",
                "Start a NEW procedure for another patient? This procedure is finished and "
                "stays in the log; its record can still be printed from Procedure ▸ Print the "
                "previous procedure's record.",
                "Yes, start a &new procedure", "&No, stay here", self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            self.previous_procedure_id = state.procedure_id
            self.previous_action.setEnabled(self.session.store is not None)
        self.session.start_new()
        self.alarms.seed(())
        self._levels = {}
        self.wizard.restart()
        if self.session.user is not None:
            self.wizard.next()
        self.tick()

    def print_previous_record(self) -> None:
        procedure_id = getattr(self, "previous_procedure_id", None)
        if procedure_id is None:
            QMessageBox.information(self, "Record", "There is no previous procedure.")
            return
        doc = self.record_document(procedure_id)
        if doc is not None:
            self._print(doc)
