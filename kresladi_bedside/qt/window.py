"""The bedside window: the header with the clocks, the wizard of pages (or the lock screen)
beneath it, the menus, the status bar (sync), and the one-second tick.

It shows; it does not decide or route. Where each job lives:
- scans: `scan_router.ScanRouter` (dialog, lock screen, sign-in page or the engine);
- witnesses and deviations around a command: `signed_commands.SignedCommands`;
- alarms, their recorded answers, the chime and the program's own alarms: `window_alarms`;
- the lock screen: `lock_screen`; the menus: `menus`; stop, correct, new procedure and
  receipt: `procedure_actions`; printing the record: `record_actions`;
- the pre-thaw search: `prethaw`; which page shows which step: `wizard`.
The clocks are computed once per instant, by the header (`Header.update_clocks`); the tick and
every command's outcome hand them on to the alarms and the lock.

Why it is a little over 400 lines: it is the one `PageHost` (qt/host.py: every method a page may
ask for is a line or two here) and holds the QMainWindow's own overrides (show, close, quit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ..clock import Instant
from ..config import IdentityConfig, PeopleConfig, SiteConfig
from ..engine import Countdown, Deviation, Outcome, Signature
from ..engine.steps import Step
from ..people import People, User
from ..store import StorageError, Store
from .alarms import QtSoundPlayer, SoundPlayer
from .clock_moved import notice_label, show_notice
from .display import done_note, recorded_text
from .forms import SIGN_IN_FIRST, LockForm
from .header import Header
from .header_form import header_over, step_label
from .lock_screen import LockScreen
from .menus import build_menus, set_training_speed, training_speed
from .pages.signin import SignInPage
from .procedure_actions import ProcedureActions
from .record_actions import RecordActions
from .scan_router import ScanRouter
from .session import Result, Session
from .signed_commands import SignedCommands
from .style import STYLE
from .window_alarms import WindowAlarms
from .wizard import SIGNIN_ID, Wizard, page_id

__all__ = ["SIGNIN_ID", "BedsideWindow", "page_id"]

ACTIVITY_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                             QEvent.Type.Wheel, QEvent.Type.TouchBegin})


class BedsideWindow(QMainWindow):
    print_action: QAction
    save_action: QAction
    previous_action: QAction
    correct_action: QAction
    quit_action: QAction
    stop_action: QAction
    receive_action: QAction
    take_over_action: QAction
    labels_action: QAction

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
        session.site = self.site  # a procedure opened here records its policy and name
        self.identity_config = identity_config or self.site.identity
        session.add_guard(people.guard)  # every command is checked in the core, not here
        fence = None
        if not session.training and self.site.sync.base_url:
            # only with a server: its client and the custody module (http, ~0.1 s) are not
            # loaded before the first paint of a training or offline workstation
            from ..sync import custody_fence

            fence = custody_fence(self.site)
        if fence is not None:  # taken over elsewhere, or released: commands refused here
            session.add_guard(fence)
        self.custody: Any = None  # CustodyWatch with [sync]: the fence asks off the GUI thread
        self.sync: Any = None
        self._prethaw: Any = None  # PrethawChecks when sync is configured (issue 14)
        # the site's name: IT telling two workstations (or a copy of the log) apart
        self.setWindowTitle(f"{session.profile.name} bedside — {self.site.site_name}"
                            + (" — TRAINING" if session.training else ""))
        self.setAccessibleName("KRESLADI bedside window")
        self.setStyleSheet(STYLE)
        self.commands = SignedCommands(session, people, self)
        self.records = RecordActions(self, session, self.site)
        self.procedure_actions = ProcedureActions(self)
        from .take_over import TakeOver

        self.take_over = TakeOver(self)
        self.header = Header(session)
        self.wizard = Wizard(self.procedure_actions.new_procedure)
        self.wizard.headingChanged.connect(step_label(self.header.form).setText)
        self.lock_screen = LockScreen(people, self._unlocked)
        self.scans = ScanRouter(self, people=people, identity=self.identity_config,
                                shelf_life_days=session.profile.longest_shelf_life_days,
                                submit=self.submit, current_page=self.current_page,
                                lock=self.lock_screen, is_locked=self.is_locked)
        self.wizard.setPage(SIGNIN_ID, SignInPage(self))
        self.wizard.setStartId(SIGNIN_ID)
        if step_pages:
            self.build_step_pages()
        self.stack = QStackedWidget()  # after the pages: a QWizard stacked empty never starts
        self.stack.addWidget(self.wizard)
        self.stack.addWidget(self.lock_screen.widget)
        central = header_over(self.header, self.stack)
        self.setCentralWidget(central)
        if chime is None:
            from .chime import Chime

            chime = Chime(self)
        self.alarms = WindowAlarms(self, self.header, player or QtSoundPlayer(self), session,
                                   self.submit, self.is_locked, chime, self.tick)
        if fence is not None:
            from .custody_watch import CustodyWatch

            self.custody = CustodyWatch(self, fence, self.site)
            layout = central.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(1, self.custody.notice)  # under the clocks: "this moved"
        self._complete_shown: tuple[int, bool] | None = None
        self._done_note = ""
        session.changed.connect(self.procedure_changed)  # after the header's: its clocks first
        session.notRecorded.connect(self.alarms.not_recorded)
        session.recorded.connect(self.alarms.recorded)
        self.speed_actions: dict[float, QAction] = {}
        self.base_people_config: PeopleConfig | None = None  # before training's speed-up
        build_menus(self)
        self.clock_notice = notice_label(self)  # a clock moved: said beside the clocks
        if session.training and training_speed(self) != 1:
            set_training_speed(self, training_speed(self))  # --speed: the lock scales too
        self.wizard.currentIdChanged.connect(lambda _id: self.tick())
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)  # re-armed at each digit: ticking.py
        self.tick_period_ms = tick_ms
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
        from .kiosk import FocusKeeper
        from .spin_entry import BlankSpinSelect

        self.focus_keeper = FocusKeeper(self)
        self.blank_spins = BlankSpinSelect(self)
        self.blank_spins.install()
        self.tick()

    MAXIMISED_KEY = "window/maximised"

    def show(self) -> None:
        """Open maximised (a bedside screen is for this program alone) unless the nurse last
        left it as a smaller window; both are remembered."""
        from .fitted import keep_frame_on_screen, show_on_screen

        show_on_screen(self, bool(self.settings.value(self.MAXIMISED_KEY, True, bool)))

        # once a window manager has framed it (or not maximised it), and a smaller window
        # (1280×860) on a 768-line screen: the frame, title bar and status bar on the screen
        for ms in (300, 1500):
            QTimer.singleShot(ms, self, lambda: keep_frame_on_screen(self))
        # a kiosk session has no window manager to give us the keyboard (qt/kiosk.py)
        self.activateWindow()

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

        now = self.session.clock.now()
        return may_quit(self, self.session.procedure.countdowns(now), now)

    def quit_requested(self) -> bool:
        """Ctrl+Q or Quit: asked first while a product clock runs (quit_guard)."""
        if not self._may_quit():
            return False
        self._quit_confirmed = True
        return self.close()

    def closeEvent(self, event: Any) -> None:
        # the window manager's close button or Alt+F4: the same question as Ctrl+Q; and
        # nothing but unlocking on the lock screen
        if event.spontaneous() and self.is_locked():
            event.ignore()
            self.lock_form.messageLabel.setText("Unlock first (your PIN) to quit the program.")
            return
        if event.spontaneous() and not self._quit_confirmed and not self._may_quit():
            event.ignore()
            return
        self.session.note_quit()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.sync is not None:
            self.sync.stop()
        if self.prethaw is not None:
            self.prethaw.close()
        super().closeEvent(event)

    # ------------------------------------------------------------------ what pages ask (host.py)
    def build_step_pages(self) -> None:
        """Every page after sign-in (once)."""
        self.wizard.build_step_pages(self, self.session.profile.rule("bag_count")["max"])

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

    def submit(self, name: str, args: dict[str, Any] | None = None, *,
               deviation: Deviation | None = None,
               signatures: tuple[Signature, ...] = ()) -> Result:
        return self.commands.submit(name, args, deviation=deviation, signatures=signatures)

    def run(self, name: str, args: dict[str, Any] | None = None) -> Result:
        return self.commands.run(name, args)

    def take_done_note(self) -> str:
        """The line the next page shows about the step just recorded (once)."""
        note, self._done_note = self._done_note, ""
        return note

    def type_identifier(self) -> None:
        self.scans.type_identifier()

    def attach_camera(self, box: QWidget) -> None:
        self.scans.attach_camera(box)

    def correct_flush(self) -> None:
        self.procedure_actions.correct_flush()

    def receive_product(self) -> None:
        self.procedure_actions.receive_product()

    def print_record(self) -> None:
        self.records.print_record()

    def save_record(self, path: str | None = None) -> bool:
        """Saved off the GUI thread (qt/print_jobs.py): True when it started."""
        return self.records.save_record(path)

    def not_recorded(self, command: str, error: str) -> None:
        self.alarms.not_recorded(command, error)

    # ------------------------------------------------------------------ the tick
    def tick(self) -> None:
        """Every second: the clocks at this instant (computed by the header, once), then what
        depends on them (never on the number of ticks)."""
        now = self.session.clock.now()
        self._watch_clock(now)
        countdowns = self.header.update_clocks(now)
        self._show_time(now, countdowns)
        if self.timer.isActive():  # (a test may have stopped it)
            from .ticking import ms_to_next_digit

            self.timer.start(ms_to_next_digit(countdowns, self.tick_period_ms))

    def _show_time(self, now: Instant, countdowns: Sequence[Countdown]) -> None:
        proc = self.session.procedure
        self._hold_idle_lock(countdowns, now)
        if self.people.tick() and not self.is_locked():
            self.show_lock()
        page = self.wizard.currentPage()
        if self.is_locked():
            self.header.hide_patient()
        elif isinstance(page, SignInPage) or self.session.user is None:
            self.header.hide_patient(SIGN_IN_FIRST)
        else:  # the bag of the page on screen: header and page never disagree
            self.header.show_patient(getattr(page, "bag", None) or proc.step(now).bag)
        has_record = self.session.store is not None and proc.state.procedure_id is not None
        self.print_action.setEnabled(has_record and not self.is_locked())
        self.save_action.setEnabled(has_record and not self.is_locked())
        show_notice(self.clock_notice, proc.state)
        self.alarms.update(countdowns, now)
        self._follow_time()

    def _watch_clock(self, now: Instant) -> None:
        """A wall-clock change while running: recorded by the engine (`clock_change_noted`)
        and shown, once, as a message; countdowns stay on the monotonic clock."""
        try:
            noted = self.session.procedure.watch_clock(now)
        except StorageError as exc:
            self.alarms.not_recorded("note_clock_change", str(exc))
            return
        if noted:
            moved = noted[0].data.get("wall_minus_mono_s")
            self.statusBar().showMessage(
                f"The workstation clock was changed by {moved:+.0f} s; recorded in the log. "
                "Countdowns are not affected.", 60_000)

    def _hold_idle_lock(self, countdowns: Sequence[Countdown], now: Instant) -> None:
        """A running thaw or infusion counts as activity: no idle lock under it (qt/lock.py)."""
        from .lock import idle_lock_held

        if idle_lock_held(countdowns) and not self.people.locked:
            self.people.note_activity(now)

    def _follow_time(self) -> None:
        """A window that opened with time (between bags) moves the page on; a page whose
        completeness changed tells the wizard, only then: every completeChanged makes QWizard
        re-arrange its buttons, which takes the focus from the field the nurse is typing in."""
        from .pages.base import StepPage

        page = self.wizard.currentPage()
        if isinstance(page, StepPage) and page.step_name == "between_bags":
            page.refresh()
            self.follow_engine(None)  # the window opened: on to inspecting the next bag
        current = self.wizard.currentPage()
        if isinstance(current, StepPage):
            shown = (id(current), current.isComplete())
            if shown != self._complete_shown:
                self._complete_shown = shown
                current.completeChanged.emit()

    # ------------------------------------------------------------------ after each command
    @Slot(object)
    def procedure_changed(self, outcome: Outcome) -> None:
        """Session.changed: every command's outcome, whoever gave it. The header has computed
        the clocks for it already (it listens first)."""
        self._show_time(*self.header.clocks)
        if self.prethaw is not None:
            from .prethaw import start_searches

            start_searches(self, self.prethaw, outcome)
        if outcome.events and self.sync is not None and (
                self.session.state.order is not None or any(
                    e.type in ("procedure_completed", "procedure_stopped")
                    for e in outcome.events)):
            # a finished record goes out now, not at the next interval; an open procedure's
            # steps too, so another workstation can take it over (issue 24)
            self.sync.sync_now()
        if self.session.step().name in ("stopped", "moved"):  # moved: handed over (issue 24)
            if self.wizard.currentPage() is not None and \
                    self.wizard.currentId() != page_id(self.session.step().name, None):
                self.wizard.next()
        elif outcome.events and outcome.accepted and \
                not isinstance(self.current_page(), SignInPage):
            self.follow_engine(outcome)

    def follow_engine(self, outcome: Outcome | None) -> None:
        """Once the page's step is recorded, show the page of the engine's next step: the nurse
        never presses Next after a step is done. The next page's note says what `outcome`
        recorded (for a scan, the label), built before the page moves, never patched after."""
        from .pages.base import StepPage
        from .pages.final import FinalPage

        page = self.current_page()
        if not isinstance(page, StepPage) or isinstance(page, FinalPage) or self.is_locked():
            return
        if page.isComplete() and self.wizard.currentId() != self.page_id_for(
                self.session.step()):
            from .display import window_opened_note

            what = recorded_text(outcome.events) if outcome is not None else ""
            now = self.session.clock.now()  # the wait between bags records nothing
            self._done_note = window_opened_note(now) if page.step_name == "between_bags" \
                else done_note(page.title(), what, now)
            self.wizard.next()

    # ------------------------------------------------------------------ sign-in and lock
    def signed_in(self, who: User) -> None:
        self.session.user = who
        self.commands.forget_witness()
        self.header.show_user(who.name)

    @property
    def lock_form(self) -> LockForm:
        return self.lock_screen.form

    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_screen.widget

    def lock(self) -> None:
        """Lock by hand (Ctrl+L); the people layer records it."""
        if self.people.current_user is None:
            return
        self.people.lock("manual")
        self.show_lock()

    def show_lock(self) -> None:
        """Patient data hidden; the header's countdowns and alarms keep running."""
        self.lock_screen.prepare()
        if not self.is_locked():
            from .lock import lock_menus

            self._menus_on = lock_menus(self.menuBar())
        self.stack.setCurrentWidget(self.lock_screen.widget)
        self.header.hide_patient()
        self.lock_screen.form.pinEdit.setFocus()

    def unlock(self) -> None:
        self.lock_screen.unlock()

    def _unlocked(self, who: User) -> None:
        self.signed_in(who)
        self._leave_lock()
        self.tick()

    def _leave_lock(self) -> None:
        if self.is_locked():
            from .lock import unlock_menus

            unlock_menus(self.menuBar(), getattr(self, "_menus_on", ()))
        self.stack.setCurrentWidget(self.wizard)

    def sign_out(self) -> None:
        """Back to the sign-in page; an open procedure stays open for the next nurse."""
        self.people.sign_out()
        self.session.user = None
        self.commands.forget_witness()
        self.header.show_user(None)
        self._leave_lock()
        self.wizard.restart()
        self.tick()

    # ------------------------------------------------------------------ menu actions
    def show_self_test(self, checks: Any = None) -> QDialog:
        """The self-test report; the checks run off the GUI thread (`qt.selftest_qt`)."""
        from .selftest_qt import show_self_test

        return show_self_test(self, self.site, checks)

    # ------------------------------------------------------------------ sync and pre-thaw
    @property
    def prethaw(self) -> Any:
        return self._prethaw

    @prethaw.setter
    def prethaw(self, checks: Any) -> None:
        """The pre-thaw searches; their answers come back here, on the GUI thread."""
        from .prethaw import answered

        self._prethaw = checks
        if hasattr(checks, "answered"):
            checks.answered.connect(lambda key, result: answered(self, checks, key, result))

    def thaw_allowed(self, bag: int) -> bool:
        """Before a thaw: the hospital's record must not already show it given (qt/prethaw)."""
        from .prethaw import thaw_allowed

        return self.prethaw is None or thaw_allowed(self, self.prethaw, bag)
