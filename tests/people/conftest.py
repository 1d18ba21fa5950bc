"""Fixtures for the people tests: a real store on disk, a fake clock, a cheap argon2 hasher,
and three users (an administrator, a nurse, a witness)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.labels.samples import badge_payload
from kresladi_bedside.people import People, User
from kresladi_bedside.store import Store, open_store

START = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
ADMIN_PIN = "40172958"
NURSE_PIN = "73915864"
WITNESS_PIN = "58206139"
OTHER_NURSE_PIN = "26048371"


def badge(number: str) -> str:
    """What a wedge scanner delivers for a staff badge."""
    return badge_payload(badge=number, name=None)


def cheap_hasher() -> PasswordHasher:
    # Still argon2id; the production cost (~0.6 s a hash here) would make the suite slow.
    return PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


@dataclass
class Staff:
    people: People
    clock: FakeClock
    store: Store
    admin: User
    nurse: User
    witness: User
    other_nurse: User

    def sign_in_nurse(self) -> User:
        return self.people.sign_in(badge(self.nurse.badge), NURSE_PIN)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "procedures.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with open_store(db_path) as s:
        yield s


@pytest.fixture
def people(store: Store, clock: FakeClock) -> People:
    return People(store, PeopleConfig(), clock, hasher=cheap_hasher())


@pytest.fixture
def staff(people: People, clock: FakeClock, store: Store) -> Staff:
    admin = people.init_admin("Ada Okafor", "A10001", ADMIN_PIN)
    people.sign_in(badge("A10001"), ADMIN_PIN)
    nurse = people.add_user("Nora Lindqvist", "N20002", NURSE_PIN, ["nurse"], by=admin.id)
    witness = people.add_user("Walt Brennan", "W30003", WITNESS_PIN, ["witness"], by=admin.id)
    other = people.add_user("Omar Haddad", "N40004", OTHER_NURSE_PIN, ["nurse"], by=admin.id)
    people.sign_out()
    return Staff(people, clock, store, admin, nurse, witness, other)
