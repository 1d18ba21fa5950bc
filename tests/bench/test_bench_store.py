"""Commit latency of one event: the store (synchronous=FULL, WAL, chain, outbox) vs plain sqlite3.

Run by hand: `.venv/bin/python -m pytest -s -o addopts="" tests/bench/test_bench_store.py`.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import time

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine.model import Event
from kresladi_bedside.store import open_store

N = 300


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def events(count: int) -> list[Event]:
    clock = FakeClock()
    return [Event(Event.new_id(), "bench", "attested", {"items": {"n": i, "ok": True}},
                  "u-nurse", clock.advance(1)) for i in range(count)]


def test_commit_latency_of_one_event(tmp_path):
    batch = events(N)
    store_ms: list[float] = []
    with open_store(tmp_path / "store.db") as store:
        for event in batch:
            start = time.perf_counter()
            store.append([event])
            store_ms.append((time.perf_counter() - start) * 1000)

    plain_ms = plain_inserts(tmp_path / "plain.db", batch, wal=False)
    plain_wal_ms = plain_inserts(tmp_path / "plain-wal.db", batch, wal=True)

    rows = [("store (WAL, synchronous=FULL, chain + outbox)", store_ms),
            ("plain sqlite3 insert + commit (defaults)", plain_ms),
            ("plain sqlite3, WAL + synchronous=FULL", plain_wal_ms)]
    print(f"\ncommit latency of one event, {N} commits each, on {tmp_path}")
    for name, samples in rows:
        print(f"  {name:48s} median {statistics.median(samples):7.3f} ms   "
              f"p99 {percentile(samples, 0.99):7.3f} ms")
    for name, base in (("plain", plain_ms), ("plain WAL+FULL", plain_wal_ms)):
        median = statistics.median(store_ms) / statistics.median(base)
        p99 = percentile(store_ms, 0.99) / percentile(base, 0.99)
        print(f"  ratio store / {name}: median {median:.2f}   p99 {p99:.2f}")


def plain_inserts(path, batch: list[Event], *, wal: bool) -> list[float]:
    conn = sqlite3.connect(path)  # defaults: rollback journal, synchronous=FULL
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE events (id TEXT PRIMARY KEY, data TEXT)")
    conn.commit()
    samples = []
    for event in batch:
        start = time.perf_counter()
        conn.execute("INSERT INTO events VALUES (?, ?)", (event.id, json.dumps(dict(event.data))))
        conn.commit()
        samples.append((time.perf_counter() - start) * 1000)
    conn.close()
    return samples
