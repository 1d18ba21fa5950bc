"""A loopback FHIR R4 server for the sync tests that answers the way a real one does (Medplum 5,
measured with `../shared/fhir-server`), plus faults a real server will not make on request.

Real behaviour copied:
- `POST [base]` with a `transaction` Bundle. In `mode="batch"` (Medplum's default) every entry is
  processed on its own and the answer is HTTP 200 with a `transaction-response` whose entries say
  201/200/400/412/429 one by one; in `mode="atomic"` a failing entry fails the whole Bundle (HTTP
  400, OperationOutcome, nothing stored) and more than `atomic_limit` (8) conditional entries are
  refused with "Transaction requires strict isolation but has too many entries".
- Entries: `POST` with or without `ifNoneExist` (200 when it matches), conditional `PUT
  Kind?identifier=…` / `?_tag=…` (update the one match, or create; 412 on several). Entry ids are
  assigned before processing, so `urn:uuid:` references resolve even when their target fails (as
  on Medplum). A conditional reference that matches nothing: that entry 400 "Conditional
  reference '…' did not match any resources".
- A per-minute quota in points (write 100, search 20; a conditional write costs both): entries
  beyond it answer 429 inside the HTTP 200 answer.
- `GET [base]/Kind?param=…` searches answered as `searchset` Bundles: identifier, _tag (tokens
  joined by commas: any of them, as FHIR's OR), subject,
  patient, code (a token), code:text, medication.code:text, _count.
- `POST [base]/Kind` with If-None-Exist and a conditional `PUT [base]/Kind?search`, one resource
  each, answered with what is stored (the custody steps, the published procedures).
- Bearer token checked (401), request bodies over 1 MB refused (400 "File too large").
Written as one `sendall` per answer (headers and body together): writing them separately meets
Nagle + delayed ACK on loopback and costs ~40 ms per request.

Faults, queued per request (`server.faults.append(...)`), each used once, in order:
`Fault.status_only(503, retry_after="0")` answers without processing; `Fault.drop()` processes,
then closes without an answer; `Fault.slow(s)` processes, answers after `s` s; `Fault.raw(200,
b"<html>…", "text/html")` processes nothing and answers that body; `Fault.drip(interval_s)` answers
a 200 whose body arrives one byte per interval; `Fault.huge(n)` a 200 announcing and streaming `n`
bytes of JSON; `Fault.reset()` a TCP reset instead of an answer.

`FhirTestServer(forget=True)` answers every write as above and keeps none of it (a server or a
proxy that says "stored" and is not: what `sync.confirm_by_search` is for).

Run out of process (the benchmark): `python tests/sync/fhir_server.py --mrn SYSTEM|VALUE` prints
`{"url": …}` and serves until stdin closes; `GET /_stats` answers its counters.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import sys
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_BODY = 1_000_000
WRITE_POINTS, SEARCH_POINTS = 100, 20
CONDITIONAL = ("ifNoneExist",)


@dataclass(frozen=True)
class Fault:
    kind: str  # status | drop | slow | raw | drip | huge | reset
    status: int = 0
    retry_after: str | None = None
    delay_s: float = 0.0
    body: bytes = b""
    content_type: str = "application/fhir+json"
    size: int = 0
    on: str | None = None  # only for this method ("GET" a search, "POST" a transaction)

    def only(self, method: str) -> Fault:
        return replace(self, on=method)

    @classmethod
    def status_only(cls, status: int, retry_after: str | None = None) -> Fault:
        return cls("status", status=status, retry_after=retry_after)

    @classmethod
    def drop(cls) -> Fault:
        return cls("drop")

    @classmethod
    def slow(cls, delay_s: float) -> Fault:
        return cls("slow", delay_s=delay_s)

    @classmethod
    def raw(cls, status: int, body: bytes, content_type: str = "text/html") -> Fault:
        return cls("raw", status=status, body=body, content_type=content_type)

    @classmethod
    def drip(cls, interval_s: float) -> Fault:
        return cls("drip", delay_s=interval_s)

    @classmethod
    def huge(cls, size: int) -> Fault:
        return cls("huge", size=size)

    @classmethod
    def reset(cls) -> Fault:
        return cls("reset")


class EntryFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class FhirTestServer:
    def __init__(self, *, patients: dict[tuple[str, str], str] | None = None,
                 token: str | None = None, base_path: str = "/fhir", mode: str = "batch",
                 atomic_limit: int = 8, quota: int | None = None, validate: bool = True,
                 forget: bool = False) -> None:
        self.base_path = base_path
        self.token = token
        self.mode = mode
        self.atomic_limit = atomic_limit
        self.quota = quota  # points per minute; None = unlimited
        self.validate = validate
        # answers every write as above (per-entry 201/200), then keeps none of it: a broken
        # server or a caching proxy that says "stored" and is not (`sync.confirm_by_search`)
        self.forget = forget
        self._window: tuple[float, int] = (time.monotonic(), 0)
        self.faults: deque[Fault] = deque()
        self.lock = threading.Lock()
        self.resources: dict[str, dict[str, dict[str, Any]]] = {}
        # (type, param, system, value) → ids: a conditional write is one lookup, not a scan
        self.index: dict[tuple[str, str, str, str], set[str]] = {}
        self.created: Counter[tuple[str, str, str]] = Counter()  # (type, system, value) → count
        self.requests = 0
        self.searches = 0
        # the chain-head anchors (sync/anchor.py), counted apart: `requests` and `searches`
        # stay the procedures' own traffic
        self.anchor_calls = 0
        self.invalid = 0  # Bundles fhir.resources refused
        for (system, value), pid in (patients or {}).items():
            self._put("Patient", pid, {"resourceType": "Patient", "id": pid,
                                       "identifier": [{"system": system, "value": value}]})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}{self.base_path}"

    def start(self) -> FhirTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def calls(self) -> int:
        """Every HTTP request that reached the server: transactions and searches."""
        return self.requests + self.searches

    # ------------------------------------------------------------------------------ questions
    def of_type(self, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return [json.loads(json.dumps(r)) for r in self.resources.get(kind, {}).values()]

    def find(self, kind: str, system: str, value: str) -> list[dict[str, Any]]:
        return [r for r in self.of_type(kind) if _has_token(r, "identifier", system, value)
                or _has_token(r, "_tag", system, value)]

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {"requests": self.requests, "searches": self.searches,
                    "invalid": self.invalid,
                    "counts": {k: len(v) for k, v in self.resources.items()},
                    "duplicates": sum(1 for c in self.created.values() if c > 1)}

    def hold(self, resource: dict[str, Any]) -> None:
        """A resource the hospital's server already has (e.g. a formulary Medication)."""
        with self.lock:
            self._put(resource["resourceType"], resource["id"], resource)

    def _put(self, kind: str, rid: str, resource: dict[str, Any]) -> None:
        old = self.resources.get(kind, {}).get(rid)
        for key in _index_keys(kind, old) if old else ():
            self.index.get(key, set()).discard(rid)
        self.resources.setdefault(kind, {})[rid] = resource
        for key in _index_keys(kind, resource):
            self.index.setdefault(key, set()).add(rid)

    # ------------------------------------------------------------------------------ quota
    def _charge(self, points: int) -> bool:
        if self.quota is None:
            return True
        start, used = self._window
        if time.monotonic() - start >= 60:
            start, used = time.monotonic(), 0
        if used + points > self.quota:
            self._window = (start, used)
            return False
        self._window = (start, used + points)
        return True

    # ------------------------------------------------------------------------------ the work
    def transaction(self, bundle: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if bundle.get("resourceType") != "Bundle" or bundle.get("type") not in (
                "transaction", "batch"):
            return 400, _outcome("not a transaction or batch Bundle")
        entries = bundle.get("entry") or []
        atomic = self.mode == "atomic" and bundle["type"] == "transaction"
        if atomic and sum(1 for e in entries if _conditional(e)) > self.atomic_limit:
            return 400, _outcome("Transaction requires strict isolation but has too many "
                                 "entries")
        with self.lock:
            # only an atomic transaction is ever rolled back: a batch keeps what succeeded
            # (and a snapshot of everything per request made the mock O(n) a request)
            snapshot = json.dumps([self.resources, list(self.created.items())]) \
                if atomic or self.forget else ""
            ids: dict[str, str] = {}
            for entry in entries:  # ids first, so urn:uuid references always resolve
                kind = (entry.get("resource") or {}).get("resourceType", "")
                found = self._matches(entry)
                rid = found[0]["id"] if len(found) == 1 else uuid.uuid4().hex
                if entry.get("fullUrl"):
                    ids[entry["fullUrl"]] = f"{kind}/{rid}"
            answers = []
            for entry in entries:
                try:
                    status, location = self._entry(entry, ids)
                    answers.append({"response": {"status": status, "location": location}})
                except EntryFailed as exc:
                    if atomic:
                        self._restore(snapshot)
                        return exc.status, _outcome(str(exc))
                    answers.append({"response": {"status": str(exc.status),
                                                 "outcome": _outcome(str(exc))}})
            if self.forget:
                self._restore(snapshot)
        kind = "batch-response" if bundle["type"] == "batch" else "transaction-response"
        return 200, {"resourceType": "Bundle", "type": kind, "entry": answers}

    def _restore(self, snapshot: str) -> None:
        restored = json.loads(snapshot)
        self.resources = restored[0]
        self.index = {}
        for k, items in self.resources.items():
            for rid, r in items.items():
                for key in _index_keys(k, r):
                    self.index.setdefault(key, set()).add(rid)
        self.created = Counter({tuple(k): v for k, v in restored[1]})

    def _matches(self, entry: dict[str, Any]) -> list[dict[str, Any]]:
        request = entry.get("request") or {}
        kind = (entry.get("resource") or {}).get("resourceType", "")
        if request.get("method") == "PUT" and "?" in request.get("url", ""):
            return self._search(*request["url"].split("?", 1))
        if request.get("method") == "POST" and request.get("ifNoneExist"):
            return self._search(kind, request["ifNoneExist"])
        return []

    def _entry(self, entry: dict[str, Any], ids: dict[str, str]) -> tuple[str, str]:
        request, resource = entry.get("request") or {}, entry.get("resource") or {}
        kind = resource.get("resourceType", "")
        method, url = request.get("method"), request.get("url", "")
        conditional = _conditional(entry)
        if not self._charge(WRITE_POINTS + (SEARCH_POINTS if conditional else 0)):
            raise EntryFailed(429, "Too Many Requests: FHIR quota exceeded")
        if method not in ("POST", "PUT") or url.split("?", 1)[0] != kind:
            raise EntryFailed(400, f"unsupported request {method} {url}")
        found = self._matches(entry)
        if len(found) > 1:
            raise EntryFailed(412, f"conditional {method} matched {len(found)} resources")
        stored = self._resolve(resource, ids)  # a new tree: the request's stays as it came
        if method == "POST" and found:
            return "200", f"{kind}/{found[0]['id']}/_history/1"
        if method == "PUT" and found:
            old = found[0]
            version = int(old.get("meta", {}).get("versionId", "1")) + 1
            stored["id"] = old["id"]
            stored["meta"] = {**stored.get("meta", {}), "versionId": str(version)}
            self._put(kind, old["id"], stored)
            return "200", f"{kind}/{old['id']}/_history/{version}"
        full = entry.get("fullUrl")
        rid = ids[full].split("/", 1)[1] if full in ids else uuid.uuid4().hex
        stored["id"] = rid
        stored["meta"] = {**stored.get("meta", {}), "versionId": "1"}
        self._put(kind, rid, stored)
        for system, value in _tokens(stored):
            self.created[(kind, system, value)] += 1
        return "201", f"{kind}/{rid}/_history/1"

    def _search(self, kind: str, query: str) -> list[dict[str, Any]]:
        params = parse_qsl(query, keep_blank_values=True)
        everything = self.resources.get(kind, {})
        found: list[dict[str, Any]] | None = None
        if params and params[0][0] in ("identifier", "_tag") and "|" in params[0][1] and \
                "," not in unquote(params[0][1]):
            system, _, code = unquote(params[0][1]).rpartition("|")
            if system and code:
                ids = self.index.get((kind, params[0][0], system, code), set())
                found = [everything[i] for i in ids if i in everything]
        if found is None:
            found = list(everything.values())
        for name, raw in params:
            value = unquote(raw)
            if name in ("identifier", "_tag"):  # tokens joined by commas: any of them (OR)
                tokens = [t.rpartition("|") if "|" in t else ("", "", t)
                          for t in value.split(",")]
                found = [r for r in found
                         if any(_has_token(r, name, system, code) for system, _, code in tokens)]
            elif name in ("subject", "patient"):
                found = [r for r in found if (r.get("subject") or {}).get("reference") == value]
            elif name in ("code:text", "medication.code:text"):
                found = [r for r in found if value.lower() in self._medication_text(
                    r, chained=name.startswith("medication.")).lower()]
            elif name == "code":  # a token on code.coding (Procedure, Observation)
                system, _, code = value.rpartition("|") if "|" in value else ("", "", value)
                found = [r for r in found if any(
                    (not system or c.get("system") == system) and c.get("code") == code
                    for c in (r.get("code") or {}).get("coding") or ())]
            elif name == "status":
                found = [r for r in found if r.get("status") == value]
            elif name == "_count":
                continue
            else:
                raise EntryFailed(400, f"unsupported search parameter {name!r}")
        return found

    def _medication_text(self, resource: dict[str, Any], *, chained: bool) -> str:
        if resource.get("resourceType") == "Medication":  # a formulary entry: its own code
            return str((resource.get("code") or {}).get("text", ""))
        if not chained:
            return str((resource.get("medicationCodeableConcept") or {}).get("text", ""))
        ref = (resource.get("medicationReference") or {}).get("reference", "")
        kind, _, rid = ref.partition("/")
        target = self.resources.get(kind, {}).get(rid) or {}
        return str((target.get("code") or {}).get("text", ""))

    def _resolve(self, node: Any, ids: dict[str, str]) -> Any:
        if isinstance(node, list):
            return [self._resolve(n, ids) for n in node]
        if not isinstance(node, dict):
            return node
        out = {k: self._resolve(v, ids) for k, v in node.items()}
        ref = out.get("reference")
        if isinstance(ref, str):
            if ref.startswith("urn:uuid:"):
                if ref not in ids:
                    raise EntryFailed(400, f"reference {ref} names no entry")
                out["reference"] = ids[ref]
            elif "?" in ref:
                kind, query = ref.split("?", 1)
                matches = self._search(kind, query)
                if len(matches) != 1:
                    raise EntryFailed(400, f"Conditional reference '{ref}' did not match any "
                                           "resources" if not matches else
                                      f"Conditional reference '{ref}' matched "
                                      f"{len(matches)} resources")
                out["reference"] = f"{kind}/{matches[0]['id']}"
        return out

    def search(self, path: str, query: str) -> tuple[int, dict[str, Any]]:
        kind = path[len(self.base_path):].strip("/")
        if kind == "metadata":  # as Medplum 5 answers it (abridged)
            return 200, {"resourceType": "CapabilityStatement", "status": "active",
                         "fhirVersion": "4.0.1", "kind": "instance",
                         "software": {"name": "Medplum", "version": "test"}}
        with self.lock:
            if not self._charge(SEARCH_POINTS):
                return 429, _outcome("Too Many Requests: FHIR quota exceeded")
            if "/" in kind:
                rtype, rid = kind.split("/", 1)
                found = self.resources.get(rtype, {}).get(rid)
                return (200, found) if found else (404, _outcome(f"Not found: {kind}"))
            try:
                found = self._search(kind, query)
            except EntryFailed as exc:
                return exc.status, _outcome(str(exc))
        return 200, {"resourceType": "Bundle", "type": "searchset", "total": len(found),
                     "entry": [{"fullUrl": f"{kind}/{r['id']}", "resource": r,
                                "search": {"mode": "match"}} for r in found]}

    # ------------------------------------------------------------------------------ HTTP
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path == "/_stats":
                    self._send(200, server.stats())
                    return
                with server.lock:
                    if parts.path.endswith("/AuditEvent"):
                        server.anchor_calls += 1
                    else:
                        server.searches += 1
                if not self._authorised():
                    return
                if not parts.path.startswith(server.base_path + "/"):
                    self._send(404, _outcome(f"no endpoint {parts.path}"))
                    return
                fault = self._fault("GET")
                if fault is not None and self._fault_answer(fault):
                    return
                if fault is not None and fault.kind == "slow":
                    time.sleep(fault.delay_s)  # a search that takes its time
                self._send(*server.search(parts.path, parts.query))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with server.lock:
                    if b'"url": "AuditEvent"' in body and b'"Procedure"' not in body:
                        server.anchor_calls += 1
                    else:
                        server.requests += 1
                fault = self._fault("POST")
                if fault is not None and self._fault_answer(fault):
                    return
                if not self._authorised():
                    return
                if self.path.rstrip("/") != server.base_path:
                    self._one(body, "POST")  # POST [base]/Kind: one resource
                    return
                if length > MAX_BODY:
                    self._send(400, _outcome("File too large"))
                    return
                status, answer = self._apply(body)
                if fault is not None and fault.kind == "drop":
                    self.close_connection = True  # processed, but the answer never leaves
                    return
                if fault is not None and fault.kind == "slow":
                    time.sleep(fault.delay_s)
                with contextlib.suppress(OSError):  # the client may have given up waiting
                    self._send(status, answer)

            def do_PUT(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with server.lock:
                    server.requests += 1
                if self._authorised():
                    self._one(body, "PUT")

            def _one(self, body: bytes, method: str) -> None:
                """`POST [base]/Kind` (If-None-Exist: the one match, 200, else created, 201)
                or a conditional `PUT [base]/Kind?search` (the one match updated, else
                created): one resource, answered with what is stored, as Medplum does (the
                custody steps and the published procedures are written so)."""
                parts = urlsplit(self.path)
                kind = parts.path[len(server.base_path) + 1:]
                if not parts.path.startswith(server.base_path + "/") or "/" in kind:
                    self._send(404, _outcome(f"no endpoint {self.path}"))
                    return
                try:
                    resource = json.loads(body)
                except ValueError as exc:
                    self._send(400, _outcome(f"invalid {kind}: {exc}"))
                    return
                request = {"method": method, "url": kind + (f"?{parts.query}" if method == "PUT"
                                                             and parts.query else "")}
                if method == "POST" and self.headers.get("If-None-Exist"):
                    request["ifNoneExist"] = self.headers["If-None-Exist"]
                with server.lock:
                    try:
                        status, location = server._entry(
                            {"request": request, "resource": resource}, {})
                    except EntryFailed as exc:
                        self._send(exc.status, _outcome(str(exc)))
                        return
                    rid = location.split("/")[1]
                    stored = server.resources[kind][rid]
                self._send(int(status), stored)

            def _fault(self, method: str) -> Fault | None:
                with server.lock:
                    if server.faults and server.faults[0].on in (None, method):
                        return server.faults.popleft()
                    return None

            def _authorised(self) -> bool:
                if server.token and self.headers.get("Authorization") != \
                        f"Bearer {server.token}":
                    self._send(401, _outcome("Unauthorized"))
                    return False
                return True

            def _fault_answer(self, fault: Fault) -> bool:
                """True when the fault replaced the answer."""
                if fault.kind == "status":
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    self._send(fault.status, _outcome(f"injected {fault.status}"), headers)
                elif fault.kind == "raw":
                    self._send_bytes(fault.status, fault.body, fault.content_type)
                elif fault.kind == "drip":
                    body = b'{"resourceType": "Bundle", "type": "transaction-response"}'
                    self._head(200, len(body) * 1000, "application/fhir+json")
                    with contextlib.suppress(OSError):
                        for _ in range(len(body) * 1000):
                            self.wfile.write(b" ")
                            self.wfile.flush()
                            time.sleep(fault.delay_s)
                    self.close_connection = True
                elif fault.kind == "huge":
                    self._head(200, fault.size, "application/fhir+json")
                    chunk = b'{"a": "' + b"x" * (1 << 20)
                    sent = 0
                    with contextlib.suppress(OSError):
                        while sent < fault.size:
                            piece = chunk[:fault.size - sent]
                            self.wfile.write(piece)
                            sent += len(piece)
                    self.close_connection = True
                elif fault.kind == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                else:
                    return False
                return True

            def _apply(self, body: bytes) -> tuple[int, dict[str, Any]]:
                try:
                    data = json.loads(body)
                    if server.validate:
                        from fhir.resources.R4B.bundle import Bundle

                        Bundle.model_validate(data)
                except ValueError as exc:  # pydantic's ValidationError is a ValueError
                    with server.lock:
                        server.invalid += 1
                    return 400, _outcome(f"invalid Bundle: {exc}")
                return server.transaction(data)

            def _head(self, status: int, length: int, content_type: str,
                      headers: dict[str, str] | None = None) -> None:
                lines = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}",
                         f"Content-Type: {content_type}", f"Content-Length: {length}",
                         *(f"{k}: {v}" for k, v in (headers or {}).items())]
                self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

            def _send_bytes(self, status: int, data: bytes, content_type: str,
                            headers: dict[str, str] | None = None) -> None:
                lines = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}",
                         f"Content-Type: {content_type}", f"Content-Length: {len(data)}",
                         *(f"{k}: {v}" for k, v in (headers or {}).items())]
                # one write: headers and body in the same segment (no Nagle/delayed-ACK stall)
                self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data)

            def _send(self, status: int, payload: dict[str, Any],
                      headers: dict[str, str] | None = None) -> None:
                self._send_bytes(status, json.dumps(payload).encode(), "application/fhir+json",
                                 headers)

        return Handler


def _conditional(entry: dict[str, Any]) -> bool:
    request = entry.get("request") or {}
    return bool(request.get("ifNoneExist")) or (
        request.get("method") == "PUT" and "?" in request.get("url", ""))


def _outcome(text: str) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "processing",
                       "details": {"text": text}}]}


def _index_keys(kind: str, resource: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    keys = [(kind, "identifier", str(i.get("system")), str(i.get("value")))
            for i in resource.get("identifier") or []]
    keys += [(kind, "_tag", str(t.get("system")), str(t.get("code")))
             for t in (resource.get("meta") or {}).get("tag") or []]
    return keys


def _tokens(resource: dict[str, Any]) -> list[tuple[str, str]]:
    out = [(str(i.get("system")), str(i.get("value"))) for i in resource.get("identifier") or []]
    out += [(str(t.get("system")), str(t.get("code")))
            for t in (resource.get("meta") or {}).get("tag") or []]
    return out[:1]


def _has_token(resource: dict[str, Any], param: str, system: str, value: str) -> bool:
    if param == "identifier":
        items = [(i.get("system"), i.get("value")) for i in resource.get("identifier") or []]
    else:
        items = [(t.get("system"), t.get("code"))
                 for t in (resource.get("meta") or {}).get("tag") or []]
    return any((not system or s == system) and (not value or v == value) for s, v in items)


def main(argv: list[str]) -> None:
    """Out of process: one JSON line with the URL, then serve until stdin closes."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--mrn", action="append", default=[], help="SYSTEM|VALUE of a Patient")
    parser.add_argument("--no-validate", action="store_true")
    args = parser.parse_args(argv)
    patients = {tuple(m.rsplit("|", 1)): f"pat-{i}" for i, m in enumerate(args.mrn, 1)}
    server = FhirTestServer(patients=patients, validate=not args.no_validate)  # type: ignore[arg-type]
    server.start()
    print(json.dumps({"url": server.url}), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
