"""The doors beside the log: the lockout raced, weak PINs, the users table edited around the
program, and the user list open to anyone. Each test failed before issue 15's fixes."""

from __future__ import annotations

import io
import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kresladi_bedside.cli import main
from kresladi_bedside.clock import SystemClock
from kresladi_bedside.config import InvalidConfigError, PeopleConfig, parse_site_config
from kresladi_bedside.people import People, SignInRefused
from kresladi_bedside.people.errors import InvalidUserData
from kresladi_bedside.store import open_store

ADMIN_PIN = "40172958"
NURSE_PIN = "73915864"
MAX_FAILED = 5


def cheap() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "procedures.db"
    with open_store(path) as store:
        people = People(store, PeopleConfig(), SystemClock(), hasher=cheap())
        admin = people.init_admin("Ada Okafor", "A10001", ADMIN_PIN)
        people.sign_in("BADGE:A10001", ADMIN_PIN)
        people.add_user("Nora Lindqvist", "N20002", NURSE_PIN, ["nurse"], by=admin.id)
        people.sign_out()
    return path


def counted_checks(db: Path) -> tuple[int, int]:
    """(wrong PINs that were really checked, badge locks) for the nurse's badge."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT type, json_extract(data, '$.counts') FROM events WHERE procedure_id = "
            "'people' AND json_extract(data, '$.badge') = 'N20002'").fetchall()
    finally:
        conn.close()
    checked = sum(1 for t, _ in rows if t == "pin_checked")  # counted before each check
    locks = sum(1 for t, _ in rows if t == "badge_locked")
    return checked, locks


def wrong_pin(db: str) -> str:
    with open_store(db) as store:
        people = People(store, PeopleConfig(max_failed_pins=MAX_FAILED), SystemClock(),
                        hasher=cheap())
        try:
            people.sign_in("BADGE:N20002", "55550000")
        except SignInRefused as refused:
            return refused.code
    return "signed in"


def test_parallel_wrong_pins_in_threads_are_counted_and_lock(db: Path):
    codes: list[str] = []
    threads = [threading.Thread(target=lambda: codes.append(wrong_pin(str(db))))
               for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checked, locks = counted_checks(db)
    assert checked == MAX_FAILED, f"{checked} wrong PINs were checked (at most {MAX_FAILED})"
    assert locks == 1
    assert codes.count("badge_locked") == 30 - (MAX_FAILED - 1)


def test_parallel_wrong_pins_in_processes_are_counted_and_lock(db: Path):
    with multiprocessing.get_context("forkserver").Pool(12) as pool:
        codes = pool.map(wrong_pin, [str(db)] * 12)
    checked, locks = counted_checks(db)
    assert checked == MAX_FAILED
    assert locks == 1
    assert "signed in" not in codes


@pytest.mark.parametrize("pin", ["0000", "1234", "2468", "12345", "000000", "123456",
                                 "654321", "890123", "121212", "123123", "112233", "159753",
                                 "20002", "420002", "20002000"])
def test_weak_pins_are_refused(db: Path, pin: str):
    with open_store(db) as store:
        people = People(store, PeopleConfig(), SystemClock(), hasher=cheap())
        admin = people.sign_in("BADGE:A10001", ADMIN_PIN)
        with pytest.raises(InvalidUserData) as refused:
            people.reset_pin(people.directory.by_badge("N20002").id, pin, by=admin.id)
        assert refused.value.code in ("pin_format", "pin_blocked")


def test_a_site_may_ask_for_longer_pins_but_not_shorter():
    assert parse_site_config({"people": {"pin_min_digits": 8}}).people.pin_min_digits == 8
    for bad in ({"pin_min_digits": 4}, {"max_failed_pins": 1_000_000},
                {"max_failed_pins": 1}, {"badge_lock_minutes": 0}):
        with pytest.raises(InvalidConfigError, match="between"):
            parse_site_config({"people": bad})


def test_a_site_with_eight_digit_pins_refuses_six(db: Path):
    with open_store(db) as store:
        people = People(store, PeopleConfig(pin_min_digits=8), SystemClock(), hasher=cheap())
        admin = people.sign_in("BADGE:A10001", ADMIN_PIN)
        nurse = people.directory.by_badge("N20002")
        with pytest.raises(InvalidUserData, match="8 to 12 digits"):
            people.reset_pin(nurse.id, "739158", by=admin.id)
        people.reset_pin(nurse.id, "73915802", by=admin.id)


def test_a_nurse_made_administrator_by_sql_cannot_administer(db: Path):
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE users SET roles = 'administrator nurse' WHERE badge = 'N20002'")
    conn.close()
    with open_store(db) as store:
        people = People(store, PeopleConfig(), SystemClock(), hasher=cheap())
        with pytest.raises(SignInRefused) as refused:
            people.sign_in("BADGE:N20002", NURSE_PIN)
        assert refused.value.code == "user_record_altered"
        assert "does not match the people log" in str(refused.value)
        assert list(people.user_problems().values()) == [
            "name, badge or roles differ from the people log: the row was altered"]


def test_a_pin_hash_swapped_by_sql_does_not_open_the_account(db: Path):
    known = cheap().hash("11223399")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE users SET pin_hash = ? WHERE badge = 'A10001'", (known,))
    conn.close()
    with open_store(db) as store:
        people = People(store, PeopleConfig(), SystemClock(), hasher=cheap())
        with pytest.raises(SignInRefused) as refused:
            people.sign_in("BADGE:A10001", "11223399")
        assert refused.value.code == "user_record_altered"


def test_a_disabled_user_re_enabled_by_sql_stays_out(db: Path):
    with open_store(db) as store:
        people = People(store, PeopleConfig(), SystemClock(), hasher=cheap())
        admin = people.sign_in("BADGE:A10001", ADMIN_PIN)
        people.disable(people.directory.by_badge("N20002").id, by=admin.id, reason="left")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE users SET active = 1 WHERE badge = 'N20002'")
    conn.close()
    with open_store(db) as store:
        people = People(store, PeopleConfig(), SystemClock(), hasher=cheap())
        with pytest.raises(SignInRefused):
            people.sign_in("BADGE:N20002", NURSE_PIN)


@pytest.mark.parametrize("sql", [
    "INSERT OR REPLACE INTO users SELECT id, name, badge, pin_hash, 'administrator nurse', "
    "active, created_at, changed_at FROM users WHERE badge = 'N20002'",
    "REPLACE INTO users SELECT id, name, badge, pin_hash, 'administrator', active, created_at, "
    "changed_at FROM users WHERE badge = 'N20002'",
])
def test_users_cannot_be_replaced_around_the_triggers(db: Path, sql: str):
    conn = sqlite3.connect(db, isolation_level=None)
    with pytest.raises(sqlite3.IntegrityError, match="never replaced"):
        conn.execute(sql)
    conn.close()


def users(monkeypatch: pytest.MonkeyPatch, db: Path, stdin: str, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--db", str(db), "users", *argv])


def test_users_list_needs_an_administrator(db: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        users(monkeypatch, db, "", "list")  # --as is required
    assert "N20002" not in capsys.readouterr().out
    assert users(monkeypatch, db, "73915864\n", "list", "--as", "N20002") == 2
    assert "N20002" not in capsys.readouterr().out
    assert users(monkeypatch, db, ADMIN_PIN + "\n", "list", "--as", "A10001") == 0
    assert "N20002" in capsys.readouterr().out
