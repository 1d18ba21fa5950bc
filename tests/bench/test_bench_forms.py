"""Forms at start-up: every form built by its module compiled ahead (`make forms`, what
`qt/forms.py` does), against the same forms loaded from their `.ui` files by one QUiLoader
(what it did before; each file read once, the loader made without Designer plugins).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -s -o addopts="" \
        tests/bench/test_bench_forms.py

Each run is a fresh interpreter that builds the bedside window; it prints how many forms were
built and the seconds spent building them. Medians, printed, never asserted (shared machine).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile

RUNS = 7

BUILD = """
import sys, time
from functools import cache
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kresladi_bedside.qt import forms
spent, count = [0.0], [0]
compiled = forms._compiled_widget

@cache
def loader():
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtUiTools import QUiLoader
    from kresladi_bedside.qt.fitted import FittedLabel
    paths = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([])
    made = QUiLoader()
    QCoreApplication.setLibraryPaths(paths)
    made.registerCustomWidget(FittedLabel)
    return made

@cache
def xml(name):
    from kresladi_bedside.paths import ui_form
    return ui_form(name).read_bytes()

def from_ui_file(name, parent):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    buffer = QBuffer()
    buffer.setData(QByteArray(xml(name)))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    return loader().load(buffer, parent)

def timed(name, parent):
    t0 = time.perf_counter()
    try:
        return (compiled if sys.argv[2] == "compiled" else from_ui_file)(name, parent)
    finally:
        spent[0] += time.perf_counter() - t0; count[0] += 1
forms._compiled_widget = timed
from kresladi_bedside.qt.app import build_window, make_clock
from kresladi_bedside.config import SiteConfig
w = build_window(SiteConfig(), db=sys.argv[1], training=True, clock=make_clock(True, None))
print(count[0], spent[0])
"""


def _median(mode: str, db: str) -> tuple[int, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    times, count = [], 0
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", BUILD, db, mode], env=env, check=True,
                             capture_output=True, text=True).stdout
        n, seconds = out.strip().splitlines()[-1].split()
        count, _ = int(n), times.append(float(seconds))
    return count, statistics.median(times)


def test_forms_compiled_ahead_against_loaded_from_ui_files() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        n, compiled = _median("compiled", os.path.join(tmp, "a.db"))
        _, loaded = _median("ui", os.path.join(tmp, "b.db"))
    print(f"\n{n} forms built while building the window, median of {RUNS} runs (offscreen)")
    print(f"  compiled ahead (pyside6-uic)   : {compiled * 1000:7.1f} ms")
    print(f"  QUiLoader from the .ui files   : {loaded * 1000:7.1f} ms")
    print(f"  saved                          : {(loaded - compiled) * 1000:7.1f} ms "
          f"({loaded / compiled:.2f}x)")
