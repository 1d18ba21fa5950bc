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
from kresladi_bedside.people.hospital_ids import EVENT, NAME_EVENT, NPI_SYSTEM
from kresladi_bedside.sync.staff import US_CORE_PRACTITIONER

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


def test_without_a_family_name_the_practitioner_claims_no_profile(store, server, profile,
                                                                  fake_time):
    set_npi(store, "1234567893")
    store.append(completed())
    report = sync_pass(store, settings_for(server), profile, fake_time)
    assert report.exit_status == 0
    # no family name on record: written named as signed, no profile, and the report says so
    (nurse,) = server.of_type("Practitioner")
    assert nurse["name"] == [{"text": "Dana Reyes RN"}] and "profile" not in nurse.get("meta", {})
    assert [n for n in report.notes if "1234567893" in n and "users set-name" in n]


def test_the_name_set_in_the_people_log_makes_a_us_core_practitioner(store, server, profile,
                                                                     fake_time):
    set_npi(store, "1234567893")
    AuditLog(store, FakeClock(T0)).record(NAME_EVENT, "u-admin", user_id=NURSE,
                                          name="Dana Reyes RN", family="Reyes", given=["Dana"])
    store.append(completed())
    report = sync_pass(store, settings_for(server), profile, fake_time)
    assert report.exit_status == 0 and not [n for n in report.notes if "set-name" in n]
    (nurse,) = server.of_type("Practitioner")
    assert nurse["name"] == [{"use": "official", "text": "Dana Reyes RN", "family": "Reyes",
                              "given": ["Dana"]}]
    assert nurse["meta"]["profile"] == [US_CORE_PRACTITIONER]


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
