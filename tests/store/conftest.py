from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine.model import Event
from kresladi_bedside.store import Store, open_store


def hand_events(procedure_id: str, count: int, clock: FakeClock | None = None) -> list[Event]:
    """Events made by hand, varied in every column the store keeps."""
    clock = clock or FakeClock(utc_offset_s=-5 * 3600)
    events = []
    for i in range(count):
        kind = "procedure_opened" if i == 0 else "attested"
        data = {"training": False} if i == 0 else {"items": {f"item-{i}": True, "note": "ß✓"},
                                                   "volume_ml": 10.25 * i}
        events.append(Event(Event.new_id(), procedure_id, kind, data, f"u-nurse{i % 2}",
                            clock.advance(1.5)))
    return events


@pytest.fixture(name="hand_events", scope="session")
def hand_events_fixture():
    return hand_events


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "log" / "procedures.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with open_store(db_path) as s:
        yield s
