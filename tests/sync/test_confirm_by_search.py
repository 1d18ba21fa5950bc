"""`sync.confirm_by_search`: a procedure is delivered only when, after an all-2xx answer, a search
for its identifier finds it on the server (issue 14, "Delivered means verified")."""

from __future__ import annotations

from dataclasses import replace

from kresladi_bedside.config import parse_site_config
from kresladi_bedside.store import Store
from kresladi_bedside.sync import PassReport, SyncSettings, summary
from kresladi_bedside.sync.identifiers import PROCEDURE_SYSTEM
from kresladi_bedside.sync.outbox import pending
from kresladi_bedside.sync.status import SyncStatus

from .conftest import MRN_SYSTEM, FakeTime, completed, settings_for, sync_pass
from .fhir_server import FhirTestServer

PATIENTS = {(MRN_SYSTEM, "MRN0042117"): "pat-1"}


def one_pass(store: Store, server: FhirTestServer, profile, time_: FakeTime, *,
             confirm: bool, **policy) -> PassReport:
    settings = replace(settings_for(server, **policy), confirm_by_search=confirm)
    return sync_pass(store, settings, profile, time_, seed=3)


def procedures_on(server: FhirTestServer) -> list[str]:
    return sorted(i["value"] for r in server.of_type("Procedure") for i in r["identifier"]
                  if i["system"] == PROCEDURE_SYSTEM)


def test_without_it_an_all_2xx_answer_is_trusted(store, profile, fake_time):
    """Why the setting exists: a server that answers 201 for every entry and keeps nothing."""
    server = FhirTestServer(patients=PATIENTS, forget=True).start()
    try:
        store.append(completed())
        report = one_pass(store, server, profile, fake_time, confirm=False)
        assert report.exit_status == 0 and len(report.delivered) == 1
        assert procedures_on(server) == []  # marked delivered, yet the server holds nothing
    finally:
        server.stop()


def test_a_server_that_does_not_keep_it_is_not_delivered_retried_and_red(
        store, profile, fake_time):
    server = FhirTestServer(patients=PATIENTS, forget=True).start()
    try:
        events = completed()
        store.append(events)
        report = one_pass(store, server, profile, fake_time, confirm=True, tries_per_pass=2)
        assert report.delivered == [] and report.exit_status == 1
        assert summary(store).waiting == 1 and summary(store).delivered == 0
        assert server.requests == 2  # sent again within the pass, not only searched again
        assert report.error is not None and "found nothing" in report.error
        assert events[0].procedure_id in report.error
        status = SyncStatus.of(summary(store), report)
        assert status.level == "error"  # the indicator is red, with the reason
        assert "found nothing" in status.details()  # the tooltip names the reason
        (waiting,) = pending(store)
        assert "found nothing" in (waiting.last_error or "")  # `sync --status` shows it too
        server.forget = False  # the server keeps what it is sent again
        fake_time.advance(report.wait_s or 60)
        again = one_pass(store, server, profile, fake_time, confirm=True)
        assert again.exit_status == 0 and again.delivered == [events[0].procedure_id]
        assert again.error is None
        assert procedures_on(server) == [events[0].procedure_id]
    finally:
        server.stop()


def test_a_server_that_keeps_it_is_confirmed_with_one_search_more(
        store, server, profile, fake_time):
    procedures = [completed() for _ in range(2)]
    for events in procedures:
        store.append(events)
    report = one_pass(store, server, profile, fake_time, confirm=True)
    assert report.exit_status == 0 and len(report.delivered) == 2
    # the patient once, its in-progress Encounter once, the product's RxNorm on the server
    # once (formulary.py), then each
    assert server.requests == 2 and server.searches == 1 + 1 + 1 + 2
    assert procedures_on(server) == sorted(p[0].procedure_id for p in procedures)


def test_the_site_key():
    base = {"sync": {"base_url": "https://fhir.example.org/r4"}}
    assert SyncSettings.from_config(parse_site_config(base), environ={}).confirm_by_search \
        is False
    on = parse_site_config({"sync": {**base["sync"], "confirm_by_search": True}})
    assert SyncSettings.from_config(on, environ={}).confirm_by_search is True
