"""Two workstations, two logs, two keys, the hand-over done by the program's own command line in
separate processes (issue 24, without a server): A walks a procedure with the real label verifier
to bag 1's thaw; `handover export` on A; an administrator enrolls A's key on B; `handover
import` on B. B then holds the procedure with the thaw deadline A recorded; A refuses every
command for it; a second `handover import` and a changed file are refused with exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher

from kresladi_bedside.clock import SystemClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.engine.verifier import LabelIdentityVerifier
from kresladi_bedside.people import People
from kresladi_bedside.profile import load_profile
from kresladi_bedside.store import StoreListener, open_store
from kresladi_bedside.store.recovery import unfinished_procedures
from kresladi_bedside.store.signing import workstation_signing_key

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from engine.driver import PATIENT, Driver

ROOT = Path(__file__).resolve().parents[2]
PIN = "40172958"


def _setup(folder: Path, badge: str) -> tuple[Path, Path]:
    """A workstation's log (its nurse also an administrator) and key; its site file names it
    ("Bedside A", as custody shows it)."""
    folder.mkdir()
    db, key = folder / "procedures.db", folder / "workstation.key"
    (folder / "site.toml").write_text(f'site_name = "Ward 4"\n[sync]\n'
                                      f'workstation = "Bedside {folder.name}"\n')
    with open_store(db, key_path=key) as store:
        people = People(store, PeopleConfig(), SystemClock(),
                        hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        people.init_admin(f"Nurse {badge}", badge, PIN, ["nurse"])
    return db, key


def _cli(key: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KRESLADI_KEY_FILE": str(key)}
    return subprocess.run([sys.executable, "-m", "kresladi_bedside", "--db", str(db),
                           "--config", str(db.with_name("site.toml")), *args],
                          input=PIN + "\n", capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)


def _thawing(db: Path, key: Path) -> str:
    with open_store(db, key_path=key) as store:
        driver = Driver(clock=SystemClock(),  # type: ignore[arg-type]  # never advanced here
                        verifier=LabelIdentityVerifier())
        driver.proc.subscribe(StoreListener(store))
        driver.open().order(expiry=datetime.now(UTC) + timedelta(days=200)).gates()
        driver.identity_two_identifiers()
        driver.ok("inspect_bag", bag=1, intact=True)
        driver.ok("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
        return driver.proc.procedure_id


def _thaw_deadline(db: Path, key: Path, pid: str) -> tuple[datetime, float]:
    with open_store(db, key_path=key, read_only=True) as store:
        proc = Procedure.rebuild(load_profile(), SystemClock(), store.events(pid))
        thaw = next(c for c in proc.countdowns() if c.id == "thaw")
        started = proc.state.bag(1).thaw_started
        assert started is not None
        return started.wall + timedelta(seconds=thaw.limit_s), thaw.remaining_s


def test_two_workstations_hand_over_by_file(tmp_path: Path) -> None:
    a_db, a_key = _setup(tmp_path / "A", "A1")
    b_db, b_key = _setup(tmp_path / "B", "B1")
    pid = _thawing(a_db, a_key)
    deadline_on_a, _ = _thaw_deadline(a_db, a_key, pid)
    path = tmp_path / "handover.jsonl"
    done = _cli(a_key, a_db, "handover", "export", pid, str(path), "--to", "Bedside B",
                "--as", "A1")
    assert done.returncode == 0, done.stderr
    assert "refuses every command" in done.stdout
    # B refuses a file from a workstation nobody enrolled there
    refused = _cli(b_key, b_db, "handover", "import", str(path), "--as", "B1")
    assert refused.returncode == 1 and "not enrolled here" in refused.stderr
    public = workstation_signing_key(a_key.with_name("workstation-signing.key")).public_hex
    enrolled = _cli(b_key, b_db, "keys", "enroll", "--name", "Bedside A", "--public-key",
                    public, "--as", "B1")
    assert enrolled.returncode == 0, enrolled.stderr
    changed = tmp_path / "changed.jsonl"
    changed.write_text(path.read_text().replace(PATIENT["mrn"], "MRN0099999", 1))
    refused = _cli(b_key, b_db, "handover", "import", str(changed), "--as", "B1")
    assert refused.returncode == 1 and "changed after Bedside A signed it" in refused.stderr
    taken = _cli(b_key, b_db, "handover", "import", str(path), "--as", "B1")
    assert taken.returncode == 0, taken.stderr
    assert "taken over from workstation Bedside A" in taken.stdout and "marked as taken over" in \
        taken.stdout
    again = _cli(b_key, b_db, "handover", "import", str(path), "--as", "B1")
    assert again.returncode == 1 and "already used" in again.stderr
    # B holds it, with A's thaw deadline; A refuses every command for it
    deadline_on_b, remaining = _thaw_deadline(b_db, b_key, pid)
    assert deadline_on_b == deadline_on_a and 0 < remaining <= 300
    with open_store(b_db, key_path=b_key) as store:
        assert pid in unfinished_procedures(store)
        assert store.events(pid)[-1].type == "procedure_taken_over"
    with open_store(a_db, key_path=a_key) as store:
        assert pid not in unfinished_procedures(store)
        proc = Procedure.rebuild(load_profile(), SystemClock(), store.events(pid))
        refused_a = proc.handle(Command("complete_thaw", {"bag": 1, "attest": {
            "no_visible_ice": True}}, user="A1"))
        assert refused_a.rejection is not None and "Bedside B" in refused_a.rejection.reason
    # the record, printed on either workstation, shows the hand-over: who, when, from → to
    _records_show_the_hand_over(tmp_path, (a_db, a_key), (b_db, b_key), pid)


def _records_show_the_hand_over(tmp_path: Path, a: tuple[Path, Path], b: tuple[Path, Path],
                                pid: str) -> None:
    from record.pdftext import Printed

    for name, (db, key) in (("A", a), ("B", b)):
        pdf, html = tmp_path / f"record-{name}.pdf", tmp_path / f"record-{name}.html"
        printed = _cli(key, db, "record", pid, "--pdf", str(pdf), "--html", str(html))
        assert printed.returncode == 0, printed.stderr
        text = Printed.read(pdf, slice(0, 2))
        source = html.read_text(encoding="utf-8")
        route = "from workstation Bedside A to Bedside B"
        for needle in ("Hand-overs between workstations", route, "by the signed file "
                       "handover.jsonl", "HANDED OVER", "nothing stops a hand-over file"):
            assert text.has(needle), (name, needle)
            assert needle in source.replace("&#39;", "'"), (name, needle)
        # who handed over, named as each workstation knows them
        assert text.has("handed over by Nurse A1")
        if name == "B":
            assert text.has("taken over by Nurse B1") and text.has("TAKEN OVER")
            assert text.has("signed by workstation Bedside A")
        else:
            assert not text.has("TAKEN OVER") and text.has("this workstation's record ends "
                                                           "at the hand-over")


def test_the_administrators_import_sends_a_hand_over_file_to_handover_import(
        tmp_path: Path) -> None:
    """`import` copies a finished procedure into the log; a hand-over file is continued by
    `handover import` (which records the take-over and marks the file), never copied."""
    a_db, a_key = _setup(tmp_path / "A", "A1")
    b_db, b_key = _setup(tmp_path / "B", "B1")
    pid = _thawing(a_db, a_key)
    path = tmp_path / "handover.jsonl"
    assert _cli(a_key, a_db, "handover", "export", pid, str(path), "--as", "A1").returncode == 0
    public = workstation_signing_key(a_key.with_name("workstation-signing.key")).public_hex
    assert _cli(b_key, b_db, "keys", "enroll", "--name", "Bedside A", "--public-key", public,
                "--as", "B1").returncode == 0
    copied = _cli(b_key, b_db, "import", str(path), "--as", "B1")
    assert copied.returncode == 1 and "handover import" in copied.stderr
    with open_store(b_db, key_path=b_key) as store:
        assert list(store.rows(pid)) == []


def test_with_a_server_the_file_hand_over_is_refused(tmp_path: Path) -> None:
    """Custody on the server: a file would leave the server's claim on this workstation, so the
    other workstation takes over with `custody take-over` instead; nothing is recorded here."""
    db, key = _setup(tmp_path / "A", "A1")
    site = db.with_name("site.toml")
    site.write_text(site.read_text() + 'base_url = "http://127.0.0.1:9/fhir"\n')
    pid = _thawing(db, key)
    done = _cli(key, db, "handover", "export", pid, str(tmp_path / "h.jsonl"), "--as", "A1")
    assert done.returncode == 1 and "custody take-over" in done.stderr
    with open_store(db, key_path=key) as store:
        assert pid in unfinished_procedures(store)
    assert not (tmp_path / "h.jsonl").exists()
