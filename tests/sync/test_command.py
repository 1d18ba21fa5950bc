"""`kresladi-bedside sync`: one pass, and an exit status a scheduler can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from kresladi_bedside.cli import main
from kresladi_bedside.store import open_store

from .conftest import MRN_SYSTEM, completed
from .fhir_server import Fault, FhirTestServer


def site_file(tmp_path: Path, server: FhirTestServer, **extra: str) -> Path:
    lines = ["[sync]", f'base_url = "{server.url}"', "timeout_seconds = 2.0",
             *(f"{k} = {v}" for k, v in extra.items())]
    path = tmp_path / "site.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_sync(tmp_path: Path, config: Path, *extra: str) -> int:
    return main(["--db", str(tmp_path / "p.db"), "--config", str(config), "sync",
                 "--mrn-system", MRN_SYSTEM, *extra])


def test_exit_status_follows_what_is_left(tmp_path, server, capsys):
    config = site_file(tmp_path, server, max_attempts="1")
    with open_store(tmp_path / "p.db") as store:
        first, second = completed(), completed()
        store.append(first)
        store.append(second)
    server.faults.append(Fault.status_only(422).only("POST"))

    assert run_sync(tmp_path, config) == 3
    out = capsys.readouterr().out
    assert f"PARKED {first[0].procedure_id}: refused by the server: HTTP 422" in out
    assert f"delivered {second[0].procedure_id}" in out

    assert run_sync(tmp_path, config, "--status") == 3
    assert run_sync(tmp_path, config, "--unpark", "all") == 0
    assert f"delivered {first[0].procedure_id}" in capsys.readouterr().out
    assert server.requests == 3  # transactions: 422, delivered, then the unparked one


def test_a_server_that_is_down_leaves_items_waiting(tmp_path, server, capsys):
    config = site_file(tmp_path, server)
    with open_store(tmp_path / "p.db") as store:
        store.append(completed())
    server.faults.extend([Fault.status_only(503, retry_after="120")])
    assert run_sync(tmp_path, config) == 1
    out = capsys.readouterr().out
    assert "waiting: 1" in out and "next attempt in about 120 s" in out


@pytest.mark.parametrize("toml", ["", '[sync]\nbase_url = "http://example.org/fhir"\n'])
def test_sync_that_cannot_run_says_why(tmp_path, capsys, toml):
    config = tmp_path / "site.toml"
    config.write_text(toml, encoding="utf-8")
    assert main(["--db", str(tmp_path / "p.db"), "--config", str(config), "sync"]) == 2
    err = capsys.readouterr().err
    assert "sync.base_url" in err
