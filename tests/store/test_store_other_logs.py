"""Logs that are not procedures (the people log) share the store but are never reopened."""

from pathlib import Path

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine.model import Event
from kresladi_bedside.profile import load_profile
from kresladi_bedside.store import open_store
from kresladi_bedside.store.recovery import recover, unfinished_procedures


def test_a_log_that_does_not_open_a_procedure_is_not_an_unfinished_procedure(
        tmp_path: Path) -> None:
    clock = FakeClock()
    store = open_store(tmp_path / "log.db")
    store.append([Event(Event.new_id(), "people", "user_added", {"name": "KIM, SORA"},
                        "u-admin", clock.now())])
    store.append([Event(Event.new_id(), "p-1", "procedure_opened",
                        {"procedure_id": "p-1", "training": True}, "u-nurse", clock.now())])
    assert unfinished_procedures(store) == ["p-1"]
    recovery = recover(store, load_profile(), clock)
    assert [r.procedure.procedure_id for r in recovery.procedures] == ["p-1"]
    assert recovery.report.ok
