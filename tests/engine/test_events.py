"""The event table (engine/events.py): every event the engine writes matches its type's keys, and
a payload written by an older program is upcast before the fold reads it, the log unchanged."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from kresladi_bedside.engine import events as event_table
from kresladi_bedside.engine.events import (
    EVENT_TYPES,
    VERSION_KEY,
    EventSchemaError,
    event_problems,
    upcast,
)
from kresladi_bedside.engine.model import Event
from kresladi_bedside.engine.state import evolve, fold

from .driver import Driver


def _walks() -> list[Driver]:
    """A complete two-bag procedure, and one stopped by a compromised bag, with refusals."""
    done = Driver().complete()
    stopped = Driver().ready_to_thaw()
    stopped.do("start_thaw", bag=2, method="dry")  # refused: command_rejected
    stopped.ok("acknowledge_alarm", alarm="thaw:1")
    stopped.do("stop_procedure", reason="")  # refused
    stopped.ok("stop_procedure", reason="family withdrew consent")
    return [done, stopped]


def test_every_event_a_procedure_writes_matches_the_table() -> None:
    seen: set[str] = set()
    for walk in _walks():
        for event in walk.proc.events:
            assert event_problems(event) == [], event
            seen.add(event.type)
    assert {"procedure_opened", "order_prepared", "thaw_started", "flush_logged",
            "procedure_completed", "command_rejected", "procedure_stopped"} <= seen


def test_the_table_names_every_type_the_fold_reads() -> None:
    """evolve's match arms and the table list the same types (read from the source, so a new
    event type added to one and not the other fails here); a retired name has no arm of its
    own: the fold reads it as today's fact, which has one."""
    import inspect

    from kresladi_bedside.engine import state
    from kresladi_bedside.engine.events import RETIRED

    source = inspect.getsource(state.evolve)
    arms = {line.strip()[len('case "'):].split('"')[0] for line in source.splitlines()
            if line.strip().startswith('case "')}
    assert arms == set(EVENT_TYPES) - set(RETIRED)
    assert set(RETIRED) <= set(EVENT_TYPES) and set(RETIRED.values()) <= arms


def test_a_payload_missing_a_key_or_with_an_unknown_one_is_named() -> None:
    event = Driver().open().proc.events[0]
    short = replace(event, data={k: v for k, v in event.data.items() if k != "product"})
    assert event_problems(short) == ["procedure_opened: missing 'product'"]
    extra = replace(event, data={**event.data, "colour": "blue"})
    assert event_problems(extra) == ["procedure_opened: unexpected 'colour'"]
    assert event_problems(replace(event, type="bag_teleported")) == [
        "unknown event type 'bag_teleported'"]


def _flush_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """A schema change for the test: version 2 names the unit of the flush volume."""
    return {**data, "unit": "mL"}


def use_flush_v2(monkeypatch: pytest.MonkeyPatch) -> None:
    v2 = replace(EVENT_TYPES["flush_logged"], keys=frozenset({"bag", "volume_ml", "unit"}),
                 version=2)
    monkeypatch.setitem(EVENT_TYPES, "flush_logged", v2)
    monkeypatch.setitem(event_table.UPCASTERS, ("flush_logged", 1), _flush_v1_to_v2)


def test_an_old_payload_is_upcast_and_the_stored_event_is_not_rewritten(
        monkeypatch: pytest.MonkeyPatch) -> None:
    old = next(e for e in _v1_log() if e.type == "flush_logged")
    use_flush_v2(monkeypatch)
    stored = dict(old.data)
    assert VERSION_KEY not in stored and "unit" not in stored  # written as version 1
    assert event_problems(old) == ["flush_logged: payload version 1, written today as 2"]
    new = upcast(old)
    assert new.data == {**stored, "unit": "mL", VERSION_KEY: 2}
    assert old.data == stored  # the stored event is untouched
    assert event_problems(new) == []
    assert upcast(new) is new  # already today's version


def test_the_fold_reads_upcast_payloads(monkeypatch: pytest.MonkeyPatch) -> None:
    from kresladi_bedside.engine import state as state_module

    log = _v1_log()
    use_flush_v2(monkeypatch)
    walk = Driver().complete()  # written today: flushes carry version 2
    assert all(e.data.get(VERSION_KEY) == 2 for e in walk.proc.events if e.type == "flush_logged")
    read: list[Event] = []
    real_upcast = state_module.upcast

    def watching(event: Event) -> Event:
        read.append(real_upcast(event))
        return read[-1]

    monkeypatch.setattr(state_module, "upcast", watching)
    rebuilt = fold(log)
    assert [b.flush_ml for b in rebuilt.bags] == [b.flush_ml for b in walk.proc.state.bags]
    assert [e.data["unit"] for e in read if e.type == "flush_logged"] == ["mL", "mL"]


def _v1_log() -> tuple[Event, ...]:
    """A log written before the test's version 2 existed."""
    return Driver().complete().proc.events


def test_a_payload_from_a_newer_program_is_refused_not_guessed() -> None:
    event = Driver().open().proc.events[0]
    newer = replace(event, data={**event.data, VERSION_KEY: 7})
    with pytest.raises(EventSchemaError, match=r"newer program \(payload version 7"):
        upcast(newer)
    with pytest.raises(EventSchemaError, match="newer program"):
        evolve(fold([]), newer)
    with pytest.raises(EventSchemaError, match="not a version"):
        upcast(replace(event, data={**event.data, VERSION_KEY: "2"}))


def test_a_missing_upcaster_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    event = next(e for e in _v1_log() if e.type == "bag_completed")
    monkeypatch.setitem(EVENT_TYPES, "bag_completed",
                        replace(EVENT_TYPES["bag_completed"], version=3))
    monkeypatch.setitem(event_table.UPCASTERS, ("bag_completed", 1), lambda data: data)
    with pytest.raises(EventSchemaError, match="no upcaster for bag_completed version 2"):
        upcast(event)


def test_a_refused_command_with_nan_or_infinity_is_logged_not_lost() -> None:
    """NaN or infinity typed or sent in a refused command: the rejection event still reaches a
    store that writes strict JSON (no NaN), with the value kept as text."""
    from kresladi_bedside.store.rows import canonical_json

    d = Driver().open().order()
    stored: list[str] = []
    d.proc.subscribe(lambda events: stored.extend(canonical_json(e.data) for e in events))
    out = d.do("confirm_storage", temperature_c=float("nan"))
    assert not out.accepted
    (event,) = out.events
    assert event.type == "command_rejected"
    assert event.data["args"] == {"temperature_c": "nan"}
    d.do("confirm_storage", temperature_c=float("-inf"))
    assert len(stored) == 2 and '"-inf"' in stored[1]
