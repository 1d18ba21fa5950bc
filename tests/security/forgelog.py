"""Helpers for the red-team tests: a real finished two-bag procedure in a real log, and a raw
SQLite connection to a copy of it: what someone who knows the scheme, but not the workstation key,
can do to the file."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "store"))
import store_script

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.store import StoreListener, open_store

FINISHED = "proc-finished"
OTHER = "proc-other"


def run_script(db: Path, procedure_id: str, steps: int | None = None) -> None:
    with open_store(db) as store:
        clock = FakeClock(store_script.START)
        procedure = store_script.new_procedure(procedure_id, clock)
        procedure.subscribe(StoreListener(store))
        script = store_script.script()
        store_script.run(procedure, clock, script if steps is None else script[:steps])




class RawConnection(sqlite3.Connection):
    path: Path


def drop_triggers(conn: sqlite3.Connection) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        conn.execute(f'DROP TRIGGER "{name}"')


ADMIN_PIN = "40172958"


def administered_log(source: Path) -> Path:
    """A log whose administrator (A10001) was made on its first run, then a finished procedure."""
    from argon2 import PasswordHasher

    from kresladi_bedside.clock import SystemClock
    from kresladi_bedside.config import PeopleConfig
    from kresladi_bedside.people import People

    with open_store(source) as store:
        People(store, PeopleConfig(), SystemClock(),
               hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)).init_admin(
            "Ada Okafor", "A10001", ADMIN_PIN)
    run_script(source, FINISHED)
    return source


@contextlib.contextmanager
def read_only_medium(folder: Path, fill: Callable[[Path], None]) -> Iterator[Path]:
    """A real read-only file system (a tmpfs remounted ro) at `folder`, filled by `fill` first;
    skips the test where mounting is not allowed (it needs root)."""
    import pytest

    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a read-only file system needs root (mount -t tmpfs)")
    try:
        fill(folder)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
