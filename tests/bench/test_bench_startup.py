"""Start-up as the nurse waits for it, and `--version` as IT waits for it (run by `make bench`).

- the real command line (`kresladi-bedside --training`, a fresh log each time, so a first start
  with its training staff) to the first painted page, against a bare PySide6 QWizard;
- the same with 1,000 finished procedures in the log, against an empty log (recovery before the
  first paint reads only the unfinished chains and the chain heads);
- `kresladi-bedside --version`, against a bare `python -c pass`.

Every sample is a fresh process (offscreen), pairs interleaved (see benchrows.paired).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from benchrows import paired, report

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "record"))

PAIRS = 7
ENTRY = Path(sys.executable).with_name("kresladi-bedside")


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
            "KRESLADI_CONFIG": ""}


def to_first_paint(home: Path, *args: str, of: str = "") -> float:
    """`of`: only a paint in a window of that class counts (first_paint.py)."""
    env = _env(home)
    env.pop("KRESLADI_CONFIG")
    env["FIRST_PAINT_OF"] = of
    t0 = time.time()
    out = subprocess.run([sys.executable, str(HERE / "first_paint.py"), *args], env=env,
                         capture_output=True, text=True, timeout=120)
    painted = [line for line in out.stdout.splitlines() if line.startswith("FIRST_PAINT")]
    assert painted, out.stderr
    return float(painted[-1].split()[1]) - t0


def wall(*argv: str, home: Path) -> float:
    env = _env(home)
    env.pop("KRESLADI_CONFIG")
    t0 = time.perf_counter()
    subprocess.run(list(argv), env=env, check=True, capture_output=True, timeout=60)
    return time.perf_counter() - t0


def test_first_paint_against_a_bare_qwizard(tmp_path: Path) -> None:
    runs = iter(range(1000))

    def ours() -> float:
        db = tmp_path / f"fresh{next(runs)}.db"  # a first start: training staff created
        return to_first_paint(tmp_path, "kresladi-bedside", "--training", "--db", str(db))

    ours_s, bare_s = paired(ours, lambda: to_first_paint(tmp_path, "bare-qwizard"),
                            pairs=PAIRS)
    report("start to first painted page (kresladi-bedside --training, first start)", ours_s,
           base=bare_s, baseline="bare PySide6 QWizard", goal_ratio=2.0,
           note="the start shell's sign-in page (qt/start.py)")


def test_full_window_painted_against_a_bare_qwizard(tmp_path: Path) -> None:
    """The first paint of the full window (log, recovery, people, engine loaded; the shell's
    held keys go to it once the training staff exist, just after this paint)."""
    runs = iter(range(1000))

    def ours() -> float:
        db = tmp_path / f"fresh{next(runs)}.db"
        return to_first_paint(tmp_path, "kresladi-bedside", "--training", "--db", str(db),
                              of="BedsideWindow")

    ours_s, bare_s = paired(ours, lambda: to_first_paint(tmp_path, "bare-qwizard"),
                            pairs=PAIRS)
    report("  start to the full window's first paint (same start)", ours_s, base=bare_s,
           baseline="bare PySide6 QWizard")


def test_version(tmp_path: Path) -> None:
    assert ENTRY.exists(), f"no entry point at {ENTRY}"
    ours, bare = paired(lambda: wall(str(ENTRY), "--version", home=tmp_path),
                        lambda: wall(sys.executable, "-c", "pass", home=tmp_path), pairs=PAIRS)
    report("kresladi-bedside --version", ours, base=bare, baseline="python -c pass",
           goal_max=0.15)


@pytest.fixture(scope="module")
def thousand_done(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from record_builder import completed_two_bags

    from kresladi_bedside.engine.model import Event
    from kresladi_bedside.store import open_store

    folder = tmp_path_factory.mktemp("logs")
    with open_store(folder / "one.db") as store:
        template = store.events(completed_two_bags(store))
    with open_store(folder / "thousand.db") as store:
        for n in range(1000):
            pid = f"done{n:04d}{Event.new_id()[:8]}"
            store.append([replace(e, id=Event.new_id(), procedure_id=pid) for e in template])
    return folder / "thousand.db"


def test_start_with_1000_finished_procedures(tmp_path: Path, thousand_done: Path) -> None:
    runs = iter(range(1000))

    def start(source: Path | None) -> float:
        db = tmp_path / f"copy{next(runs)}.db"
        if source is not None:
            shutil.copy(source, db)
        else:  # an empty log that has had its training staff created already
            shutil.copy(empty, db)
        return to_first_paint(tmp_path, "kresladi-bedside", "--training", "--db", str(db),
                              of="BedsideWindow")  # the shell's paint reads no log

    empty = tmp_path / "empty.db"
    to_first_paint(tmp_path, "kresladi-bedside", "--training", "--db", str(empty))
    seeded = tmp_path / "thousand-seeded.db"
    shutil.copy(thousand_done, seeded)
    to_first_paint(tmp_path, "kresladi-bedside", "--training", "--db", str(seeded))
    ours, base = paired(lambda: start(seeded), lambda: start(None), pairs=PAIRS)
    report("start to the full window's paint, 1,000 finished procedures in the log", ours,
           base=base, baseline="empty log", goal_ratio=1.1)
