"""Sign-in by badge and PIN: refusals with reasons, all logged; lockout; no PIN in clear."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.labels.model import Scan
from kresladi_bedside.people import PEOPLE_LOG, People, SignInRefused
from kresladi_bedside.people.pins import default_hasher
from kresladi_bedside.store import Store

from .conftest import ADMIN_PIN, NURSE_PIN, Staff, badge


def last_refusal(people: People) -> dict[str, object]:
    event = people.audit.events()[-1]
    assert event.type == "authentication_failed"
    return {"user": event.user, **event.data}


def test_badge_and_pin_sign_in_and_log_it(staff: Staff) -> None:
    user = staff.people.sign_in(badge("n20002"), NURSE_PIN)
    assert user.id == staff.nurse.id and staff.people.current_user == user
    event = staff.people.audit.events()[-1]
    assert (event.type, event.user, event.data["badge"]) == ("signed_in", user.id, "N20002")


def test_wrong_pin_is_refused_with_a_reason_and_logged(staff: Staff) -> None:
    with pytest.raises(SignInRefused, match="not right") as refused:
        staff.people.sign_in(badge(staff.nurse.badge), "11111111")
    assert refused.value.code == "wrong_pin"
    assert staff.people.current_user is None
    logged = last_refusal(staff.people)
    assert (logged["user"], logged["code"], logged["counts"]) == (staff.nurse.id, "wrong_pin",
                                                                  True)


def test_unknown_badge_is_refused_and_logged(staff: Staff) -> None:
    with pytest.raises(SignInRefused) as refused:
        staff.people.sign_in(badge("Z99999"), NURSE_PIN)
    assert refused.value.code == "unknown_badge"
    assert last_refusal(staff.people)["badge"] == "Z99999"


def test_disabled_user_is_refused_even_with_the_right_pin(staff: Staff) -> None:
    staff.people.sign_in(badge(staff.admin.badge), ADMIN_PIN)
    staff.people.disable(staff.nurse.id, by=staff.admin.id, reason="on leave")
    staff.people.sign_out()
    with pytest.raises(SignInRefused, match="disabled") as refused:
        staff.sign_in_nurse()
    assert refused.value.code == "disabled"
    assert last_refusal(staff.people)["code"] == "disabled"
    assert staff.people.current_user is None


def test_five_wrong_pins_lock_the_badge_for_the_configured_time(staff: Staff) -> None:
    people, clock = staff.people, staff.clock
    for _ in range(4):
        with pytest.raises(SignInRefused):
            people.sign_in(badge(staff.nurse.badge), "00000000")
    with pytest.raises(SignInRefused, match="locked for 15 minutes") as fifth:
        people.sign_in(badge(staff.nurse.badge), "00000000")
    assert fifth.value.code == "badge_locked"
    assert people.audit.events()[-1].type == "badge_locked"
    clock.advance(14 * 60 + 59)
    with pytest.raises(SignInRefused, match="locked") as still:
        staff.sign_in_nurse()  # the right PIN is not even tried while locked
    assert still.value.code == "badge_locked"
    assert last_refusal(people)["code"] == "badge_locked"
    clock.advance(1)
    assert staff.sign_in_nurse().id == staff.nurse.id


def test_lock_is_per_badge_and_a_success_resets_the_count(staff: Staff) -> None:
    people = staff.people
    for _ in range(4):
        with pytest.raises(SignInRefused):
            people.sign_in(badge(staff.nurse.badge), "00000000")
    staff.sign_in_nurse()
    people.sign_out()
    for _ in range(4):
        with pytest.raises(SignInRefused) as refused:
            people.sign_in(badge(staff.nurse.badge), "00000000")
        assert refused.value.code == "wrong_pin"
    assert people.sign_in(badge(staff.other_nurse.badge), "26048371").id == staff.other_nurse.id


def test_an_administrator_pin_reset_lifts_a_lock(staff: Staff) -> None:
    people = staff.people
    for _ in range(5):
        with pytest.raises(SignInRefused):
            people.sign_in(badge(staff.nurse.badge), "00000000")
    people.sign_in(badge(staff.admin.badge), ADMIN_PIN)
    people.reset_pin(staff.nurse.id, "31415926", by=staff.admin.id)
    people.sign_out()
    assert people.sign_in(badge(staff.nurse.badge), "31415926").id == staff.nurse.id


def test_lock_count_follows_the_config(store: Store, clock: FakeClock) -> None:
    from .conftest import cheap_hasher

    people = People(store, PeopleConfig(max_failed_pins=2, badge_lock_minutes=1), clock,
                    hasher=cheap_hasher())
    people.init_admin("Ada", "A1", ADMIN_PIN)
    with pytest.raises(SignInRefused):
        people.sign_in(badge("A1"), "0000")
    with pytest.raises(SignInRefused) as second:
        people.sign_in(badge("A1"), "0000")
    assert second.value.code == "badge_locked"
    clock.advance(60)
    assert people.sign_in(badge("A1"), ADMIN_PIN).name == "Ada"


def test_a_typed_badge_needs_a_reason(staff: Staff) -> None:
    with pytest.raises(SignInRefused) as refused:
        staff.people.sign_in("BADGE:N20002", NURSE_PIN, source="typed")
    assert refused.value.code == "badge_unreadable"
    assert last_refusal(staff.people)["source"] == "typed"
    user = staff.people.sign_in("BADGE:N20002", NURSE_PIN, source="typed",
                                typed_reason="badge worn out")
    event = staff.people.audit.events()[-1]
    assert user.id == staff.nurse.id
    assert (event.data["source"], event.data["typed_reason"]) == ("typed", "badge worn out")


def test_a_typed_badge_scan_object_without_reason_is_refused(staff: Staff) -> None:
    scan = Scan("badge", {"badge": "N20002"}, "typed", "N20002")
    with pytest.raises(SignInRefused) as refused:
        staff.people.sign_in(scan, NURSE_PIN)
    assert refused.value.code == "typed_reason"


def test_a_wristband_is_not_a_badge(staff: Staff) -> None:
    with pytest.raises(SignInRefused, match="wristband") as refused:
        staff.people.sign_in("MRN:MRN0042117|NAME:RIVERA^MATEO|DOB:2024-05-01", NURSE_PIN)
    assert refused.value.code == "not_a_badge"


def test_a_gs1_staff_badge_signs_in_by_its_gsrn(staff: Staff) -> None:
    from kresladi_bedside.labels.samples import SAMPLE_STAFF_GSRN, badge_payload

    staff.people.sign_in(badge(staff.admin.badge), ADMIN_PIN)
    user = staff.people.add_user("Gus", SAMPLE_STAFF_GSRN, "27394615", ["nurse"],
                                 by=staff.admin.id)
    assert staff.people.sign_in(badge_payload(style="gs1"), "27394615").id == user.id


def test_pins_are_never_stored_or_logged_in_clear(staff: Staff, db_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    people = staff.people
    for _ in range(5):
        with pytest.raises(SignInRefused):
            people.sign_in(badge(staff.nurse.badge), "86420975")
    people.sign_in(badge(staff.witness.badge), "58206139")
    people.sign_out()
    pins = [ADMIN_PIN, NURSE_PIN, "58206139", "26048371", "86420975"]
    files = [p for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)]
    assert any(p.name.endswith("-wal") for p in files)  # the WAL is searched too
    for path in files:
        content = path.read_bytes()
        for pin in pins:
            assert pin.encode() not in content, f"PIN found in {path.name}"
    logged = caplog.text + "".join(r.data for r in staff.store.rows(PEOPLE_LOG))
    assert "locked after" in caplog.text  # the IT log did record the lock…
    assert "N20002" not in caplog.text  # …without the badge (README: badges are redacted)
    for pin in pins:
        assert pin not in logged
    stored = {r[0] for r in staff.store.conn.execute("SELECT pin_hash FROM users")}
    assert all(h.startswith("$argon2id$") for h in stored) and len(stored) == 4


def test_the_production_hasher_is_argon2id_with_its_default_cost(store: Store,
                                                                  clock: FakeClock) -> None:
    people = People(store, None, clock, hasher=default_hasher())
    people.init_admin("Ada", "A1", ADMIN_PIN)
    stored = store.conn.execute("SELECT pin_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert people.sign_in(badge("A1"), ADMIN_PIN).name == "Ada"


def test_a_clear_pin_cannot_be_written_to_the_users_table(staff: Staff) -> None:
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        staff.store.conn.execute("UPDATE users SET pin_hash = '1234' WHERE id = ?",
                                 (staff.nurse.id,))
