"""Issue 25 (actions on the real path): the signed-in nurse back at her locked screen after the
hour between two bags unlocks it with a scan of her own badge — within the site's time of her
last PIN, never with a typed badge or another user's, never past a badge lock — and her next
signature asks the PIN again."""

from __future__ import annotations

import pytest

from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.people import People, SignatureRefused, SignInRefused

from .conftest import NURSE_PIN, OTHER_NURSE_PIN, Staff, badge, cheap_hasher


def _locked_after(staff: Staff, minutes: float) -> People:
    people = staff.people
    staff.sign_in_nurse()
    staff.clock.advance(minutes * 60)
    people.lock("idle")
    return people


def test_her_own_badge_scanned_unlocks_within_the_time_of_her_pin(staff: Staff) -> None:
    people = _locked_after(staff, 150)  # sign-in, bag 1, the wait: 2.5 h
    who = people.unlock_by_badge(badge(staff.nurse.badge))
    assert who.id == staff.nurse.id and not people.locked
    event = people.audit.events()[-1]
    assert event.type == "session_unlocked_by_badge" and event.user == staff.nurse.id


def test_after_a_badge_unlock_a_signature_asks_the_pin(staff: Staff) -> None:
    people = _locked_after(staff, 90)
    assert not people.needs_pin_to_sign() or people.locked
    people.unlock_by_badge(badge(staff.nurse.badge))
    assert people.needs_pin_to_sign()
    with pytest.raises(SignatureRefused) as refused:
        people.sign("deviation")
    assert refused.value.code == "pin_required"
    assert people.sign("deviation", pin=NURSE_PIN).user == staff.nurse.id


@pytest.mark.parametrize("why", ["typed", "late", "off", "other user"])
def test_the_pin_is_asked(staff: Staff, store, clock, why: str) -> None:
    people = staff.people
    if why == "off":
        people = People(store, PeopleConfig(badge_unlock_minutes=0), clock,
                        hasher=cheap_hasher())
    people.sign_in(badge(staff.nurse.badge), NURSE_PIN)
    clock.advance((241 if why == "late" else 60) * 60)
    people.lock("idle")
    kwargs = {"source": "typed"} if why == "typed" else {}
    scanned = badge(staff.other_nurse.badge if why == "other user" else staff.nurse.badge)
    with pytest.raises(SignInRefused) as refused:
        people.unlock_by_badge(scanned, **kwargs)  # type: ignore[arg-type]
    assert refused.value.code == ("not_same_user" if why == "other user" else "pin_required")
    assert people.locked
    if why == "other user":  # a take-over is still that user's badge and PIN
        assert people.take_over(scanned, OTHER_NURSE_PIN).id == staff.other_nurse.id
    else:
        assert people.unlock(NURSE_PIN).id == staff.nurse.id


def test_the_time_counts_from_the_pin_not_from_the_last_badge_unlock(staff: Staff) -> None:
    people = _locked_after(staff, 200)
    people.unlock_by_badge(badge(staff.nurse.badge))
    staff.clock.advance(50 * 60)  # 250 min since the PIN
    people.lock("manual")
    with pytest.raises(SignInRefused) as refused:
        people.unlock_by_badge(badge(staff.nurse.badge))
    assert refused.value.code == "pin_required"
    people.unlock(NURSE_PIN)  # the PIN starts the time again
    staff.clock.advance(30 * 60)
    people.lock("manual")
    assert people.unlock_by_badge(badge(staff.nurse.badge)).id == staff.nurse.id


def test_wrong_pins_are_not_forgiven_by_a_badge(staff: Staff) -> None:
    """A badge unlock proves no PIN: it neither ends a run of wrong PINs nor opens a badge
    those wrong PINs locked."""
    people = _locked_after(staff, 30)
    for _ in range(people.config.max_failed_pins):
        with pytest.raises(SignInRefused):
            people.unlock("00000000")
    with pytest.raises(SignInRefused) as refused:
        people.unlock_by_badge(badge(staff.nurse.badge))
    assert refused.value.code == "pin_required"
    assert people.locked
