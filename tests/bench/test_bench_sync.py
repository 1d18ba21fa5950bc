"""Benchmark: deliver 1,000 queued procedures to the loopback FHIR server (in another process),
and procedures per second to the real FHIR server kit when it is beside the checkout.

Run by hand: `pytest -s -o addopts="" -p no:randomly tests/bench/test_bench_sync.py`. Rounds are
interleaved with a baseline (the same Bundle bodies POSTed with bare `http.client` on one kept-alive
connection: the floor any client pays to that server), ≥ 3 pairs, min/median reported. Asserts only
that every procedure arrived exactly once, never a timing.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))  # tests/: the engine driver and the loopback server

from engine.driver import PATIENT  # noqa: E402
from integration.fhir_kit import missing, running_kit  # noqa: E402
from sync.conftest import MRN_SYSTEM, FakeTime, completed  # noqa: E402

from kresladi_bedside.engine.model import Event  # noqa: E402
from kresladi_bedside.profile import load_profile  # noqa: E402
from kresladi_bedside.store import open_store  # noqa: E402
from kresladi_bedside.sync import (  # noqa: E402
    RetryPolicy,
    SyncSettings,
    build,
    procedure_record,
    run_pass,
)
from kresladi_bedside.sync.bundle import _Mapper  # noqa: E402  (mapping alone)
from kresladi_bedside.sync.identifiers import SiteIds  # noqa: E402

COUNT = int(os.environ.get("BENCH_SYNC_COUNT", "1000"))

PAIRS = 3
CPU: dict[bool, list[float]] = {False: [], True: []}  # the client's CPU seconds per round, by
# where Bundles were built (True: the worker process, its CPU included)


class Remote:
    """The loopback server in its own process (so its work does not share our interpreter)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(TESTS / "sync" / "fhir_server.py"), "--no-validate",
             "--mrn", f"{MRN_SYSTEM}|{PATIENT['mrn']}"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, cwd=str(TESTS))
        assert self.proc.stdout is not None
        self.url = json.loads(self.proc.stdout.readline())["url"]

    def stats(self) -> dict[str, Any]:
        root = self.url.rsplit("/fhir", 1)[0]
        with urllib.request.urlopen(f"{root}/_stats") as answer:
            return dict(json.load(answer))

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def clones(template: list[Event], count: int) -> list[list[Event]]:
    """The same signed two-bag procedure under `count` new procedure and event ids."""
    out = []
    for n in range(count):
        pid = f"bench{n:05d}{Event.new_id()[:8]}"
        out.append([replace(e, id=Event.new_id(), procedure_id=pid) for e in template])
    return out


def sync_round(tmp: Path, url: str, procedures: list[list[Event]], n: int, remote: bool) -> float:
    """One sync of `procedures`; `remote`: Bundles built in the worker process (build.py), else
    in the pass's build-ahead thread only."""
    build.REMOTE_FROM = 8 if remote else 10**9
    profile = load_profile()
    settings = replace(settings_for_url(url), timeout_s=10.0)
    with open_store(tmp / f"bench-{n}.db") as store:
        for events in procedures:
            store.append(events)
        clock = FakeTime()
        client = settings.client()
        t0, cpu0 = time.perf_counter(), time.process_time() + worker_cpu()
        while True:
            report = run_pass(store, client, profile, settings, now=clock.now,
                              sleep=clock.sleep, rng=random.Random(1))
            if report.exit_status != 1:
                break
            clock.advance(report.wait_s or 1.0)
        took = time.perf_counter() - t0
        CPU[remote].append(time.process_time() + worker_cpu() - cpu0)
        client.close()
    assert report.exit_status == 0 and report.summary is not None
    assert report.summary.delivered == len(procedures)
    return took


def worker_cpu() -> float:
    """CPU seconds the running Bundle worker process has used (0 when none runs)."""
    pid = build.WORKER.pid()
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settings_for_url(url: str) -> SyncSettings:
    return SyncSettings(base_url=url, mrn_system=MRN_SYSTEM, timeout_s=10.0,
                        policy=RetryPolicy(base_s=0.01, cap_s=1.0))


def bare_round(url: str, bodies: list[bytes]) -> float:
    host, rest = url.split("//", 1)[1].split("/", 1)
    name, port = host.split(":")
    conn = http.client.HTTPConnection(name, int(port), timeout=10)
    headers = {"Content-Type": "application/fhir+json"}
    t0 = time.perf_counter()
    for body in bodies:
        conn.request("POST", "/" + rest, body=body, headers=headers)
        conn.getresponse().read()
    took = time.perf_counter() - t0
    conn.close()
    return took


def test_deliver_1000_procedures_to_the_loopback_server(tmp_path):
    server = Remote()
    try:
        template = completed()
        profile = load_profile()
        # CPU time, not wall: the machine is shared, and these run in this process alone
        t0 = time.process_time()
        for _ in range(50):
            _Mapper(template, profile, SiteIds()).entries()
        only_map_ms = (time.process_time() - t0) * 1000 / 50
        t0 = time.process_time()
        records = [procedure_record(template, profile) for _ in range(50)]
        map_ms = (time.process_time() - t0) * 1000 / 50
        t0 = time.process_time()
        for r in records:
            r.bundles("pat-1")
        dump_ms = (time.process_time() - t0) * 1000 / 50
        load_before = os.getloadavg()[0]
        ours: dict[bool, list[float]] = {False: [], True: []}
        bare = []
        for n in range(PAIRS):
            procedures = clones(template, COUNT)
            bodies = [procedure_record(p, profile).bundles("pat-1")[0][0] for p in procedures]
            bare.append(bare_round(server.url, bodies))  # the same content first …
            for remote in (True, False):  # … then sync, Bundles built in the worker process,
                # then in the thread (PUT: later writes of a procedure are updates, as a resend is)
                ours[remote].append(sync_round(tmp_path, server.url, procedures,
                                               2 * n + remote, remote))
        build.shutdown()
        stats = server.stats()
        assert stats["duplicates"] == 0 and stats["counts"]["Procedure"] == PAIRS * COUNT
    finally:
        server.stop()
    print(f"\n{COUNT} procedures to the loopback server (other process, no validation there), "
          f"{PAIRS} interleaved pairs:\n"
          + "".join(
              f"  sync, built in {where}: min {min(ours[r]):.1f} s, median "
              f"{statistics.median(ours[r]):.1f} s ({COUNT / min(ours[r]):.0f} procedures/s); "
              f"client CPU min {min(CPU[r]):.1f} s, median {statistics.median(CPU[r]):.1f} s; "
              f"ratio to bare (median) "
              f"{statistics.median(ours[r]) / statistics.median(bare):.2f}x\n"
              for r, where in ((True, "the worker process"), (False, "the thread")))
          + f"  bare POST: min {min(bare):.1f} s, median {statistics.median(bare):.1f} s\n"
          f"  per procedure, alone (CPU): mapping {only_map_ms:.1f} ms, validation once "
          f"{map_ms - only_map_ms:.1f} ms, Bundle text (json.dumps) {dump_ms:.2f} ms\n"
          f"  load average (2 cores, shared) {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after")


def test_procedures_per_second_to_the_real_server(tmp_path):
    import pytest

    why = missing()
    if why:
        pytest.skip(why)
    count = 30
    rates: dict[bool, list[float]] = {False: [], True: []}
    with running_kit("kresladi-fhir-bench-") as kit:
        info = kit.info
        # what the server can take, not its default quota (~52 procedures a minute: README)
        kit.run("quota", "off")
        profile = load_profile()
        for n in range(PAIRS):
            for confirm in (False, True):  # interleaved: plain, then confirmed by a search
                procedures = clones(completed(), count)
                settings = SyncSettings(base_url=info["base_url"], token=info["token"],
                                        mrn_system=info["mrn_system"], timeout_s=30.0,
                                        confirm_by_search=confirm)
                with open_store(tmp_path / f"real-{n}-{confirm}.db") as store:
                    for events in procedures:
                        store.append(events)
                    client = settings.client()
                    t0 = time.perf_counter()
                    report = run_pass(store, client, profile, settings)
                    took = time.perf_counter() - t0
                    client.close()
                assert report.summary is not None and report.summary.delivered == count
                rates[confirm].append(count / took)
    print(f"\nreal FHIR server (Medplum 5, batch mode, quota off, nice 10, shared cores, load "
          f"{os.getloadavg()[0]:.1f}): {count} procedures (8 conditional entries each) per "
          f"round, {PAIRS} interleaved pairs:\n"
          f"  plain:              best {max(rates[False]):.1f}, median "
          f"{statistics.median(rates[False]):.1f} procedures/s\n"
          f"  confirm_by_search:  best {max(rates[True]):.1f}, median "
          f"{statistics.median(rates[True]):.1f} procedures/s")
