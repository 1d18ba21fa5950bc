"""Chain heads anchored on a real FHIR server (Medplum 5) and the log compared with them (issue 26,
finding 5): a backup put back after a delivery verifies locally (its seals are all there), and
only the server's anchor shows that the procedure's end is gone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sync.conftest import FakeTime, completed

from kresladi_bedside.cli import main
from kresladi_bedside.store import open_store, verify
from kresladi_bedside.sync import run_pass
from kresladi_bedside.sync.anchor import ANCHOR_TAG_SYSTEM, workstation_id

from .test_fhir_server import PROFILE, one_pass, search, settings


def copy_log(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")


def test_a_backup_put_back_after_delivery_is_found_by_the_server_anchor(
        kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]):
    # A workstation of its own (its own keys): the session's other tests anchor under another.
    monkeypatch.setenv("KRESLADI_KEY_FILE", str(tmp_path / "cfg" / "workstation.key"))
    monkeypatch.setenv("KRESLADI_FHIR_TOKEN", kit.token)
    events = completed()
    pid = events[0].procedure_id
    db, backup = tmp_path / "procedures.db", tmp_path / "backup.db"
    with open_store(db) as store:
        store.append(events[:-6])
    copy_log(db, backup)  # last night's backup: the procedure not finished yet
    with open_store(db) as store:
        store.append(events[-6:])
        report = one_pass(store, settings(kit), FakeTime())
        assert report.exit_status == 0 and report.anchor is not None, report
        assert report.anchor.ok and report.anchor.sent == 1, report.anchor
        workstation = workstation_id(store)
        head = store.head(pid)
    (anchor,) = search(kit, f"AuditEvent?_tag={ANCHOR_TAG_SYSTEM}|{workstation}")
    details = {d["type"]: d["valueString"] for d in anchor["entity"][0]["detail"]}
    assert anchor["entity"][0]["name"] == pid
    assert (int(details["head_seq"]), details["head_hash"]) == head

    site = tmp_path / "site.toml"
    site.write_text(f'[sync]\nbase_url = "{kit.base_url}"\n'
                    f'mrn_system = "{kit.info["mrn_system"]}"\n')
    assert main(["--config", str(site), "--db", str(db), "verify", "--against-server"]) == 0
    assert "every head anchored on the hospital's server is in this log" in \
        capsys.readouterr().out

    copy_log(backup, db)  # the backup (or a VM snapshot) put back
    with open_store(db) as store:
        assert verify(store).ok  # locally every seal holds: nothing to see without the server
    assert main(["--config", str(site), "--db", str(db), "verify", "--against-server"]) == 1
    out = capsys.readouterr().out
    assert f"ANCHOR CUT {pid}" in out and f"seq {head[0]}" in out
    with open_store(db) as store:  # the first sync pass after start finds it too
        client = settings(kit).client()
        try:
            found = run_pass(store, client, PROFILE, settings(kit), check_anchors=True)
        finally:
            client.close()
    assert found.blocked is not None and found.blocked.startswith("LOG ROLLED BACK OR CUT")
