"""Procedures run one after another in one store, each asking the store's ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.ledger import StoreLedger
from kresladi_bedside.store import Store, StoreListener, open_store
from tests.engine.driver import START, Driver


class Ward:
    """One workstation: a store, its ledger, one clock, and a new Driver per procedure."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.clock = FakeClock(START)
        self.ledger = StoreLedger(store)

    def driver(self) -> Driver:
        d = Driver(clock=self.clock)
        d.proc.subscribe(StoreListener(self.store))
        d.proc.custody = self.ledger
        return d


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "procedures.db") as s:
        yield s


@pytest.fixture
def ward(store: Store) -> Ward:
    return Ward(store)
