"""Product ledger at the bedside: cost of a question with 1,000 finished procedures in the log.

Run by hand: `make bench` (prints the figures; asserts nothing about time)."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from kresladi_bedside.engine.model import Event
from kresladi_bedside.ledger import StoreLedger
from kresladi_bedside.store import open_store
from tests.engine.driver import Driver

PROCEDURES = 1000


def _template() -> list[Event]:
    return list(Driver().complete().proc.events)


def _clone(events: list[Event], n: int) -> list[Event]:
    pid = f"bench{n:06d}"
    out = []
    for e in events:
        text = json.dumps(dict(e.data))
        text = text.replace("W123426000101", f"W1234{n:08d}").replace(
            "W123426000102", f"W1235{n:08d}").replace("MRN0042117", f"MRN{n:07d}")
        out.append(replace(e, id=f"{pid}-{len(out)}", procedure_id=pid, data=json.loads(text)))
    return out


def test_bench_ledger_questions(tmp_path: Path) -> None:
    template = _template()
    with open_store(tmp_path / "p.db") as store:
        t0 = time.perf_counter()
        for n in range(PROCEDURES):
            store.append(_clone(template, n))
        fill = time.perf_counter() - t0
        cold = StoreLedger(store)
        t0 = time.perf_counter()
        cold.ledger()
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        restarted = StoreLedger(store)
        restarted.ledger()
        restart = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(100):
            restarted.bag_bar(("W123400000007",), excluding=None)
        question = (time.perf_counter() - t0) / 100
        assert restarted.bag_bar(("W123400000007",), excluding=None) is not None
        print(f"\n{PROCEDURES} procedures x {len(template)} events (filled in {fill:.1f} s)")
        print(f"first fold, no cache:          {first * 1000:8.1f} ms "
              f"({cold.folded_events} events folded)")
        print(f"restart, cache table:          {restart * 1000:8.1f} ms "
              f"({restarted.folded_events} events folded)")
        print(f"one question, nothing changed: {question * 1000:8.2f} ms")
