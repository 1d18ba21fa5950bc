"""`note_custody`: custody on the hospital's server as the procedure met it (issue 24). Opening
without the server's answer needs two signers (nurse and witness); each note is one
`custody_<kind>` event, folded into `state.custody_notes` in order, and never moves the step."""

from __future__ import annotations

from kresladi_bedside.engine import Command, Signature
from kresladi_bedside.engine.events import event_problems

from .driver import NURSE, Driver

WITNESS = "u-witness"


def _signed(d: Driver, *meanings_users: tuple[str, str]) -> tuple[Signature, ...]:
    now = d.clock.now()
    return tuple(Signature(user, user.upper(), meaning, now)  # type: ignore[arg-type]
                 for meaning, user in meanings_users)


def _note(d: Driver, signatures: tuple[Signature, ...] = (), **args: object) -> object:
    return d.proc.handle(Command("note_custody", dict(args), user=NURSE,
                                 signatures=signatures))


def test_opened_offline_needs_the_nurse_and_a_witness() -> None:
    d = Driver().open().order()
    step = d.step
    args = {"kind": "opened_offline", "reason": "server down, thaw booked for 14:00",
            "cause": "the server did not answer", "last_known": "last read 3 min ago: free"}
    alone = _note(d, _signed(d, ("performed", NURSE)), **args)
    assert alone.rejection is not None and "witness" in alone.rejection.reason
    same_twice = _note(d, _signed(d, ("performed", NURSE), ("witnessed", NURSE)), **args)
    assert same_twice.rejection is not None
    unsigned_reason = _note(d, _signed(d, ("performed", NURSE), ("witnessed", WITNESS)),
                            **{**args, "reason": "  "})
    assert unsigned_reason.rejection is not None and "Say why" in \
        unsigned_reason.rejection.reason
    done = _note(d, _signed(d, ("performed", NURSE), ("witnessed", WITNESS)), **args)
    assert done.accepted, done.rejection
    [event] = done.events
    assert event.type == "custody_opened_offline" and event_problems(event) == []
    assert {s["user"] for s in event.data["signatures"]} == {NURSE, WITNESS}
    assert event.data["last_known"] == "last read 3 min ago: free"
    assert d.step == step  # bookkeeping: the step does not move
    assert [k for k, _, _ in d.proc.state.custody_notes] == ["opened_offline"]


def test_reconciled_and_conflict_are_folded_in_order() -> None:
    d = Driver().open().order()
    assert _note(d, kind="reconciled", reason="claimed after opening offline",
                 steps=["Task/1"]).accepted
    assert _note(d, kind="conflict", reason="bag W1 is held by workstation B").accepted
    notes = d.proc.state.custody_notes
    assert [k for k, _, _ in notes] == ["reconciled", "conflict"]
    assert notes[0][2]["steps"] == ["Task/1"]
    for event in d.proc.events[-2:]:
        assert event_problems(event) == [], event


def test_a_take_over_is_not_a_custody_note_any_more() -> None:
    """One fact, one event: a take-over is `take_over`'s `procedure_taken_over`
    (test_take_over_one_event.py); the note that used to repeat it is refused."""
    d = Driver().open().order()
    out = _note(d, kind="taken_over", reason="workstation A froze", from_workstation="A",
                to_workstation="B", steps=["Task/2"])
    assert out.rejection is not None and "not a custody note" in out.rejection.reason
    assert d.proc.state.custody_notes == ()


def test_an_unknown_kind_is_refused_and_changes_nothing() -> None:
    d = Driver().open().order()
    before = d.proc.state
    out = _note(d, kind="stolen", reason="x")
    assert out.rejection is not None and "not a custody note" in out.rejection.reason
    assert d.proc.state.custody_notes == before.custody_notes == ()


def test_a_finished_procedure_still_takes_a_note_a_conflict_found_later() -> None:
    d = Driver().complete()
    assert d.step == "complete", d.step
    assert _note(d, kind="conflict", reason="the server shows bag 1 given elsewhere").accepted


def test_an_import_decides_every_custody_note_again_and_refuses_a_forged_one() -> None:
    """A procedure taken over, or exported and imported, is decided again command by command
    (store/rejudge.py): each note is made back into its command; an opened-offline note whose
    witness signature was removed from the file is refused."""
    import dataclasses

    import pytest

    from kresladi_bedside.store.rejudge import Misjudged, redecide

    d = Driver().open().order()
    signed = _signed(d, ("performed", NURSE), ("witnessed", WITNESS))
    assert d.proc.handle(Command("note_custody", {
        "kind": "opened_offline", "reason": "server down", "cause": "no answer",
        "last_known": "never read"}, user=NURSE, signatures=signed, witness=WITNESS)).accepted
    assert _note(d, kind="reconciled", reason="claimed", steps=["Task/1", "Task/2"]).accepted
    d.gates()
    events = list(d.proc.events)
    redecide(events, d.profile)  # accepted as written
    at = next(i for i, e in enumerate(events) if e.type == "custody_opened_offline")
    forged = dict(events[at].data)
    forged["signatures"] = [s for s in forged["signatures"] if s["meaning"] != "witnessed"]
    events[at] = dataclasses.replace(events[at], data=forged)
    with pytest.raises(Misjudged, match="witness"):
        redecide(events, d.profile)
