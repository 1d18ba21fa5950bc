"""The record names people, prints the patient as LAST, FIRST, keeps raw payloads exactly
(runs of spaces too), and lists restarts and every alarm event the log holds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from record_builder import NURSE, ZONE, Bedside

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.people.directory import User, UserDirectory
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.printing import save_pdf
from kresladi_bedside.record import load_record, record_document
from kresladi_bedside.store import open_store

START_PEOPLE = datetime(2026, 3, 2, 12, 55, tzinfo=UTC)  # five minutes before the procedure
SPACED = "MRN:00417356|NAME:RIVERA^MATEO   |NOTE:a    b"


def test_people_names_raw_spaces_restarts_and_alarms(tmp_path: Path, qapp) -> None:
    from pdftext import Printed
    from PySide6.QtGui import QTextDocument

    with open_store(tmp_path / "procedures.db") as store:
        UserDirectory(store.conn).insert(
            User(NURSE, "KIM, SORA", "N40217", frozenset({"nurse"}), True,
                 "2026-03-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00"),
            "$argon2id$not-a-real-hash")
        b = Bedside(store)
        b.gates()
        b.scan("unknown", {}, SPACED, symbology="]Q1", expect="refused")
        b.clock.reboot(boot="boot-after-power-cut", wall_jump_s=120)
        b.do("acknowledge_alarm", alarm="interbag_wait", bag=2)
        view = load_record(store, b.id, load_profile(), SiteConfig(timezone=ZONE))
        doc = record_document(view)
        save_pdf(doc, tmp_path / "r.pdf")
        printed = Printed.read(tmp_path / "r.pdf")
    # names, not ids, wherever a person is named
    assert all(x.user == "KIM, SORA" for x in view.scans)
    assert any("by KIM, SORA" in r.label for r in view.alarms)
    assert not printed.missing("KIM, SORA", "RIVERA, MATEO")
    assert NURSE not in " ".join(str(r.value) for r in view.gates)
    # the raw payload exactly as the scanner sent it, on screen-text and in the document
    raw = next(s.raw for s in view.scans if "NOTE" in s.raw)
    assert raw == SPACED
    laid_out = QTextDocument()
    laid_out.setHtml(doc.html)  # as the printer lays it out: the four spaces stay four
    assert "NOTE:a    b" in laid_out.toPlainText()
    # a restart is listed
    assert len(view.restarts) == 1 and "restarted" in str(view.restarts[0].value)
    assert not printed.missing("restarted")


def test_an_unlock_by_badge_is_on_the_printed_record(tmp_path: Path, qapp) -> None:
    """Issue 25: the nurse's own badge scanned at her locked screen unlocks it without the PIN
    (people.unlock_by_badge); the printed record says so, beside her sign-in and PIN unlock,
    and leaves out a sign-in from before the procedure's own."""
    from argon2 import PasswordHasher
    from pdftext import Printed

    from kresladi_bedside.clock import FakeClock
    from kresladi_bedside.config import PeopleConfig
    from kresladi_bedside.labels.samples import badge_payload
    from kresladi_bedside.people import People

    with open_store(tmp_path / "procedures.db") as store:
        clock = FakeClock(START_PEOPLE)
        people = People(store, PeopleConfig(), clock,
                        hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
        admin = people.init_admin("Ada Okafor", "A10001", "40172958")
        people.sign_in(badge_payload(badge="A10001", name=None), "40172958")
        nurse = people.add_user("Sora Kim", "N40217", "73915864", ["nurse"], by=admin.id)
        people.sign_out()
        people.sign_in(badge_payload(badge="N40217", name=None), "73915864")
        b = Bedside(store)
        b.gates()
        people.lock("manual")
        people.sign_in(badge_payload(badge="N40217", name=None), "73915864")  # PIN unlock
        clock.advance(3600)
        people.lock("idle")
        clock.advance(600)
        people.unlock_by_badge(badge_payload(badge="N40217", name=None))
        b.do("acknowledge_alarm", alarm="interbag_wait", bag=2)
        view = load_record(store, b.id, load_profile(), SiteConfig(timezone=ZONE))
        save_pdf(record_document(view), tmp_path / "r.pdf")
        printed = Printed.read(tmp_path / "r.pdf")
    rows = [(r.label, str(r.value), r.flag) for r in view.sessions]
    assert [r[2] for r in rows] == [None, None, None, None, "BADGE ONLY"], rows
    assert "Ada Okafor" not in " ".join(r[0] for r in rows)  # before the nurse's sign-in
    assert all("Sora Kim" in r[0] for r in rows)
    assert "signed in (badge N40217 scanned, and PIN)" in rows[0][1]
    assert "unlocked the screen (badge N40217 scanned, and PIN)" in rows[2][1]
    assert "locked after no activity" in rows[3][1]
    badge_only = rows[4][1]
    assert "without the PIN" in badge_only and "PIN last entered at" in badge_only
    assert nurse.id not in " ".join(r[1] for r in rows)
    assert not printed.missing("Sign-ins, unlocks and locks", "without the PIN", "BADGE ONLY")
