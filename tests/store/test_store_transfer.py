"""Export, import and verify from the command line: a round trip is byte-identical."""

from __future__ import annotations

import io
import json
import sqlite3
import sys

import pytest
from argon2 import PasswordHasher

from kresladi_bedside.cli import main
from kresladi_bedside.clock import SystemClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.people import People
from kresladi_bedside.store import open_store
from kresladi_bedside.store.rows import COLUMNS

ADMIN_PIN = "40172958"


def with_admin(path):
    """A workstation log with its administrator (an import needs one to sign in)."""
    with open_store(path) as store:
        People(store, PeopleConfig(), SystemClock(),
               hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)).init_admin(
            "Ada Okafor", "A10001", ADMIN_PIN)
    return path


def import_(target, file, *extra):
    old = sys.stdin
    sys.stdin = io.StringIO(ADMIN_PIN + "\n")
    try:
        return main(["--db", str(target), "import", str(file), "--as", "A10001", *extra])
    finally:
        sys.stdin = old


def raw_rows(path, procedure_id):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT {', '.join(COLUMNS)} FROM events WHERE procedure_id = ? "
                            "ORDER BY seq", (procedure_id,)).fetchall()
    finally:
        conn.close()


@pytest.fixture
def source(tmp_path, hand_events):
    """proc-a: the first five steps of a real procedure (an import is judged again by the
    engine, issue 26), in a zone 5 h behind UTC; proc-b: events made by hand."""
    import store_script

    from kresladi_bedside.clock import FakeClock
    from kresladi_bedside.store import StoreListener

    path = tmp_path / "a.db"
    with open_store(path) as store:
        clock = FakeClock(store_script.START, utc_offset_s=-5 * 3600)
        procedure = store_script.new_procedure("proc-a", clock)
        procedure.subscribe(StoreListener(store))
        store_script.run(procedure, clock, store_script.script()[:5])
        store.append(hand_events("proc-b", 3))
    return path


def test_export_import_round_trip_is_byte_identical(source, tmp_path, capsys):
    out = tmp_path / "proc-a.jsonl"
    assert main(["--db", str(source), "export", "proc-a", "-o", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 6 and all(json.loads(line)["procedure_id"] == "proc-a"
                                   for line in lines[:-1])
    assert "kresladi_signature" in json.loads(lines[-1])  # the workstation's signature, last
    target = with_admin(tmp_path / "b.db")
    assert import_(target, out) == 0
    assert "imported 5 events" in capsys.readouterr().out
    assert raw_rows(target, "proc-a") == raw_rows(source, "proc-a")
    assert raw_rows(target, "proc-b") == []
    with open_store(target) as store:
        assert store.conn.execute(
            "SELECT count(*) FROM outbox WHERE procedure_id = 'proc-a'").fetchone()[0] == 5
    # again: nothing new, nothing changed
    assert import_(target, out) == 0
    assert "imported 0 events (5 already present)" in capsys.readouterr().out
    assert raw_rows(target, "proc-a") == raw_rows(source, "proc-a")


def test_export_to_stdout_matches_the_file(source, tmp_path, capsys):
    out = tmp_path / "x.jsonl"
    main(["--db", str(source), "export", "proc-b", "-o", str(out)])
    capsys.readouterr()
    assert main(["--db", str(source), "export", "proc-b"]) == 0
    assert capsys.readouterr().out == out.read_text()


def test_unknown_procedure_is_exit_2(source, capsys):
    assert main(["--db", str(source), "export", "nope"]) == 2
    assert "no procedure nope" in capsys.readouterr().err


@pytest.mark.parametrize("field, value", [("type", "hard_stop"), ("user", "u-mallory"),
                                          ("seq", 9), ("prev_hash", "0" * 64)])
def test_an_altered_export_is_refused_and_nothing_imported(source, tmp_path, capsys, field,
                                                           value):
    out = tmp_path / "a.jsonl"
    main(["--db", str(source), "export", "proc-a", "-o", str(out)])
    lines = out.read_text().splitlines()
    record = json.loads(lines[2])
    record[field] = value
    lines[2] = json.dumps(record)
    out.write_text("\n".join(lines) + "\n")
    target = with_admin(tmp_path / "b.db")
    assert import_(target, out) == 1
    assert "the signature does not match the file" in capsys.readouterr().err
    out.write_text("\n".join(resigned(lines[:-1])) + "\n")  # signed after it was altered
    assert import_(target, out) == 1
    assert "line 3" in capsys.readouterr().err
    assert raw_rows(target, "proc-a") == []


def resigned(lines):
    from kresladi_bedside.store.signing import workstation_signing_key

    return [*lines, workstation_signing_key().signature_line(lines)]


def test_an_export_missing_a_row_is_refused(source, tmp_path, capsys):
    out = tmp_path / "a.jsonl"
    main(["--db", str(source), "export", "proc-a", "-o", str(out)])
    lines = out.read_text().splitlines()
    out.write_text("\n".join(lines[:1] + lines[2:]) + "\n")
    target = with_admin(tmp_path / "b.db")
    assert import_(target, out) == 1
    assert "the signature does not match the file" in capsys.readouterr().err
    out.write_text("\n".join(resigned(lines[:1] + lines[2:-1])) + "\n")
    assert import_(target, out) == 1
    assert "seq 2 is not in the file" in capsys.readouterr().err


def test_verify_command_exit_codes(source, capsys):
    assert main(["--db", str(source), "verify"]) == 0
    assert "2 procedures, 8 events" in capsys.readouterr().out
    conn = sqlite3.connect(source)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET user = 'u-x' WHERE procedure_id = 'proc-b' AND seq = 2")
    conn.commit()
    conn.close()
    assert main(["--db", str(source), "verify"]) == 1
    out = capsys.readouterr().out
    assert "procedure proc-b, seq 2" in out and "hash mismatch" in out
    assert main(["--db", str(source), "export", "proc-b"]) == 1
