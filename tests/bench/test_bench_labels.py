"""Label parsing and identity judging: time per payload, against bare baselines.

Run by hand: pytest -s -o addopts="" tests/bench/test_bench_labels.py
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from kresladi_bedside.clock import Instant
from kresladi_bedside.engine.identity import AcceptedLabel, IdentityContext
from kresladi_bedside.engine.verifier import LabelIdentityVerifier
from kresladi_bedside.labels import parse, samples
from kresladi_bedside.training.sample import patient_order


def _per_call_us(fn: Callable[[], object], n: int = 2000, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        times.append((time.perf_counter() - t0) / n * 1e6)
    return statistics.median(times)


def test_bench_parse_and_judge() -> None:
    payloads = {
        "wristband qr": samples.wristband_payload(),
        "wristband gs1": samples.wristband_payload(style="gs1"),
        "shipper isbt": samples.shipper_payload(),
        "bag isbt (compound, 7)": samples.bag_payload(),
        "bag gs1": samples.with_aim(samples.gs1_product_payload(), "]d2"),
    }
    baseline = _per_call_us(lambda: json.loads('{"kind": "bag", "din": "W123426100001"}'))
    print(f"\nbaseline json.loads (small object): {baseline:.1f} µs")
    for name, payload in payloads.items():
        us = _per_call_us(lambda p=payload: parse(p, "camera"))
        print(f"parse {name:24s} {us:8.1f} µs  ({us / baseline:5.1f}× baseline)")

    order = patient_order()
    verifier = LabelIdentityVerifier()
    now = Instant(datetime(2026, 11, 21, 9, 0, tzinfo=UTC), 0, 1000.0, "bench")
    accepted = tuple(
        AcceptedLabel(role, "initial", bag, parse(p, "camera"), now)
        for role, bag, p in [("wristband", None, samples.wristband_payload()),
                             ("shipper", None, samples.shipper_payload()),
                             ("cassette", 1, samples.cassette_payload(1))])
    bag = parse(samples.bag_payload(1), "camera")
    ctx = IdentityContext(order, accepted, "initial", None, now)
    assert verifier.judge(bag, ctx).ok
    us = _per_call_us(lambda: verifier.judge(bag, ctx))
    print(f"judge bag 1 after 3 accepted labels  {us:8.1f} µs  ({us / baseline:5.1f}× baseline)")
