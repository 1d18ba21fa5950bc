"""The pre-thaw search of the hospital's record: found (where and when), not found, not checked."""

from __future__ import annotations

import time
from dataclasses import replace

from engine.driver import DINS, PATIENT

from kresladi_bedside.sync import SiteIds
from kresladi_bedside.sync.identifiers import DIN_SYSTEM
from kresladi_bedside.sync.prethaw import check_before_thaw

from .conftest import MRN_SYSTEM, completed, settings_for, sync_pass
from .fhir_server import Fault, FhirTestServer


def check(server: FhirTestServer, din: str, *, current: str | None = None, timeout: float = 2.0):
    client = settings_for(server).client(timeout_s=timeout)
    try:
        return check_before_thaw(client, din=din, mrn=PATIENT["mrn"], mrn_system=MRN_SYSTEM,
                                 din_system=DIN_SYSTEM, product_text="KRESLADI",
                                 current_procedure=current)
    finally:
        client.close()


def deliver(store, server, profile, fake_time, events):
    store.append(events)
    settings = replace(settings_for(server), site=SiteIds(site_name="Memorial CTU bed 4"))
    report = sync_pass(store, settings, profile, fake_time, seed=1)
    assert report.exit_status == 0


def test_a_bag_already_given_is_found_with_where_and_when(store, server, profile, fake_time):
    events = completed()
    deliver(store, server, profile, fake_time, events)
    result = check(server, DINS[0])
    assert result.verdict == "found"
    assert any(f"bag {DINS[0]}" in f.what for f in result.found)
    message = result.message()
    assert "Memorial CTU bed 4" in message and "2026-03-02" in message


def test_any_kresladi_for_the_patient_is_found_even_for_another_bag(store, server, profile,
                                                                     fake_time):
    deliver(store, server, profile, fake_time, completed())
    result = check(server, "W999926000199")
    assert result.verdict == "found" and "for MRN" in result.found[0].what


def test_nothing_on_the_server_is_not_found(server):
    assert check(server, DINS[0]).verdict == "not_found"


def test_the_procedure_under_way_does_not_count(store, server, profile, fake_time):
    events = completed()
    deliver(store, server, profile, fake_time, events)
    assert check(server, DINS[1], current=events[0].procedure_id).verdict == "not_found"


def test_an_unreachable_server_is_not_checked_never_found():
    server = FhirTestServer().start()
    server.stop()
    result = check(server, DINS[0])
    assert result.verdict == "not_checked"
    assert result.message().startswith("Not checked against the hospital record")


def test_a_slow_or_strange_server_is_not_checked_within_the_deadline(server):
    server.faults.append(Fault.drip(0.05))
    t0 = time.monotonic()
    assert check(server, DINS[0], timeout=0.5).verdict == "not_checked"
    assert time.monotonic() - t0 < 4.0  # its deadline (1 s) and no more, even under load
    server.faults.append(Fault.raw(200, b"<html>portal</html>"))
    assert check(server, DINS[0]).verdict == "not_checked"
