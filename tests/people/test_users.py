"""User administration: first run, administrators only, never deleted, every change logged."""

from __future__ import annotations

import sqlite3

import pytest

from kresladi_bedside.people import PEOPLE_LOG, InvalidUserData, NotAuthorized, People
from kresladi_bedside.store import verify

from .conftest import ADMIN_PIN, NURSE_PIN, Staff, badge


def test_first_run_creates_the_first_administrator_once(people: People) -> None:
    assert people.first_run()
    admin = people.init_admin("Ada Okafor", "a10001 ", ADMIN_PIN)
    assert admin.badge == "A10001" and admin.roles == {"administrator"} and admin.active
    assert not people.first_run()
    with pytest.raises(NotAuthorized) as refused:
        people.init_admin("Mallory", "M99999", "11112222")
    assert refused.value.code == "not_first_run"
    added = [e for e in people.audit.events() if e.type == "user_added"]
    assert [(e.user, e.data["user_id"], e.data["first_run"]) for e in added] == [
        (admin.id, admin.id, True)]


def test_administrator_adds_disables_enables_and_resets(staff: Staff) -> None:
    people, admin, nurse = staff.people, staff.admin, staff.nurse
    people.sign_in(badge(admin.badge), ADMIN_PIN)
    assert not people.disable(nurse.id, by=admin.id, reason="left the unit").active
    assert people.enable(nurse.id, by=admin.id).active
    people.reset_pin(nurse.id, "90817263", by=admin.id)
    people.sign_out()
    assert people.sign_in(badge(nurse.badge), "90817263").id == nurse.id
    kinds = [(e.type, e.user, e.data.get("user_id")) for e in people.audit.events()
             if e.type in ("user_disabled", "user_enabled", "pin_reset")]
    assert kinds == [("user_disabled", admin.id, nurse.id), ("user_enabled", admin.id, nurse.id),
                     ("pin_reset", admin.id, nurse.id)]


def test_a_nurse_cannot_administer_and_the_attempt_is_logged(staff: Staff) -> None:
    staff.sign_in_nurse()
    with pytest.raises(NotAuthorized) as refused:
        staff.people.add_user("Eve", "E55555", "12341234", ["nurse"], by=staff.nurse.id)
    assert refused.value.code == "role"
    last = staff.people.audit.events()[-1]
    assert (last.type, last.user, last.data["code"]) == ("admin_refused", staff.nurse.id, "role")
    assert staff.people.directory.by_badge("E55555") is None


def test_administration_needs_the_administrator_signed_in(staff: Staff) -> None:
    with pytest.raises(NotAuthorized) as refused:
        staff.people.disable(staff.nurse.id, by=staff.admin.id, reason="x")
    assert refused.value.code == "not_signed_in"
    assert staff.people.user(staff.nurse.id).active


def test_users_are_never_deleted(staff: Staff) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        staff.store.conn.execute("DELETE FROM users WHERE id = ?", (staff.nurse.id,))
    assert staff.people.user(staff.nurse.id) is not None


def test_the_last_active_administrator_cannot_be_disabled(staff: Staff) -> None:
    staff.people.sign_in(badge(staff.admin.badge), ADMIN_PIN)
    with pytest.raises(InvalidUserData) as refused:
        staff.people.disable(staff.admin.id, by=staff.admin.id, reason="leaving")
    assert refused.value.code == "last_administrator"


@pytest.mark.parametrize(("name", "badge_id", "pin", "roles", "code"), [
    ("", "B1", "12345678", ["nurse"], "name"),
    ("Bo", "", "12345678", ["nurse"], "badge"),
    ("Bo", "B1", "12a4", ["nurse"], "pin_format"),
    ("Bo", "B1", "123", ["nurse"], "pin_format"),
    ("Bo", "B1", "12345678", ["surgeon"], "roles"),
    ("Bo", "B1", "12345678", [], "roles"),
    ("Bo", "N20002", "12345678", ["nurse"], "badge_taken"),
])
def test_bad_user_data_is_refused_with_the_field_named(staff: Staff, name: str, badge_id: str,
                                                        pin: str, roles: list[str],
                                                        code: str) -> None:
    staff.people.sign_in(badge(staff.admin.badge), ADMIN_PIN)
    before = len(staff.people.users())
    with pytest.raises(InvalidUserData) as refused:
        staff.people.add_user(name, badge_id, pin, roles, by=staff.admin.id)
    assert refused.value.code == code
    assert len(staff.people.users()) == before


def test_user_changes_are_in_the_verified_hash_chain(staff: Staff) -> None:
    report = verify(staff.store)
    assert report.ok, report.summary()
    assert PEOPLE_LOG in staff.store.procedure_ids()
    assert NURSE_PIN not in "".join(r.data for r in staff.store.rows(PEOPLE_LOG))
