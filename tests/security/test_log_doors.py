"""The other ways around the log: SQL that replaces a row without firing a trigger, sync state
changed by one UPDATE, heads printed or delivered then rewritten, file modes, a misspelled path."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from forgelog import FINISHED, OTHER, drop_triggers, run_script

from kresladi_bedside.cli import main
from kresladi_bedside.store import StorageError, open_store, verify
from kresladi_bedside.store.rows import COLUMNS

COPY_ROW = (f"SELECT {', '.join(COLUMNS)} FROM events WHERE procedure_id = '{FINISHED}' "
            "AND type = 'flush_logged' LIMIT 1")
FORGED_ROW = COPY_ROW.replace("data,", "replace(data, '4.5', '45'),")
FORGED_ROWS = FORGED_ROW.replace(" LIMIT 1", "")  # an UPSERT's SELECT ends in its WHERE


@pytest.mark.parametrize("sql", [
    f"INSERT OR REPLACE INTO events ({', '.join(COLUMNS)}) {FORGED_ROW}",
    f"REPLACE INTO events ({', '.join(COLUMNS)}) {FORGED_ROW}",
    f"INSERT INTO events ({', '.join(COLUMNS)}) {FORGED_ROWS} "
    "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
    f"INSERT INTO events ({', '.join(COLUMNS)}) {FORGED_ROWS} ON CONFLICT DO NOTHING",
    "UPDATE OR REPLACE events SET data = '{}' WHERE type = 'flush_logged'",
    "INSERT OR REPLACE INTO seals SELECT * FROM seals LIMIT 1",
    "REPLACE INTO chain_heads SELECT procedure_id, 1, hash FROM chain_heads LIMIT 1",
    "INSERT INTO chain_heads SELECT * FROM chain_heads LIMIT 1 "
    "ON CONFLICT (procedure_id) DO UPDATE SET seq = 1",
    "UPDATE chain_heads SET seq = seq - 1",
    "DELETE FROM chain_heads",
    "DELETE FROM seals",
    "INSERT OR REPLACE INTO store_meta SELECT name, '0', mac FROM store_meta",
    "DELETE FROM outbox",
    "INSERT OR REPLACE INTO outbox (event_id, procedure_id, seq, created_at, delivered_at) "
    "SELECT event_id, procedure_id, seq, created_at, 'now' FROM outbox",
])
def test_no_sql_replaces_a_stored_row(raw, sql: str):
    before = raw.execute("SELECT count(*), group_concat(data) FROM events").fetchone()
    with pytest.raises(sqlite3.IntegrityError):
        raw.execute(sql)
    assert raw.execute("SELECT count(*), group_concat(data) FROM events").fetchone() == before


def test_an_outbox_marked_delivered_by_sql_is_found(raw):
    raw.execute("UPDATE outbox SET delivered_at = '2026-03-02T20:00:00Z' WHERE procedure_id = ?",
                (FINISHED,))
    with open_store(raw.path) as store:
        found = verify(store)
    assert [b.problem for b in found.breaks] == ["delivery_unsealed"]
    assert found.breaks[0].procedure_id == FINISHED


def test_outbox_rows_deleted_around_the_triggers_are_found(raw):
    drop_triggers(raw)
    raw.execute("DELETE FROM outbox WHERE procedure_id = ?", (FINISHED,))
    with open_store(raw.path) as store:
        found = verify(store)
    assert [(b.procedure_id, b.problem) for b in found.breaks] == [(FINISHED, "outbox_missing")]


def test_a_procedure_withheld_by_sql_is_found(raw):
    with open_store(raw.path):
        pass  # the sync tables exist once the sync package has migrated
    raw.execute("INSERT INTO sync_withheld VALUES (?, 'training', '2026-03-02T20:00:00Z')",
                (FINISHED,))
    with open_store(raw.path) as store:
        found = verify(store)
    assert [(b.procedure_id, b.problem) for b in found.breaks] == [
        (FINISHED, "withheld_without_cause")]


def test_a_delivered_head_rewritten_afterwards_is_found(raw):
    head = raw.execute("SELECT seq, hash FROM chain_heads WHERE procedure_id = ?",
                       (OTHER,)).fetchone()
    raw.execute("INSERT INTO sync_deliveries VALUES (?, ?, ?, '2026-03-02T20:00:00Z', 200, "
                "'https://ehr.example')", (OTHER, head[0], "f" * 64))
    with open_store(raw.path) as store:
        found = verify(store)
    assert any(b.problem == "anchor_mismatch" and b.procedure_id == OTHER for b in found.breaks)


def test_verify_head_checks_a_printed_head(raw, capsys: pytest.CaptureFixture[str]):
    seq, head = raw.execute("SELECT seq, hash FROM chain_heads WHERE procedure_id = ?",
                            (FINISHED,)).fetchone()
    printed = " ".join(head[i:i + 8] for i in range(0, 64, 8)).upper()
    assert main(["--db", str(raw.path), "verify", "--head", printed]) == 0
    assert f"procedure {FINISHED}, seq {seq}" in capsys.readouterr().out
    # The procedure cut back after the record was printed: the printed head is gone.
    drop_triggers(raw)
    raw.execute("DELETE FROM events WHERE procedure_id = ? AND seq = ?", (FINISHED, seq))
    raw.execute("UPDATE chain_heads SET seq = seq - 1, hash = (SELECT hash FROM events WHERE "
                "procedure_id = ? AND seq = ?) WHERE procedure_id = ?", (FINISHED, seq - 1,
                                                                         FINISHED))
    raw.execute("DELETE FROM seals WHERE pos = (SELECT max(pos) FROM seals)")
    assert main(["--db", str(raw.path), "verify", "--head", head]) == 1
    assert "HEAD NOT FOUND" in capsys.readouterr().out
    assert main(["--db", str(raw.path), "verify", "--head", "xyz"]) == 2


def test_log_key_and_lock_files_are_private(tmp_path: Path):
    db = tmp_path / "new" / "procedures.db"
    run_script(db, "p1", steps=3)
    with open_store(db) as store:
        store.conn.execute("SELECT 1")
        mode_of = {p.name: stat.S_IMODE(p.stat().st_mode) for p in db.parent.iterdir()}
        key = store.key
    assert key is not None
    assert stat.S_IMODE(key.path.stat().st_mode) == 0o600
    assert mode_of["procedures.db"] == 0o600
    assert all(mode == 0o600 for name, mode in mode_of.items()), mode_of
    assert stat.S_IMODE(db.parent.stat().st_mode) & 0o077 == 0


def test_a_misspelled_path_does_not_create_an_empty_log(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]):
    real = tmp_path / "procedures.db"
    run_script(real, "p1", steps=3)
    typo = tmp_path / "procedrues.db"
    for argv in (["verify"], ["export", "p1"], ["record", "p1", "--pdf", str(tmp_path / "x")],
                 ["sync", "--status"]):
        assert main(["--db", str(typo), *argv]) != 0
        assert "no procedure log" in capsys.readouterr().err
    assert not typo.exists()
    with pytest.raises(StorageError, match="no procedure log"):
        open_store(typo, create=False)
    assert not typo.exists()


def test_a_lost_key_is_a_clear_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]):
    db = tmp_path / "procedures.db"
    run_script(db, "p1", steps=3)
    monkeypatch.setenv("KRESLADI_KEY_FILE", str(tmp_path / "gone" / "workstation.key"))
    assert main(["--db", str(db), "verify"]) == 1
    out = capsys.readouterr().out
    assert "NOT CHECKED" in out and "missing" in out and "backup" in out
    with open_store(db) as store, pytest.raises(StorageError, match="missing"):
        store.append(store.events("p1")[:1])
    assert not (tmp_path / "gone" / "workstation.key").exists()  # never silently replaced
