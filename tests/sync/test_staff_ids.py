"""Staff identifiers set in the people log (`users set-id`) reach what sync writes, and only while
the people log verifies: someone who can write the database file cannot slip another person's
NPI (or their own) under a nurse's signatures."""

from __future__ import annotations

import sqlite3
from typing import Any

from engine.driver import NURSE
from security.forgelog import drop_triggers

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.people.audit import AuditLog
from kresladi_bedside.people.hospital_ids import EVENT, NPI_SYSTEM

from .conftest import T0, completed, settings_for, sync_pass


def performer(server: Any) -> dict[str, Any]:
    (procedure,) = server.of_type("Procedure")
    return procedure["performer"][0]["actor"]


def set_npi(store: Any, npi: str) -> None:
    AuditLog(store, FakeClock(T0)).record(EVENT, "u-admin", user_id=NURSE, name="Dana Reyes RN",
                                          system=NPI_SYSTEM, value=npi)


def test_the_npi_set_in_the_people_log_names_the_practitioner(store, server, profile,
                                                             fake_time):
    set_npi(store, "1234567893")
    store.append(completed())
    assert sync_pass(store, settings_for(server), profile, fake_time).exit_status == 0
    (nurse,) = server.of_type("Practitioner")
    assert nurse["identifier"] == [{"system": NPI_SYSTEM, "value": "1234567893"}]
    assert performer(server)["reference"] == f"Practitioner/{nurse['id']}"


def test_a_forged_people_log_names_no_one(store, server, profile, fake_time, tmp_path):
    set_npi(store, "1234567893")
    store.append(completed())
    raw = sqlite3.connect(tmp_path / "procedures.db", isolation_level=None)
    drop_triggers(raw)
    raw.execute("UPDATE events SET data = json_set(data, '$.value', '1245319599') "
                "WHERE type = ?", (EVENT,))
    raw.close()
    report = sync_pass(store, settings_for(server), profile, fake_time)
    assert report.exit_status == 0, report.parked  # the procedure itself is intact: sent
    assert server.of_type("Practitioner") == []
    assert performer(server) == {"display": "Dana Reyes RN"}  # named only, no identifier
