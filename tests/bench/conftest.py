"""`make bench`: the rows every bench reported (benchrows.report), as one table at the end."""

from __future__ import annotations

import compileall
from pathlib import Path
from typing import Any

from benchrows import ROWS, markdown, write_table

PACKAGE = Path(__file__).resolve().parents[2] / "kresladi_bedside"


def pytest_sessionstart(session: Any) -> None:
    """Current bytecode for the package before any fresh process is timed. An installed program
    has it (a wheel is compiled at install, the PyInstaller bundle carries it); this checkout may
    not: with PYTHONDONTWRITEBYTECODE set (these sessions' environment) every edited module was
    recompiled from source in every timed process, 0.3-0.5 s that no workstation pays and that
    the bare baselines (compiled site-packages) never paid."""
    compileall.compile_dir(PACKAGE, quiet=1)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not ROWS:
        return
    path = write_table(ROWS)
    terminalreporter.write_sep("=", "benchmarks (min / median; ratio = median of paired ratios)")
    terminalreporter.write(markdown(ROWS))
    terminalreporter.write_line(f"(written to {path})")
