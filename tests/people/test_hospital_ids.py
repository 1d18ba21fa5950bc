"""`users set-id`: the identifier the hospital's EHR uses for a person, set by an administrator
in the people log, and what sync then references (a Practitioner by NPI, never our user id)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kresladi_bedside.cli import main
from kresladi_bedside.people.hospital_ids import NPI_SYSTEM, hospital_ids, hospital_names
from kresladi_bedside.store import open_store
from kresladi_bedside.sync.deliver import SyncSettings, with_staff_ids
from kresladi_bedside.sync.identifiers import SiteIds

ADMIN_PIN, NURSE_PIN = "40172958", "73915864"


def run(monkeypatch: pytest.MonkeyPatch, db: Path, stdin: str, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--db", str(db), "users", *argv])


@pytest.fixture
def db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    db = tmp_path / "p.db"
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "init-admin", "--name", "Ada Okafor",
               "--badge", "A10001") == 0
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n{NURSE_PIN}\n", "add", "--name", "Nora Lind",
               "--badge", "N20002", "--roles", "nurse", "--as", "A10001") == 0
    return db


def ids(db: Path) -> dict[str, tuple[str, str]]:
    with open_store(db) as store:
        return {u: v for u, v in hospital_ids(store).items()}


def nurse_id(db: Path) -> str:
    with open_store(db) as store:
        (row,) = store.conn.execute("SELECT id FROM users WHERE badge = 'N20002'")
        return str(row[0])


def test_an_administrator_sets_changes_and_clears_a_users_npi(monkeypatch, db, capsys):
    nurse = nurse_id(db)
    assert ids(db) == {}
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "set-id", "N20002", "--npi", "1234567893",
               "--as", "A10001") == 0
    assert ids(db) == {nurse: (NPI_SYSTEM, "1234567893")}
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "set-id", "N20002", "--ehr-id",
               "urn:oid:2.16.840.1.113883.3.999.5|EHR-77812", "--as", "A10001") == 0
    assert ids(db) == {nurse: ("urn:oid:2.16.840.1.113883.3.999.5", "EHR-77812")}
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "set-id", "N20002", "--clear",
               "--as", "A10001") == 0
    assert ids(db) == {}
    assert "no hospital identifier" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "says"), [
    (("--npi", "1234567890"), "not an NPI"),  # wrong check digit
    (("--npi", "12345"), "not an NPI"),
    (("--ehr-id", "EHR-77812|x"), "must be a URI"),
])
def test_a_wrong_identifier_is_refused_naming_what_is_wrong(monkeypatch, db, capsys, argv,
                                                            says):
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "set-id", "N20002", *argv,
               "--as", "A10001") == 2
    assert says in capsys.readouterr().err
    assert ids(db) == {}


def test_only_an_administrator_sets_one(monkeypatch, db, capsys):
    assert run(monkeypatch, db, f"{NURSE_PIN}\n", "set-id", "N20002", "--npi", "1234567893",
               "--as", "N20002") == 2
    assert "administrator" in capsys.readouterr().err
    assert ids(db) == {}


def test_sync_uses_the_people_log_over_the_site_file(monkeypatch, db):
    nurse = nurse_id(db)
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "set-id", "N20002", "--npi", "1245319599",
               "--as", "A10001") == 0
    settings = SyncSettings("http://127.0.0.1:9/fhir", site=SiteIds(practitioners={
        nurse: (NPI_SYSTEM, "1234567893"), "u-other": ("urn:x", "7")}))
    with open_store(db) as store:
        merged = with_staff_ids(store, settings).site.practitioners
    assert merged == {nurse: (NPI_SYSTEM, "1245319599"), "u-other": ("urn:x", "7")}


def names(db: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    with open_store(db) as store:
        return hospital_names(store)


def test_an_administrator_sets_and_clears_a_users_family_and_given_names(monkeypatch, db,
                                                                         capsys):
    nurse = nurse_id(db)
    assert names(db) == {}
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "set-name", "N20002", "--family", "Lind",
               "--given", "Nora", "--given", "Elisabet", "--as", "A10001") == 0
    assert names(db) == {nurse: ("Lind", ("Nora", "Elisabet"))}
    # a family name of two words is kept whole, never split
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "set-name", "N20002", "--family",
               "de la  Cruz", "--given", "Ana María", "--as", "A10001") == 0
    assert names(db) == {nurse: ("de la Cruz", ("Ana María",))}
    assert "family 'de la Cruz'" in capsys.readouterr().out
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "set-name", "N20002", "--clear",
               "--as", "A10001") == 0
    assert names(db) == {}
    assert "no family name on record" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "says"), [
    (("--family", "  "), "family name is empty"),
    (("--family", "Lind\x07"), "printable"),
    (("--family", "Lind", *["--given", "X"] * 6), "At most 5 given names"),
])
def test_a_wrong_name_is_refused_naming_what_is_wrong(monkeypatch, db, capsys, argv, says):
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "set-name", "N20002", *argv,
               "--as", "A10001") == 2
    assert says in capsys.readouterr().err
    assert names(db) == {}


def test_only_an_administrator_sets_a_name(monkeypatch, db, capsys):
    assert run(monkeypatch, db, f"{NURSE_PIN}\n", "set-name", "N20002", "--family", "Lind",
               "--as", "N20002") == 2
    assert "administrator" in capsys.readouterr().err
    assert names(db) == {}


def test_sync_takes_the_names_from_the_people_log(monkeypatch, db):
    nurse = nurse_id(db)
    assert run(monkeypatch, db, f"{ADMIN_PIN}\n", "set-name", "N20002", "--family", "Lind",
               "--given", "Nora", "--as", "A10001") == 0
    settings = SyncSettings("http://127.0.0.1:9/fhir", site=SiteIds(
        practitioner_names={"u-other": ("Chen", ())}))
    with open_store(db) as store:
        merged = with_staff_ids(store, settings).site.practitioner_names
    assert merged == {nurse: ("Lind", ("Nora",)), "u-other": ("Chen", ())}
