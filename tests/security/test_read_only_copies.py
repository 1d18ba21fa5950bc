"""Read-only copies taken while the log was open (issue 26, finding 10): with `-wal` but no
`-shm` the log was opened `immutable`, ignoring the WAL (verify said 51 events "ok" of 54); with
`-shm` too, `users list` crashed. Both must read every event, on a real read-only file system."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from forgelog import ADMIN_PIN, administered_log, read_only_medium
from test_read_only_media import cli

from kresladi_bedside.clock import SystemClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.people import People
from kresladi_bedside.store import open_store


@pytest.fixture(params=["wal-only", "wal-and-shm"])
def copy(request, tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """(the copy on read-only media, how many events the log really holds)."""
    source = administered_log(tmp_path / "source" / "procedures.db")
    hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    total = [0]

    def fill(mount: Path) -> None:
        with open_store(source) as store:
            store.idle_checkpoint_s = None  # the newest events stay in the WAL, as in a copy
            people = People(store, PeopleConfig(), SystemClock(), hasher=hasher)
            people.sign_in("BADGE:A10001", ADMIN_PIN)
            people.sign_out()
            total[0] = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
            in_file = sqlite3.connect(f"file:{source}?immutable=1", uri=True).execute(
                "SELECT count(*) FROM events").fetchone()[0]
            assert in_file < total[0]  # some events are only in the WAL
            suffixes = ["", "-wal"] + (["-shm"] if request.param == "wal-and-shm" else [])
            for suffix in suffixes:
                shutil.copy(f"{source}{suffix}", mount / f"procedures.db{suffix}")

    with read_only_medium(tmp_path / "medium", fill) as mount:
        yield mount / "procedures.db", total[0]


def test_verify_counts_the_events_in_the_wal(copy, capsys):
    path, total = copy
    assert cli(path, "verify") == 0
    out = capsys.readouterr().out
    assert f"{total} events" in out, out


def test_users_list_works_on_the_copy(copy, capsys):
    path, _total = copy
    assert cli(path, "users", "list", "--as", "A10001", stdin=ADMIN_PIN + "\n") == 0
    assert "A10001" in capsys.readouterr().out
