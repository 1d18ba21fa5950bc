"""Delivery to a real HTTP server on loopback, with faults: every procedure arrives exactly once."""

from __future__ import annotations

import sqlite3

from kresladi_bedside.engine.model import Event
from kresladi_bedside.store import Store
from kresladi_bedside.sync import PassReport, summary, unpark
from kresladi_bedside.sync.identifiers import (
    ADMINISTRATION_SYSTEM,
    FLUSH_SYSTEM,
    PROCEDURE_SYSTEM,
)

from .conftest import (
    TIMEOUT_S,
    FakeTime,
    completed,
    in_progress,
    settings_for,
    stopped_before_order,
    stopped_compromised,
    sync_pass,
    with_thaw_deviation,
)
from .fhir_server import Fault, FhirTestServer


def one_pass(store: Store, server: FhirTestServer, profile, time: FakeTime,
             **policy) -> PassReport:
    return sync_pass(store, settings_for(server, **policy), profile, time)


def until_done(store, server, profile, time, passes: int = 20, **policy) -> list[PassReport]:
    reports = []
    for _ in range(passes):
        report = one_pass(store, server, profile, time, **policy)
        reports.append(report)
        if report.exit_status != 1:
            return reports
        time.advance(report.wait_s or 1.0)
    raise AssertionError(f"still waiting after {passes} passes: {reports[-1].summary}")


def procedure_ids(server: FhirTestServer) -> list[str]:
    return sorted(i["value"] for r in server.of_type("Procedure") for i in r["identifier"]
                  if i["system"] == PROCEDURE_SYSTEM)


def test_every_procedure_arrives_exactly_once_through_faults(store, server, profile, fake_time):
    finished = [completed(), with_thaw_deviation(), stopped_compromised(), completed(),
                completed()]
    for events in finished:
        store.append(events)
    store.append(completed(training=True))
    store.append(in_progress())
    server.faults.extend([
        Fault.status_only(503), Fault.status_only(503, retry_after="0"),
        Fault.drop(),  # committed on the server, the answer lost
        Fault.slow(TIMEOUT_S * 2.5),  # committed, answered after the client's deadline
        Fault.status_only(429, retry_after="2"), Fault.status_only(502),
    ])

    reports = until_done(store, server, profile, fake_time)

    expected = sorted(e[0].procedure_id for e in finished)
    assert procedure_ids(server) == expected  # the training and the unfinished ones stayed home
    assert not server.faults and server.calls >= len(finished) + 6  # every fault was met
    assert all(count == 1 for count in server.created.values()), server.created
    bags = [i["value"] for r in server.of_type("MedicationAdministration")
            for i in r["identifier"] if i["system"] == ADMINISTRATION_SYSTEM]
    assert len(bags) == len(set(bags)) == 2 * len(finished)
    final = reports[-1]
    assert final.exit_status == 0
    assert final.summary.delivered == len(finished)
    assert final.summary.withheld == 1 and final.summary.in_progress == 1
    assert final.summary.last_success is not None
    assert any(r.retrying for r in reports)
    # Retry-After 2 s was waited for, not the tiny backoff
    assert any(w >= 2.0 for w in [r.wait_s or 0 for r in reports] + fake_time.slept)


def test_a_400_is_parked_with_its_reason_and_resent_after_unpark(store, server, profile,
                                                                 fake_time):
    first, second = completed(), completed()
    store.append(first)
    store.append(second)
    server.faults.append(Fault.status_only(400))

    report = one_pass(store, server, profile, fake_time)

    assert report.exit_status == 3
    assert [p.procedure_id for p in report.parked] == [first[0].procedure_id]
    assert "HTTP 400" in report.parked[0].reason and "injected 400" in report.parked[0].reason
    assert report.delivered == [second[0].procedure_id]
    again = one_pass(store, server, profile, fake_time)  # parked: not retried by itself
    assert again.delivered == [] and again.exit_status == 3

    assert unpark(store, first[0].procedure_id) == 1
    after = one_pass(store, server, profile, fake_time)
    assert after.delivered == [first[0].procedure_id] and after.exit_status == 0
    assert procedure_ids(server) == sorted([first[0].procedure_id, second[0].procedure_id])


def test_an_unknown_patient_is_parked_not_retried(store, profile, fake_time):
    server = FhirTestServer(patients={}).start()  # the EHR does not know this MRN
    try:
        store.append(completed())
        report = one_pass(store, server, profile, fake_time)
        assert report.exit_status == 3
        assert "no patient with MRN MRN0042117" in report.parked[0].reason
        assert server.requests == 0  # found out before anything was written
        again = one_pass(store, server, profile, fake_time)
        assert again.exit_status == 3 and server.searches == 1  # parked: not asked again
    finally:
        server.stop()


def test_a_broken_chain_is_parked_and_never_sent(store, server, profile, fake_time):
    good, bad = completed(), completed()
    store.append(good)
    store.append(bad)
    raw = sqlite3.connect(store.path, isolation_level=None)
    raw.execute("DROP TRIGGER events_no_update")
    raw.execute("UPDATE events SET data = replace(data, '4.5', '45') "
                "WHERE procedure_id = ? AND type = 'flush_logged'", (bad[0].procedure_id,))
    raw.close()

    report = one_pass(store, server, profile, fake_time)

    assert report.delivered == [good[0].procedure_id]
    assert [p.procedure_id for p in report.parked] == [bad[0].procedure_id]
    assert "hash chain broken" in report.parked[0].reason
    assert server.requests == 1  # one transaction: the good one
    assert report.exit_status == 3


def test_refused_credentials_block_the_pass_without_parking(store, profile, fake_time):
    server = FhirTestServer(token="right-token").start()
    try:
        store.append(completed())
        store.append(completed())
        report = one_pass(store, server, profile, fake_time)
        assert report.blocked is not None and "401" in report.blocked
        assert report.parked == [] and report.summary.waiting == 2
        assert server.calls == 1  # the second procedure was not tried against a wall
        assert report.exit_status == 1
    finally:
        server.stop()


def test_a_refused_token_is_named_after_the_pass_by_the_status_bar_and_sync_status(
        store, profile, fake_time):
    from kresladi_bedside.sync.status import SyncStatus

    server = FhirTestServer(token="right-token").start()
    try:
        store.append(completed())
        one_pass(store, server, profile, fake_time)
        later = summary(store)  # what `sync --status` and a restarted window read
        assert later.blocked is not None and "401" in later.blocked
        status = SyncStatus.of(later)
        assert status.level == "blocked"
        assert status.text().startswith("Records: the server refused the token — call IT")
        assert "all sent" not in status.text()
    finally:
        server.stop()


def test_a_second_sender_on_the_same_log_sends_nothing_while_the_first_holds_it(
        store, server, profile, fake_time):
    from kresladi_bedside.sync.sender_lock import sender_lock

    store.append(completed())
    with sender_lock(store.path) as first:  # the window's sync, or another `sync` process
        assert first
        report = one_pass(store, server, profile, fake_time)
        assert report.busy and server.calls == 0
        assert report.summary.waiting == 1 and report.exit_status == 1
    assert one_pass(store, server, profile, fake_time).exit_status == 0


def test_events_added_after_delivery_resend_the_procedure_creating_only_the_new(
        store, server, profile, fake_time):
    events = completed()
    store.append(events)
    assert one_pass(store, server, profile, fake_time).exit_status == 0
    before = {kind: len(server.of_type(kind)) for kind in
              ("Procedure", "MedicationAdministration", "Provenance")}
    flush = next(e for e in events if e.type == "flush_logged")
    correction = Event(Event.new_id(), events[0].procedure_id, "correction",
                       {"event_id": flush.id, "bag": 1, "reason": "read the syringe again",
                        "changes": {"volume_ml": 5.0}, "previous": {"volume_ml": 4.5}},
                       "u-nurse", events[-1].at.plus(600))
    store.append([correction])
    assert summary(store).waiting == 1

    report = one_pass(store, server, profile, fake_time)

    assert report.delivered == [events[0].procedure_id]
    assert len(server.of_type("Procedure")) == before["Procedure"]
    assert len(server.of_type("Provenance")) == before["Provenance"]
    flushes = [r for r in server.of_type("MedicationAdministration")
               if r["identifier"][0]["system"] == FLUSH_SYSTEM]
    volumes = sorted(r["dosage"]["dose"]["value"] for r in flushes)
    assert volumes == [4.5, 5.0]  # the corrected record was updated in place
    corrected = next(r for r in flushes if r["dosage"]["dose"]["value"] == 5.0)
    assert corrected["meta"]["versionId"] == "2"  # the server's history keeps the 4.5
    assert len(server.of_type("MedicationAdministration")) == \
        before["MedicationAdministration"]


def test_a_procedure_without_a_patient_is_withheld_not_parked(store, server, profile,
                                                              fake_time):
    store.append(stopped_before_order())
    report = one_pass(store, server, profile, fake_time)
    assert report.withheld and report.exit_status == 0 and server.requests == 0


def test_max_attempts_parks_after_giving_up(store, server, profile, fake_time):
    store.append(completed())
    server.faults.extend([Fault.status_only(503)] * 3)
    report = one_pass(store, server, profile, fake_time, max_attempts=3)
    assert report.exit_status == 3
    assert "gave up after 3 attempts" in report.parked[0].reason
    assert "503" in report.parked[0].reason


def test_nothing_finished_nothing_sent(store, server, profile, fake_time):
    store.append(in_progress())
    report = one_pass(store, server, profile, fake_time)
    assert report.exit_status == 0 and server.requests == 0
    assert report.summary.in_progress == 1


def test_a_failed_procedure_waits_for_its_backoff(store, server, profile, fake_time):
    store.append(completed())
    server.faults.extend([Fault.status_only(503)])
    first = one_pass(store, server, profile, fake_time, tries_per_pass=1, base_s=60.0,
                     cap_s=60.0)
    assert first.exit_status == 1 and first.retrying
    wait = first.wait_s
    assert wait is not None and 0 <= wait <= 60.0
    if wait > 0.001:
        early = one_pass(store, server, profile, fake_time, tries_per_pass=1)
        assert server.calls == 1 and early.exit_status == 1  # not due yet: not sent
    fake_time.advance(wait + 0.001)
    assert one_pass(store, server, profile, fake_time).exit_status == 0
