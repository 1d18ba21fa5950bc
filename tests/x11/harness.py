"""The bedside window in its own process on a real X display (QT_QPA_PLATFORM=xcb), with the
real keyboard-wedge filter reading the X server's key timestamps, driven by the test process
over stdin/stdout (one JSON object a line) while xdotool types into it.

Requests: {"exec": "python statements"} or {"eval": "python expression"}; the names `b` (the
`Bedside` of tests/qt/conftest.py: window, people, session, fake clock), `win`, `app`, `focus()`
and `nav` (below) are in scope. Answers: {"ok": true, "value": ...} or {"ok": false, "error": ...}.
The window's one-second tick runs for real, as on a workstation.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from kresladi_bedside.clock import FakeClock, SystemClock  # noqa: E402
from kresladi_bedside.config import ScannerConfig  # noqa: E402
from kresladi_bedside.qt.wedge import WedgeFilter  # noqa: E402
from kresladi_bedside.store import open_store  # noqa: E402

START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


class _NoBot:
    def addWidget(self, widget: QWidget) -> None:
        pass


def focus() -> str:
    """The focused widget: its accessible or object name, and its class."""
    w = QApplication.focusWidget()
    if w is None:
        return "none"
    return f"{w.accessibleName() or w.objectName()}<{type(w).__name__}>"


class _XWedge(WedgeFilter):
    """The program's filter, timing X key events by their own timestamps. The harness's quick
    walk to a page sends synthetic events (no timestamp, one after another in no time): those
    are timed as a scanner's 2 ms keys, so a busy machine cannot split them."""

    _synthetic_ms = 0.0

    def _key_time(self, event: Any) -> float:
        if event.timestamp():
            return super()._key_time(event)
        self._synthetic_ms = max(self._synthetic_ms + 2.0, self._last_key_ms)
        self._last_key_ms = self._synthetic_ms
        import time as _time

        self._last_key_mono = _time.monotonic() * 1000.0
        return self._synthetic_ms


class NoDevice:
    """A workstation with no sound device: the technical alarm shows on every page."""

    available = False
    problem = "No sound device: alarms are visual only."

    def play(self, sound: str | None) -> None:
        pass


class Started:
    """The window as the program builds it at a start (qt/app.py `build_window`: the log
    recovered, a procedure left open reopened and `program_started` recorded), on the system's
    clock; `window` as `Bedside.window` has it."""

    def __init__(self, db: str) -> None:
        import qt.conftest as bench

        from kresladi_bedside.clock import SystemClock
        from kresladi_bedside.config import SiteConfig
        from kresladi_bedside.people import People
        from kresladi_bedside.qt.app import build_window, install_scanners

        clock = SystemClock()
        self.clock = clock
        self.store = open_store(db)
        self.people = People(self.store, SiteConfig(), clock, hasher=bench.cheap_hasher())
        self.window = build_window(SiteConfig(), db=db, training=True, clock=clock,
                                   people=self.people)
        self.wedge = install_scanners(QApplication.instance(), self.window, SiteConfig())
        self.window.show()

    @property
    def page(self) -> Any:
        return self.window.current_page()


def build(db: str, real_sound: bool, shown: bool = True) -> Any:
    import qt.conftest as bench

    if os.environ.get("KB_HARNESS_PROGRAM") == "1":
        return Started(db)

    if real_sound:
        from kresladi_bedside.qt.alarms import QtSoundPlayer

        bench.SilentPlayer = QtSoundPlayer  # type: ignore[misc, assignment]
    elif os.environ.get("KB_HARNESS_NO_DEVICE") == "1":
        bench.SilentPlayer = NoDevice  # type: ignore[misc, assignment]
    # the system's clock (a program killed and started again reads the same clocks), else a
    # fake one the test moves
    clock = SystemClock() if os.environ.get("KB_HARNESS_SYSTEM_CLOCK") == "1" else \
        FakeClock(START)
    b = bench.Bedside(_NoBot(), clock, open_store(db), shown=shown, site=_site(),
                      training=not os.environ.get("KB_HARNESS_SYNC_URL"))
    b.window.tick_period_ms = 1000  # the workstation's tick
    b.window.timer.start(1000)
    if not shown:
        return b
    install_wedge(b)
    b.window.resize(1600, 1000)
    b.window.show()
    b.window.raise_()
    b.window.activateWindow()
    return b


def _site() -> Any:
    """With KB_HARNESS_SYNC_URL: workstation "Ward 4" of a site whose hospital server is there
    (its custody watch and the take-over need one, and a session not in training: a practice
    run never touches the server); else the bare site of the tests."""
    url = os.environ.get("KB_HARNESS_SYNC_URL")
    if not url:
        return None
    from kresladi_bedside.config import SiteConfig, SyncConfig

    return SiteConfig(site_name="Ward 4", sync=SyncConfig(
        base_url=url, token="t", mrn_system="urn:oid:1.2.3.4.5", workstation="Ward 4"))


def install_wedge(b: Any) -> None:
    """The real filter as the program installs it: timing from each X event's own timestamp."""
    b.wedge.uninstall()
    b.wedge = _XWedge(ScannerConfig(), parent=b.window)
    b.wedge.install(QApplication.instance())
    b.wedge.scanned.connect(b.window.scans.receive_raw)


def as_started(app: QApplication, db: str, real_sound: bool) -> Any:
    """As the program starts on a workstation (qt/start.py `run` and `open_in_shell`): the
    sign-in shell shown and painted, then the window built and put in the shell's place by
    `hand_over` (shown once, nothing more: no one gives it the keyboard — a kiosk session has
    no window manager to do so), the scanners installed and the held keys released after the
    window's first paint. (Shown, hidden and shown again at once, as this harness once did, the
    window lost a race with openbox, still managing the first map: left unmapped or unmanaged,
    the keyboard on openbox's own window; tests/bench/focus_at_start.py.)"""
    from kresladi_bedside.qt.start import AfterFirstPaint, StartShell

    shell = StartShell(training=True)
    shell.show()
    built: list[Any] = []
    failed: list[BaseException] = []  # raised in a Qt slot it would only be printed: a hang

    def open_window() -> None:
        try:
            b = build(db, real_sound, shown=False)
            b.wedge.uninstall()  # the program has no scanner filter before the window painted
        except BaseException as exc:
            failed.append(exc)
            return

        def ready() -> None:
            install_wedge(b)
            shell.release_keys(b.window)
            built.append(b)

        AfterFirstPaint(b.window, ready)
        shell.hand_over(b.window)

    AfterFirstPaint(shell, open_window)
    while not built:  # the test starts once the program is ready (a walk sends keys at once)
        if failed:
            raise failed[0]
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    return built[0]


def main() -> None:
    app = QApplication([sys.argv[0]])
    if os.environ.get("KB_HARNESS_LEFT_SMALLER") == "1":  # the nurse last left it smaller
        from PySide6.QtCore import QSettings

        from kresladi_bedside.qt.window import BedsideWindow

        QSettings("kresladi", "kresladi-bedside").setValue(BedsideWindow.MAXIMISED_KEY, False)
    db, sound = os.environ["KB_HARNESS_DB"], os.environ.get("KB_HARNESS_SOUND") == "1"
    b = as_started(app, db, sound) if os.environ.get("KB_HARNESS_AS_STARTED") == "1" and \
        os.environ.get("KB_HARNESS_PROGRAM") != "1" else build(db, sound)
    if isinstance(b, Started):  # its wedge and tick are the program's own
        b.window.raise_()
        b.window.activateWindow()
    import nav

    scope: dict[str, Any] = {"b": b, "win": b.window, "app": app, "focus": focus, "nav": nav,
                             "QApplication": QApplication}
    requests: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in sys.stdin:
            requests.put(line)
        requests.put(None)

    threading.Thread(target=read, daemon=True).start()

    def serve() -> None:
        while True:
            try:
                line = requests.get_nowait()
            except queue.Empty:
                return
            if line is None:
                app.quit()
                return
            request = json.loads(line)
            try:
                if "exec" in request:
                    exec(request["exec"], scope)
                    answer: dict[str, Any] = {"ok": True, "value": None}
                else:
                    value = eval(request["eval"], scope)
                    answer = {"ok": True, "value": value}
            except Exception:
                answer = {"ok": False, "error": traceback.format_exc()}
            sys.stdout.write(json.dumps(answer, default=repr) + "\n")
            sys.stdout.flush()

    poll = QTimer()
    poll.timeout.connect(serve)
    poll.start(5)
    sys.stdout.write(json.dumps({"ok": True, "value": int(b.window.winId())}) + "\n")
    sys.stdout.flush()
    app.exec()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
