"""One table for every bench: measure in interleaved pairs, report rows, print them together.

Every bench module reports its figures through `report()` (sync and store benches too):

    from benchrows import paired, report
    ours, bare = paired(lambda: run_ours(), lambda: run_bare(), pairs=7)   # seconds each
    report("record command end to end", ours, base=bare, baseline="bare PySide6 HTML→PDF",
           goal_ratio=1.3)

`paired` runs the two alternately (ours, bare, bare, ours, …) so drift on this shared machine
falls on both sides; the ratio is the median of the per-pair ratios. `conftest.py` prints the
rows as one table at the end of `make bench` and writes it, as Markdown, to
`build/bench/table.md` (the README carries it). Figures are printed, never asserted: a timed
assertion on a machine shared by other jobs only fails at random.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

TABLE_DIR = Path(__file__).resolve().parents[2] / "build" / "bench"


@dataclass
class Row:
    figure: str
    unit: str
    ours: list[float]
    base: list[float] = field(default_factory=list)
    baseline: str = ""
    goal: str = ""
    met: bool | None = None
    note: str = ""
    judged_ratio: float | None = None  # a ratio the bench computed itself (e.g. of two p99s)

    @property
    def ratios(self) -> list[float]:
        return [o / b for o, b in zip(self.ours, self.base, strict=False) if b > 0]

    @property
    def ratio(self) -> float | None:
        if self.judged_ratio is not None:
            return self.judged_ratio
        return statistics.median(self.ratios) if self.ratios else None

    def cells(self) -> list[str]:
        def span(values: list[float]) -> str:
            if not values:
                return "—"
            return f"{_fmt(min(values), self.unit)} / {_fmt(statistics.median(values), self.unit)}"

        ratio = self.ratio
        verdict = {True: "met", False: "NOT met", None: ""}[self.met]
        return [self.figure, self.goal or "—", span(self.ours),
                f"{span(self.base)} {self.baseline}".strip() if self.base else "—",
                f"{ratio:.2f}×" if ratio is not None else "—", verdict, self.note]


ROWS: list[Row] = []
HEADER = ["figure", "goal", "ours min / median", "baseline min / median", "ratio (median of "
          "pairs)", "verdict", "note"]


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.2f} ms"
    return f"{value:.3g} {unit}"


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of `fn` takes."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def paired(ours: Callable[[], float], base: Callable[[], float], *,
           pairs: int = 7) -> tuple[list[float], list[float]]:
    """Interleaved samples: each callable returns its own measurement; the order alternates
    pair by pair (ours first, then base first) so neither always runs on a warmer machine."""
    a: list[float] = []
    b: list[float] = []
    for n in range(pairs):
        if n % 2 == 0:
            a.append(ours())
            b.append(base())
        else:
            b.append(base())
            a.append(ours())
    return a, b


def report(figure: str, ours: list[float], *, base: list[float] | None = None,
           baseline: str = "", unit: str = "s", goal_ratio: float | None = None,
           goal_max: float | None = None, note: str = "",
           ratio: float | None = None) -> Row:
    """Add one row to the table (and print it at once). `goal_ratio` is judged on the median of
    the per-pair ratios, or on `ratio` when the bench gives its own (the store's p99 ratio);
    `goal_max` on the median of ours (both in the row's unit)."""
    row = Row(figure, unit, list(ours), list(base or []), baseline, note=note, judged_ratio=ratio)
    if goal_ratio is not None:
        row.goal = f"≤ {goal_ratio:g}×"
        row.met = row.ratio is not None and row.ratio <= goal_ratio
    elif goal_max is not None:
        row.goal = f"≤ {_fmt(goal_max, unit)}"
        row.met = statistics.median(row.ours) <= goal_max
    ROWS.append(row)
    print("\n" + " | ".join(row.cells()))
    return row


def markdown(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in r.cells()) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write_table(rows: list[Row]) -> Path:
    TABLE_DIR.mkdir(parents=True, exist_ok=True)
    (TABLE_DIR / "rows.json").write_text(
        json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8")
    path = TABLE_DIR / "table.md"
    path.write_text(markdown(rows), encoding="utf-8")
    return path
