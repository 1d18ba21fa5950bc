"""The record names people, prints the patient as LAST, FIRST, keeps raw payloads exactly
(runs of spaces too), and lists restarts and every alarm event the log holds."""

from __future__ import annotations

from pathlib import Path

from record_builder import NURSE, ZONE, Bedside

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.people.directory import User, UserDirectory
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.printing import save_pdf
from kresladi_bedside.record import load_record, record_document
from kresladi_bedside.store import open_store

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
