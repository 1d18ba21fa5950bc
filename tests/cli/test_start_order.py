"""The window's start-up order, through the real command line in a fresh interpreter: the first
paint comes before sync, the FHIR models, QtMultimedia, NumPy and the training staff's argon2
hashing (and, with no site file, before pydantic; sqlite-utils is not needed for it at all);
all of those are done once the event loop has run on after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine.model import Event
from kresladi_bedside.qt.signin import TRAINING_NURSE
from kresladi_bedside.store import open_store

PROBE = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

# pydantic loads only to validate a site file (there is none here); sqlite-utils only where
# Store.db is used: the first page reads the log through sqlite3
LATE = ("kresladi_bedside.sync.deliver", "fhir.resources", "PySide6.QtMultimedia",
        "numpy", "cv2", "pydantic", "pydantic_core", "sqlite_utils", "click", "jinja2")
report = {}

def loaded():
    return sorted(m for m in sys.modules if m in LATE or m.startswith("fhir."))

# what the sign-in page must be painted without (each ~0.07 s of imports: issue 29)
HEAVY = ("kresladi_bedside.engine", "kresladi_bedside.people", "kresladi_bedside.store",
         "kresladi_bedside.qt.pages", "kresladi_bedside.qt.window", "kresladi_bedside.receipt",
         "kresladi_bedside.ledger", "kresladi_bedside.profile")
BADGE, PIN = sys.argv[5], sys.argv[6]  # the training nurse's badge scan and PIN
EXPECT_SIGN_IN = sys.argv[7] == "sign-in"  # else the held keys are to be dropped


def key(text, t):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeyEvent
    code = Qt.Key.Key_Return if text == "\r" else (ord(text.upper()) if text.isalnum() else 0)
    press = QKeyEvent(QEvent.Type.KeyPress, code, Qt.KeyboardModifier.NoModifier, text)
    press.setTimestamp(t)
    return press


class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "at_paint" not in report:
            shell = next(w for w in QApplication.topLevelWidgets() if w.isVisible())
            report["window_at_paint"] = type(shell).__name__
            report["at_paint"] = loaded()
            report["heavy_at_paint"] = sorted(
                m for m in sys.modules if m.startswith(HEAVY))
            maps = open("/proc/self/maps").read()
            report["qt_libs_at_paint"] = sorted(
                lib for lib in ("WebEngine", "Quick", "Multimedia") if f"libQt6{lib}" in maps)
            report["title_at_paint"] = shell.wizard.currentPage().title()
            report["patient_line_at_paint"] = shell.header.patientLabel.text()
            if len(sys.argv) > 4:
                QTimer.singleShot(0, lambda: shell.grab().save(sys.argv[4]))
            QTimer.singleShot(0, lambda: self.type_early(shell))
            self.waited = 0
            QTimer.singleShot(200, self.poll)
        return False

    def type_early(self, shell):
        # a badge scanned at scanner speed and a PIN typed at human speed, while the engine,
        # the people and the log are still loading: they must sign the nurse in once ready
        t = 1_000_000
        target = shell.form.badgeEdit
        for ch in BADGE + "\r":
            QApplication.sendEvent(target, key(ch, t))
            t += 5
        for ch in PIN + "\r":
            t += 180
            QApplication.sendEvent(target, key(ch, t))
        report["held"] = len(shell.keys.held)

    def poll(self):
        from kresladi_bedside.qt.window import BedsideWindow
        tops = QApplication.topLevelWidgets()
        windows = [w for w in tops if isinstance(w, BedsideWindow)]
        released = windows and not any(type(w).__name__ == "StartShell" for w in tops)
        ready = released and (windows[0].session.user is not None or not EXPECT_SIGN_IN)
        self.waited += 200
        if ready or self.waited > 60_000:
            QTimer.singleShot(500, lambda: self.done(windows[0] if windows else None))
        else:
            QTimer.singleShot(200, self.poll)

    def done(self, window):
        report["after"] = loaded()
        report["users_after"] = len(window.people.users())
        report["signin_text"] = window.wizard.page(0).form.trainingLabel.text()
        report["sync_indicator"] = window.sync is not None
        report["pages_after"] = len(window.wizard.pageIds())
        report["signed_in"] = window.session.user.name if window.session.user else None
        from PySide6.QtWidgets import QMessageBox
        report["alarm_boxes"] = [b.text()[:40] for b in window.findChildren(QMessageBox)
                                 if b.isVisible()]
        report["status"] = window.statusBar().currentMessage()
        report["shell_visible"] = any(type(w).__name__ == "StartShell" and w.isVisible()
                                      for w in QApplication.topLevelWidgets())
        print(json.dumps(report), file=sys.stderr)
        QApplication.instance().exit(0)

_exec = QApplication.exec
def exec_with_probe(*_args):
    QApplication.instance().installEventFilter(Probe(QApplication.instance()))
    return _exec()
QApplication.exec = exec_with_probe

from kresladi_bedside.cli import main
sys.exit(main(sys.argv[1:4]))
"""


def start(tmp_path: Path, expect: str) -> dict[str, Any]:
    """The real command line in a fresh interpreter, probed (PROBE); its report."""
    shot = os.environ.get("KRESLADI_FIRST_PAINT_PNG", str(tmp_path / "first-paint.png"))
    env = {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "XDG_CONFIG_HOME":
           str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", PROBE, "--training", "--db",
                           str(tmp_path / "log.db"), str(shot),
                           TRAINING_NURSE.payload(), TRAINING_NURSE.pin, expect],
                          capture_output=True, text=True,
                          timeout=180, env=env)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stderr.strip().splitlines()[-1])
    return report


def test_first_paint_comes_before_the_engine_people_log_pages_sync_and_sound(
        tmp_path: Path) -> None:
    report = start(tmp_path, "sign-in")
    assert report["window_at_paint"] == "StartShell"
    assert report["at_paint"] == []  # nothing of sync, sound or NumPy before the first paint
    # nor the engine, the people, the log, the profile or any page: the sign-in page is painted
    # from its form alone (qt/start.py)
    assert report["heavy_at_paint"] == []
    # nor the Qt Designer plugins' libraries (QWebEngineView, QQuickWidget) for the forms
    assert report["qt_libs_at_paint"] == []
    assert report["title_at_paint"] == "Sign in"
    assert report["patient_line_at_paint"] == "Sign in to see the patient"
    # the badge scanned and the PIN typed before the window was ready were held, not lost:
    # once the practice staff exist, they sign the nurse in
    assert report["held"] == len(TRAINING_NURSE.payload()) + len(TRAINING_NURSE.pin) + 2
    assert report["signed_in"] == TRAINING_NURSE.name
    assert not report["shell_visible"] and report["alarm_boxes"] == []
    # ... and right after it: the practice staff exist and the sign-in page lists them
    assert report["users_after"] == 2
    assert "N40217" in report["signin_text"]
    assert report["sync_indicator"]
    assert report["pages_after"] > 10
    assert "PySide6.QtMultimedia" in report["after"]


def test_a_damaged_log_is_shown_before_keys_typed_at_start_can_do_anything(
        tmp_path: Path) -> None:
    """The alarm of a procedure the log cannot replay comes a moment after the first paint; the
    badge and PIN typed before it are dropped (an early Enter must not close the alarm unseen),
    and the status bar says so."""
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    with open_store(tmp_path / "log.db") as store:  # an order no fold can read
        store.append([
            Event(Event.new_id(), "bad", "procedure_opened", {"training": True}, "u-x",
                  clock.now()),
            Event(Event.new_id(), "bad", "order_prepared", {"order": [1, 2, 3]}, "u-x",
                  clock.advance(5)),
        ])
    report = start(tmp_path, "dropped")
    assert report["heavy_at_paint"] == []  # the shell still paints first
    assert report["held"] == len(TRAINING_NURSE.payload()) + len(TRAINING_NURSE.pin) + 2
    assert report["signed_in"] is None
    # (written by this process, with its own key: the log also says it is sealed to another)
    assert any(box.startswith("PROCEDURE LOG DAMAGED: procedure bad")
               for box in report["alarm_boxes"])
    assert report["status"].startswith("Keys typed while the workstation was starting")
