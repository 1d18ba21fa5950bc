"""Issue 25: the gates' conditioning instants and back-up collection read from the hospital's EHR
(sync/ehr_gates.py) are judged by exactly the rules typed values are (24–48 h, the back-up
minimum, §2.2's conditioning order), and each event keeps the EHR record they came from; a
record the nurse set aside is never used."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kresladi_bedside.engine import Deviation
from kresladi_bedside.engine.identity import ExactMatchVerifier
from kresladi_bedside.store.rejudge import redecide

from .driver import NURSE, Driver

PROCEDURE = {"kind": "ehr", "resource": "Procedure/cond-1", "version": "3",
             "server": "https://ehr.example/r4"}
OBSERVATION = {"kind": "ehr", "resource": "Observation/bk-7", "version": "1",
               "server": "https://ehr.example/r4"}
ATTEST = {"hsct_appropriate": True, "ustekinumab": "not given"}
SIGNED = Deviation("Conditioning was started early by the transplant team's decision", NURSE)


def _driver() -> Driver:
    return Driver().open().order()


def _carried(d: Driver, *, ended_h: float = 30, began_h: float = 40, backup: float = 3e6,
             confirmed_days: float = 9) -> tuple[dict[str, Any], dict[str, Any]]:
    now = d.clock.now().wall
    return ({"available": True, "cd34_per_kg": backup, "source": OBSERVATION,
             "confirmed_at": (now - timedelta(days=confirmed_days)).isoformat()},
            {"at": (now - timedelta(hours=ended_h)).isoformat(), "source": PROCEDURE,
             "conditioning_start": (now - timedelta(hours=began_h)).isoformat()})


def test_carried_values_are_accepted_and_their_source_recorded() -> None:
    d = _driver()
    backup, conditioning = _carried(d)
    out = d.ok("confirm_backup", **backup)
    assert out.events[-1].data["source"] == OBSERVATION
    out = d.ok("record_conditioning_end", **conditioning)
    assert out.events[-1].data["source"] == PROCEDURE
    assert d.proc.state.conditioning_start is not None
    stored = (d.clock.now().wall - timedelta(days=10)).isoformat()
    d.ok("confirm_storage", temperature_c=-180, stored_at=stored)
    d.ok("attest", items=ATTEST)
    assert d.step == "identity"
    # decided again from its own events (an import): the source is part of the command
    redecide(list(d.proc.events), d.profile, ExactMatchVerifier())


def test_carried_values_are_refused_by_the_same_rules_as_typed_ones() -> None:
    d = _driver()
    backup, conditioning = _carried(d, backup=1.5e6)
    out = d.do("confirm_backup", **backup)  # below the 2 × 10^6/kg minimum
    assert out.rejection is not None and out.rejection.rule == "backup_collection"
    assert out.rejection.kind == "hard_stop"
    _, conditioning = _carried(d, ended_h=30, began_h=20)  # began after it ended
    out = d.do("record_conditioning_end", **conditioning)
    assert out.rejection is not None and "start cannot be after its end" in out.rejection.reason
    # §2.2: conditioning began before the back-up was confirmed: a deviation to sign
    backup, conditioning = _carried(d, began_h=40, confirmed_days=1)
    d.ok("confirm_backup", **backup)
    out = d.do("record_conditioning_end", **conditioning)
    assert out.rejection is not None
    assert (out.rejection.kind, out.rejection.rule) == ("deviation_required", "conditioning_order")
    out = d.ok("record_conditioning_end", SIGNED, **conditioning)
    assert out.events[-1].data["source"] == PROCEDURE


def test_a_source_of_the_wrong_kind_or_shape_is_refused() -> None:
    d = _driver()
    backup, conditioning = _carried(d)
    for wrong in (PROCEDURE, {**OBSERVATION, "kind": "typed"}, {**OBSERVATION, "version": 3},
                  {**OBSERVATION, "resource": "Observation/"}, "Observation/bk-7"):
        out = d.do("confirm_backup", **{**backup, "source": wrong})
        assert out.rejection is not None and out.rejection.rule == "backup_collection", wrong
    out = d.do("record_conditioning_end", **{**conditioning, "source": OBSERVATION})
    assert out.rejection is not None and out.rejection.rule == "conditioning_window"
    assert d.proc.state.backup_cd34_per_kg is None and d.proc.state.conditioning_end is None


def test_values_set_aside_are_recorded_and_never_used_after() -> None:
    d = _driver()
    out = d.ok("set_aside_ehr_values", sources=[PROCEDURE, OBSERVATION])
    assert [e.type for e in out.events] == ["ehr_values_set_aside"]
    assert out.events[0].data["sources"][0]["resource"] == "Procedure/cond-1"
    assert d.step == "gates"
    assert d.proc.state.ehr_set_aside == ("Procedure/cond-1", "Observation/bk-7")
    _, conditioning = _carried(d)
    out = d.do("record_conditioning_end", **conditioning)
    assert out.rejection is not None and "set aside" in out.rejection.reason
    typed = {k: v for k, v in conditioning.items() if k != "source"}
    d.ok("record_conditioning_end", **typed)  # typed from the chart: accepted
    assert d.do("set_aside_ehr_values", sources=[]).rejection is not None
    assert d.do("set_aside_ehr_values", sources=[{"resource": "Patient/x"}]).rejection


def test_the_record_says_which_values_came_from_the_ehr() -> None:
    from kresladi_bedside.record.gather import gather
    from kresladi_bedside.record.view import ChainStatus

    d = _driver()
    d.ok("set_aside_ehr_values", sources=[{**OBSERVATION, "resource": "Observation/old"}])
    backup, conditioning = _carried(d)
    d.ok("confirm_backup", **backup)
    d.ok("record_conditioning_end", **{k: v for k, v in conditioning.items() if k != "source"})
    view = gather(list(d.proc.events), d.profile, ChainStatus(1, "0" * 64, True), zone=None,
                  site="Ward 4", printed_at=None)
    rows = {row.label: row.value for row in view.gates}
    assert "(from the EHR: Observation/bk-7, version 1)" in rows["Back-up CD34+ collection"]
    assert rows["Back-up availability confirmed at"].endswith(
        "(from the EHR: Observation/bk-7, version 1)")
    assert "from the EHR" not in rows["Myeloablative conditioning completed"]  # typed
    assert "Observation/old" in rows["EHR values set aside (typed from the chart instead)"]
