"""Files that cross workstations are signed, and a receipt file is judged again (issue 26,
findings 3 and 4): a pharmacy workstation with its own keys exports a receipt; the bedside
imports it only once an administrator enrolled the pharmacy's public key, and decides it again.
Each forged receipt here was accepted before (its SHA-256 chain recomputed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from test_import_attacks import import_, rechained

from kresladi_bedside.cli import main
from kresladi_bedside.clock import FakeClock
from kresladi_bedside.receipt import fold, receipt_ids
from kresladi_bedside.store import open_store
from kresladi_bedside.store.signing import SigningKey, workstation_signing_key

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from receipt.conftest import START, make_desk


@pytest.fixture
def pharmacy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """(receipt id, its exported lines without the signature, the pharmacy's signing key)."""
    bedside_key = Path(__import__("os").environ["KRESLADI_KEY_FILE"])
    monkeypatch.setenv("KRESLADI_KEY_FILE", str(tmp_path / "pharmacy-cfg" / "workstation.key"))
    desk = make_desk(tmp_path / "pharmacy.db", FakeClock(START))
    assert desk.receive().accepted
    receipt_id = desk.receipt.state.receipt_id
    desk.store.close()
    out = tmp_path / "receipt.jsonl"
    assert main(["--db", str(tmp_path / "pharmacy.db"), "export", receipt_id, "-o",
                 str(out)]) == 0
    key = workstation_signing_key()
    monkeypatch.setenv("KRESLADI_KEY_FILE", str(bedside_key))
    lines = out.read_text().splitlines()
    return receipt_id, lines[:-1], key, out


def enroll(target: Path, key: SigningKey) -> None:
    old = sys.stdin
    sys.stdin = __import__("io").StringIO("40172958\n")
    try:
        assert main(["--db", str(target), "keys", "enroll", "--name", "Pharmacy 2",
                     "--public-key", key.public_hex, "--as", "A10001"]) == 0
    finally:
        sys.stdin = old


def signed(path: Path, key: SigningKey, records: list[dict] | list[str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("".join(line + "\n" for line in [*lines, key.signature_line(lines)]))
    return path


def test_an_unenrolled_workstation_is_refused_then_enrolled_and_decided_again(
        target, pharmacy, capsys):
    receipt_id, _lines, key, out = pharmacy
    assert import_(target, out) == 1
    err = capsys.readouterr().err
    assert f"signed by workstation key {key.key_id!r}" in err and "not enrolled" in err
    enroll(target, key)
    assert import_(target, out) == 0
    assert "decided again here, signed by Pharmacy 2" in capsys.readouterr().out
    with open_store(target) as store:
        assert receipt_ids(store) == [receipt_id]
        events = store.events(receipt_id)
    # A new chain made here by this workstation's engine, naming where it came from.
    assert events[0].data["source"] == {"kind": "file", "workstation": "Pharmacy 2",
                                        "key_id": key.key_id}
    assert fold(events).outcome == "received"
    assert import_(target, out) == 0  # again: already here, nothing new
    assert "already here" in capsys.readouterr().out


def test_enrolment_needs_an_administrator(target, pharmacy, capsys):
    old = sys.stdin
    sys.stdin = __import__("io").StringIO("73915864\n")  # the nurse
    try:
        assert main(["--db", str(target), "keys", "enroll", "--name", "X", "--public-key",
                     pharmacy[2].public_hex, "--as", "N20002"]) == 2
    finally:
        sys.stdin = old
    assert "administrator" in capsys.readouterr().err


def test_unsigned_and_altered_files_are_refused(target, pharmacy, tmp_path, capsys):
    _receipt_id, lines, key, out = pharmacy
    enroll(target, key)
    (tmp_path / "unsigned.jsonl").write_text("".join(line + "\n" for line in lines))
    assert import_(target, tmp_path / "unsigned.jsonl") == 1
    assert "carries no workstation signature" in capsys.readouterr().err
    text = out.read_text().replace("LN2 tank 2", "LN2 tank 9")
    (tmp_path / "altered.jsonl").write_text(text)
    assert import_(target, tmp_path / "altered.jsonl") == 1
    assert "the signature does not match the file" in capsys.readouterr().err
    with open_store(target) as store:
        assert receipt_ids(store) == []


def _records(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines]


def _forged_never_checked(records: list[dict]) -> list[dict]:
    kept = [r for r in records if r["type"] != "sheet_verified"]
    for seq, r in enumerate(kept, start=1):
        r["seq"] = seq
    return kept


def _forged_typist_verifies(records: list[dict]) -> list[dict]:
    typist = next(r["user"] for r in records if r["type"] == "sheet_entered")
    for r in records:
        if r["type"] == "sheet_verified":
            r["data"]["verified_by"] = typist
    return records


def _forged_warm_storage(records: list[dict]) -> list[dict]:
    for r in records:
        if r["type"] == "storage_recorded":
            r["data"]["temperature_c"] = -100.0
    return records


def _forged_dose(records: list[dict]) -> list[dict]:
    for r in records:
        if r["type"] == "receipt_completed":
            r["data"]["order"]["bags"][0]["cd34_per_kg"] *= 3
    return records


@pytest.mark.parametrize("forge, words", [
    (_forged_never_checked, "never verified by a second person"),
    (_forged_typist_verifies, "the double check was not independent"),
    (_forged_warm_storage, "-100"),
    (_forged_dose, "is not the one its verified sheet and labels make"),
])
def test_a_forged_receipt_signed_by_an_enrolled_workstation_is_refused(
        target, pharmacy, tmp_path, capsys, forge, words):
    """Even signed by an enrolled key (a workstation whose own log was written around the
    program), the receipt is judged again: nothing of it is recorded."""
    _receipt_id, lines, key, _out = pharmacy
    enroll(target, key)
    forged = rechained(forge(_records(lines)))
    assert import_(target, signed(tmp_path / "forged.jsonl", key, forged)) == 1
    err = capsys.readouterr().err
    assert words in err, err
    with open_store(target) as store:
        assert receipt_ids(store) == []
