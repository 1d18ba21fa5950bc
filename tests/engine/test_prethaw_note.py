"""The pre-thaw search's answer is recorded as an event of the procedure (the window gives
`note_prethaw_check` when the answer comes back): a known verdict for a bag of the order,
nothing else, and it moves no step."""

from __future__ import annotations

import pytest

from .driver import Driver


def test_an_answer_is_recorded_for_a_bag_and_moves_no_step() -> None:
    d = Driver().open().order().gates()
    before = d.step
    out = d.ok("note_prethaw_check", bag=1, verdict="not_checked",
               detail="Not checked against the hospital record (connection refused)")
    assert [e.type for e in out.events] == ["prethaw_checked"]
    assert out.events[0].data["verdict"] == "not_checked"
    assert "connection refused" in out.events[0].data["detail"]
    assert d.step == before


@pytest.mark.parametrize(("args", "why"), [
    ({"bag": 1, "verdict": "maybe"}, "found, not found or not checked"),
    ({"bag": 3, "verdict": "found"}, "no bag 3"),
    ({"verdict": "not_found"}, "no bag None"),
])
def test_an_answer_that_is_no_verdict_or_no_bag_is_refused(args: dict, why: str) -> None:
    d = Driver().open().order().gates()
    out = d.do("note_prethaw_check", **args)
    assert out.rejection is not None and why in out.rejection.reason
    assert all(e.type != "prethaw_checked" for e in d.proc.events)


def test_no_answer_is_recorded_once_the_procedure_has_ended() -> None:
    d = Driver().open().order()
    d.ok("stop_procedure", reason="family withdrew consent")
    assert d.do("note_prethaw_check", bag=1, verdict="found").rejection is not None
