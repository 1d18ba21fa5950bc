"""Is the hospital's FHIR server there, and does it take our token? Asked by the self-test (the
server reachable as FHIR R4, the token obtainable, accepted, and when it expires) and by an idle
sync pass: with nothing to send no request tested the token, and the status bar said "Records:
all sent" while every EHR call got 401 (issue 25, item 13).

Nothing here is written to the server; the reads carry no patient data (`metadata`, and a search
for at most one Organization's id).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from .tokens import ClientCredentials, StaticToken, TokenError, Tokens
from .transport import Answer, FhirClient

Verdict = Literal["pass", "warn", "fail"]
# An authenticated read that returns no patient data: does the server accept the token?
TOKEN_QUERY = "Organization?_count=1&_elements=id"
SOON_S = 15 * 60.0  # a static token expiring sooner than this is a warning: it cannot renew


@dataclass(frozen=True)
class Probe:
    verdict: Verdict
    detail: str


def token_refused(client: FhirClient) -> Answer | None:
    """The server's refusal of our token (a `blocked` answer), or None when it took it (or
    did not answer: that is not a refusal)."""
    failure = client.search(TOKEN_QUERY).failure
    return failure if failure is not None and failure.kind == "blocked" else None


def server(client: FhirClient, base_url: str) -> Probe:
    """The server answers `metadata` with an R4 CapabilityStatement."""
    got = client.exchange("GET", client.path_for("metadata"), None)
    if isinstance(got, Answer):
        return Probe("fail", f"the FHIR server at {base_url} did not answer: {got.detail}")
    try:
        statement = json.loads(got.body)
    except (ValueError, UnicodeDecodeError):
        statement = None
    if got.status != 200 or not isinstance(statement, dict) or \
            statement.get("resourceType") != "CapabilityStatement":
        return Probe("fail", f"{base_url}/metadata answered HTTP {got.status} without a FHIR "
                     "CapabilityStatement: the address is not the FHIR server's")
    version = str(statement.get("fhirVersion") or "?")
    software = statement.get("software") or {}
    name = " ".join(str(software.get(k)) for k in ("name", "version") if software.get(k))
    if not version.startswith("4.0"):
        return Probe("fail", f"{base_url} speaks FHIR {version}, not R4 (4.0.x)")
    return Probe("pass", f"FHIR R4 ({version}) server at {base_url} answered"
                 + (f" ({name})" if name else ""))


def token(client: FhirClient, tokens: Tokens | None, static: str | None) -> Probe:
    """A token can be had, the server accepts it, and when it expires."""
    source = tokens if tokens is not None else StaticToken(static)
    try:
        bearer = source.bearer()
    except TokenError as exc:
        refused = exc.status is not None and exc.status < 500 and exc.status != 429
        return Probe("fail", ("the server refused the token: " if refused else
                              "no token could be had: ") + str(exc))
    if not bearer:
        return Probe("fail", "no token: set sync.token_env (or sync.token_url and client_id)")
    expiry, verdict = _expiry(source, bearer)
    refused_answer = token_refused(client)
    if refused_answer is not None:
        return Probe("fail", f"{refused_answer.detail} ({expiry})")
    return Probe(verdict, f"the server accepted the token; {expiry}")


def _expiry(source: Tokens, bearer: str) -> tuple[str, Verdict]:
    if isinstance(source, ClientCredentials):
        left = source.expires_in_s()
        if left is None:
            return "its expiry is unknown", "warn"
        return (f"it expires in {_minutes(left)} and is renewed 5 min before "
                f"(from {source.token_url})", "pass")
    expires = jwt_expiry(bearer)
    if expires is None:
        return ("a static token whose expiry cannot be read (not a JWT); it cannot be renewed: "
                "prefer sync.token_url with client credentials", "warn")
    left = (expires - datetime.now(UTC)).total_seconds()
    when = expires.astimezone().strftime("%Y-%m-%d %H:%M %Z")
    if left <= 0:
        return f"the static token EXPIRED at {when}", "fail"
    verdict: Verdict = "warn" if left < SOON_S else "pass"
    return (f"the static token expires at {when} (in {_minutes(left)}) and cannot be renewed",
            verdict)


def jwt_expiry(bearer: str) -> datetime | None:
    """The `exp` claim of a JWT (read, not verified: the server verifies it), or None."""
    parts = bearer.split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
        exp = claims.get("exp") if isinstance(claims, dict) else None
        if isinstance(exp, bool) or not isinstance(exp, int | float):
            return None
        return datetime.fromtimestamp(float(exp), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _minutes(seconds: float) -> str:
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours} h {rest // 60:02d} min" if hours else f"{rest // 60} min {rest % 60:02d} s"

