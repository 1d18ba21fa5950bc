"""Fixtures for the red-team tests (helpers in forgelog.py)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from forgelog import FINISHED, OTHER, RawConnection, run_script

from kresladi_bedside.cli import main
from kresladi_bedside.clock import SystemClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.people import People
from kresladi_bedside.store import open_store


@pytest.fixture(scope="session")
def finished_log(tmp_path_factory) -> Path:
    """Two finished procedures, the second written after the first."""
    path = tmp_path_factory.mktemp("finished") / "procedures.db"
    run_script(path, FINISHED)
    run_script(path, OTHER)
    return path


@pytest.fixture
def raw(finished_log: Path, tmp_path: Path) -> Iterator[RawConnection]:
    """A copy of the log, opened raw with the triggers left in place."""
    copy = tmp_path / "copy.db"
    shutil.copy(finished_log, copy)
    conn = RawConnection(copy, isolation_level=None)
    conn.path = copy
    yield conn
    conn.close()


ADMIN_PIN = "40172958"
NURSE_PIN = "73915864"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "target.db"
    with open_store(path) as store:
        people = People(store, PeopleConfig(), SystemClock(),
                        hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        admin = people.init_admin("Ada Okafor", "A10001", ADMIN_PIN, ["nurse"])
        people.sign_in("BADGE:A10001", ADMIN_PIN)
        people.add_user("Nora Lindqvist", "N20002", NURSE_PIN, ["nurse"], by=admin.id)
        people.sign_out()
    return path


@pytest.fixture
def exported(finished_log: Path, tmp_path: Path) -> list[dict]:
    """The finished procedure as `export` writes it, one record per line."""
    out = tmp_path / "export.jsonl"
    assert main(["--db", str(finished_log), "export", FINISHED, "-o", str(out)]) == 0
    return [json.loads(line) for line in out.read_text().splitlines()[:-1]]  # signature last
