"""§2.2 "Maintain the second infusion bag, if applicable, within the vapor phase of liquid
nitrogen storage to maintain temperature less than or equal to -150°C (-238°F) until time to
thaw": bag 2 stays frozen in its cassette until its own turn, and there, before it is taken
out, the nurse confirms it was kept so until now (the gates confirmed the storage hours before,
ahead of bag 1). Not kept: it is never thawed, and the procedure stops."""

from __future__ import annotations

from kresladi_bedside.engine.identity import ExactMatchVerifier
from kresladi_bedside.store.rejudge import redecide

from .driver import DINS, PATIENT, Driver


def at_bag_two() -> Driver:
    d = Driver().open().order().gates().identity().give_bag(1)
    d.advance(3600)
    assert (d.step, d.proc.step().bag) == ("identity", 2)
    return d


def test_bag_two_leaves_its_cassette_only_after_its_storage_is_confirmed() -> None:
    d = at_bag_two()
    out = d.scan("bag", din=DINS[1], coi=PATIENT["coi"])
    assert out.rejection is not None and out.rejection.rule == "second_bag_frozen"
    assert "kept in vapor-phase liquid nitrogen" in out.rejection.reason
    assert not d.proc.state.bag_released(2)
    out = d.ok("confirm_bag_storage", bag=2, kept_frozen=True)
    assert [e.type for e in out.events] == ["bag_storage_confirmed"]
    assert d.proc.state.bag(2).storage_reconfirmed_at is not None
    assert (d.step, d.proc.step().bag) == ("identity", 2)  # its label still to match
    assert d.scan("bag", din=DINS[1], coi=PATIENT["coi"]).accepted
    assert d.step == "inspect"
    again = d.do("confirm_bag_storage", bag=2, kept_frozen=True)
    assert again.rejection is not None  # once, at its turn


def test_bag_two_not_kept_frozen_is_never_thawed_and_the_procedure_stops() -> None:
    d = at_bag_two()
    out = d.do("confirm_bag_storage", bag=2, kept_frozen=False)
    assert out.rejection is not None and out.rejection.kind == "hard_stop"
    assert out.rejection.rule == "second_bag_frozen"
    assert "do not thaw" in out.rejection.reason
    assert d.proc.state.outcome == "stopped"
    assert d.proc.state.bag(2).thaw_started is None
    assert d.step == "post_infusion"  # bag 1 was given: its instructions still apply
    assert d.do("start_thaw", bag=2, method="dry",
                attest={"sterile_overbag": True}).rejection is not None


def test_no_confirmation_for_bag_one_nor_before_bag_twos_turn() -> None:
    d = Driver().open().order().gates().identity()
    out = d.do("confirm_bag_storage", bag=1, kept_frozen=True)
    assert out.rejection is not None  # bag 1's storage: the gates, this morning
    d.give_bag(1)
    d.advance(1800)  # the hour between bags is not over: bag 2 is still in LN2
    assert d.step == "between_bags"
    out = d.do("confirm_bag_storage", bag=2, kept_frozen=True)
    assert out.rejection is not None and "not possible now" in out.rejection.reason
    out = d.do("confirm_bag_storage", bag=2)
    assert out.rejection is not None


def test_the_answer_must_be_said() -> None:
    d = at_bag_two()
    out = d.do("confirm_bag_storage", bag=2, kept_frozen="yes")
    assert out.rejection is not None and out.rejection.kind == "refused"
    assert d.proc.state.bag(2).storage_reconfirmed_at is None


def test_a_two_bag_procedure_with_the_confirmation_is_decided_again() -> None:
    d = at_bag_two()
    d.give_bag(2)
    assert d.proc.state.bag(2).done_at is not None
    redecide(list(d.proc.events), d.profile, ExactMatchVerifier())  # raises when misjudged
