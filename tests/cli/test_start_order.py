"""The window's start-up order, through the real command line in a fresh interpreter: the first
paint comes before sync, the FHIR models, QtMultimedia, NumPy and the training staff's argon2
hashing (and, with no site file, before pydantic; sqlite-utils is not needed for it at all);
all of those are done once the event loop has run on after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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

class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "at_paint" not in report:
            from kresladi_bedside.qt.window import BedsideWindow
            window = next(w for w in QApplication.topLevelWidgets()
                          if isinstance(w, BedsideWindow))
            report["at_paint"] = loaded()
            maps = open("/proc/self/maps").read()
            report["qt_libs_at_paint"] = sorted(
                lib for lib in ("WebEngine", "Quick", "Multimedia") if f"libQt6{lib}" in maps)
            report["users_at_paint"] = len(window.people.users())
            report["pages_at_paint"] = len(window.wizard.pageIds())
            report["page_modules_at_paint"] = sorted(
                m for m in sys.modules if m.startswith("kresladi_bedside.qt.pages."))
            report["title_at_paint"] = window.wizard.currentPage().title()
            if len(sys.argv) > 4:
                QTimer.singleShot(0, lambda: window.grab().save(sys.argv[4]))
            QTimer.singleShot(2000, lambda: self.done(window))
        return False

    def done(self, window):
        report["after"] = loaded()
        report["users_after"] = len(window.people.users())
        report["signin_text"] = window.wizard.page(0).form.trainingLabel.text()
        report["sync_indicator"] = window.sync is not None
        report["pages_after"] = len(window.wizard.pageIds())
        report["title_after"] = window.wizard.currentPage().title()
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


def test_first_paint_comes_before_sync_sound_and_training_staff(tmp_path: Path) -> None:
    shot = os.environ.get("KRESLADI_FIRST_PAINT_PNG", str(tmp_path / "first-paint.png"))
    env = {"QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "XDG_CONFIG_HOME":
           str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", PROBE, "--training", "--db",
                           str(tmp_path / "log.db"), str(shot)],
                          capture_output=True, text=True,
                          timeout=180, env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["at_paint"] == []  # nothing of sync, sound or NumPy before the first paint
    # nor the Qt Designer plugins' libraries (QWebEngineView, QQuickWidget) for the forms
    assert report["qt_libs_at_paint"] == []
    assert report["users_at_paint"] == 0  # no argon2 hashing before it either
    assert report["pages_at_paint"] == 1  # the sign-in page; the step pages come after
    # ... and their modules are not even imported yet (qt/pages/__init__ loads on first use)
    assert report["page_modules_at_paint"] == ["kresladi_bedside.qt.pages.base",
                                               "kresladi_bedside.qt.pages.signin"]
    assert report["title_at_paint"] == "Preparing the training workstation…"
    # ... and right after it: the practice staff exist and the sign-in page lists them
    assert report["users_after"] == 2
    assert "N40217" in report["signin_text"]
    assert report["sync_indicator"]
    assert report["pages_after"] > 10
    assert report["title_after"] == "Sign in"
    assert "PySide6.QtMultimedia" in report["after"]
