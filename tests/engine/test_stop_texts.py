"""Issue 25, items 7 and 14: the closing text fits why the procedure stopped. "KRESLADI was
compromised" only when the product was (a hard stop found in it); a staff stop after
conditioning says what happened and sends to the physician; a stop after every bag was given
does not speak of "part of the dose"."""

from __future__ import annotations

from kresladi_bedside.engine.summary import stop_summary

from .driver import Driver


def stopped(d: Driver, reason: str = "Patient febrile, physician postponed") -> str:
    d.ok("stop_procedure", reason=reason)
    backup = stop_summary(d.proc.state, d.profile).backup
    assert backup is not None
    return backup


def test_a_staff_stop_before_infusion_is_not_called_a_compromised_product() -> None:
    d = Driver().open().order().gates().identity()
    text = stopped(d)
    assert "compromised" not in text
    assert "no KRESLADI was infused" in text and "Patient febrile" in text
    assert "transplant physician" in text


def test_a_product_found_broken_says_compromised() -> None:
    d = Driver().open().order().gates().identity()
    out = d.do("inspect_bag", bag=1, intact=False)
    assert out.accepted or d.proc.state.outcome == "stopped"
    if d.proc.state.outcome != "stopped":
        d.ok("stop_procedure", reason="bag cracked")
    backup = stop_summary(d.proc.state, d.profile).backup
    assert backup is not None and "KRESLADI was compromised" in backup


def test_a_stop_after_every_bag_was_given_is_not_part_of_the_dose() -> None:
    d = Driver().open().order().gates().identity().give_bag(1)
    d.advance(3600)
    d.give_bag(2)
    text = stopped(d, "record closed by the ward")
    assert "every bag was infused" in text and "part of the dose" not in text
