"""POST a transaction Bundle to the FHIR server and say what the answer means for the outbox.

Standard library only (`http.client`), one kept-alive connection, no redirects followed (a POST
silently turned into a GET by a redirect would look like success).

What each answer means (decided here, documented in the README):
- 2xx: delivered.
- 408, 425, 429, 5xx (except 501, 505), a timeout, a refused or dropped connection: retry later
  with backoff; `Retry-After` (seconds or HTTP date) is the least wait.
- 401, 403, 407: *blocked*: the server refuses our credentials, which no retry of this Bundle
  fixes but which is not the procedure's fault either; the pass stops, everything stays waiting,
  and IT is told (status shows it) to fix the token.
- Any other 3xx/4xx (400, 404, 405, 409, 410, 412, 413, 415, 422…), 501, 505: *park*: this Bundle
  will never be accepted as it is; the server's OperationOutcome text is kept for IT.
"""

from __future__ import annotations

import http.client
import json
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urlsplit

AnswerKind = Literal["delivered", "retry", "blocked", "park"]
RETRY_STATUSES = frozenset({408, 425, 429})
BLOCKED_STATUSES = frozenset({401, 403, 407})
PARK_SERVER_ERRORS = frozenset({501, 505})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_REASON_CHARS = 500


class TransportConfigError(ValueError):
    """The server address or TLS settings cannot be used; names the setting."""


@dataclass(frozen=True)
class Answer:
    kind: AnswerKind
    status: int | None  # None when no HTTP answer came back
    detail: str
    retry_after_s: float | None = None


def classify(status: int, body: bytes, retry_after: str | None,
             now: datetime | None = None) -> Answer:
    if 200 <= status < 300:
        return Answer("delivered", status, f"HTTP {status}")
    detail = f"HTTP {status} {_reason(status)}{_outcome_text(body)}"
    if status in RETRY_STATUSES or (status >= 500 and status not in PARK_SERVER_ERRORS):
        return Answer("retry", status, detail, parse_retry_after(retry_after, now))
    if status in BLOCKED_STATUSES:
        return Answer("blocked", status, f"{detail}: the server refused the workstation's "
                                         "credentials (sync.token / token_env)")
    return Answer("park", status, detail)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class FhirClient:
    """Posts Bundles to `base_url` (the FHIR base: a transaction is a POST to the base itself)."""

    def __init__(self, base_url: str, *, token: str | None = None, timeout_s: float = 30.0,
                 verify_tls: bool = True, ca_bundle: str | None = None) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise TransportConfigError(f"sync.base_url {base_url!r} is not an http(s) URL")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
            raise TransportConfigError(
                f"sync.base_url {base_url!r}: patient records go over https only "
                "(plain http is allowed to this machine itself, for tests)")
        self.base_url = base_url
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._path = parts.path.rstrip("/") or "/"
        self._timeout = timeout_s
        self._headers = {"Content-Type": "application/fhir+json",
                         "Accept": "application/fhir+json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._context: ssl.SSLContext | None = None
        if self._https:
            try:
                self._context = ssl.create_default_context(cafile=ca_bundle)
            except (OSError, ssl.SSLError) as exc:
                raise TransportConfigError(f"sync.ca_bundle {ca_bundle!r}: {exc}") from exc
            if not verify_tls:
                self._context.check_hostname = False
                self._context.verify_mode = ssl.CERT_NONE
        self._conn: http.client.HTTPConnection | None = None

    def post_bundle(self, body: bytes) -> Answer:
        try:
            conn = self._connection()
            conn.request("POST", self._path, body=body, headers=self._headers)
            response = conn.getresponse()
            data = response.read()
            answer = classify(response.status, data, response.getheader("Retry-After"))
            if response.will_close:
                self.close()
            return answer
        except TimeoutError as exc:
            self.close()
            return Answer("retry", None, f"no answer within {self._timeout:g} s ({exc})")
        except ssl.SSLCertVerificationError as exc:
            self.close()
            return Answer("blocked", None, f"the server's TLS certificate was refused: {exc}")
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return Answer("retry", None, f"connection failed: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            if self._https:
                self._conn = http.client.HTTPSConnection(self._host, self._port,
                                                         timeout=self._timeout,
                                                         context=self._context)
            else:
                self._conn = http.client.HTTPConnection(self._host, self._port,
                                                        timeout=self._timeout)
        return self._conn


def _reason(status: int) -> str:
    try:
        return http.client.responses[status]
    except KeyError:
        return ""


def _outcome_text(body: bytes) -> str:
    """The server's OperationOutcome diagnostics, if it sent any, for the person who looks."""
    try:
        outcome = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(outcome, dict) or outcome.get("resourceType") != "OperationOutcome":
        return ""
    texts = []
    for issue in outcome.get("issue") or ():
        if isinstance(issue, dict):
            text = issue.get("diagnostics") or (issue.get("details") or {}).get("text")
            if text:
                texts.append(str(text))
    joined = "; ".join(texts)
    return f": {joined[:MAX_REASON_CHARS]}" if joined else ""
