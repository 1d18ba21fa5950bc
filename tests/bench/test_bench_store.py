"""Commit latency of one event: the store against bare sqlite3 with the same settings, interleaved.

Run by hand: `.venv/bin/python -m pytest -s -o addopts="" tests/bench/test_bench_store.py`.

What is compared, pair by pair (the order inside each pair alternates, so drift of the machine
falls on both alike):
- the store: `Store.append([event])`: events row (three indexes, the chain-head trigger), its seal
  (HMAC) and its outbox row, one transaction, COMMIT = fsync of the WAL;
- bare sqlite3: one INSERT of the same 13 columns into a one-index table and COMMIT, on a
  connection with the store's settings (WAL, synchronous=FULL, wal_autocheckpoint).
Every `IDLE_EVERY` pairs there is an idle moment, as between a nurse's steps: the store's idle
checkpointer runs its PASSIVE checkpoint there, and the bare connection gets the same checkpoint.
Reported: min, median, p99 of each and the store/bare ratios; goal (issue 16): p99 ≤ 2×. Two
rows join `make bench`'s table: the p99 ratio (judged) and the median ratio, with the WAL frames
each side wrote per commit (what the store's fsync carries more of) in the note.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path

from benchrows import report

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine.model import Event
from kresladi_bedside.store import open_store
from kresladi_bedside.store.db import IDLE_CHECKPOINT_S, WAL_AUTOCHECKPOINT_PAGES
from kresladi_bedside.store.rows import COLUMNS, row_for

N = 1200
IDLE_EVERY = 100


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def events(count: int) -> list[Event]:
    clock = FakeClock()
    return [Event(Event.new_id(), "bench", "attested",
                  {"items": {"n": i, "ok": True}, "note": "flush 4.5 mL"}, "u-nurse",
                  clock.advance(1)) for i in range(count)]


def bare_connection(path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    conn.execute(f"CREATE TABLE events (pos INTEGER PRIMARY KEY, {', '.join(COLUMNS)})")
    return conn


def wal_frames(conn: sqlite3.Connection) -> int:
    """Frames the WAL holds now, copied back by a PASSIVE checkpoint (which reports them)."""
    return int(conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])


def test_commit_latency_store_vs_bare_sqlite_interleaved(tmp_path: Path) -> None:
    batch = events(N)
    bare_rows = [row_for(e, i + 1, "0" * 64) for i, e in enumerate(events(N))]
    insert = (f"INSERT INTO events ({', '.join(COLUMNS)}) "
              f"VALUES ({', '.join('?' for _ in COLUMNS)})")
    store_ms: list[float] = []
    bare_ms: list[float] = []
    bare = bare_connection(tmp_path / "bare.db")

    def time_store(event: Event) -> None:
        start = time.perf_counter()
        store.append([event])
        store_ms.append((time.perf_counter() - start) * 1000)

    def time_bare(values: list[object]) -> None:
        start = time.perf_counter()
        bare.execute("BEGIN IMMEDIATE")
        bare.execute(insert, values)
        bare.execute("COMMIT")
        bare_ms.append((time.perf_counter() - start) * 1000)

    frames = {"store": 0, "bare": 0}
    with open_store(tmp_path / "store.db") as store:
        store.checkpoint_idle()
        wal_frames(bare)
        for i, (event, row) in enumerate(zip(batch, bare_rows, strict=True)):
            values = [getattr(row, c) for c in COLUMNS]
            if i % 2:
                time_bare(values)
                time_store(event)
            else:
                time_store(event)
                time_bare(values)
            if (i + 1) % IDLE_EVERY == 0:  # an idle moment between steps
                # the frames written since the last idle moment, counted before the store's own
                # idle checkpointer copies them back (it waits IDLE_CHECKPOINT_S)
                frames["store"] += wal_frames(store.conn)
                frames["bare"] += wal_frames(bare)
                time.sleep((IDLE_CHECKPOINT_S or 0) + 0.6)
    bare.close()

    print(f"\ncommit of one event, {N} interleaved pairs, idle moment every {IDLE_EVERY}, "
          f"on {tmp_path}")
    for name, samples in (("store (events+seal+outbox, WAL, FULL)", store_ms),
                          ("bare sqlite3 (same row, same settings)", bare_ms)):
        print(f"  {name:40s} min {min(samples):7.3f}  median {statistics.median(samples):7.3f}"
              f"  p99 {percentile(samples, 0.99):7.3f} ms")
    ratio_median = statistics.median(store_ms) / statistics.median(bare_ms)
    ratio_p99 = percentile(store_ms, 0.99) / percentile(bare_ms, 0.99)
    print(f"  ratio store/bare: min {min(store_ms) / min(bare_ms):.2f}  median "
          f"{ratio_median:.2f}  p99 {ratio_p99:.2f}  (goal p99 <= 2)")
    per_commit = {k: v / N for k, v in frames.items()}
    print(f"  WAL frames per commit: store {per_commit['store']:.1f}, "
          f"bare {per_commit['bare']:.1f}")
    assert len(store_ms) == len(bare_ms) == N
    p99 = f"p99 {percentile(store_ms, 0.99):.2f} ms vs {percentile(bare_ms, 0.99):.2f} ms"
    report(f"event commit p99 vs bare sqlite3 (same settings), {N} interleaved pairs",
           store_ms, base=bare_ms, unit="ms", baseline="bare sqlite3, same row",
           goal_ratio=2, ratio=ratio_p99,
           note=f"{p99}; ratio = p99 / p99; WAL frames a commit {per_commit['store']:.1f} vs "
                f"{per_commit['bare']:.1f}")
    report("event commit, median (same pairs)", store_ms, base=bare_ms, unit="ms",
           baseline="bare sqlite3, same row", ratio=ratio_median,
           note="ratio = median / median")
