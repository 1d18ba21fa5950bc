"""Benchmark: the time to claim a received product at opening (sync/custody.py `claim`, as the
open button calls it: read each bag's custody chain, its administrations and its product's
history, write the claim step by conditional create, mirror `unavailable` on the product),
against one bare GET + version-checked PUT of the same product (http.client, one kept-alive
connection: the least any version-checked claim can cost on this server), paired, on the real
Medplum kit.

Run by hand: `make bench` or `pytest -s -o addopts="" -p no:randomly
tests/bench/test_bench_custody.py`. `BENCH_CUSTODY_PAIRS` (default 60). Figures are printed,
never asserted (only that each claim won)."""

from __future__ import annotations

import http.client
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from benchrows import report  # noqa: E402
from integration.fhir_kit import missing, running_kit  # noqa: E402

from kresladi_bedside.sync.custody import ISBT128_DIN_SYSTEM, Who, claim  # noqa: E402
from kresladi_bedside.sync.tokens import ClientCredentials  # noqa: E402
from kresladi_bedside.sync.transport import FhirClient  # noqa: E402

PAIRS = int(os.environ.get("BENCH_CUSTODY_PAIRS", "60"))


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


class Bare:
    def __init__(self, info: dict[str, Any]) -> None:
        parts = urlsplit(info["base_url"])
        self.path = parts.path
        self.conn = http.client.HTTPConnection(parts.hostname or "", parts.port)
        self.headers = {"Authorization": f"Bearer {info['token']}",
                        "Content-Type": "application/fhir+json"}

    def call(self, method: str, path: str, body: Any = None,
             extra: dict[str, str] | None = None) -> tuple[int, Any]:
        self.conn.request(method, f"{self.path}/{path}",
                          None if body is None else json.dumps(body).encode(),
                          {**self.headers, **(extra or {})})
        answer = self.conn.getresponse()
        return answer.status, json.loads(answer.read() or b"null")

    def product(self, din: str) -> str:
        status, made = self.call("POST", "BiologicallyDerivedProduct", {
            "resourceType": "BiologicallyDerivedProduct", "status": "available",
            "productCategory": "cells",
            "identifier": [{"system": ISBT128_DIN_SYSTEM, "value": din}]})
        assert status == 201
        return f"BiologicallyDerivedProduct/{made['id']}"

    def get_and_put(self, ref: str) -> None:
        status, resource = self.call("GET", ref)
        assert status == 200
        resource["status"] = "unavailable"
        status, _ = self.call("PUT", ref, resource,
                              {"If-Match": f'W/"{resource["meta"]["versionId"]}"'})
        assert status == 200


@pytest.mark.skipif(missing() is not None, reason=str(missing()))
def test_bench_claim_at_opening_against_a_bare_get_and_conditional_put() -> None:
    with running_kit() as kit:
        info = kit.info
        bare = Bare(info)
        client = FhirClient(info["base_url"], tokens=ClientCredentials(
            info["token_url"], info["client_id"], info["client_secret"]))
        who = Who("bench", "n-bench", "Bench Nurse")
        ours: list[float] = []
        base: list[float] = []
        for n in range(PAIRS + 3):  # 3 warm-up pairs, not counted
            din = "W" + uuid.uuid4().hex[:12].upper()
            ref, other = bare.product(din), bare.product(din + "X")

            def run_ours(din: str = din, ref: str = ref) -> float:
                t0 = time.perf_counter()
                result = claim(client, [din], who, receipt_id=f"r-{din}", products=[ref])
                took = time.perf_counter() - t0
                assert result.won, result.message
                return took

            def run_base(other: str = other) -> float:
                t0 = time.perf_counter()
                bare.get_and_put(other)
                return time.perf_counter() - t0

            if n % 2 == 0:
                a = run_ours()
                b = run_base()
            else:
                b = run_base()
                a = run_ours()
            if n >= 3:
                ours.append(a)
                base.append(b)
        ours_ms = [x * 1000 for x in ours]
        base_ms = [x * 1000 for x in base]
        report("custody claim at opening, 1 bag, p50", ours_ms, base=base_ms,
               baseline="bare GET + If-Match PUT", unit="ms",
               note=f"{PAIRS} pairs, real Medplum kit")
        report("custody claim at opening, 1 bag, p99", [p99(ours_ms)], base=[p99(base_ms)],
               baseline="bare GET + If-Match PUT", unit="ms",
               ratio=p99(ours_ms) / p99(base_ms))
        print(f"\nclaim p50 {statistics.median(ours_ms):.1f} ms, p99 {p99(ours_ms):.1f} ms; "
              f"bare p50 {statistics.median(base_ms):.1f} ms, p99 {p99(base_ms):.1f} ms")
