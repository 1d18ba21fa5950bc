"""`kresladi-bedside users`: PINs from stdin, never argv; an administrator signs each change."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kresladi_bedside.cli import main


def run(monkeypatch: pytest.MonkeyPatch, db: Path, stdin: str, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--db", str(db), "users", *argv])


def test_users_command_round_trip(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "p.db"
    assert run(monkeypatch, db, "40172958\n", "init-admin", "--name", "Ada Okafor",
               "--badge", "A10001") == 0
    assert run(monkeypatch, db, "40172958\n73915864\n", "add", "--name", "Nora Lindqvist",
               "--badge", "N20002", "--roles", "nurse,witness", "--as", "A10001") == 0
    assert run(monkeypatch, db, "11111111\n", "disable", "N20002", "--reason", "left",
               "--as", "A10001") == 2
    assert "not right" in capsys.readouterr().err
    assert run(monkeypatch, db, "40172958\n", "disable", "N20002", "--reason", "left",
               "--as", "A10001") == 0
    assert run(monkeypatch, db, "40172958\n", "init-admin", "--name", "Eve",
               "--badge", "E1") == 2
    capsys.readouterr()
    assert run(monkeypatch, db, "40172958\n", "list", "--as", "A10001") == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[1:] for line in listed] == [
        ["A10001", "Ada Okafor", "administrator", "active"],
        ["N20002", "Nora Lindqvist", "nurse,witness", "disabled"]]
    assert b"73915864" not in db.read_bytes()
