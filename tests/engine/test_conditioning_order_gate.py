"""§2.2 "Do not begin conditioning until KRESLADI has been received and stored at the treatment
center and the availability of the back-up collection of CD34+ cells is confirmed": the gates
stay open until each instant the rule compares is recorded (typed, or carried from the
receipt) or attested unknown with a signed reason; the rule is never skipped silently."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kresladi_bedside.engine import Deviation
from kresladi_bedside.engine.identity import ExactMatchVerifier
from kresladi_bedside.store.rejudge import redecide

from .driver import NURSE, Driver

SIGNED = Deviation("Not in the chart; the transplant team was asked and cannot say", NURSE)
ATTEST = {"hsct_appropriate": True, "ustekinumab": "not given"}


def _gates_without_instants() -> Driver:
    """Every gate value recorded, none of the three instants."""
    d = Driver().open().order()
    now = d.clock.now().wall
    d.ok("confirm_backup", available=True, cd34_per_kg=3e6)
    d.ok("record_conditioning_end", at=(now - timedelta(hours=30)).isoformat())
    d.ok("confirm_storage", temperature_c=-170)
    d.ok("attest", items=ATTEST)
    return d


def test_the_gates_stay_open_while_an_instant_of_the_rule_is_missing() -> None:
    d = _gates_without_instants()
    assert d.step == "gates"  # not identity: the rule could not be checked
    out = d.do("scan", scan={"kind": "wristband", "identifiers": {}, "source": "wedge",
                             "raw": "x"})
    assert out.rejection is not None and "not possible now" in out.rejection.reason


@pytest.mark.parametrize("instant", ["conditioning_start", "stored_at", "backup_confirmed_at"])
def test_an_unknown_instant_is_attested_only_with_a_reason_and_a_signature(instant: str) -> None:
    d = _gates_without_instants()
    out = d.do("attest_instant_unknown", instant=instant)
    assert out.rejection is not None
    assert (out.rejection.kind, out.rejection.rule) == ("deviation_required", "conditioning_order")
    assert d.proc.state.unknown_instants == {}
    out = d.ok("attest_instant_unknown", SIGNED, instant=instant)
    assert [e.type for e in out.events] == ["deviation_recorded", "order_instant_unknown"]
    assert out.events[0].data["rule"] == "conditioning_order_unknown"
    assert d.proc.state.unknown_instants == {instant: SIGNED.reason}
    assert d.step == "gates"  # the other two are still missing
    again = d.do("attest_instant_unknown", SIGNED, instant=instant)
    assert again.rejection is not None and "already attested" in again.rejection.reason


def test_every_instant_entered_or_attested_opens_the_gates_and_is_decided_again() -> None:
    d = _gates_without_instants()
    for instant in ("conditioning_start", "stored_at", "backup_confirmed_at"):
        d.ok("attest_instant_unknown", SIGNED, instant=instant)
    assert d.step == "identity"
    redecide(list(d.proc.events), d.profile, ExactMatchVerifier())  # raises if misjudged


def test_a_recorded_instant_cannot_be_attested_unknown() -> None:
    d = Driver().open().order()
    now = d.clock.now().wall
    d.ok("confirm_storage", temperature_c=-170, stored_at=(now - timedelta(days=9)).isoformat())
    out = d.do("attest_instant_unknown", SIGNED, instant="stored_at")
    assert out.rejection is not None and "already recorded" in out.rejection.reason
    out = d.do("attest_instant_unknown", SIGNED, instant="thaw_started")
    assert out.rejection is not None and "not an instant" in out.rejection.reason


def test_an_attested_unknown_does_not_excuse_a_known_wrong_order() -> None:
    """Stored unknown, but the back-up confirmed after conditioning began: still a deviation of
    its own (the unknown's signature does not cover it)."""
    d = Driver().open().order()
    now = d.clock.now().wall
    d.ok("attest_instant_unknown", SIGNED, instant="stored_at")
    d.ok("confirm_backup", available=True, cd34_per_kg=3e6,
         confirmed_at=(now - timedelta(days=1)).isoformat())
    out = d.do("record_conditioning_end", at=(now - timedelta(hours=30)).isoformat(),
               conditioning_start=(now - timedelta(days=4)).isoformat())
    assert out.rejection is not None
    assert (out.rejection.kind, out.rejection.rule) == ("deviation_required", "conditioning_order")
    assert "back-up collection was confirmed" in out.rejection.reason


def test_the_receipts_storage_instant_is_carried_and_not_asked_again() -> None:
    """An order opened from a receipt carries when KRESLADI was received and stored: the gates
    need only the other two instants, and conditioning begun before that storage needs a signed
    deviation (the rule judged against the carried instant)."""
    from kresladi_bedside.engine.steps import order_instants_missing

    from .driver import order_dict

    d = Driver().open()
    now = d.clock.now().wall
    stored = now - timedelta(days=3)
    d.ok("prepare_order", order=order_dict(), stored_at=stored.isoformat())
    assert order_instants_missing(d.proc.state) == ["conditioning_start", "backup_confirmed_at"]
    d.ok("confirm_backup", available=True, cd34_per_kg=3e6,
         confirmed_at=(now - timedelta(days=9)).isoformat())
    out = d.do("record_conditioning_end", at=(now - timedelta(hours=30)).isoformat(),
               conditioning_start=(stored - timedelta(hours=1)).isoformat())
    assert out.rejection is not None and out.rejection.rule == "conditioning_order"
    assert "received and stored" in out.rejection.reason
    d.ok("record_conditioning_end", SIGNED, at=(now - timedelta(hours=30)).isoformat(),
         conditioning_start=(stored - timedelta(hours=1)).isoformat())
    d.ok("confirm_storage", temperature_c=-170)  # no instant typed: the receipt's stands
    d.ok("attest", items=ATTEST)
    assert d.proc.state.stored_at is not None and d.proc.state.stored_at.wall == stored
    assert d.step == "identity"


def test_the_record_prints_an_unknown_instant_with_who_attested_it_and_why() -> None:
    from kresladi_bedside.record.gather import gather
    from kresladi_bedside.record.view import ChainStatus

    d = _gates_without_instants()
    d.ok("attest_instant_unknown", SIGNED, instant="backup_confirmed_at")
    view = gather(list(d.proc.events), d.profile, ChainStatus(1, "0" * 64, True), zone=None,
                  site="Ward 4", printed_at=None)
    rows = {row.label: row.value for row in view.gates}
    confirmed = rows["Back-up availability confirmed at"]
    assert confirmed.startswith("unknown — attested") and NURSE in confirmed
    assert SIGNED.reason in confirmed
    assert rows["KRESLADI received and stored on site at"] == "not recorded"  # not attested


def test_an_older_log_past_the_gates_without_instants_keeps_its_step() -> None:
    """A procedure recorded before the instants were required, reopened after an update in the
    middle of its thaw: the fold of its events stands at the thaw, never back at the gates
    (a thaw's commands refused as 'not possible now' would be the harm)."""
    from dataclasses import replace

    from kresladi_bedside.engine.state import fold
    from kresladi_bedside.engine.steps import current_step

    d = Driver().open().order().gates().identity()
    d.ok("inspect_bag", bag=1, intact=True)
    d.ok("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True})
    strip = {"backup_confirmed": "confirmed_at", "conditioning_end_recorded":
             "conditioning_start", "storage_confirmed": "stored_at"}
    older = [replace(e, data={k: v for k, v in e.data.items() if k != strip.get(e.type)})
             for e in d.proc.events]
    state = fold(older)
    assert state.stored_at is None and state.conditioning_start is None
    assert current_step(state, d.clock.now(), d.profile).name == "thaw"
