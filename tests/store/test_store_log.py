"""The log itself: durability settings, the chain, append-only triggers, the outbox, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.engine.model import Event
from kresladi_bedside.store import (
    AppendOnlyViolation,
    StorageError,
    database_path,
    default_database_path,
    open_store,
    verify,
)
from kresladi_bedside.store import migrations as migrations_module
from kresladi_bedside.store.rows import CanonicalError
from kresladi_bedside.store.schema import GENESIS_HASH


def test_open_sets_wal_and_full_sync(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_open_refuses_a_database_where_wal_cannot_be_set(tmp_path, monkeypatch):
    from kresladi_bedside.store import db as db_module

    real_connect = sqlite3.connect

    class NoWal(sqlite3.Connection):
        def execute(self, sql, *args):  # type: ignore[override]
            if sql.strip().upper().startswith("PRAGMA JOURNAL_MODE"):
                return super().execute("PRAGMA journal_mode = DELETE")
            return super().execute(sql, *args)

    monkeypatch.setattr(db_module.sqlite3, "connect",
                        lambda *a, **k: real_connect(*a, factory=NoWal, **k))
    with pytest.raises(StorageError, match=r"WAL.*'delete'.*nowal\.db"):
        open_store(tmp_path / "nowal.db")


def test_memory_database_is_refused():
    with pytest.raises(StorageError, match="must be a file"):
        open_store(":memory:")


def test_database_path_precedence(tmp_path):
    site = SiteConfig(database=tmp_path / "site.db")
    assert database_path(tmp_path / "arg.db", site) == tmp_path / "arg.db"
    assert database_path(None, site) == tmp_path / "site.db"
    assert database_path(None, SiteConfig()) == default_database_path()
    assert default_database_path().name == "procedures.db"
    assert "kresladi-bedside" in str(default_database_path())


def test_append_chains_rows_per_procedure(store, hand_events):
    a, b = hand_events("proc-a", 3), hand_events("proc-b", 2)
    store.append(a[:2])
    store.append(b[:1])
    store.append([a[2], b[1]])
    rows_a = list(store.rows("proc-a"))
    assert [r.seq for r in rows_a] == [1, 2, 3]
    assert rows_a[0].prev_hash == GENESIS_HASH
    assert [r.prev_hash for r in rows_a[1:]] == [r.hash for r in rows_a[:-1]]
    assert next(store.rows("proc-b")).prev_hash == GENESIS_HASH
    assert all(r.hash == r.computed_hash() for r in store.rows())
    assert store.procedure_ids() == ["proc-a", "proc-b"]
    assert verify(store).ok


def test_events_round_trip_exactly(store, hand_events):
    events = hand_events("proc-a", 4)
    store.append(events)
    assert store.events("proc-a") == events


def test_corrections_point_at_the_corrected_event(store, hand_events):
    opened = hand_events("p", 1)[0]
    fix = Event("fix-1", "p", "correction", {"event_id": opened.id, "bag": 1, "reason": "typo",
                                              "changes": {"volume_ml": 12}}, "u", opened.at)
    store.append([opened, fix])
    corrects = dict(store.conn.execute("SELECT id, corrects FROM events").fetchall())
    assert corrects == {opened.id: None, "fix-1": opened.id}


def test_update_and_delete_are_refused(store, hand_events):
    store.append(hand_events("p", 2))
    with pytest.raises(sqlite3.IntegrityError, match="append-only: UPDATE"):
        store.conn.execute("UPDATE events SET type = 'x' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only: DELETE"):
        store.conn.execute("DELETE FROM events WHERE seq = 2")
    assert verify(store).ok


def test_each_event_has_an_outbox_row_in_the_same_transaction(store, hand_events):
    events = hand_events("p", 3)
    store.append(events)
    outbox = store.conn.execute(
        "SELECT event_id, seq, delivered_at, attempts, parked_reason FROM outbox ORDER BY seq"
    ).fetchall()
    assert outbox == [(e.id, i, None, 0, None) for i, e in enumerate(events, start=1)]


def test_a_failed_batch_writes_neither_events_nor_outbox(store, hand_events):
    good, dup = hand_events("p", 2)
    store.append([good])
    dup = Event(good.id, "p", "attested", {}, "u", dup.at)  # same id: UNIQUE fails mid-batch
    ok = hand_events("p", 1)[0]
    with pytest.raises(StorageError):
        store.append([ok, dup])
    assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    assert store.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
    assert store.head("p")[0] == 1


def test_non_json_data_is_a_typed_error(store, hand_events):
    bad = Event("bad", "p", "attested", {"when": object()}, "u", hand_events("p", 1)[0].at)
    with pytest.raises(CanonicalError, match="not plain JSON"):
        store.append([bad])
    assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_reopen_keeps_everything_and_does_not_remigrate(db_path, hand_events):
    events = hand_events("p", 3)
    with open_store(db_path) as s:
        s.append(events)
    with open_store(db_path) as s:
        applied = [r["name"] for r in s.db.query("SELECT name FROM migrations")]
    with open_store(db_path) as s:
        assert s.events("p") == events
        again = [r["name"] for r in s.db.query("SELECT name FROM migrations")]
    assert "store_events" in applied and again == applied
    assert len(set(applied)) == len(applied)


def test_registered_migration_runs_once_in_number_order(tmp_path, monkeypatch):
    monkeypatch.setattr(migrations_module, "_REGISTRY", dict(migrations_module._REGISTRY))
    ran: list[str] = []

    @migrations_module.register_migration(9201, "test_sync_b")
    def _b(db):
        ran.append("b")
        db.execute("ALTER TABLE outbox ADD COLUMN bundle_id TEXT")

    @migrations_module.register_migration(9100, "test_people_a")
    def _a(db):
        ran.append("a")
        db.execute("CREATE TABLE test_users (id TEXT PRIMARY KEY)")

    path = tmp_path / "m.db"
    with open_store(path) as s:
        assert "test_users" in s.db.table_names()
        assert "bundle_id" in s.db["outbox"].columns_dict
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == 9201
    with open_store(path):
        pass
    assert ran == ["a", "b"]


def test_a_failing_migration_leaves_no_trace(tmp_path, monkeypatch):
    """On a log that has migrations already, each pending one is its own transaction: the one
    that fails leaves nothing, the ones before it stay."""
    open_store(tmp_path / "m.db").close()
    monkeypatch.setattr(migrations_module, "_REGISTRY", dict(migrations_module._REGISTRY))

    @migrations_module.register_migration(9200, "test_fine")
    def _fine(db):
        db.execute("CREATE TABLE fine (x)")

    @migrations_module.register_migration(9300, "test_half_done")
    def _half(db):
        db.execute("CREATE TABLE half (x)")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        open_store(tmp_path / "m.db")
    conn = sqlite3.connect(tmp_path / "m.db")
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone() == (0,)
    applied = [r[0] for r in conn.execute("SELECT name FROM migrations")]
    assert "store_events" in applied and "test_fine" in applied
    assert "test_half_done" not in applied


def test_a_new_log_is_created_whole_or_not_at_all(tmp_path, monkeypatch):
    """A new log gets every migration in one transaction (one commit, one fsync, on a first
    start): one failing leaves no table of any of them, and the next start creates it whole."""
    monkeypatch.setattr(migrations_module, "_REGISTRY", dict(migrations_module._REGISTRY))
    fail = [True]

    @migrations_module.register_migration(9300, "test_half_done")
    def _half(db):
        db.execute("CREATE TABLE half (x)")
        if fail[0]:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        open_store(tmp_path / "m.db")
    conn = sqlite3.connect(tmp_path / "m.db")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"migrations"}
    assert conn.execute("SELECT count(*) FROM migrations").fetchone() == (0,)
    conn.close()
    fail[0] = False
    with open_store(tmp_path / "m.db") as s:
        applied = [r[0] for r in s.conn.execute("SELECT name FROM migrations ORDER BY number")]
        assert applied == [m.name for m in migrations_module.registered()]
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == 9300


def test_migration_numbers_cannot_clash(monkeypatch):
    monkeypatch.setattr(migrations_module, "_REGISTRY", dict(migrations_module._REGISTRY))
    with pytest.raises(migrations_module.MigrationError, match="taken by 'store_events'"):
        migrations_module.register_migration(1, "someone_else")(lambda db: None)


def test_append_only_violation_maps_to_typed_error():
    from kresladi_bedside.store.errors import storage_error_from

    err = storage_error_from(sqlite3.IntegrityError("events are append-only: DELETE refused"),
                             Path("x.db"), "deleting")
    assert isinstance(err, AppendOnlyViolation)
