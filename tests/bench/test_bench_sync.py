"""Benchmark: deliver 1,000 queued procedures to the loopback FHIR server.

Run by hand: `pytest -s -o addopts="" tests/bench/test_bench_sync.py`. Prints figures; asserts only
that every procedure arrived exactly once (never a timing).
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the engine driver

from engine.driver import PATIENT
from sync.conftest import MRN_SYSTEM, FakeTime, completed, settings_for
from sync.fhir_server import Fault, FhirTestServer

from kresladi_bedside.engine.model import Event
from kresladi_bedside.profile import load_profile
from kresladi_bedside.store import open_store, verify
from kresladi_bedside.sync import procedure_bundle, run_pass

COUNT = 1000


def clones(template: list[Event], count: int) -> list[list[Event]]:
    """The same signed two-bag procedure under `count` new procedure and event ids."""
    out = []
    for n in range(count):
        pid = f"bench{n:05d}{Event.new_id()[:8]}"
        out.append([replace(e, id=Event.new_id(), procedure_id=pid) for e in template])
    return out


def deliver_all(tmp_path: Path, fault_every: int | None) -> None:
    profile = load_profile()
    server = FhirTestServer(patients={(MRN_SYSTEM, PATIENT["mrn"]): "pat-1"}).start()
    procedures = clones(completed(), COUNT)
    db = tmp_path / f"bench-{fault_every}.db"
    with open_store(db) as store:
        t0 = time.perf_counter()
        for events in procedures:
            store.append(events)
        queued = time.perf_counter() - t0
        t0 = time.perf_counter()
        for events in procedures[:100]:
            procedure_bundle(events, profile, MRN_SYSTEM).model_dump_json(exclude_none=True)
        mapping_ms = (time.perf_counter() - t0) * 1000 / 100
        if fault_every:
            for _i in range(COUNT // fault_every):
                server.faults.extend([None] * (fault_every - 1))  # type: ignore[list-item]
                server.faults.append(Fault.status_only(503))
        settings = settings_for(server)
        settings = replace(settings, timeout_s=10.0)
        clock = FakeTime()
        client = settings.client()
        passes = 0
        t0 = time.perf_counter()
        while True:
            passes += 1
            report = run_pass(store, client, profile, settings, now=clock.now,
                              sleep=clock.sleep, rng=random.Random(1))
            if report.exit_status != 1:
                break
            clock.advance(report.wait_s or 1.0)
        took = time.perf_counter() - t0
        t0 = time.perf_counter()
        idle = run_pass(store, client, profile, settings, now=clock.now, sleep=clock.sleep)
        idle_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        assert verify(store).ok
        verify_s = time.perf_counter() - t0
        client.close()
    server.stop()
    assert report.exit_status == 0 and report.summary.delivered == COUNT
    assert len(server.of_type("Procedure")) == COUNT
    assert all(c == 1 for c in server.created.values())
    label = f"one 503 in every {fault_every}" if fault_every else "no faults"
    print(f"\n[{label}] {COUNT} procedures ({len(procedures[0])} events each) queued in "
          f"{queued:.1f} s; delivered in {took:.1f} s over {passes} pass(es), "
          f"{server.requests} requests: {took / COUNT * 1000:.1f} ms per procedure, "
          f"{COUNT / took:.0f} procedures/s; mapping alone {mapping_ms:.1f} ms per Bundle "
          f"({mapping_ms * COUNT / 1000 / took:.0%} of the time; the server's own validation "
          f"shares the same cores); an idle pass afterwards {idle_s * 1000:.0f} ms; the "
          f"chain check a pass runs first: {verify_s:.2f} s for "
          f"{COUNT * len(procedures[0])} rows")
    assert idle.delivered == []


def test_deliver_1000_queued_procedures(tmp_path):
    deliver_all(tmp_path, None)


def test_deliver_1000_with_one_503_in_20(tmp_path):
    deliver_all(tmp_path, 20)
