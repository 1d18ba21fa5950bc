"""Background sync for the window, and the small indicator that shows it.

    sync = BackgroundSync(db_path, settings, profile, parent=window)   # settings None = off
    indicator = SyncStatusIndicator()
    sync.status_changed.connect(indicator.show_status)
    window.statusBar().addPermanentWidget(indicator)
    sync.start()          # a pass now, then every settings.interval_s (sooner after a failure)
    sync.sync_now()       # e.g. right after a procedure is completed or stopped
    sync.stop()           # on close: waits for a pass in flight to end

Passes run in a worker QThread with their own SQLite connection (opened per pass), so the window
never waits on the network. What the indicator says is decided in `sync.status` (pure).
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ..profile import Profile
from ..store import StorageError, open_store
from ..sync import SyncSettings, SyncStatus, TransportConfigError, run_pass

log = logging.getLogger(__name__)

LEVEL_COLOURS = {
    "off": "#5f6b73", "pending": "#5f6b73", "ok": "#1b6e3a", "waiting": "#8a5a00",
    "error": "#a11d1d", "blocked": "#a11d1d", "parked": "#a11d1d",
}


class _PassWorker(QObject):
    done = Signal(object, float)  # SyncStatus, seconds until the next pass is worth running

    def __init__(self, db_path: Path, settings: SyncSettings, profile: Profile) -> None:
        super().__init__()
        self._db_path = db_path
        self._settings = settings
        self._profile = profile
        self._anchors_checked = False  # the first pass compares the log with the server's heads

    @Slot()
    def run_once(self) -> None:
        """One pass; always ends with exactly one `done`, whatever the pass raised, so the GUI
        side is never left waiting for a pass that died (Anki's QueryOp: failure reports back)."""
        interval = self._settings.interval_s
        try:
            status, wait = self._pass(interval)
        except (StorageError, TransportConfigError, OSError) as exc:
            status, wait = SyncStatus.failed(str(exc)), interval
        except Exception as exc:  # a bug or a library surprise: shown red, the next pass runs
            log.exception("sync pass failed")
            status, wait = SyncStatus.failed(f"{type(exc).__name__}: {exc}"), interval
        self.done.emit(status, wait)

    def _pass(self, interval: float) -> tuple[SyncStatus, float]:
        client = self._settings.client()
        try:
            with open_store(self._db_path) as store:
                report = run_pass(store, client, self._profile, self._settings,
                                  check_anchors=not self._anchors_checked)
            self._anchors_checked = report.anchor is not None and report.anchor.failure is None
        finally:
            client.close()
        if report.summary is None:
            raise RuntimeError("the sync pass returned no outbox summary")
        wait = interval if report.wait_s is None else min(interval, max(report.wait_s, 1.0))
        return SyncStatus.of(report.summary, report), wait


class BackgroundSync(QObject):
    """Runs sync passes off the GUI thread; `status_changed` carries a `SyncStatus`."""

    status_changed = Signal(object)
    _run = Signal()

    def __init__(self, db_path: Path | str, settings: SyncSettings | None, profile: Profile,
                 parent: QObject | None = None, *, off_reason: str = "sync.base_url is not set"
                 ) -> None:
        super().__init__(parent)
        self.settings = settings
        # until a pass has finished the indicator claims nothing ("not checked yet")
        self.status = SyncStatus.off(off_reason) if settings is None else SyncStatus.pending()
        self._busy = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._thread: QThread | None = None
        self._worker: _PassWorker | None = None
        if settings is not None:
            self._thread = QThread(self)
            self._worker = _PassWorker(Path(db_path), settings, profile)
            self._worker.moveToThread(self._thread)
            self._run.connect(self._worker.run_once, Qt.ConnectionType.QueuedConnection)
            self._worker.done.connect(self._finished, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self) -> None:
        self.status_changed.emit(self.status)
        if self._thread is not None and not self._thread.isRunning():
            self._thread.start()
            self.sync_now()

    @Slot()
    def sync_now(self) -> None:
        if not self.running:
            return
        if self._busy:
            self._again = True  # one more pass right after this one
            return
        self._timer.stop()
        self._busy = True
        self._run.emit()

    def stop(self) -> None:
        self._timer.stop()
        if self._thread is not None and self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()

    @Slot(object, float)
    def _finished(self, status: SyncStatus, wait_s: float) -> None:
        self._busy = False
        self.status = status
        self.status_changed.emit(status)
        if not self.running:
            return
        if self._again:
            self._again = False
            self.sync_now()
        else:
            self._timer.start(round(wait_s * 1000))


class SyncStatusIndicator(QWidget):
    """A coloured dot and one line ("Records: 2 waiting to be sent · last sent 14:02");
    the tooltip lists parked procedures and their reasons for IT."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.dot = QLabel("●")
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # server text is never rich text
        self.label.setObjectName("syncStatusText")
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        self.level = ""
        self.show_status(SyncStatus.off("sync has not started"))

    @Slot(object)
    def show_status(self, status: SyncStatus) -> None:
        self.level = status.level
        self.label.setText(status.text())
        # Server text may look like HTML: escaped, inside an explicit rich-text tooltip.
        self.setToolTip("<qt>" + html.escape(status.details()).replace("\n", "<br>") + "</qt>")
        self.setAccessibleName(status.text())
        self.dot.setStyleSheet(f"color: {LEVEL_COLOURS[status.level]}; font-size: 16px;")
