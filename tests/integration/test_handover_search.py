"""The take-over list asks the real server (Medplum kit) two searches, however many procedures
are published (issue 29): the published copies (`DocumentReference`), then the custody chains
of all their bags in one `Task` search whose identifier tokens are joined by commas (FHIR's OR).
Before, it asked one search per procedure and one per bag of each (1 + N + N×bags GETs).

What the kit must honour for that, checked here: a comma-joined token search answers every
bag's steps, and only theirs. A copy whose workstation no longer holds the procedure (taken over
since), and this workstation's own, are not listed."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.store import StoreListener, open_store
from kresladi_bedside.sync import custody
from kresladi_bedside.sync.custody import Who, claim, steps_of, steps_of_bags, take_over
from kresladi_bedside.sync.handover import publish_open, published_open
from tests.engine.driver import START, Driver, order_dict

from .custody_racer import client


def _gets(ehr: Any) -> list[str]:
    """The GET requests `ehr` sends from now on (their paths, as sent)."""
    sent: list[str] = []
    real = ehr.exchange

    def counting(method: str, path: str, body: bytes | None,
                 headers: Any = None) -> Any:
        if method == "GET":
            sent.append(path)
        return real(method, path, body, headers)

    ehr.exchange = counting
    return sent


def _procedure(store: Any, serial: int) -> tuple[str, list[str]]:
    """An open procedure in `store` whose two bags carry DINs no other test uses."""
    order = order_dict()
    dins = [f"W123426{serial + i:06d}" for i in range(2)]
    for bag, din in zip(order["bags"], dins, strict=True):
        bag["bag_id"] = din
    driver = Driver(clock=FakeClock(START))
    driver.proc.subscribe(StoreListener(store))
    driver.open()
    driver.ok("prepare_order", order=order)
    return driver.proc.procedure_id, dins


def test_the_take_over_list_is_two_searches_whatever_is_published(
        fhir: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ehr = client(fhir)
    base = 100_000 + uuid.uuid4().int % 800_000 // 10 * 10
    with open_store(tmp_path / "a.db") as a_store, open_store(tmp_path / "b.db") as b_store:
        on_a = [_procedure(a_store, base + 10 * k) for k in range(4)]
        on_b = _procedure(b_store, base + 50)
        for pid, dins in on_a:
            assert claim(ehr, dins, Who("A", "n-a", "Nurse A"), receipt_id=None,
                         procedure_id=pid).won
        pid_b, dins_b = on_b
        assert claim(ehr, dins_b, Who("B", "n-b", "Nurse B"), receipt_id=None,
                     procedure_id=pid_b).won
        assert publish_open(ehr, a_store, "A") == []
        assert publish_open(ehr, b_store, "B") == []
    moved_pid, moved_dins = on_a[3]  # C takes it over: A's copy of it is old now
    take_over(ehr, moved_dins, Who("C", "n-c", "Nurse C"), procedure_id=moved_pid,
              receipt_id=None)

    # the kit honours a comma-joined token search: every bag's chain, and only theirs
    every = [d for _, dins in on_a for d in dins] + dins_b
    chains = steps_of_bags(ehr, every)
    assert list(chains) == every
    for din in every:
        assert chains[din] == steps_of(ehr, din) and chains[din]
    assert [s.kind for s in chains[moved_dins[0]]] == ["claim", "handover"]

    sent = _gets(ehr)
    listed = published_open(ehr, "B")
    assert sorted(o.procedure_id for o in listed) == sorted(pid for pid, _ in on_a[:3])
    assert {o.workstation for o in listed} == {"A"}
    assert all("RIVERA" in o.patient and "held by workstation A" in o.held_since
               for o in listed)
    assert len(sent) == 2, sent
    assert sent[0].split("?")[0].endswith("/DocumentReference")
    assert sent[1].split("?")[0].endswith("/Task") and sent[1].count(",") == 7
    print(f"\n[figure] take-over list of 5 published procedures (10 bags): {len(sent)} GETs "
          "(before: 1 + 5 + 8 = 14)")

    # more bags than one search takes: a search per BAGS_PER_SEARCH of them, the same answer
    monkeypatch.setattr(custody, "BAGS_PER_SEARCH", 3)
    sent.clear()
    again = published_open(ehr, "B")
    assert [(o.procedure_id, o.held_since) for o in again] == \
        [(o.procedure_id, o.held_since) for o in listed]
    assert len(sent) == 1 + 3, sent  # 8 bags of A's 4 copies: 3 + 3 + 2
