""""Delivered" only when the server holds it: each loss seen against a real server (issue 14),
reproduced on the loopback server that answers like one, then held."""

from __future__ import annotations

import resource
import time

import pytest

from kresladi_bedside.engine.model import Event
from kresladi_bedside.store import Store
from kresladi_bedside.sync import PassReport, summary
from kresladi_bedside.sync.identifiers import FLUSH_SYSTEM, PROCEDURE_SYSTEM

from .conftest import (
    MRN_SYSTEM,
    TIMEOUT_S,
    FakeTime,
    completed,
    settings_for,
    sync_pass,
)
from .fhir_server import Fault, FhirTestServer

PATIENTS = {(MRN_SYSTEM, "MRN0042117"): "pat-1"}


def one_pass(store: Store, server: FhirTestServer, profile, time_: FakeTime,
             **policy) -> PassReport:
    return sync_pass(store, settings_for(server, **policy), profile, time_)


def on_server(server: FhirTestServer, kind: str, system: str) -> list[dict]:
    return [r for r in server.of_type(kind)
            if any(i.get("system") == system for i in r.get("identifier") or [])]


def test_per_entry_429_inside_a_200_is_not_delivered_and_is_retried(store, profile, fake_time):
    """Medplum under its quota: HTTP 200, entries 429. Every procedure must end up there."""
    server = FhirTestServer(patients=PATIENTS, quota=1500).start()  # ~1 procedure a minute
    try:
        procedures = [completed() for _ in range(3)]
        for events in procedures:
            store.append(events)
        first = one_pass(store, server, profile, fake_time)
        assert len(first.delivered) < 3  # the quota cut the pass short …
        assert summary(store).waiting == 3 - len(first.delivered)  # … and it says so
        server.quota = None  # the next minute
        fake_time.advance(120)
        for _ in range(5):
            report = one_pass(store, server, profile, fake_time)
            if report.exit_status == 0:
                break
            fake_time.advance(report.wait_s or 60)
        ids = sorted(i["value"] for r in on_server(server, "Procedure", PROCEDURE_SYSTEM)
                     for i in r["identifier"] if i["system"] == PROCEDURE_SYSTEM)
        assert ids == sorted(p[0].procedure_id for p in procedures)
        assert report.exit_status == 0
    finally:
        server.stop()


@pytest.mark.parametrize("body", [b"<html><body>Please sign in to the guest Wi-Fi</body></html>",
                                  b"{}", b'{"resourceType": "OperationOutcome"}',
                                  b'{"resourceType": "Bundle", "type": "searchset"}'])
def test_a_200_that_is_not_a_transaction_response_is_an_error_and_retried(
        store, server, profile, fake_time, body):
    store.append(completed())
    server.faults.append(Fault.raw(200, body, "text/html" if body.startswith(b"<") else
                                   "application/json").only("POST"))
    report = one_pass(store, server, profile, fake_time, tries_per_pass=1)
    assert report.delivered == []
    assert report.summary.waiting == 1 and report.exit_status == 1
    assert report.error is not None and "not a FHIR" in report.error  # the indicator goes red
    fake_time.advance(report.wait_s or 1)
    again = one_pass(store, server, profile, fake_time)
    assert again.exit_status == 0 and len(server.of_type("Procedure")) == 1


def test_an_unknown_mrn_parks_and_leaves_nothing_on_the_server(store, profile, fake_time):
    server = FhirTestServer(patients={}).start()  # batch mode: entries fail one by one
    try:
        store.append(completed())
        report = one_pass(store, server, profile, fake_time)
        assert report.exit_status == 3 and report.delivered == []
        assert "MRN0042117" in report.parked[0].reason
        assert "no patient" in report.parked[0].reason.lower()
        for kind in ("Procedure", "MedicationAdministration", "Medication", "Provenance"):
            assert server.of_type(kind) == [], kind  # nothing partial, nothing dangling
    finally:
        server.stop()


def test_a_procedure_fits_a_real_atomic_transaction(store, profile, fake_time):
    server = FhirTestServer(patients=PATIENTS, mode="atomic", atomic_limit=8).start()
    try:
        store.append(completed())
        report = one_pass(store, server, profile, fake_time)
        assert report.exit_status == 0, report.parked or report.summary
        assert len(server.of_type("Procedure")) == 1
        assert len(server.of_type("Provenance")) == 1  # every signature in one
    finally:
        server.stop()


def correction(events: list[Event], volume: float) -> Event:
    flush = next(e for e in events if e.type == "flush_logged")
    previous = flush.data["volume_ml"]
    return Event(Event.new_id(), events[0].procedure_id, "correction",
                 {"event_id": flush.id, "bag": 1, "reason": "read the syringe again",
                  "changes": {"volume_ml": volume}, "previous": {"volume_ml": previous}},
                 "u-nurse", events[-1].at.plus(600))


def test_a_correction_after_delivery_leaves_the_true_total(store, server, profile, fake_time):
    events = completed()  # two flushes of 4.5 mL
    store.append(events)
    assert one_pass(store, server, profile, fake_time).exit_status == 0
    store.append([correction(events, 5.0)])
    assert one_pass(store, server, profile, fake_time).exit_status == 0
    flushes = [r for r in on_server(server, "MedicationAdministration", FLUSH_SYSTEM)
               if r["status"] != "entered-in-error"]
    assert sum(r["dosage"]["dose"]["value"] for r in flushes) == 9.5
    (procedure,) = server.of_type("Procedure")
    assert any("9.5 mL" in n["text"] for n in procedure["note"])


def test_a_2_gb_answer_is_not_read_whole(store, server, profile, fake_time):
    store.append(completed())
    server.faults.append(Fault.huge(2 * 1024 ** 3))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.monotonic()
    report = one_pass(store, server, profile, fake_time, tries_per_pass=1)
    assert time.monotonic() - t0 < 20
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50, f"memory grew {grown_mb:.0f} MB"
    assert report.delivered == [] and report.summary.waiting == 1
    assert "too large" in (report.error or "")


def test_a_dripping_server_meets_the_overall_deadline(store, server, profile, fake_time):
    store.append(completed())
    server.faults.append(Fault.drip(0.05))  # one byte every 50 ms: never a 0.5 s silence
    t0 = time.monotonic()
    report = one_pass(store, server, profile, fake_time, tries_per_pass=1)
    took = time.monotonic() - t0
    assert took < 4 * TIMEOUT_S, f"{took:.1f} s"  # the deadline (2 × timeout), not 56 s of drip
    assert report.delivered == [] and report.summary.waiting == 1


def test_a_reset_connection_is_retried(store, server, profile, fake_time):
    store.append(completed())
    server.faults.append(Fault.reset())
    report = one_pass(store, server, profile, fake_time)
    assert report.exit_status == 0 and len(server.of_type("Procedure")) == 1


def test_a_bundle_that_fails_validation_is_refused_here_with_the_reason(
        store, server, profile, fake_time):
    """Every Bundle is validated before it leaves: an invalid one (here an empty staff
    identifier, a site mapping gone wrong) is parked with what was wrong and never sent, and the
    procedures behind it in the queue (built ahead while the previous one is on the wire) are
    judged the same way."""
    from dataclasses import replace

    from engine.driver import NURSE

    from kresladi_bedside.sync import SiteIds

    procedures = [completed() for _ in range(3)]
    for events in procedures:
        store.append(events)
    settings = settings_for(server)
    settings = replace(settings, site=SiteIds(practitioners={NURSE: ("urn:oid:1.2.3", "")}))
    report = sync_pass(store, settings, profile, fake_time)
    assert [p.procedure_id for p in report.parked] == [p[0].procedure_id for p in procedures]
    for parked in report.parked:
        assert "cannot be mapped to FHIR" in parked.reason
        assert "identifier.0.value" in parked.reason  # names what was wrong
    assert server.requests == 0 and report.exit_status == 3
