"""Users are a projection of the sealed people log (issue 26, findings 2 and 12): a users row
deleted or replaced around the program is an alarm, an emptied users table is never "first run",
and a kill between the people-log event and the users row can no longer lock anyone out."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from test_people_attacks import ADMIN_PIN, NURSE_PIN, cheap, db  # noqa: F401  (fixture)

from kresladi_bedside.cli import main
from kresladi_bedside.clock import SystemClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.people import NotAuthorized, People, SignInRefused
from kresladi_bedside.store import open_store


def people_on(store) -> People:
    return People(store, PeopleConfig(), SystemClock(), hasher=cheap())


def raw(db: Path) -> sqlite3.Connection:  # noqa: F811
    return sqlite3.connect(db, isolation_level=None)


def test_update_or_replace_taking_the_admin_badge_is_an_alarm(db: Path):  # noqa: F811
    conn = raw(db)
    # No trigger fires: UPDATE OR REPLACE deletes the administrator's row to free the badge.
    conn.execute("UPDATE OR REPLACE users SET badge = 'A10001' WHERE badge = 'N20002'")
    assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 1
    conn.close()
    with open_store(db) as store:
        people = people_on(store)
        problems = people.user_problems()
        assert len(problems) == 2  # the nurse's row altered, the administrator's row gone
        assert any("no users row" in p for p in problems.values())
        alarms = people.alarm_texts()  # what the window shows at start
        assert len(alarms) == 2 and all(a.startswith("USER RECORD ALTERED") for a in alarms)
        for pin in (ADMIN_PIN, NURSE_PIN):
            with pytest.raises(SignInRefused) as refused:
                people.sign_in("BADGE:A10001", pin)
            assert refused.value.code == "user_record_altered"
    assert main(["--db", str(db), "verify"]) == 1


def test_an_emptied_users_table_is_not_a_first_run(db: Path, capsys, monkeypatch):  # noqa: F811
    conn = raw(db)
    conn.execute("DROP TRIGGER users_no_delete")
    conn.execute("DELETE FROM users")
    conn.close()
    with open_store(db) as store:
        people = people_on(store)
        assert not people.first_run()
        with pytest.raises(NotAuthorized):
            people.init_admin("Mallory", "M66666", "40172958")
        assert len(people.user_problems()) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("40172958\n40172958\n"))
    assert main(["--db", str(db), "users", "init-admin", "--name", "Mallory",
                 "--badge", "M66666"]) == 2
    assert "already" in capsys.readouterr().err
    assert main(["--db", str(db), "verify"]) == 1
    assert "USER RECORD ALTERED" in capsys.readouterr().out


def test_a_log_with_procedures_is_not_a_first_run(tmp_path: Path):
    from forgelog import run_script

    path = tmp_path / "procedures.db"
    run_script(path, "p1", steps=3)
    with open_store(path) as store:
        assert not people_on(store).first_run()
    empty = tmp_path / "new.db"
    with open_store(empty) as store:
        people = people_on(store)
        with pytest.raises(SignInRefused):  # a refused try before the first administrator
            people.sign_in("BADGE:A10001", "40172958")
        assert people.first_run()


def test_a_kill_between_event_and_row_cannot_happen(db: Path):  # noqa: F811
    """The users row is written in the people-log event's transaction: a failure writing the row
    leaves neither (before, the event stayed and its user was locked out for good)."""
    with open_store(db) as store:
        people = people_on(store)
        admin = people.sign_in("BADGE:A10001", ADMIN_PIN)
        events_before = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]

        def killed(*_args: object) -> None:
            raise KeyboardInterrupt  # what SIGKILL between the two writes looked like

        people.directory.insert = killed  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt):
            people.add_user("Ola Berg", "N30003", "73915864", ["nurse"], by=admin.id)
        after = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
        assert after == events_before  # no user_added without its row
        assert people.user_problems() == {}
