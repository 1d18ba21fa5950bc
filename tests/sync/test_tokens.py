"""OAuth2 client-credentials tokens (sync/tokens.py): when they are renewed, and what a refusal
becomes. The token endpoint here is a function; the real one (Medplum's) is exercised in
tests/integration/test_custody.py."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest

from kresladi_bedside.sync.tokens import ClientCredentials, TokenError
from kresladi_bedside.sync.transport import Exchange, FhirClient


class Endpoint:
    def __init__(self, lifetime: float = 3600) -> None:
        self.lifetime = lifetime
        self.issued = 0
        self.status = 200
        self.forms: list[dict[str, list[str]]] = []

    def __call__(self, url: str, body: bytes, timeout_s: float) -> tuple[int, bytes]:
        self.forms.append(parse_qs(body.decode()))
        if self.status != 200:
            return self.status, json.dumps({"error": "invalid_client",
                                            "error_description": "bad secret"}).encode()
        self.issued += 1
        return 200, json.dumps({"access_token": f"tok-{self.issued}", "token_type": "Bearer",
                                "expires_in": self.lifetime}).encode()


def source(endpoint: Endpoint, now: list[float]) -> ClientCredentials:
    return ClientCredentials("http://127.0.0.1:1/oauth2/token", "client-1", "s3cret",
                             fetch=endpoint, monotonic=lambda: now[0])


def test_a_token_is_reused_until_the_margin_before_its_expiry_then_renewed() -> None:
    endpoint, now = Endpoint(), [0.0]
    tokens = source(endpoint, now)
    assert tokens.bearer() == "tok-1"
    assert endpoint.forms[0] == {"grant_type": ["client_credentials"],
                                 "client_id": ["client-1"], "client_secret": ["s3cret"]}
    now[0] = 3600 - 301  # before the 5-minute margin: the same token
    assert tokens.bearer() == "tok-1"
    now[0] = 3600 - 299  # inside it: a new one, before the old one expires
    assert tokens.bearer() == "tok-2"
    assert endpoint.issued == 2


def test_a_short_lived_token_is_renewed_half_way() -> None:
    endpoint, now = Endpoint(lifetime=60), [0.0]
    tokens = source(endpoint, now)
    tokens.bearer()
    now[0] = 29
    assert tokens.bearer() == "tok-1"
    now[0] = 31
    assert tokens.bearer() == "tok-2"


def test_refused_credentials_raise_naming_the_status() -> None:
    endpoint, now = Endpoint(), [0.0]
    endpoint.status = 401
    with pytest.raises(TokenError, match="refused the workstation's client credentials "
                                         r"\(HTTP 401: bad secret\)"):
        source(endpoint, now).bearer()


def test_plain_http_to_another_machine_is_refused() -> None:
    with pytest.raises(TokenError, match="https only"):
        ClientCredentials("http://ehr.example.org/token", "c", "s")


class Recording(FhirClient):
    """A client whose wire is a list of canned statuses; records the bearer of each request."""

    def __init__(self, tokens: ClientCredentials, statuses: list[int]) -> None:
        super().__init__("http://127.0.0.1:1/fhir", tokens=tokens)
        self.statuses = statuses
        self.sent: list[str | None] = []

    def _exchange(self, method, path, body, token, extra):  # type: ignore[no-untyped-def]
        self.sent.append(token)
        return Exchange(self.statuses.pop(0), b"{}")


def test_a_401_renews_the_token_and_sends_once_more_only() -> None:
    endpoint, now = Endpoint(), [0.0]
    tokens = source(endpoint, now)
    client = Recording(tokens, [401, 200])
    got = client.exchange("GET", "/fhir/Task", None)
    assert isinstance(got, Exchange) and got.status == 200
    assert client.sent == ["tok-1", "tok-2"]
    client = Recording(tokens, [401, 401, 200])
    got = client.exchange("GET", "/fhir/Task", None)
    assert isinstance(got, Exchange) and got.status == 401  # once, never a loop
    assert client.sent == ["tok-2", "tok-3"]


def test_no_token_at_all_is_a_blocked_answer_naming_the_token() -> None:
    endpoint, now = Endpoint(), [0.0]
    endpoint.status = 403
    client = Recording(source(endpoint, now), [200])
    got = client.exchange("GET", "/fhir/Task", None)
    assert not isinstance(got, Exchange)
    assert got.kind == "blocked" and "the server refused the token" in got.detail
    assert client.sent == []  # nothing went to the FHIR server without a token
