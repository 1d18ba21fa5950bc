"""Read-only copies taken while the log was open (issue 26, finding 10): with `-wal` but no
`-shm` the log was opened `immutable`, ignoring the WAL (verify said 51 events "ok" of 54); with
`-shm` too, `users list` crashed. Both must read every event, on a real read-only file system."""

from __future__ import annotations

import io
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from forgelog import FINISHED, run_script

from kresladi_bedside.cli import main
from kresladi_bedside.clock import SystemClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.people import People
from kresladi_bedside.store import open_store

ADMIN_PIN = "40172958"


def cli(db: Path, *argv: str, stdin: str = "") -> int:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return main(["--db", str(db), *argv])
    finally:
        sys.stdin = old


@pytest.fixture(params=["wal-only", "wal-and-shm"])
def copy(request, tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """(the copy on read-only media, how many events the log really holds)."""
    source = tmp_path / "source" / "procedures.db"
    hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    with open_store(source) as store:
        People(store, PeopleConfig(), SystemClock(), hasher=hasher).init_admin(
            "Ada Okafor", "A10001", ADMIN_PIN)
    run_script(source, FINISHED)
    mount = tmp_path / "medium"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a read-only file system needs root (mount -t tmpfs)")
    try:
        with open_store(source) as store:
            store.idle_checkpoint_s = None  # the newest events stay in the WAL, as in a copy
            people = People(store, PeopleConfig(), SystemClock(), hasher=hasher)
            people.sign_in("BADGE:A10001", ADMIN_PIN)
            people.sign_out()
            total = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
            in_file = sqlite3.connect(f"file:{source}?immutable=1", uri=True).execute(
                "SELECT count(*) FROM events").fetchone()[0]
            assert in_file < total  # some events are only in the WAL
            suffixes = ["", "-wal"] + (["-shm"] if request.param == "wal-and-shm" else [])
            for suffix in suffixes:
                shutil.copy(f"{source}{suffix}", mount / f"procedures.db{suffix}")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount / "procedures.db", total
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_verify_counts_the_events_in_the_wal(copy, capsys):
    path, total = copy
    assert cli(path, "verify") == 0
    out = capsys.readouterr().out
    assert f"{total} events" in out, out


def test_users_list_works_on_the_copy(copy, capsys):
    path, _total = copy
    assert cli(path, "users", "list", "--as", "A10001", stdin=ADMIN_PIN + "\n") == 0
    assert "A10001" in capsys.readouterr().out
