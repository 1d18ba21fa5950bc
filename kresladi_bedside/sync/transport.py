"""Talk to the FHIR server and say what each answer means for the outbox.

Standard library only (`http.client`), one kept-alive connection, no redirects followed (a POST
silently turned into a GET by a redirect would look like success). Every exchange is bounded,
because sync runs inside the bedside window's process: an answer larger than
`max_response_bytes` is refused as soon as that is known (never read whole), and an overall
`deadline_s` per request closes the socket whatever the server does (a server that drips one
byte at a time never trips a per-read timeout).

What an answer to a transaction means (decided here, documented in the README):
- *delivered*: HTTP 2xx and the body is a FHIR Bundle of type `transaction-response` or
  `batch-response` with one entry per entry sent, every `entry.response.status` 2xx. A real
  server may process a transaction as a batch and answer 200 with entries that failed one by
  one, so the HTTP status alone proves nothing.
- otherwise the *worst* entry decides (HTTP status when there are no entries):
  - 4xx other than those below, 501, 505: *park*: this content will never be accepted as it is;
    the entry's OperationOutcome text is kept for IT;
  - 401, 403, 407: *blocked*: the server refuses our credentials; the pass stops, nothing parks;
  - 408, 409, 412, 425, 429, a 400 "Resource ID did not match resolved ID" (two conditional
    writes racing), 5xx, a timeout, a refused/reset connection, a cut-short answer: *retry* with
    backoff (`Retry-After`, seconds or HTTP date, is the least wait);
  - a 2xx that is not a FHIR transaction answer (an HTML page, `{}`, a captive portal, a wrong
    proxy): *retry*, flagged `alarm` so the indicator turns red: someone must look at the network.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from .tokens import StaticToken, TokenError, Tokens

AnswerKind = Literal["delivered", "retry", "blocked", "park"]
# 409 Conflict and 412 Precondition Failed: another writer got there first (a racing sender on a
# copy of the log); the conditional write resolves differently when sent again
RETRY_STATUSES = frozenset({408, 409, 412, 425, 429})
# Medplum's answer to two conditional writes of one resource racing: transient, never parked
TRANSIENT_400 = ("did not match resolved ID",)
BLOCKED_STATUSES = frozenset({401, 403, 407})
PARK_SERVER_ERRORS = frozenset({501, 505})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ANSWER_TYPES = frozenset({"transaction-response", "batch-response"})
MAX_REASON_CHARS = 500
READ_CHUNK = 64 * 1024
# worst first: what the outbox does when entries disagree
SEVERITY: dict[AnswerKind, int] = {"park": 3, "blocked": 2, "retry": 1, "delivered": 0}


class TransportConfigError(ValueError):
    """The server address or TLS settings cannot be used; names the setting."""


@dataclass(frozen=True)
class Answer:
    kind: AnswerKind
    status: int | None  # HTTP status; None when no HTTP answer came back
    detail: str
    retry_after_s: float | None = None
    alarm: bool = False  # not a FHIR answer at all: the network path is wrong, not the server
    locations: tuple[str, ...] = ()  # per entry, when delivered
    stored: int = 0  # leading entries the server answered 2xx (kept, even when others failed)
    quota: bool = False  # the server's request quota (429) stopped it: send less at a time


@dataclass(frozen=True)
class Exchange:
    """A complete HTTP answer (already bounded in size and time)."""

    status: int
    body: bytes
    retry_after: str | None = None


@dataclass(frozen=True)
class SearchResult:
    """A searchset's matching resources, or why there are none to look at (`failure`)."""

    resources: tuple[dict[str, Any], ...] = ()
    failure: Answer | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def status_kind(status: int) -> AnswerKind:
    if 200 <= status < 300:
        return "delivered"
    if status in RETRY_STATUSES or (status >= 500 and status not in PARK_SERVER_ERRORS):
        return "retry"
    if status in BLOCKED_STATUSES:
        return "blocked"
    return "park"


def classify(status: int, body: bytes, retry_after: str | None,
             now: datetime | None = None) -> Answer:
    """An HTTP answer with no usable Bundle: its status decides (2xx here is *not* delivered)."""
    kind = status_kind(status)
    if kind == "park" and status == 400 and _transient({"outcome": _json(body)}):
        kind = "retry"
    detail = f"HTTP {status} {_reason(status)}{outcome_text(_json(body))}"
    if kind == "delivered":
        return Answer("retry", status, f"HTTP {status} but not a FHIR answer: "
                                       f"{_glimpse(body)}", alarm=True)
    if kind == "blocked":
        return Answer("blocked", status, f"the server refused the token ({detail}): check the "
                                         "workstation's credentials (sync.client_id / "
                                         "client_secret_env, or sync.token / token_env)")
    return Answer(kind, status, detail,
                  parse_retry_after(retry_after, now) if kind == "retry" else None,
                  quota=status == 429)


def transaction_answer(exchange: Exchange, labels: Sequence[str],
                       now: datetime | None = None) -> Answer:
    """What the server's answer to a transaction Bundle of `len(labels)` entries means."""
    status, data = exchange.status, _json(exchange.body)
    if not (200 <= status < 300):
        return classify(status, exchange.body, exchange.retry_after, now)
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle" or \
            data.get("type") not in ANSWER_TYPES:
        return classify(status, exchange.body, exchange.retry_after, now)
    entries = data.get("entry")
    if not isinstance(entries, list) or len(entries) != len(labels):
        count = len(entries) if isinstance(entries, list) else 0
        return Answer("retry", status, f"HTTP {status} {data.get('type')} with {count} "
                                       f"entries for {len(labels)} sent: not a FHIR answer "
                                       "to this Bundle", alarm=True)
    worst: Answer | None = None
    locations: list[str] = []
    leading, unbroken, quota = 0, True, False
    for label, entry in zip(labels, entries, strict=True):
        response = entry.get("response") if isinstance(entry, dict) else None
        code = _entry_status(response)
        quota = quota or code == 429
        unbroken = unbroken and code is not None and 200 <= code < 300
        leading += unbroken
        if code is None:
            answer = Answer("retry", status, f"{label}: no entry status in the answer: not a "
                                             "FHIR answer", alarm=True)
        else:
            kind = status_kind(code)
            if kind == "park" and code == 400 and _transient(response):
                kind = "retry"
            if kind == "delivered":
                locations.append(str((response or {}).get("location") or ""))
                continue
            text = outcome_text((response or {}).get("outcome"))
            answer = Answer(kind, status, f"{label}: {code} {_reason(code)}{text}",
                            parse_retry_after(exchange.retry_after, now)
                            if kind == "retry" else None)
        if worst is None or SEVERITY[answer.kind] > SEVERITY[worst.kind]:
            worst = answer
    if worst is not None:
        failed = len(labels) - len(locations)
        return Answer(worst.kind, worst.status,
                      f"{failed} of {len(labels)} entries failed; worst: {worst.detail}",
                      worst.retry_after_s, worst.alarm, stored=leading, quota=quota)
    return Answer("delivered", status, f"HTTP {status}, {len(labels)} entries stored",
                  locations=tuple(locations))


def search_answer(exchange: Exchange, now: datetime | None = None) -> SearchResult:
    data = _json(exchange.body)
    if not (200 <= exchange.status < 300):
        return SearchResult(failure=classify(exchange.status, exchange.body,
                                             exchange.retry_after, now))
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle" or \
            data.get("type") != "searchset":
        return SearchResult(failure=classify(exchange.status, exchange.body,
                                             exchange.retry_after, now))
    found = []
    for entry in data.get("entry") or ():
        if isinstance(entry, dict) and isinstance(entry.get("resource"), dict) and \
                (entry.get("search") or {}).get("mode", "match") == "match":
            found.append(entry["resource"])
    return SearchResult(tuple(found))


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
    """Posts Bundles to `base_url` (a transaction is a POST to the base itself) and searches."""

    def __init__(self, base_url: str, *, token: str | None = None, timeout_s: float = 30.0,
                 verify_tls: bool = True, ca_bundle: str | None = None,
                 deadline_s: float | None = None,
                 max_response_bytes: int = 4 * 1024 * 1024,
                 tokens: Tokens | None = None) -> None:
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
        self._deadline = deadline_s if deadline_s is not None else 2 * timeout_s
        self._max_bytes = max_response_bytes
        self._headers = {"Content-Type": "application/fhir+json",
                         "Accept": "application/fhir+json"}
        # renewable (OAuth2 client credentials) or the one static token of the site file
        self.tokens: Tokens = tokens if tokens is not None else StaticToken(token or None)
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

    # ------------------------------------------------------------------------------ FHIR
    def post_bundle(self, body: bytes, labels: Sequence[str] | None = None) -> Answer:
        """POST a transaction; `labels` names each entry (the answer must have as many)."""
        got = self.exchange("POST", self._path, body)
        if isinstance(got, Answer):
            return got
        if labels is None:
            labels = [f"entry {i + 1}" for i in range(len((_json(body) or {}).get("entry") or ()))]
        return transaction_answer(got, labels)

    def search(self, query: str) -> SearchResult:
        """GET `[base]/{query}` (e.g. `Patient?identifier=…`); a searchset's matches."""
        got = self.exchange("GET", f"{self._path.rstrip('/')}/{query}", None)
        if isinstance(got, Answer):
            return SearchResult(failure=got)
        return search_answer(got)

    # ------------------------------------------------------------------------------ HTTP
    def path_for(self, relative: str) -> str:
        """The request path of `relative` (e.g. `Task?identifier=…`) under the base URL."""
        return self._path.rstrip("/") + "/" + relative.lstrip("/")

    def exchange(self, method: str, path: str, body: bytes | None,
                 headers: Mapping[str, str] | None = None) -> Exchange | Answer:
        """One request and its whole answer, within the size cap and the overall deadline. A 401
        to a renewable token renews it and sends once more (a token expired mid-shift)."""
        try:
            token = self.tokens.bearer()
        except TokenError as exc:
            return _no_token(exc)
        got = self._exchange(method, path, body, token, headers)
        if isinstance(got, Exchange) and got.status == 401 and self.tokens.invalidate(token):
            try:
                token = self.tokens.bearer()
            except TokenError as exc:
                return _no_token(exc)
            got = self._exchange(method, path, body, token, headers)
        return got

    def _exchange(self, method: str, path: str, body: bytes | None, token: str | None,
                  extra: Mapping[str, str] | None) -> Exchange | Answer:
        started = time.monotonic()
        headers = {**self._headers, **(extra or {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        watchdog: threading.Timer | None = None
        cut = threading.Event()  # set by the watchdog before it closes the socket
        try:
            conn = self._connection()
            if conn.sock is None:
                conn.connect()
            sock = conn.sock
            remaining = self._deadline - (time.monotonic() - started)
            watchdog = threading.Timer(max(0.0, remaining), _cut, (sock, cut))
            watchdog.daemon = True
            watchdog.start()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            length = response.getheader("Content-Length")
            if length is not None and length.strip().isdigit() and \
                    int(length) > self._max_bytes:
                self.close()
                return Answer("retry", response.status,
                              f"HTTP {response.status} answer too large ({int(length):,} bytes;"
                              f" limit {self._max_bytes:,}): not read", alarm=True)
            data = self._read(response, started, cut)
            if isinstance(data, Answer):
                self.close()
                return data
            if response.will_close:
                self.close()
            return Exchange(response.status, data, response.getheader("Retry-After"))
        except TimeoutError as exc:
            self.close()
            return Answer("retry", None, f"no answer within {self._timeout:g} s ({exc})")
        except ssl.SSLCertVerificationError as exc:
            self.close()
            return Answer("blocked", None, f"the server's TLS certificate was refused: {exc}")
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            if time.monotonic() - started >= self._deadline:
                return self._past_deadline(None)
            return Answer("retry", None, f"connection failed: {type(exc).__name__}: {exc}")
        finally:
            if watchdog is not None:
                watchdog.cancel()

    def _read(self, response: http.client.HTTPResponse, started: float,
              cut: threading.Event) -> bytes | Answer:
        chunks: list[bytes] = []
        size = 0
        while True:
            # read1: at most one recv, so the deadline is checked between every piece
            if not response.chunked and response.length == 0:
                response.close()  # read1 never closes a finished response itself (3.11)
                return b"".join(chunks)
            chunk = response.read1(READ_CHUNK)
            if not chunk:
                response.close()
                if cut.is_set():  # the deadline closed the socket mid-body: a part, not the end
                    return self._past_deadline(response.status)
                return b"".join(chunks)
            size += len(chunk)
            if size > self._max_bytes:
                return Answer("retry", response.status,
                              f"HTTP {response.status} answer too large (over "
                              f"{self._max_bytes:,} bytes): reading stopped", alarm=True)
            if time.monotonic() - started > self._deadline:
                return self._past_deadline(response.status)
            chunks.append(chunk)

    def _past_deadline(self, status: int | None) -> Answer:
        return Answer("retry", status, f"no complete answer within the {self._deadline:g} s "
                                       "deadline")

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


def _no_token(exc: TokenError) -> Answer:
    """No token: refused credentials block (IT must act); an endpoint that did not answer is
    retried like any unreachable server."""
    if exc.status is None or exc.status >= 500 or exc.status == 429:
        return Answer("retry", exc.status, f"no token yet: {exc}")
    return Answer("blocked", exc.status, f"the server refused the token: {exc}")


def _cut(sock: socket.socket | None, cut: threading.Event) -> None:
    """The deadline passed: wake whatever read or write is blocked on this socket (`cut` first,
    so a read that comes back empty knows the answer was cut short, not finished)."""
    cut.set()
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _transient(response: Any) -> bool:
    text = outcome_text((response or {}).get("outcome")) if isinstance(response, dict) else ""
    return any(marker in text for marker in TRANSIENT_400)


def _entry_status(response: Any) -> int | None:
    if not isinstance(response, dict):
        return None
    head = str(response.get("status") or "").strip().split(" ", 1)[0]
    return int(head) if head.isdigit() else None


def _reason(status: int) -> str:
    try:
        return http.client.responses[status]
    except KeyError:
        return ""


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def _glimpse(body: bytes) -> str:
    text = body[:80].decode("utf-8", "replace").replace("\n", " ").strip()
    return repr(text) if text else "an empty body"


def outcome_text(outcome: Any) -> str:
    """An OperationOutcome's diagnostics / details text, for the person who looks."""
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
