"""Opening the window: site configuration, the procedure log, the people (users, sign-in),
recovery of an unfinished procedure, training mode, background sync, and scanners wired to the
window. The command line's start (`qt/start.py`) paints the sign-in page first, from its forms
alone, and calls `open_window` right after that paint.

`open_window` builds what the window needs before its own first paint (the log, recovery and
its alarms, the people, the header and the sign-in page); what it does not need comes right
after that paint, on the event loop (it returns it as `later`): the other 18 pages (their forms
and style-sheet polish: about half of the window's construction), the alarm sounds
(QtMultimedia and its audio device), the training staff of a first start (three argon2
operations, about 1 s here), biip, and background sync (the FHIR models). `build_window` runs
both at once, for tests and tools."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMessageBox

from ..clock import Clock, ScaledClock, SystemClock
from ..config import SiteConfig, workstation_name
from ..engine.procedure import default_verifier
from ..labels.expiry import site_zone
from ..labels.gs1 import preload as preload_gs1
from ..people import People
from ..profile import Profile, load_profile
from ..store import StorageError, Store, database_path, open_store
from ..store.recovery import recover
from .alarm_state import Sound
from .alarms import NO_AUDIO, QtSoundPlayer
from .chime import Chime
from .pages import SignInPage
from .session import Session
from .signin import seed_training_users
from .window import SIGNIN_ID, BedsideWindow


def make_clock(training: bool, speed: float | None) -> Clock:
    if speed and speed != 1 and not training:
        raise SystemExit("--speed is for training mode only")
    if training:  # scaled even at ×1: the Training menu changes the speed later
        return ScaledClock(SystemClock(), speed or 1.0)
    return SystemClock()


class DeferredSoundPlayer:
    """The alarm sounds, set up after the first paint. Until then it says it is available and
    remembers what should sound; `start` makes the real QtSoundPlayer, plays what is due and,
    when there is no sound, raises the technical alarm the window would have raised at once."""

    def __init__(self) -> None:
        self.available = True
        self.problem = ""
        self._wanted: Sound | None = None
        self.real: QtSoundPlayer | None = None

    def play(self, sound: Sound | None) -> None:
        self._wanted = sound
        if self.real is not None:
            self.real.play(sound)

    def start(self, window: BedsideWindow) -> None:
        if self.real is not None:
            return
        self.real = QtSoundPlayer(window)
        self.available, self.problem = self.real.available, self.real.problem
        if not self.available:
            window.alarms.raise_technical(NO_AUDIO, self.problem)
            window.tick()
        self.real.play(self._wanted)


class DeferredChime:
    """The chime (qt/chime.py) set up after the first paint: making it loads QtMultimedia and
    asks for the audio devices. Rings are counted from the start; before `start` they are
    silent (the first second of the program)."""

    def __init__(self) -> None:
        self.rung = 0
        self.real: Chime | None = None

    def ring(self) -> None:
        self.rung += 1
        if self.real is not None:
            self.real.ring()

    def start(self, parent: QObject) -> None:
        if self.real is None:
            self.real = Chime(parent)


def open_window(config: SiteConfig, *, db: str | Path | None, training: bool,
                clock: Clock, people: People | None = None
                ) -> tuple[BedsideWindow, Callable[[], None]]:
    """The window ready to paint, and what to run once it has painted (see the module doc)."""
    profile = load_profile()
    path = database_path(db, config)
    store = open_store(path)
    # The site's zone, else the operating system's: printed expiry is read in it (DST included),
    # at receipt as at the bedside (labels.expiry.site_zone).
    verifier = default_verifier(profile, config.identity, site_zone(config.timezone))
    recovery = recover(store, profile, clock, verifier, workstation=workstation_name(config))
    procedure = recovery.procedures[-1].procedure if recovery.procedures else None
    if procedure is not None:
        training = procedure.state.training  # a reopened procedure keeps its own mode
    people = people or People(store, config, clock)
    session = Session(profile, clock, store=store, training=training, procedure=procedure,
                      verifier=verifier, workstation=workstation_name(config))
    sound = DeferredSoundPlayer()
    chime = DeferredChime()
    window = BedsideWindow(session, people=people, site=config, player=sound, chime=chime,
                           step_pages=False)
    show_log_alarms(window, [*recovery.alarm_texts(), *people.alarm_texts(),
                             *undelivered_alarms(store, config, training)])

    # a practice workstation only: a live one started with --training keeps its own users
    seeding = (config.training or config.source is None) and people.first_run()
    signin = cast(SignInPage, window.wizard.page(SIGNIN_ID))
    if seeding:  # not the first-administrator form for the second before the staff exist
        signin.setTitle("Preparing the training workstation…")
        signin.form.widget.setVisible(False)

    def later() -> None:
        sound.start(window)  # first: a reopened procedure may have an alarm sounding
        chime.start(window)
        window.build_step_pages()
        preload_gs1()  # biip, so the first GS1 scan does not wait for its imports
        if seeding:
            seed_training_users(people)
            signin.form.widget.setVisible(True)
            signin.show_mode()  # the sign-in page now lists the practice badges
        verify_in_background(window, path)  # the full chain check, off the GUI thread
        start_sync(window, config, path, profile, training)

    return window, later


def undelivered_alarms(store: Store, config: SiteConfig, training: bool) -> list[str]:
    """Finished procedures still not delivered after the site's time (an IT alarm at start)."""
    from ..store.anchors import undelivered

    if training or config.sync.base_url is None:
        return []
    return [f"UNDELIVERED: procedure {late.procedure_id} {late.detail}. Call IT."
            for late in undelivered(store, config.sync.undelivered_alarm_hours)]


def build_window(config: SiteConfig, *, db: str | Path | None, training: bool,
                 clock: Clock, people: People | None = None) -> BedsideWindow:
    """The window with everything set up (tests, tools): `open_window` and its `later` at once."""
    window, later = open_window(config, db=db, training=training, clock=clock, people=people)
    later()
    return window


def show_log_alarms(window: BedsideWindow, texts: Sequence[str]) -> None:
    """A damaged log (a procedure, the people log, the whole file) in its own words: a banner,
    the technical alarm sound, and a box — not the NOT RECORDED wording of a failed write."""
    for text in texts:
        window.header.show_not_recorded(text)
        window.alarms.raise_technical("log_damaged", text.split(":", 1)[0])
        box = QMessageBox(QMessageBox.Icon.Critical, "Log damaged", text,
                          QMessageBox.StandardButton.Ok, window)
        box.setAccessibleName("Log damaged alarm")
        box.open()


def verify_in_background(window: BedsideWindow, path: Path) -> None:
    """The full verification after first paint, on a worker thread (store.recovery.full_check);
    the GUI thread only polls for the answer."""
    from concurrent.futures import ThreadPoolExecutor

    from PySide6.QtCore import QTimer

    from ..store.recovery import full_check, report_alarms

    pool = ThreadPoolExecutor(1, thread_name_prefix="verify")
    future = pool.submit(full_check, path)
    pool.shutdown(wait=False)
    timer = QTimer(window)

    def poll() -> None:
        if not future.done():
            return
        timer.stop()
        try:
            texts = report_alarms(future.result())
        except StorageError as exc:
            texts = [f"LOG VERIFICATION FAILED: the log could not be read ({exc})"]
        show_log_alarms(window, texts)

    timer.timeout.connect(poll)
    timer.start(250)


def start_sync(window: BedsideWindow, config: SiteConfig, path: Path, profile: Profile,
               training: bool) -> None:
    """The sync indicator always; passes only when a server is set and this is not training."""
    from ..sync import SyncNotConfigured, SyncSettings
    from .sync_status import BackgroundSync, SyncStatusIndicator

    settings: SyncSettings | None = None
    why = "training: records are never sent"
    if not training:
        try:
            settings = SyncSettings.from_config(config)
        except SyncNotConfigured as exc:
            why = str(exc)
    sync = BackgroundSync(path, settings, profile, parent=window, off_reason=why)
    # the indicator in the status bar; the window stops `sync` when it closes
    window.sync = sync
    indicator = SyncStatusIndicator()
    window.statusBar().addPermanentWidget(indicator)
    sync.status_changed.connect(indicator.show_status)
    if settings is not None:
        from .prethaw import PrethawChecks

        window.prethaw = PrethawChecks(settings, profile)
    sync.start()


def install_scanners(app: QCoreApplication, window: BedsideWindow,
                     config: SiteConfig) -> Any:
    """The keyboard-wedge filter on the whole application, so a scan lands wherever focus is."""
    from .wedge import WedgeFilter

    wedge = WedgeFilter(config.scanner, parent=window)
    wedge.install(app)
    wedge.scanned.connect(window.scans.receive_raw)
    if config.scanner.mode == "serial":
        from ..scanning.serial_reader import SerialPortError
        from .serial import SerialScanner

        try:
            serial = SerialScanner(config.scanner, parent=window)
        except SerialPortError as exc:
            window.alarms.scanner_failed(str(exc))
        else:
            serial.scanned.connect(window.scans.receive_raw)
            serial.failed.connect(window.alarms.scanner_failed)
            serial.start()
    if config.camera.source is not None:
        from .camera import CameraScanner

        try:
            camera = CameraScanner.from_config(config.camera, parent=window)
        except (ValueError, OSError) as exc:
            window.alarms.scanner_failed(f"camera: {exc}")
        else:
            camera.scanned.connect(window.scans.receive_raw)
            camera.previewReady.connect(window.scans.show_camera_preview)
            camera.failed.connect(window.alarms.scanner_failed)
            camera.start()
    return wedge


def asks_before_creating(db: str | Path | None, config: SiteConfig) -> Path | None:
    """The log path to confirm before a new, empty log is made there: a path someone chose
    (--db or the site file's `database`) where no log exists may be misspelled, and a silent new
    log would hide every procedure from the nurse. The default path is simply created on a
    workstation's first start (and a training workstation's practice log is never asked about)."""
    if db is None and config.database is None:
        return None
    path = database_path(db, config)
    return None if path.exists() else path


def confirm_new_log(db: str | Path | None, config: SiteConfig) -> bool:
    path = asks_before_creating(db, config)
    if path is None:
        return True
    answer = QMessageBox.question(
        None, "Procedure log",
        f"There is no procedure log at\n{path}\n\nIf this is a new workstation, create a new, "
        "empty log there. If the path is misspelled, choose No and correct --db or the site "
        "file's `database`: nothing is created.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
