"""Start-up never crashes on a log it cannot replay: that procedure (or the people log) is blocked
with an alarm in its own words, and everything else works.

Before issue 15 a hash-valid row whose data the engine could not fold (a list where an order
belongs) made the window crash at every start, and a broken people log raised no alarm."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from forgelog import drop_triggers, run_script
from store_script import START

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine.model import Event
from kresladi_bedside.people import PEOPLE_LOG
from kresladi_bedside.profile import load_profile
from kresladi_bedside.store import open_store


def unreplayable(db: Path) -> None:
    """A procedure whose order is a list: stored and sealed like any event, but no fold can
    read it (the shape a hostile import left behind)."""
    clock = FakeClock(START)
    with open_store(db) as store:
        store.append([
            Event(Event.new_id(), "bad", "procedure_opened", {"training": False}, "u-x",
                  clock.now()),
            Event(Event.new_id(), "bad", "order_prepared", {"order": [1, 2, 3]}, "u-x",
                  clock.advance(5)),
        ])


def test_an_unreplayable_procedure_is_blocked_and_the_others_come_back(tmp_path: Path):
    from kresladi_bedside.store.recovery import (  # imported here: collects on old code
        recover,
    )

    db = tmp_path / "procedures.db"
    run_script(db, "good", steps=12)
    unreplayable(db)
    with open_store(db) as store:
        recovery = recover(store, load_profile(), FakeClock(START))
    assert [r.procedure.procedure_id for r in recovery.procedures] == ["good"]
    assert recovery.blocked == ("bad",)
    (text,) = recovery.alarm_texts()
    assert text.startswith("PROCEDURE LOG DAMAGED: procedure bad was not reopened.")
    assert "cannot be replayed" in text and "NOT RECORDED" not in text


def test_a_broken_people_log_raises_its_own_alarm(tmp_path: Path):
    from kresladi_bedside.store.recovery import (  # imported here: collects on old code
        full_check,
        recover,
        report_alarms,
    )

    db = tmp_path / "procedures.db"
    run_script(db, "good", steps=5)
    clock = FakeClock(START)
    with open_store(db) as store:
        store.append([Event(Event.new_id(), PEOPLE_LOG, "signed_in", {"badge": "N1"}, "u-1",
                            clock.now())])
    conn = sqlite3.connect(db, isolation_level=None)
    drop_triggers(conn)
    conn.execute("UPDATE events SET user = 'u-admin' WHERE procedure_id = ?", (PEOPLE_LOG,))
    conn.close()
    with open_store(db) as store:
        recovery = recover(store, load_profile(), FakeClock(START))
    assert [r.procedure.procedure_id for r in recovery.procedures] == ["good"]
    assert recovery.alarm_texts() == []  # before first paint: only what is reopened
    (alarm,) = report_alarms(full_check(db))  # the background check, right after
    assert alarm.startswith("PEOPLE LOG DAMAGED:") and "no one can sign in" in alarm


def test_start_up_checks_only_what_it_reopens_and_the_full_check_finds_the_rest(tmp_path):
    from kresladi_bedside.store.recovery import (  # imported here: collects on old code
        full_check,
        recover,
    )

    db = tmp_path / "procedures.db"
    run_script(db, "finished")
    run_script(db, "open", steps=10)
    conn = sqlite3.connect(db, isolation_level=None)
    drop_triggers(conn)
    conn.execute("UPDATE events SET data = '{}' WHERE procedure_id = 'finished' AND seq = 3")
    conn.close()
    with open_store(db) as store:
        recovery = recover(store, load_profile(), FakeClock(START))
    assert not recovery.report.full and recovery.report.ok  # the finished one was not read
    assert [r.procedure.procedure_id for r in recovery.procedures] == ["open"]
    report = full_check(db)
    assert report.full and report.broken_procedures == ("finished",)


@pytest.mark.usefixtures("qapp")
def test_the_window_starts_on_a_log_it_cannot_replay(tmp_path: Path):
    from kresladi_bedside.config import SiteConfig
    from kresladi_bedside.qt.app import build_window

    db = tmp_path / "procedures.db"
    unreplayable(db)
    window = build_window(SiteConfig(), db=db, training=True, clock=FakeClock(START))
    from PySide6.QtWidgets import QMessageBox

    try:
        boxes = [b for b in window.findChildren(QMessageBox)
                 if b.accessibleName() == "Log damaged alarm"]
        assert [b.text().split(":")[0] for b in boxes] == ["PROCEDURE LOG DAMAGED"]
        assert "procedure bad was not reopened" in boxes[0].text()
    finally:
        # the alarm boxes are windows of their own: closed with the window, never left to
        # pop up in a later test
        for box in window.findChildren(QMessageBox):
            box.close()
        window.close()
        window.deleteLater()


def test_sign_in_does_not_trust_a_broken_people_log(tmp_path: Path):
    from argon2 import PasswordHasher

    from kresladi_bedside.clock import SystemClock
    from kresladi_bedside.config import PeopleConfig
    from kresladi_bedside.people import People, SignInRefused

    db = tmp_path / "procedures.db"
    hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    with open_store(db) as store:
        People(store, PeopleConfig(), SystemClock(), hasher=hasher).init_admin(
            "Ada Okafor", "A10001", "40172958", ["nurse"])
    conn = sqlite3.connect(db, isolation_level=None)
    drop_triggers(conn)
    # The people log rewritten around the program (the administrator made a nurse only).
    conn.execute("UPDATE events SET data = json_set(data, '$.roles', json('[\"nurse\"]')) "
                 "WHERE procedure_id = 'people' AND type = 'user_added'")
    conn.close()
    with open_store(db) as store:
        people = People(store, PeopleConfig(), SystemClock(), hasher=hasher)
        with pytest.raises(SignInRefused) as refused:
            people.sign_in("BADGE:A10001", "40172958")
    assert refused.value.code == "people_log_damaged"
    assert "people log is damaged" in str(refused.value)
