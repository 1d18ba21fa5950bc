"""`kresladi-bedside custody status|release|take-over` as IT runs it (issue 24): argument errors,
exit codes (0 done · 1 refused or held · 2 cannot run: no server, configuration, database, or the
server could not answer) and the lines IT reads. Here without a server (a closed port, no
[sync]); the real server's answers are in tests/integration/test_custody_cli_kit.py."""

from __future__ import annotations

import io
import socket
from pathlib import Path
from typing import Any

import pytest

from kresladi_bedside.cli import main
from kresladi_bedside.clock import FakeClock
from tests.receipt.conftest import PIN_A, PIN_N, START, make_desk


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/fhir/R4"


def site_file(tmp_path: Path, base_url: str | None, name: str = "site.toml") -> Path:
    path = tmp_path / name
    text = 'site_name = "Ward 4"\n'
    if base_url:
        text += (f'[sync]\nbase_url = "{base_url}"\ntoken = "t"\nworkstation = "Ward 4"\n'
                 "timeout_seconds = 2.0\n")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def received(tmp_path: Path) -> tuple[Path, str]:
    """A log with one received product (and its pharmacists and nurse)."""
    desk = make_desk(tmp_path / "log.db", FakeClock(START))
    assert desk.receive().accepted
    rid = desk.receipt.receipt_id
    assert rid is not None
    desk.store.close()
    return tmp_path / "log.db", rid


def run(capsys: Any, monkeypatch: Any, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))  # the PIN, as a script gives it
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own refusals
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def custody(capsys: Any, monkeypatch: Any, config: Path, db: Path, *argv: str,
            stdin: str = "") -> tuple[int, str, str]:
    """`kresladi-bedside --config CONFIG --db DB custody ARGV…`"""
    return run(capsys, monkeypatch, "--config", str(config), "--db", str(db), "custody",
               *argv, stdin=stdin)


@pytest.mark.parametrize(("argv", "named"), [
    (("custody",), "ACTION"),
    (("custody", "hold", "R1"), "invalid choice"),
    (("custody", "status"), "receipt_id"),
    (("custody", "release", "R1", "--reason", "stopped before thaw"), "--as"),
    (("custody", "release", "R1", "--as", "P10001"), "--reason"),
    (("custody", "take-over", "--as", "N20002"), "procedure_id"),
    (("custody", "take-over", "P1"), "--as"),
])
def test_argument_errors_exit_2_naming_what_is_missing(capsys: Any, monkeypatch: Any,
                                                       argv: tuple[str, ...],
                                                       named: str) -> None:
    code, out, err = run(capsys, monkeypatch, *argv)
    assert code == 2
    assert named in err and "usage:" in err, err
    assert out == ""


def test_without_a_server_configured_every_action_exits_2_saying_so(
        capsys: Any, monkeypatch: Any, tmp_path: Path, received: tuple[Path, str]) -> None:
    db, rid = received
    config = site_file(tmp_path, None)
    for argv in (("status", rid), ("release", rid, "--as", "P10001", "--reason", "x"),
                 ("take-over", "P1", "--as", "N20002")):
        code, out, err = custody(capsys, monkeypatch, config, db, *argv, stdin=PIN_A + "\n")
        assert code == 2, (argv, err)
        assert err.startswith("custody: ") and "sync.base_url is not set" in err, err
        assert out == ""


def test_an_unreachable_server_is_custody_unknown_exit_2(
        capsys: Any, monkeypatch: Any, tmp_path: Path, received: tuple[Path, str]) -> None:
    db, rid = received
    config = site_file(tmp_path, closed_port())
    code, out, err = custody(capsys, monkeypatch, config, db, "status", rid)
    assert code == 2 and out == ""
    assert "custody: the server could not say who holds it: the server did not answer" in err
    # a release needs the server's answer too: refused to act, nothing recorded here
    code, out, err = custody(capsys, monkeypatch, config, db,
                             "release", rid, "--as", "P10001", "--reason", "stopped before thaw",
                             stdin=PIN_A + "\n")
    assert code == 2 and "could not say who holds it" in err, err
    code, out, err = custody(capsys, monkeypatch, config, db,
                             "take-over", "P-123", "--as", "N20002", stdin=PIN_N + "\n")
    assert code == 2 and "could not say who holds it" in err, err
    from kresladi_bedside.store import open_store

    with open_store(db) as store:  # no custody act was recorded in the receipt's chain
        assert not [e for e in store.events(rid) if e.type.startswith("custody_")]


def test_a_receipt_this_log_does_not_hold_exits_2_by_name(
        capsys: Any, monkeypatch: Any, tmp_path: Path, received: tuple[Path, str]) -> None:
    db, _ = received
    config = site_file(tmp_path, closed_port())
    code, out, err = custody(capsys, monkeypatch, config, db, "status", "R-NOT-HERE")
    assert code == 2 and out == ""
    assert "custody: R-NOT-HERE is not a received product here" in err, err
    code, out, err = custody(capsys, monkeypatch, config, db,
                             "release", "R-NOT-HERE", "--as", "P10001", "--reason", "x",
                             stdin=PIN_A + "\n")
    assert code == 2 and "custody: R-NOT-HERE is not a received product here" in err, err


def test_only_a_pharmacist_releases_and_only_a_nurse_takes_over_exit_1(
        capsys: Any, monkeypatch: Any, tmp_path: Path, received: tuple[Path, str]) -> None:
    db, rid = received
    config = site_file(tmp_path, closed_port())
    code, out, err = custody(capsys, monkeypatch, config, db,
                             "release", rid, "--as", "N20002", "--reason", "x", stdin=PIN_N + "\n")
    assert code == 1 and out == ""
    assert "Nora Nurse does not have the pharmacy role" in err, err
    code, out, err = custody(capsys, monkeypatch, config, db,
                             "take-over", "P-1", "--as", "P10001", stdin=PIN_A + "\n")
    assert code == 1 and "Alice Pharm does not have the nurse role" in err, err


def test_a_wrong_pin_is_refused_by_name_and_releases_nothing(
        capsys: Any, monkeypatch: Any, tmp_path: Path, received: tuple[Path, str]) -> None:
    db, rid = received
    config = site_file(tmp_path, closed_port())
    code, out, err = custody(capsys, monkeypatch, config, db,
                             "release", rid, "--as", "P10001", "--reason", "x", stdin="00000000\n")
    assert code == 2 and out == ""
    assert err.startswith("custody: ") and "PIN" in err, err
