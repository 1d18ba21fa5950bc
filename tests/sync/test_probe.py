"""The self-test asks the hospital's FHIR server and its token (issue 25, item 13): reachable as
FHIR R4, the token obtainable and accepted, and when it expires; and an idle sync pass tells a
refused token (401) from "Records: all sent". The server is the loopback FHIR server that checks
its bearer token as Medplum does."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kresladi_bedside.config import SiteConfig, SyncConfig
from kresladi_bedside.selftest import check_fhir_server, check_fhir_token
from kresladi_bedside.store import Store, open_store
from kresladi_bedside.sync.deliver import run_pass
from kresladi_bedside.sync.probe import Probe, jwt_expiry, token
from kresladi_bedside.sync.status import SyncStatus
from kresladi_bedside.sync.tokens import ClientCredentials

from .conftest import MRN_SYSTEM, settings_for
from .fhir_server import FhirTestServer


@pytest.fixture
def guarded() -> Iterator[FhirTestServer]:
    srv = FhirTestServer(token="right-token").start()
    yield srv
    srv.stop()


def site(server: FhirTestServer, token: str) -> SiteConfig:
    return SiteConfig(sync=SyncConfig(base_url=server.url, token=token, mrn_system=MRN_SYSTEM,
                                      timeout_seconds=5.0))


def jwt(exp: float) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part({'exp': exp, 'sub': 'ws'})}.sig"


def test_the_server_is_reached_as_fhir_r4(guarded: FhirTestServer) -> None:
    result = check_fhir_server(site(guarded, "right-token"))
    assert result.status == "pass", result.detail
    assert result.detail.startswith("FHIR R4 (4.0.1) server at http://127.0.0.1:")


def test_an_address_that_is_not_a_fhir_server_fails(tmp_path: Path) -> None:
    config = SiteConfig(sync=SyncConfig(base_url="http://127.0.0.1:9/fhir", token="t",
                                        timeout_seconds=1.0))
    result = check_fhir_server(config)
    assert result.status == "fail" and "did not answer" in result.detail


def test_a_refused_token_fails_the_self_test_naming_it(guarded: FhirTestServer) -> None:
    result = check_fhir_token(site(guarded, "wrong-token"))
    assert result.status == "fail"
    assert result.detail.startswith("the server refused the token"), result.detail
    accepted = check_fhir_token(site(guarded, "right-token"))
    assert accepted.status == "warn"  # opaque static token: expiry unknown, cannot renew
    assert accepted.detail.startswith("the server accepted the token; a static token whose "
                                      "expiry cannot be read")


def test_a_static_jwt_says_when_it_expires_and_an_expired_one_fails() -> None:
    fresh = jwt(time.time() + 7200)
    server = FhirTestServer(token=fresh).start()
    try:
        result = check_fhir_token(site(server, fresh))
        assert result.status == "pass", result.detail
        assert "the static token expires at " in result.detail
        assert "(in 2 h 00 min)" in result.detail or "(in 1 h 59 min)" in result.detail
    finally:
        server.stop()
    expired = jwt(time.time() - 60)
    assert jwt_expiry(expired) is not None
    server = FhirTestServer(token=expired).start()
    try:
        result = check_fhir_token(site(server, expired))
        assert result.status == "fail" and "EXPIRED at" in result.detail
    finally:
        server.stop()


def probe_with(server: FhirTestServer, source: ClientCredentials) -> Probe:
    """The token probe with renewable tokens from `source` (the client sends the same ones)."""
    client = replace(settings_for(server), tokens=source).client()
    try:
        return token(client, source, None)
    finally:
        client.close()


def test_renewable_tokens_report_their_expiry(guarded: FhirTestServer) -> None:
    issued = []

    def endpoint(url: str, body: bytes, timeout_s: float) -> tuple[int, bytes]:
        issued.append(url)
        return 200, json.dumps({"access_token": "right-token", "expires_in": 3600}).encode()

    result = probe_with(guarded, ClientCredentials("http://127.0.0.1:1/oauth2/token", "ws-1",
                                                   "s", fetch=endpoint))
    assert result.verdict == "pass", result.detail
    assert "it expires in 1 h 00 min" in result.detail or "it expires in 59 min" in result.detail
    assert len(issued) == 1

    def refusing(url: str, body: bytes, timeout_s: float) -> tuple[int, bytes]:
        return 401, json.dumps({"error": "invalid_client"}).encode()

    refused = probe_with(guarded, ClientCredentials("http://127.0.0.1:1/t", "ws-1", "s",
                                                    fetch=refusing))
    assert refused.verdict == "fail" and refused.detail.startswith(
        "the server refused the token: the server refused the workstation's client credentials")


def test_an_idle_pass_tells_a_refused_token_from_all_sent(guarded: FhirTestServer,
                                                          tmp_path: Path, profile) -> None:
    """Nothing to send, so no delivery tested the token: the pass asks once."""
    def status_after_a_pass(store: Store, token: str) -> str:
        settings = replace(settings_for(guarded), token=token)
        client = settings.client()
        try:
            report = run_pass(store, client, profile, settings)
        finally:
            client.close()
        assert report.summary is not None and report.summary.waiting == 0
        return SyncStatus.of(report.summary, report).text()

    with open_store(tmp_path / "log.db") as store:
        text = status_after_a_pass(store, "wrong-token")
        assert text.startswith("Records: the server refused the token — call IT"), text
        assert status_after_a_pass(store, "right-token") == "Records: all sent"
