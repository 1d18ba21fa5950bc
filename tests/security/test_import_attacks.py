"""`import` was a way in: no sign-in, values converted after hashing, rows committed before the
verdict, a hash-valid row that crashed every start, a forged people-log entry, raw tracebacks and
no size limit. Each hostile file here must be refused with a message naming what is wrong, and
leave the log exactly as it was."""

from __future__ import annotations

import io
import sqlite3
import sys
from pathlib import Path

import pytest

from kresladi_bedside.cli import main
from kresladi_bedside.store import open_store, verify
from kresladi_bedside.store.rows import EventRow, canonical_json

ADMIN_PIN = "40172958"
NURSE_PIN = "73915864"


def write(tmp_path: Path, lines: list[str], *, signed: bool = True) -> Path:
    """A hostile file, signed by this workstation's own key unless `signed` is False: the
    content checks must hold even for a file an enrolled workstation signed."""
    from kresladi_bedside.store.signing import workstation_signing_key

    path = tmp_path / "hostile.jsonl"
    tail = [workstation_signing_key().signature_line(lines)] if signed else []
    path.write_text("".join(line + "\n" for line in [*lines, *tail]), encoding="utf-8")
    return path


def rechained(records: list[dict]) -> list[str]:
    """Records re-linked and re-hashed: valid SHA-256 chains, as a forger would make them."""
    prev, lines = "0" * 64, []
    for record in records:
        fields = {**record, "prev_hash": prev, "data": canonical_json(record["data"])}
        fields.pop("hash", None)
        digest = EventRow(**fields, hash="").computed_hash()
        lines.append(canonical_json({**record, "prev_hash": prev, "hash": digest}))
        prev = digest
    return lines


def snapshot(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT procedure_id, seq, hash FROM events WHERE procedure_id <> "
                            "'people' ORDER BY pos").fetchall()
    finally:
        conn.close()


def import_(db: Path, file: Path, badge: str = "A10001", pin: str = ADMIN_PIN,
            *extra: str) -> int:
    old = sys.stdin
    sys.stdin = io.StringIO(pin + "\n")
    try:
        return main(["--db", str(db), "import", str(file), "--as", badge, *extra])
    finally:
        sys.stdin = old


def test_a_faithful_export_imports_byte_identical(target, exported, tmp_path, capsys):
    assert import_(target, write(tmp_path, [canonical_json(r) for r in exported])) == 0
    assert f"imported {len(exported)} events" in capsys.readouterr().out
    assert [h for _, _, h in snapshot(target)] == [r["hash"] for r in exported]
    with open_store(target) as store:
        assert verify(store).ok
        assert store.events("people")[-2].type == "log_imported"


def test_an_import_without_outbox_still_verifies(target, exported, tmp_path):
    """--no-outbox is recorded in the sealed people log, so the missing outbox rows are known."""
    file = write(tmp_path, [canonical_json(r) for r in exported])
    assert import_(target, file, "A10001", ADMIN_PIN, "--no-outbox") == 0
    with open_store(target) as store:
        assert verify(store).ok


@pytest.mark.parametrize("badge, pin", [("A10001", "11112222"), ("N20002", NURSE_PIN)])
def test_import_needs_an_administrator(target, exported, tmp_path, capsys, badge, pin):
    assert import_(target, write(tmp_path, [canonical_json(r) for r in exported]), badge,
                   pin) == 2
    assert snapshot(target) == []
    with pytest.raises(SystemExit):
        main(["--db", str(target), "import", str(tmp_path / "hostile.jsonl")])  # no --as


@pytest.mark.parametrize("column, value, words", [
    ("mono", 5, "mono must be a decimal number"),
    ("seq", "1", "seq must be a whole number"),
    ("seq", True, "seq must be a whole number"),
    ("id", 12345, "id must be a string"),
    ("utc_offset_s", 0.0, "utc_offset_s must be a whole number"),
    ("data", [1, 2], "data must be a JSON object"),
    ("data", "{}", "data must be a JSON object"),
    ("hash", "A" * 64, "hash must be 64 lowercase"),
    ("wall_utc", "yesterday", "wall_utc is not an ISO"),
])
def test_values_that_would_not_round_trip_are_refused(target, exported, tmp_path, capsys,
                                                      column, value, words):
    records = [dict(r) for r in exported]
    records[0][column] = value
    lines = [canonical_json(r) for r in records]
    if column != "hash":
        lines[:1] = [canonical_json({**records[0], "hash": "0" * 64})]
    assert import_(target, write(tmp_path, lines)) == 1
    err = capsys.readouterr().err
    assert f"line 1: {words}" in err and "Traceback" not in err
    assert snapshot(target) == []


def test_a_hash_valid_procedure_the_engine_cannot_replay_is_refused(target, exported, tmp_path,
                                                                      capsys):
    records = [dict(r) for r in exported]
    order = next(i for i, r in enumerate(records) if r["type"] == "order_prepared")
    records[order]["data"] = {"order": [1, 2, 3]}
    assert import_(target, write(tmp_path, rechained(records))) == 1
    err = capsys.readouterr().err
    assert "the engine cannot replay it" in err and "nothing imported" in err
    assert snapshot(target) == []


def test_all_or_nothing_when_one_procedure_of_two_is_bad(target, exported, tmp_path, capsys):
    good = [canonical_json(r) for r in exported]
    bad = [dict(r, procedure_id="other", id=f"other-{i}") for i, r in enumerate(exported)]
    bad[1]["data"] = {"order": "not an order"}
    assert import_(target, write(tmp_path, good + rechained(bad))) == 1
    assert "procedure other: the engine cannot replay it" in capsys.readouterr().err
    assert snapshot(target) == []


def test_an_event_id_used_twice_is_refused_with_a_message(target, exported, tmp_path, capsys):
    good = [canonical_json(r) for r in exported]
    assert import_(target, write(tmp_path, good + rechained(
        [dict(r, procedure_id="other") for r in exported]))) == 1
    assert "appears twice in the file" in capsys.readouterr().err
    assert snapshot(target) == []


def test_a_forged_people_log_is_never_imported(target, tmp_path, capsys):
    record = {"id": "x", "procedure_id": "people", "seq": 99, "type": "pin_reset",
              "data": {"badge": "N20002", "user_id": "u-1"}, "user": "u-admin",
              "wall_utc": "2026-03-02T13:00:00.000000+00:00", "utc_offset_s": 0, "mono": None,
              "boot_id": None, "corrects": None}
    assert import_(target, write(tmp_path, rechained([record]))) == 1
    assert "never imported" in capsys.readouterr().err


@pytest.mark.parametrize("line, words", [
    ("not json", "not JSON"),
    ("[" * 100_000, "line 1: "),
    ("[1, 2]", "expected an object"),
    ('{"id": "x"}', "missing"),
])
def test_malformed_lines_get_a_message_not_a_traceback(target, tmp_path, capsys, line, words):
    assert import_(target, write(tmp_path, [line])) == 1
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and err.startswith("not imported: ")


def test_an_unknown_column_is_refused(target, exported, tmp_path, capsys):
    assert import_(target, write(tmp_path, [canonical_json({**exported[0], "pos": 1})])) == 1
    assert "unknown column(s) pos" in capsys.readouterr().err


def test_not_utf8_is_refused(target, tmp_path, capsys):
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"id": "\xe9"}\n')
    assert import_(target, path) == 1
    assert "not UTF-8" in capsys.readouterr().err


def test_size_limits(target, tmp_path, capsys):
    from kresladi_bedside.store.transfer import (  # imported here: collects on old code
        MAX_FILE_BYTES,
        MAX_LINES,
    )

    big = tmp_path / "big.jsonl"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    assert import_(target, big) == 1
    assert "more than an import takes" in capsys.readouterr().err
    many = tmp_path / "many.jsonl"
    many.write_text("\n" * (MAX_LINES + 2))  # the workstation's signature is one line more
    assert import_(target, many) == 1
    assert f"more than {MAX_LINES} lines" in capsys.readouterr().err
