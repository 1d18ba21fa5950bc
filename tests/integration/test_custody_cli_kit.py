"""`kresladi-bedside custody …` against the real FHIR server (Medplum kit), as IT runs it: status
of a free product (exit 0), of one held elsewhere (exit 1, who, the chain's steps), the
pharmacist's signed release (exit 0, then the chain shows it and this log too), a release of a
product nobody holds (exit 1), and a take-over of a procedure nobody published (exit 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kresladi_bedside.commands.custody import CLI_TAKE_OVER_REASON
from kresladi_bedside.sync.custody import Who, claim
from tests.cli.test_custody_cli import run
from tests.receipt.conftest import PIN_A, PIN_N

from .custody_racer import client
from .test_custody import received


def test_status_release_and_take_over_as_it_reads_them(capsys: Any, monkeypatch: Any,
                                                       fhir: dict[str, Any],
                                                       tmp_path: Path) -> None:
    desk, rid, _ = received(fhir, tmp_path)
    dins = sorted(b.bag_id for b in desk.receipt.state.order.bags)
    desk.store.close()
    config = tmp_path / "site.toml"
    config.write_text(f'site_name = "Pharmacy"\n[sync]\nbase_url = "{fhir["base_url"]}"\n'
                      f'token = "{fhir["token"]}"\nmrn_system = "{fhir["mrn_system"]}"\n'
                      'workstation = "Pharmacy"\n', encoding="utf-8")
    cli = ("--config", str(config), "--db", str(tmp_path / "pharmacy.db"), "custody")

    code, out, err = run(capsys, monkeypatch, *cli, "status", rid)
    assert code == 0, err
    assert out.splitlines() == [f"bag {din}: free" for din in dins]

    assert claim(client(fhir), dins, Who("C", "n-c", "Carla Nurse"), receipt_id="r-c",
                 procedure_id="proc-c").won
    code, out, err = run(capsys, monkeypatch, *cli, "status", rid)
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0].startswith(f"bag {dins[0]}: bag {dins[0]} is held by workstation C, "
                               "opened by Carla Nurse at "), lines
    assert lines[1].startswith("  step 0: claim — held by workstation C") and "(Task/" in \
        lines[1], lines

    code, out, err = run(capsys, monkeypatch, *cli, "release", rid, "--as", "P10001",
                         "--reason", "procedure stopped before any thaw", stdin=PIN_A + "\n")
    assert code == 0, err
    assert [line.split(" (")[0] for line in out.splitlines()] == \
        [f"released bag {din}" for din in dins]
    code, out, err = run(capsys, monkeypatch, *cli, "status", rid)
    assert code == 0, err
    assert f"bag {dins[0]}: free" in out
    assert "  step 1: release — released by pharmacist Alice Pharm" in out, out
    assert "procedure stopped before any thaw" in out
    assert "here: released by" in out  # this log's own record of the act

    code, out, err = run(capsys, monkeypatch, *cli, "release", rid, "--as", "P10001",
                         "--reason", "again", stdin=PIN_A + "\n")
    assert code == 1 and out == ""
    assert f"custody: not released: Bag {dins[0]} is not held by anyone" in err, err

    code, out, err = run(capsys, monkeypatch, *cli, "take-over", "P-NOBODY", "--as", "N20002",
                         stdin=PIN_N + "\n")
    assert code == 1 and out == ""
    assert "custody: not taken over: no workstation published procedure P-NOBODY" in err, err


def test_take_over_at_the_command_line_after_kill_9(capsys: Any, monkeypatch: Any,
                                                    fhir: dict[str, Any],
                                                    tmp_path: Path) -> None:
    from kresladi_bedside.clock import FakeClock
    from kresladi_bedside.store import open_store
    from kresladi_bedside.sync.custody import steps_of
    from tests.engine.driver import DINS
    from tests.receipt.conftest import START, make_desk

    from .test_custody import thaw_on_a_then_kill_9

    started, _ = thaw_on_a_then_kill_9(fhir, tmp_path / "a.db")
    pid = started["procedure_id"]
    make_desk(tmp_path / "b.db", FakeClock(START)).store.close()  # B's people
    config = tmp_path / "site.toml"
    config.write_text(f'site_name = "B"\n[sync]\nbase_url = "{fhir["base_url"]}"\n'
                      f'token = "{fhir["token"]}"\nworkstation = "B"\n', encoding="utf-8")
    cli = ("--config", str(config), "--db", str(tmp_path / "b.db"), "custody")
    code, out, err = run(capsys, monkeypatch, *cli, "take-over", pid, "--as", "N20002",
                         stdin=PIN_N + "\n")
    assert code == 0, err
    assert out.startswith("taken over from workstation A: ") and \
        f"start the window to continue procedure {pid}" in out, out
    assert "not recorded" not in out
    with open_store(tmp_path / "b.db") as store:
        [note] = [e for e in store.events(pid)
                  if e.type in ("procedure_taken_over", "custody_taken_over")]
    assert (note.data["from_workstation"], note.data["to_workstation"]) == ("A", "B")
    assert [s["meaning"] for s in note.data["signatures"]] == ["performed"]
    assert note.data["reason"] == CLI_TAKE_OVER_REASON
    for din in DINS:  # handover_a's product
        assert steps_of(client(fhir), din)[-1].workstation == "B"
    # again: it is held here now, nothing to take over
    code, out, err = run(capsys, monkeypatch, *cli, "take-over", pid, "--as", "N20002",
                         stdin=PIN_N + "\n")
    assert code == 1 and "custody: not taken over:" in err and "already held here" in err, err
