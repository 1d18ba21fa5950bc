"""A write that fails is a typed error, the command is not acknowledged, nothing written is lost."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
import store_script
from store_script import START

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command
from kresladi_bedside.store import (
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyError,
    StorageIOError,
    Store,
    StoreListener,
    open_store,
    verify,
)
from kresladi_bedside.store.key import read_key

STEPS = store_script.script()


class Session:
    """A procedure writing to a store, five commands in."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.clock = FakeClock(START)
        self.proc = store_script.new_procedure("proc-1", self.clock)
        self.proc.subscribe(StoreListener(store))
        store_script.run(self.proc, self.clock, STEPS[:5])
        self.done = 5

    def next_command(self) -> None:
        advance, name, args = STEPS[self.done]
        self.clock.advance(advance)
        outcome = self.proc.handle(Command(name, args, user=store_script.NURSE))
        assert outcome.accepted
        self.done += 1

    def assert_not_acknowledged(self, failing, before_state, before_events, tries: int = 1):
        """The next command (of up to `tries`, for a disk with a little room left) fails."""
        with pytest.raises(failing) as info:
            for _ in range(tries):
                before_state, before_events = self.proc.state, self.proc.events
                self.next_command()
        assert str(self.store.path) in str(info.value)
        assert self.proc.state == before_state  # the engine applied nothing
        assert self.proc.events == before_events
        self.clock.advance(-STEPS[self.done][0])  # the same command is tried again later
        return info.value


def stored_ids(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM events ORDER BY pos")]
    finally:
        conn.close()


def check_untouched(path: Path, session: Session) -> None:
    assert stored_ids(path) == [e.id for e in session.proc.events]
    with open_store(path) as store:
        assert verify(store).ok


def test_disk_full_by_page_limit(db_path):
    with open_store(db_path) as store:
        session = Session(store)
        state, events = session.proc.state, session.proc.events
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        error = session.assert_not_acknowledged(DiskFullError, state, events, tries=20)
        assert "disk is full" in str(error)
        check_untouched(db_path, session)
        store.conn.execute("PRAGMA max_page_count = 1073741823")
        session.next_command()  # room again: the same command is recorded
        check_untouched(db_path, session)


@pytest.fixture
def tiny_fs(tmp_path) -> Iterator[Path]:
    """A 1 MiB tmpfs of our own; skipped where mounting is not allowed."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tiny file system here: {result.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_disk_full_on_a_tiny_file_system(tiny_fs):
    path = tiny_fs / "procedures.db"
    with open_store(path) as store:
        session = Session(store)
        filler = tiny_fs / "filler"
        with filler.open("wb", buffering=0) as f:  # take every free byte
            try:
                while True:
                    f.write(b"\0" * 512)
            except OSError:
                pass
        session.assert_not_acknowledged((DiskFullError, StorageIOError), session.proc.state,
                                        session.proc.events, tries=20)
        filler.unlink()
        check_untouched(path, session)


def test_read_only_database_file(db_path):
    with open_store(db_path) as store:
        Session(store)
    # SQLite's own read-only open: what a file without write permission gives a normal user.
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None)
    store = Store(sqlite_utils.Database(conn), db_path, key=read_key(), key_state="ok")
    clock = FakeClock(START)
    proc = store_script.Procedure.rebuild(store_script.load_profile(), clock,
                                          store.events("proc-1"))
    proc.subscribe(StoreListener(store))
    before = proc.state
    _, name, args = STEPS[5]
    clock.advance(10_000)
    with pytest.raises(ReadOnlyError, match="read-only"):
        proc.handle(Command(name, args, user=store_script.NURSE))
    assert proc.state == before
    store.close()
    assert len(stored_ids(db_path)) == len(proc.events)


def test_locked_database(db_path):
    with open_store(db_path, busy_timeout_ms=50) as store:
        session = Session(store)
        state, events = session.proc.state, session.proc.events
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            error = session.assert_not_acknowledged(DatabaseLockedError, state, events)
            assert "locked" in str(error)
        finally:
            other.execute("ROLLBACK")
            other.close()
        session.next_command()
        check_untouched(db_path, session)


class FailingCommit:
    """A connection whose COMMIT fails with an I/O error, as a dying disk would."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args):
        if sql == "COMMIT":
            raise sqlite3.OperationalError("disk I/O error")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def test_io_error_at_commit(db_path):
    with open_store(db_path) as store:
        session = Session(store)
        state, events = session.proc.state, session.proc.events
        real = store.conn
        store.conn = FailingCommit(real)  # type: ignore[assignment]
        error = session.assert_not_acknowledged(StorageIOError, state, events)
        assert "could not be read or written" in str(error)
        store.conn = real
        check_untouched(db_path, session)
        assert store.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == len(events)
