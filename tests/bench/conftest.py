"""`make bench`: the rows every bench reported (benchrows.report), as one table at the end."""

from __future__ import annotations

from typing import Any

from benchrows import ROWS, markdown, write_table


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not ROWS:
        return
    path = write_table(ROWS)
    terminalreporter.write_sep("=", "benchmarks (min / median; ratio = median of paired ratios)")
    terminalreporter.write(markdown(ROWS))
    terminalreporter.write_line(f"(written to {path})")
