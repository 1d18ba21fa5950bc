"""The lockout outrun through path aliases, and the thin PIN blocklist (issue 26, findings 7
and 8)."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from test_people_attacks import (  # noqa: F401  (db: a fixture)
    ADMIN_PIN,
    MAX_FAILED,
    cheap,
    counted_checks,
    db,
    wrong_pin,
)

from kresladi_bedside.clock import SystemClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.people import People
from kresladi_bedside.people.errors import InvalidUserData
from kresladi_bedside.store import StorageError, open_store


def test_twelve_processes_through_twelve_symlinks_check_exactly_five(db: Path):  # noqa: F811
    aliases = []
    for n in range(12):
        folder = db.parent / f"alias-{n}"
        folder.mkdir()
        os.symlink(db, folder / "procedures.db")
        aliases.append(str(folder / "procedures.db"))
    with multiprocessing.get_context("forkserver").Pool(12) as pool:
        codes = pool.map(wrong_pin, aliases)
    checked, locks = counted_checks(db)
    assert checked == MAX_FAILED, f"{checked} wrong PINs were checked (at most {MAX_FAILED})"
    assert locks == 1
    assert codes.count("badge_locked") == 12 - (MAX_FAILED - 1)


def test_a_hard_linked_log_is_refused_by_every_name(db: Path):  # noqa: F811
    """Through a second name SQLite keeps a second WAL and write lock: two logs in one file,
    and the lockout (and every event) unguarded. Such a file is not opened at all."""
    other = db.parent / "elsewhere"
    other.mkdir()
    os.link(db, other / "procedures.db")
    for name in (db, other / "procedures.db"):
        for read_only in (False, True):
            with pytest.raises(StorageError, match="hard links"):
                open_store(name, read_only=read_only)


@pytest.mark.parametrize("pin", [
    "123654", "987123", "111222", "000001", "100000", "121121", "246813", "135792",
    "147258", "159357", "789456", "25802580", "150390", "031590", "900315", "19900315",
    "15031990", "03151990",
])
def test_guessable_pins_are_refused(db: Path, pin: str):  # noqa: F811
    with open_store(db) as store:
        people = People(store, PeopleConfig(), SystemClock(), hasher=cheap())
        admin = people.sign_in("BADGE:A10001", ADMIN_PIN)
        with pytest.raises(InvalidUserData) as refused:
            people.reset_pin(people.directory.by_badge("N20002").id, pin, by=admin.id)
        assert refused.value.code == "pin_blocked"


@pytest.mark.parametrize("pin", ["40172958", "739158", "582047", "693514"])
def test_ordinary_pins_are_accepted(db: Path, pin: str):  # noqa: F811
    with open_store(db) as store:
        people = People(store, PeopleConfig(), SystemClock(), hasher=cheap())
        admin = people.sign_in("BADGE:A10001", ADMIN_PIN)
        people.reset_pin(people.directory.by_badge("N20002").id, pin, by=admin.id)
