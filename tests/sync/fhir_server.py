"""A small FHIR R4 server on loopback for the sync tests: real HTTP, real sockets, in a thread.

It accepts `POST [base]` transaction Bundles, validates each with `fhir.resources` (R4B), and
applies it atomically: every entry is a POST with `ifNoneExist` (`identifier=` or `_tag=`); an
existing match is answered 200 with its location and nothing is created; otherwise 201 and the
resource is stored. References to `urn:uuid:` entries and conditional references
(`Patient?identifier=system|value`) are resolved; a conditional reference that matches no patient
fails the whole transaction with 412, as a real server does.

Faults are queued per request (`server.faults.append(...)`), each used once, in order:
`Fault.status(503, retry_after="0")` answers without processing; `Fault.drop()` processes and
commits, then closes the connection without an answer; `Fault.slow(s)` processes and commits,
then answers only after `s` seconds (past the client's timeout).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError


@dataclass(frozen=True)
class Fault:
    kind: str  # "status" | "drop" | "slow"
    status: int = 0
    retry_after: str | None = None
    delay_s: float = 0.0

    @classmethod
    def status_only(cls, status: int, retry_after: str | None = None) -> Fault:
        return cls("status", status=status, retry_after=retry_after)

    @classmethod
    def drop(cls) -> Fault:
        return cls("drop")

    @classmethod
    def slow(cls, delay_s: float) -> Fault:
        return cls("slow", delay_s=delay_s)


class TransactionFailed(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class FhirTestServer:
    def __init__(self, *, patients: dict[tuple[str, str], str] | None = None,
                 token: str | None = None, base_path: str = "/fhir") -> None:
        self.base_path = base_path
        self.token = token
        self.faults: deque[Fault] = deque()
        self.lock = threading.Lock()
        self.resources: dict[str, dict[str, dict[str, Any]]] = {}
        self.index: dict[tuple[str, str, str, str], list[str]] = {}  # (type, param, sys, value)
        self.created: Counter[tuple[str, str, str]] = Counter()  # (type, system, value) → count
        self.requests = 0
        self.committed = 0  # transactions applied
        self.invalid = 0  # Bundles fhir.resources refused
        for (system, value), pid in (patients or {}).items():
            self._store("Patient", pid, {"resourceType": "Patient", "id": pid,
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

    # ------------------------------------------------------------------------------ questions
    def of_type(self, kind: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.resources.get(kind, {}).values())

    def find(self, kind: str, system: str, value: str) -> list[dict[str, Any]]:
        return [r for r in self.of_type(kind) if _has_token(r, "identifier", system, value)
                or _has_token(r, "_tag", system, value)]

    # ------------------------------------------------------------------------------ the work
    def _store(self, kind: str, rid: str, resource: dict[str, Any]) -> None:
        self.resources.setdefault(kind, {})[rid] = resource
        tokens = [("identifier", i.get("system"), i.get("value"))
                  for i in resource.get("identifier") or []]
        tokens += [("_tag", t.get("system"), t.get("code"))
                   for t in (resource.get("meta") or {}).get("tag") or []]
        for param, system, value in tokens:
            self.index.setdefault((kind, param, str(system), str(value)), []).append(rid)

    def transaction(self, bundle: dict[str, Any]) -> dict[str, Any]:
        """Apply a validated transaction Bundle atomically; returns the transaction-response."""
        if bundle.get("type") != "transaction":
            raise TransactionFailed(400, f"Bundle.type is {bundle.get('type')!r}, not transaction")
        with self.lock:
            resolved: dict[str, str] = {}
            plan: list[tuple[str, str, dict[str, Any] | None, str]] = []
            for entry in bundle.get("entry", []):
                resource, request = entry["resource"], entry["request"]
                kind = resource["resourceType"]
                if request["method"] != "POST" or request["url"] != kind:
                    raise TransactionFailed(400, f"unsupported request {request}")
                if not request.get("ifNoneExist"):
                    raise TransactionFailed(400, "every entry must use ifNoneExist here")
                matches = self._search(kind, request["ifNoneExist"])
                if len(matches) > 1:
                    raise TransactionFailed(412, f"ifNoneExist {request['ifNoneExist']} matches "
                                                 f"{len(matches)} {kind} resources")
                if matches:
                    rid, new = matches[0]["id"], None
                else:
                    rid, new = uuid.uuid4().hex, resource
                resolved[entry["fullUrl"]] = f"{kind}/{rid}"
                plan.append((kind, rid, new, request["ifNoneExist"]))
            answers = []
            creations = []
            for kind, rid, new, search in plan:
                if new is None:
                    answers.append({"response": {"status": "200 OK",
                                                 "location": f"{kind}/{rid}/_history/1"}})
                    continue
                stored = self._resolve(json.loads(json.dumps(new)), resolved)
                stored["id"] = rid
                stored["meta"] = {**stored.get("meta", {}), "versionId": "1"}
                creations.append((kind, rid, stored, search))
                answers.append({"response": {"status": "201 Created",
                                             "location": f"{kind}/{rid}/_history/1"}})
            for kind, rid, stored, search in creations:
                self._store(kind, rid, stored)
                system, value = _token(search)
                self.created[(kind, system, value)] += 1
            self.committed += 1
        return {"resourceType": "Bundle", "type": "transaction-response", "entry": answers}

    def _search(self, kind: str, query: str) -> list[dict[str, Any]]:
        params = parse_qs(query, strict_parsing=True)
        if len(params) != 1 or next(iter(params)) not in ("identifier", "_tag"):
            raise TransactionFailed(400, f"unsupported search {query!r}")
        param, values = next(iter(params.items()))
        system, value = values[0].split("|", 1)
        found = self.resources.get(kind, {})
        return [found[rid] for rid in self.index.get((kind, param, system, value), [])]

    def _resolve(self, node: Any, resolved: dict[str, str]) -> Any:
        if isinstance(node, list):
            return [self._resolve(n, resolved) for n in node]
        if not isinstance(node, dict):
            return node
        out = {k: self._resolve(v, resolved) for k, v in node.items()}
        ref = out.get("reference")
        if isinstance(ref, str):
            if ref.startswith("urn:uuid:"):
                if ref not in resolved:
                    raise TransactionFailed(400, f"reference {ref} names no entry")
                out["reference"] = resolved[ref]
            elif "?" in ref:
                kind, query = ref.split("?", 1)
                matches = self._search(kind, query)
                if len(matches) != 1:
                    raise TransactionFailed(412, f"conditional reference {ref} matches "
                                                 f"{len(matches)} resources")
                out["reference"] = f"{kind}/{matches[0]['id']}"
        return out

    # ------------------------------------------------------------------------------ HTTP
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with server.lock:
                    server.requests += 1
                    fault = server.faults.popleft() if server.faults else None
                if fault is not None and fault.kind == "status":
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    self._send(fault.status, _outcome(f"injected {fault.status}"), headers)
                    return
                if server.token and self.headers.get("Authorization") != f"Bearer {server.token}":
                    self._send(401, _outcome("bearer token missing or wrong"))
                    return
                if self.path.rstrip("/") != server.base_path:
                    self._send(404, _outcome(f"no endpoint {self.path}"))
                    return
                status, answer = self._apply(body)
                if fault is not None and fault.kind == "drop":
                    self.close_connection = True  # committed, but the answer never leaves
                    return
                if fault is not None and fault.kind == "slow":
                    time.sleep(fault.delay_s)
                with contextlib.suppress(OSError):  # the client may have given up waiting
                    self._send(status, answer)

            def _apply(self, body: bytes) -> tuple[int, dict[str, Any]]:
                try:
                    data = json.loads(body)
                    Bundle.model_validate(data)
                except (ValueError, ValidationError) as exc:
                    with server.lock:
                        server.invalid += 1
                    return 400, _outcome(f"invalid Bundle: {exc}")
                try:
                    return 200, server.transaction(data)
                except TransactionFailed as exc:
                    return exc.status, _outcome(str(exc))

            def _send(self, status: int, payload: dict[str, Any],
                      headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _outcome(text: str) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "processing", "diagnostics": text}]}


def _token(search: str) -> tuple[str, str]:
    values = next(iter(parse_qs(search).values()))
    system, value = values[0].split("|", 1)
    return system, value


def _has_token(resource: dict[str, Any], param: str, system: str, value: str) -> bool:
    if param == "identifier":
        items = resource.get("identifier") or []
        return any(i.get("system") == system and i.get("value") == value for i in items)
    tags = (resource.get("meta") or {}).get("tag") or []
    return any(t.get("system") == system and t.get("code") == value for t in tags)
