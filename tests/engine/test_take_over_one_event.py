"""A take-over through the server is one fact, one event (issue 29): `procedure_taken_over`
carries the route, the server's steps, the signed reason, both signatures and the witness.

A log written before holds the reason in a `custody_taken_over` after it (engine/events.RETIRED).
Stored events are sealed, never rewritten: the old name is read as the same fact by the fold,
and an import decides it again only when it notes the take-over before it, once, and its
signers pass the guard (store/rejudge.py). The record's side: tests/record/test_record_handover.py.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from kresladi_bedside.engine import Command, Event, Signature
from kresladi_bedside.engine.events import event_problems, fact
from kresladi_bedside.engine.state import fold
from kresladi_bedside.people.attested import attested_guard
from kresladi_bedside.store.rejudge import Misjudged, redecide

from .driver import NURSE, Driver

WITNESS = "u-witness"
ROUTE = {"via": "server", "handover_id": "Task/9", "from_workstation": "Bedside A",
         "to_workstation": "Bedside B", "steps": ["Task/9", "Task/10"]}
GUARDS = [attested_guard(lambda _user: None)]  # who signed, as an import checks it


def _signed(d: Driver) -> tuple[Signature, ...]:
    now = d.clock.now()
    return (Signature(NURSE, "Nurse B", "performed", now),
            Signature(WITNESS, "Witness B", "witnessed", now))


def test_the_take_over_carries_its_reason_and_both_signatures_in_one_event() -> None:
    d = Driver().open().order()
    before = len(d.proc.events)
    out = d.proc.handle(Command("take_over", {**ROUTE, "reason": "  A froze mid-thaw \n"},
                                user=NURSE, signatures=_signed(d), witness=WITNESS))
    assert out.accepted, out.rejection
    [event] = out.events
    assert len(d.proc.events) == before + 1
    assert event.type == "procedure_taken_over" and event_problems(event) == []
    assert event.data["reason"] == "A froze mid-thaw"
    assert event.data["witness"] == WITNESS
    assert {(s["user"], s["meaning"]) for s in event.data["signatures"]} == {
        (NURSE, "performed"), (WITNESS, "witnessed")}
    assert event.data["steps"] == ["Task/9", "Task/10"]
    assert d.proc.state.custody_notes == ()
    redecide(list(d.proc.events), d.profile, guards=GUARDS)  # an import decides it the same


def test_a_take_over_with_a_blank_reason_is_refused() -> None:
    d = Driver().open().order()
    out = d.proc.handle(Command("take_over", {**ROUTE, "reason": "   "}, user=NURSE))
    assert out.rejection is not None and "Say why" in out.rejection.reason


def _old_log() -> tuple[Driver, list[Event]]:
    """A server take-over as the program before issue 29 wrote it: `procedure_taken_over`
    without a reason, then the signed `custody_taken_over` note of the same take-over."""
    d = Driver().open().order()
    assert d.proc.handle(Command("take_over", ROUTE, user=NURSE)).accepted
    d.advance(2)
    note = Event(Event.new_id(), d.proc.procedure_id, "custody_taken_over", {
        "reason": "A froze", "from_workstation": "Bedside A", "to_workstation": "Bedside B",
        "steps": ["Task/9", "Task/10"], "witness": WITNESS,
        "signatures": [s.to_dict() for s in _signed(d)]}, NURSE, d.clock.now())
    return d, [*d.proc.events, note]


def test_an_old_log_reads_its_retired_note_as_the_same_take_over() -> None:
    d, events = _old_log()
    note = events[-1]
    assert event_problems(note) == []  # still a type this program reads
    assert fact(note.type) == "procedure_taken_over"
    state = fold(events)
    assert state.active and state.moved_out is None and state.custody_notes == ()
    redecide(events, d.profile, guards=GUARDS)  # imported as written


def _with(note: Event, **data: Any) -> Event:
    return dataclasses.replace(note, data={**note.data, **data})


@pytest.mark.parametrize("change, message", [
    ("no take-over before it", "no take-over through the server"),
    ("noted twice", "no take-over through the server"),
    ("another route", "no take-over through the server"),
    ("no reason", "without its reason"),
    ("its witness signature removed", "has not signed as witness"),
    ("signed by a third person", "neither the person doing this step"),
])
def test_an_old_note_is_refused_on_import_when_it_does_not_note_that_take_over(
        change: str, message: str) -> None:
    d, events = _old_log()
    note = events[-1]
    signatures = note.data["signatures"]
    if change == "no take-over before it":
        events = [e for e in events if e.type != "procedure_taken_over"]
    elif change == "noted twice":
        events.append(dataclasses.replace(note, id=Event.new_id()))
    elif change == "another route":
        events[-1] = _with(note, from_workstation="Bedside C")
    elif change == "no reason":
        events[-1] = _with(note, reason=" ")
    elif change == "its witness signature removed":
        events[-1] = _with(note, signatures=[s for s in signatures
                                             if s["meaning"] != "witnessed"])
    else:
        events[-1] = _with(note, signatures=[{**s, "user": "u-someone"} if s["user"] == NURSE
                                             else s for s in signatures])
    with pytest.raises(Misjudged, match=message):
        redecide(events, d.profile, guards=GUARDS)
