"""What each server answer means for the outbox, the backoff, and the client's safety checks."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

import pytest

from kresladi_bedside.sync import FhirClient, RetryPolicy, TransportConfigError
from kresladi_bedside.sync.transport import classify, parse_retry_after

from .fhir_server import Fault, FhirTestServer

ISSUE = {"severity": "error", "code": "invalid", "diagnostics": "Procedure.status: bad code"}
OUTCOME = json.dumps({"resourceType": "OperationOutcome", "issue": [ISSUE]}).encode()


@pytest.mark.parametrize(("status", "kind"), [
    (200, "retry"), (201, "retry"),  # a 2xx with no FHIR transaction answer proves nothing
    (408, "retry"), (425, "retry"), (429, "retry"), (500, "retry"), (502, "retry"),
    (503, "retry"), (504, "retry"),
    # another writer got there first (a racing sender): sent again, never parked (issue 24)
    (409, "retry"), (412, "retry"),
    (401, "blocked"), (403, "blocked"), (407, "blocked"),
    (301, "park"), (400, "park"), (404, "park"), (405, "park"), (410, "park"),
    (413, "park"), (415, "park"), (422, "park"), (501, "park"), (505, "park"),
])
def test_status_classes(status, kind):
    assert classify(status, b"", None).kind == kind


def test_a_racing_conditional_write_is_retried_but_an_invalid_resource_still_parks():
    from kresladi_bedside.sync.transport import Exchange, transaction_answer

    def entry(status: str, text: str) -> dict:
        return {"response": {"status": status, "outcome": {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "invalid", "diagnostics": text}]}}}

    race = json.dumps({"resourceType": "Bundle", "type": "batch-response", "entry": [
        {"response": {"status": "201 Created"}},
        entry("400 Bad Request", "Resource ID did not match resolved ID")]}).encode()
    answer = transaction_answer(Exchange(200, race), ["Procedure", "MedicationAdministration"])
    assert answer.kind == "retry" and "did not match resolved ID" in answer.detail
    bad = race.replace(b"Resource ID did not match resolved ID", b"Invalid dateTime")
    assert transaction_answer(Exchange(200, bad), ["a", "b"]).kind == "park"


def test_a_bare_2xx_is_an_alarm_not_a_delivery():
    answer = classify(200, b"<html>Sign in to the guest network</html>", None)
    assert answer.kind == "retry" and answer.alarm and "not a FHIR answer" in answer.detail


def test_the_servers_reason_is_kept_for_it():
    answer = classify(422, OUTCOME, None)
    assert answer.detail == "HTTP 422 Unprocessable Entity: Procedure.status: bad code"


def test_retry_after_in_seconds_or_as_a_date():
    now = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("Tue, 03 Mar 2026 12:01:30 GMT", now) == 90.0
    assert parse_retry_after("Tue, 03 Mar 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    assert classify(429, b"", "7").retry_after_s == 7.0


def test_full_jitter_stays_under_a_growing_capped_ceiling():
    policy = RetryPolicy(base_s=1.0, cap_s=20.0)
    rng = random.Random(3)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (5, 16.0), (6, 20.0), (40, 20.0)]:
        waits = [policy.backoff(attempt, rng) for _ in range(300)]
        assert all(0.0 <= w <= ceiling for w in waits)
        assert max(waits) > 0.8 * ceiling and min(waits) < 0.2 * ceiling  # spread, not fixed


def test_plain_http_only_to_this_machine():
    with pytest.raises(TransportConfigError, match="https only"):
        FhirClient("http://ehr.example.org/fhir")
    with pytest.raises(TransportConfigError, match="not an http"):
        FhirClient("ftp://ehr.example.org/fhir")
    FhirClient("https://ehr.example.org/fhir").close()


def test_a_missing_ca_bundle_is_named():
    with pytest.raises(TransportConfigError, match=r"sync\.ca_bundle"):
        FhirClient("https://ehr.example.org/fhir", ca_bundle="/nonexistent/ca.pem")


def test_the_bearer_token_is_sent():
    server = FhirTestServer(token="s3cret").start()
    body = json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": []}).encode()
    try:
        wrong = FhirClient(server.url, token="other")
        right = FhirClient(server.url, token="s3cret")
        assert wrong.post_bundle(body).kind == "blocked"
        assert right.post_bundle(body).kind == "delivered"
        wrong.close()
        right.close()
    finally:
        server.stop()


def test_a_closed_port_is_a_retry_not_a_crash():
    server = FhirTestServer().start()
    url = server.url
    server.stop()
    client = FhirClient(url, timeout_s=0.5)
    answer = client.post_bundle(b"{}")
    assert answer.kind == "retry" and answer.status is None
    assert "connection failed" in answer.detail


def test_a_body_cut_short_by_the_deadline_is_the_deadline_answer_not_an_alarm():
    """A 200 announcing its length whose body then stalls: the overall deadline closes the
    socket mid-body. What was read so far is no answer (a retry, as any missed deadline), not
    "HTTP 200 but not a FHIR answer" (the red call-IT alarm)."""
    server = FhirTestServer().start()
    server.faults.append(Fault.drip(30))  # the head, one byte of the body, then silence
    client = FhirClient(server.url, timeout_s=10, deadline_s=0.5)  # the deadline fires first
    try:
        answer = client.post_bundle(b'{"resourceType": "Bundle", "type": "transaction"}')
    finally:
        client.close()
        server.stop()
    assert answer.kind == "retry" and not answer.alarm, answer
    assert "deadline" in answer.detail
