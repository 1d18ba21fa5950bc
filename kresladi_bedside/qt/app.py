"""Starting the window: site configuration, the procedure log, recovery of an unfinished
procedure, training mode, and scanners wired to the window."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox

from ..clock import Clock, ScaledClock, SystemClock
from ..config import InvalidConfigError, SiteConfig, load_site_config
from ..profile import load_profile
from ..store import StorageError, database_path, open_store
from ..store.recovery import recover
from .session import Session
from .window import BedsideWindow


def make_clock(training: bool, speed: float | None) -> Clock:
    if speed and speed != 1:
        if not training:
            raise SystemExit("--speed is for training mode only")
        return ScaledClock(SystemClock(), speed)
    return SystemClock()


def build_window(config: SiteConfig, *, db: str | Path | None, training: bool,
                 clock: Clock) -> BedsideWindow:
    profile = load_profile()
    store = open_store(database_path(db, config))
    recovery = recover(store, profile, clock)
    procedure = recovery.procedures[-1].procedure if recovery.procedures else None
    if procedure is not None:
        training = procedure.state.training  # a reopened procedure keeps its own mode
    session = Session(profile, clock, store=store, training=training, procedure=procedure)
    window = BedsideWindow(session, identity_config=config.identity)
    if recovery.blocked:
        window.not_recorded("reopen", "The log of procedure(s) "
                            f"{', '.join(recovery.blocked)} is damaged and was not reopened.")
    return window


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
