"""Helpers for the red-team tests: a real finished two-bag procedure in a real log, and a raw
SQLite connection to a copy of it: what someone who knows the scheme, but not the workstation key,
can do to the file."""

from __future__ import annotations

import sqlite3
import sys
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
