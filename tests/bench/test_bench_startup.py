"""Cold start to the first page: the bedside window against a bare PySide6 QWizard.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -s -o addopts="" \
        tests/bench/test_bench_startup.py

Each run is a fresh interpreter that imports, builds, shows and paints its window, then prints
the seconds since the interpreter started; medians of several runs, and their ratio. Printed,
never asserted against a time (the machine is shared and noisy).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = 7

BARE = """
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QWizard, QWizardPage, QLabel, QVBoxLayout
app = QApplication([])
w = QWizard(); p = QWizardPage(); p.setTitle("Sign in"); QVBoxLayout(p).addWidget(QLabel("hi"))
w.addPage(p); w.show(); app.processEvents(); w.grab()
print(time.perf_counter() - t0)
"""

BEDSIDE = """
import time; t0 = time.perf_counter()
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kresladi_bedside.qt.app import build_window, make_clock
from kresladi_bedside.config import SiteConfig
w = build_window(SiteConfig(), db=sys.argv[1], training=True, clock=make_clock(True, None))
w.show(); app.processEvents(); w.grab()
print(time.perf_counter() - t0)
"""


def _median(code: str, *args: str) -> tuple[float, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    inside, wall = [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code, *args], env=env, check=True,
                             capture_output=True, text=True).stdout
        wall.append(time.perf_counter() - t0)
        inside.append(float(out.strip().splitlines()[-1]))
    return statistics.median(inside), statistics.median(wall)


def test_cold_start_to_first_page_against_a_bare_qwizard() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bare_in, bare_wall = _median(BARE)
        ours_in, ours_wall = _median(BEDSIDE, os.path.join(tmp, "bench.db"))
    print(f"\ncold start to first page, median of {RUNS} runs (offscreen)")
    print(f"  bare QWizard       : {bare_in * 1000:7.0f} ms in-process, "
          f"{bare_wall * 1000:7.0f} ms process wall")
    print(f"  bedside window     : {ours_in * 1000:7.0f} ms in-process, "
          f"{ours_wall * 1000:7.0f} ms process wall")
    print(f"  ratio (bedside/bare): {ours_in / bare_in:5.2f} in-process, "
          f"{ours_wall / bare_wall:5.2f} wall")
