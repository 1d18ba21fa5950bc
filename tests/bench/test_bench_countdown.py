"""Countdown digits on time (issue 25, item 12): how late after the true second each new digit
of a running thaw is computed and shown by the real window, against a bare PreciseTimer re-armed
on each second boundary of the same clock (the best a Qt program can do on this machine).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -s -o addopts="" \
        tests/bench/test_bench_countdown.py

The procedure clock runs in real time from the moment the thaw started (a fake clock anchored to
the monotonic clock), so the thaw's elapsed time at each tick *is* the lateness: a digit changes
when the elapsed time crosses a whole second, and the tick that shows it happens `frac(elapsed)`
after. Interleaved runs of RUN_S seconds each; p99 of each run, printed, never asserted.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchrows import report
from PySide6.QtCore import Qt, QTimer

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

RUN_S = 8
RUNS = 3


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]


def window_run(qtbot: Any, b: Any) -> float:
    late: list[float] = []
    last = [None]
    show = b.window.header.show_clocks

    def watched(countdowns: Any, now: Any) -> None:
        show(countdowns, now)
        thaw = [c for c in countdowns if c.id == "thaw"]
        if thaw:
            whole = math.floor(thaw[0].elapsed_s)
            if last[0] is not None and whole != last[0]:
                late.append((thaw[0].elapsed_s - whole) * 1000.0)
            last[0] = whole

    b.window.header.show_clocks = watched
    qtbot.wait(RUN_S * 1000)
    b.window.header.show_clocks = show
    return p99(late)


def bare_run(qtbot: Any, origin: float) -> float:
    late: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setSingleShot(True)

    def fire() -> None:
        gone = time.monotonic() - origin
        late.append((gone - math.floor(gone)) * 1000.0)
        timer.start(max(1, math.ceil((1.0 - math.fmod(time.monotonic() - origin, 1.0)) * 1000)))

    timer.timeout.connect(fire)
    timer.start(1)
    qtbot.wait(RUN_S * 1000)
    timer.stop()
    return p99(late[1:])


def test_bench_countdown_digit_lateness(qtbot: Any, tmp_path: Path) -> None:
    from qt.conftest import Bedside
    from x11 import nav
    from x11.harness import START

    from kresladi_bedside.clock import FakeClock
    from kresladi_bedside.store import open_store

    b = Bedside(qtbot, FakeClock(START), open_store(tmp_path / "bench.db"))
    nav.thaw_started(b)
    fake = b.clock
    anchor, r0 = fake.now(), time.monotonic() - 0.37  # the thaw began 0.37 s ago
    fake.now = lambda: anchor.plus(time.monotonic() - r0)  # real time from here on
    origin = r0 - (b.session.procedure.countdowns(anchor)[0].elapsed_s % 1.0)
    b.window.tick_period_ms = 1000
    b.window.timer.start(1000)
    ours: list[float] = []
    bare: list[float] = []
    for n in range(RUNS):
        if n % 2 == 0:
            ours.append(window_run(qtbot, b))
            bare.append(bare_run(qtbot, origin))
        else:
            bare.append(bare_run(qtbot, origin))
            ours.append(window_run(qtbot, b))
    report("countdown digit lateness after the true second, p99 per run", ours, base=bare,
           baseline="bare second-aligned PreciseTimer", unit="ms", goal_max=20.0,
           note=f"{RUNS} interleaved runs of {RUN_S} s; median of p99s "
                f"{statistics.median(ours):.1f} ms vs {statistics.median(bare):.1f} ms")
    b.close()
