"""Once keyed, always keyed (issue 26, finding 1): with the key record deleted, the next writable
open (the window, `simulate --db`, a failed `users list` sign-in) re-adopted the log as one from
before the keyed chain, and a forged history then verified "ok"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from forgelog import FINISHED, drop_triggers
from test_forgery import rewrite, rows_of

from kresladi_bedside.cli import main
from kresladi_bedside.store import StorageError, open_store, verify
from kresladi_bedside.store.db import KEY_RECORD_MISSING
from kresladi_bedside.store.rows import EventRow, canonical_json


def delete_key_record(raw) -> None:
    drop_triggers(raw)
    raw.execute("DELETE FROM store_meta")


def forge_flush(raw) -> None:
    """The flush volume made 45 mL, hashes recomputed, and every seal removed."""
    chain = [row for _, row in rows_of(raw, FINISHED)]
    flush = next(i for i, r in enumerate(chain) if r.type == "flush_logged")
    data = {**json.loads(chain[flush].data), "volume_ml": 45}
    chain[flush] = EventRow(**{**chain[flush].to_dict(), "data": canonical_json(data)})
    rewrite(raw, FINISHED, chain)
    raw.execute("DELETE FROM seals")


def test_a_deleted_key_record_is_never_re_adopted(raw):
    delete_key_record(raw)
    with open_store(raw.path) as store:  # the window's writable open
        assert store.key_state == "tampered"
        with pytest.raises(StorageError, match=KEY_RECORD_MISSING):
            store.append(store.events(FINISHED)[:1])
        report = verify(store)
    assert not report.ok and KEY_RECORD_MISSING in report.summary()
    assert raw.execute("SELECT count(*) FROM store_meta").fetchone()[0] == 0  # nothing written


def test_a_forged_history_without_key_record_or_seals_does_not_verify(raw):
    delete_key_record(raw)
    forge_flush(raw)
    for _ in range(2):  # the second open must not find a log the first one adopted
        with open_store(raw.path) as store:
            assert store.key_state == "tampered"
            assert not verify(store).ok
    assert main(["--db", str(raw.path), "verify"]) == 1


def test_a_failed_users_list_sign_in_adopts_nothing(raw, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch):
    delete_key_record(raw)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("000000\n"))
    assert main(["--db", str(raw.path), "users", "list", "--as", "A10001"]) != 0
    capsys.readouterr()
    assert raw.execute("SELECT count(*) FROM store_meta").fetchone()[0] == 0
    assert main(["--db", str(raw.path), "verify"]) == 1
    assert KEY_RECORD_MISSING in capsys.readouterr().out


def test_start_up_raises_the_alarm_and_reopens_nothing(tmp_path: Path):
    from forgelog import run_script
    from store_script import START

    from kresladi_bedside.clock import FakeClock
    from kresladi_bedside.profile import load_profile
    from kresladi_bedside.store.recovery import recover

    db = tmp_path / "procedures.db"
    run_script(db, "open-one", steps=4)  # unfinished
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    drop_triggers(conn)
    conn.execute("DELETE FROM store_meta")
    conn.close()
    with open_store(db) as store:
        found = recover(store, load_profile(), FakeClock(START))
    assert found.procedures == [] and found.blocked == ("open-one",)
    assert any("LOG LOCKED FOR WRITING" in t and KEY_RECORD_MISSING in t
               for t in found.alarm_texts())


def test_a_legacy_log_is_still_adopted_on_a_workstation_without_a_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "procedures.db"
    from forgelog import run_script

    run_script(db, "old", steps=3)
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    drop_triggers(conn)
    conn.execute("DELETE FROM store_meta")
    conn.execute("DELETE FROM seals")  # what a log from before the keyed chain looks like
    conn.close()
    with open_store(db) as store:  # this workstation has a key: IT decides, not the program
        assert store.key_state == "tampered"
    monkeypatch.setenv("KRESLADI_KEY_FILE", str(tmp_path / "fresh" / "workstation.key"))
    with open_store(db) as store:  # a workstation that never had a key adopts an old log
        assert store.key_state == "ok"
        report = verify(store)
    assert report.ok and report.legacy_events == 3
