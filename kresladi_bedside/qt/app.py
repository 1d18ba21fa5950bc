"""Starting the window: site configuration, the procedure log, the people (users, sign-in),
recovery of an unfinished procedure, training mode, background sync, and scanners wired to the
window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox

from ..clock import Clock, ScaledClock, SystemClock
from ..config import InvalidConfigError, SiteConfig, load_site_config
from ..engine.procedure import default_verifier
from ..people import People
from ..profile import Profile, load_profile
from ..store import StorageError, database_path, open_store
from ..store.recovery import recover
from .session import Session
from .signin import seed_training_users
from .window import BedsideWindow


def make_clock(training: bool, speed: float | None) -> Clock:
    if speed and speed != 1 and not training:
        raise SystemExit("--speed is for training mode only")
    if training:  # scaled even at ×1: the Training menu changes the speed later
        return ScaledClock(SystemClock(), speed or 1.0)
    return SystemClock()


def build_window(config: SiteConfig, *, db: str | Path | None, training: bool,
                 clock: Clock, people: People | None = None) -> BedsideWindow:
    profile = load_profile()
    path = database_path(db, config)
    store = open_store(path)
    verifier = default_verifier(profile, config.identity, config.timezone)
    recovery = recover(store, profile, clock, verifier)
    procedure = recovery.procedures[-1].procedure if recovery.procedures else None
    if procedure is not None:
        training = procedure.state.training  # a reopened procedure keeps its own mode
    people = people or People(store, config, clock)
    if config.training or config.source is None:
        # a practice workstation only: a live one started with --training keeps its own users
        seed_training_users(people)
    session = Session(profile, clock, store=store, training=training, procedure=procedure,
                      verifier=verifier)
    window = BedsideWindow(session, people=people, site=config)
    show_log_alarms(window, recovery.alarm_texts())
    verify_in_background(window, path)
    start_sync(window, config, path, profile, training)
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
    window.attach_sync(sync, SyncStatusIndicator())
    sync.start()


def install_scanners(app: QApplication, window: BedsideWindow, config: SiteConfig) -> Any:
    """The keyboard-wedge filter on the whole application, so a scan lands wherever focus is."""
    from .wedge import WedgeFilter

    wedge = WedgeFilter(config.scanner, parent=window)
    wedge.install(app)
    wedge.scanned.connect(window.receive_raw)
    if config.scanner.mode == "serial":
        from ..scanning.serial_reader import SerialPortError
        from .serial import SerialScanner

        try:
            serial = SerialScanner(config.scanner, parent=window)
        except SerialPortError as exc:
            window.scanner_failed(str(exc))
        else:
            serial.scanned.connect(window.receive_raw)
            serial.failed.connect(window.scanner_failed)
            serial.start()
    if config.camera.source is not None:
        from .camera import CameraScanner

        try:
            camera = CameraScanner.from_config(config.camera, parent=window)
        except (ValueError, OSError) as exc:
            window.scanner_failed(f"camera: {exc}")
        else:
            camera.scanned.connect(window.receive_raw)
            camera.frameDecoded.connect(window.show_camera_frame)
            camera.failed.connect(window.scanner_failed)
            camera.start()
    return wedge


def run(*, config_path: str | None, db: str | None, training: bool, speed: float | None,
        argv: Sequence[str] = ("kresladi-bedside",)) -> int:
    app = QApplication.instance() or QApplication(list(argv))
    try:
        config = load_site_config(config_path)
    except InvalidConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    # No site configured: the workstation can only be used to practise.
    training = training or config.training or config.source is None
    try:
        window = build_window(config, db=db, training=training,
                              clock=make_clock(training, speed))
    except StorageError as exc:
        QMessageBox.critical(None, "Procedure log", f"The procedure log cannot be opened: {exc}")
        return 3
    install_scanners(app, window, config)
    window.show()
    return app.exec()
