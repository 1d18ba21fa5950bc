"""Forms at start-up: each .ui read once and one QUiLoader reused, against a new loader and a
new read of the file for every form (what `qt/forms.py` did before).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -s -o addopts="" \
        tests/bench/test_bench_forms.py

Each run is a fresh interpreter that builds the bedside window; it prints how many forms were
loaded and the seconds spent in `load_form`. Medians, printed, never asserted (shared machine).
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
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kresladi_bedside.qt import forms
spent, count = [0.0], [0]
load = forms._load_widget
def timed(name, parent):
    if sys.argv[2] == "uncached":  # the old way: a new loader, the file read again
        forms._loader.cache_clear(); forms._form_xml.cache_clear()
    t0 = time.perf_counter()
    try:
        return load(name, parent)
    finally:
        spent[0] += time.perf_counter() - t0; count[0] += 1
forms._load_widget = timed
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


def test_forms_loaded_once_against_a_loader_per_form() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        n, cached = _median("cached", os.path.join(tmp, "a.db"))
        _, uncached = _median("uncached", os.path.join(tmp, "b.db"))
    print(f"\n{n} forms loaded while building the window, median of {RUNS} runs (offscreen)")
    print(f"  one loader, XML read once : {cached * 1000:7.1f} ms")
    print(f"  a loader and a read each  : {uncached * 1000:7.1f} ms")
    print(f"  saved                     : {(uncached - cached) * 1000:7.1f} ms "
          f"({uncached / cached:.2f}x)")
