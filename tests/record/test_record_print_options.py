"""Paper size, watermarks, time zones, a broken chain, and the `record` command."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pdftext import Printed
from pypdf import PdfReader
from record_builder import Bedside, completed_two_bags, with_deviations

from kresladi_bedside.cli import main
from kresladi_bedside.clock import Instant
from kresladi_bedside.config import SiteConfig
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.printing import save_pdf
from kresladi_bedside.record import RecordError, load_record, record_document
from kresladi_bedside.record.times import RecordTimezoneError, duration, site_zone, when
from kresladi_bedside.store import open_store

POINTS = {"letter": (612, 792), "a4": (595, 842)}


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_paper_size_follows_the_site_setting(store, tmp_path: Path, paper: str):
    b = Bedside(store)
    site = SiteConfig(paper_size=paper)
    doc = record_document(load_record(store, b.id, load_profile(), site), site.paper_size)
    save_pdf(doc, tmp_path / "r.pdf")
    box = PdfReader(tmp_path / "r.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == POINTS[paper]


def test_training_record_printed_early_is_watermarked_on_every_page(store, tmp_path: Path):
    b = Bedside(store, training=True)
    b.gates()
    view = load_record(store, b.id, load_profile(), SiteConfig())
    assert view.status == "IN PROGRESS" and view.watermark == "TRAINING · IN PROGRESS"
    pages = save_pdf(record_document(view), tmp_path / "r.pdf")
    printed = Printed.read(tmp_path / "r.pdf")
    assert len(printed.pages) == pages
    for page in printed.pages:
        assert Printed([page]).has("TRAINING · IN PROGRESS")
    assert printed.has("TRAINING — not a clinical record")


def test_a_finished_clinical_record_has_no_watermark(store):
    pid = completed_two_bags(store)
    assert load_record(store, pid, load_profile(), SiteConfig()).watermark is None


def test_times_use_the_site_zone_else_the_recorded_offset(store):
    b = Bedside(store)  # the workstation recorded -05:00
    opened = store.events(b.id)[0].at
    assert when(opened, site_zone("Europe/Paris")) == "2026-03-02 14:00:00 +01:00"
    assert when(opened, None) == "2026-03-02 08:00:00 -05:00"
    view = load_record(store, b.id, load_profile(), SiteConfig(timezone="Europe/Paris"))
    assert view.events[0].at == "2026-03-02 14:00:00 +01:00"
    assert "Europe/Paris" in view.zone_note


def test_an_unknown_site_zone_is_a_clear_error():
    with pytest.raises(RecordTimezoneError, match="Mars/Olympus"):
        site_zone("Mars/Olympus")


def test_durations_read_as_minutes_and_hours():
    assert duration(245.4) == "4 min 05 s"
    assert duration(3725) == "1 h 02 min 05 s"
    assert when(None, None) is None and duration(None) is None


def test_a_broken_chain_is_printed_at_the_top(store, tmp_path: Path):
    pid = with_deviations(store, finish=False)
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET data = replace(data, 'dry', 'water_bath') "
                 "WHERE procedure_id = ? AND type = 'thaw_started'", (pid,))
    conn.commit()
    conn.close()
    view = load_record(store, pid, load_profile(), SiteConfig())
    assert not view.chain.ok and "hash mismatch" in (view.chain.problem or "")
    save_pdf(record_document(view), tmp_path / "r.pdf")
    assert Printed.read(tmp_path / "r.pdf", slice(0, 1)).has(
        "THE PROCEDURE LOG FAILED VERIFICATION")


def test_an_unknown_procedure_is_a_record_error(store):
    with pytest.raises(RecordError, match="nope"):
        load_record(store, "nope", load_profile(), SiteConfig())


def test_record_command_writes_pdf_and_html(tmp_path: Path, capsys):
    db = tmp_path / "log.db"
    with open_store(db) as store:
        pid = completed_two_bags(store)
        head = store.head(pid)[1]
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    code = main(["--db", str(db), "record", pid, "--pdf", str(pdf), "--html", str(html),
                 "--paper", "a4"])
    assert code == 0, capsys.readouterr().err
    assert head in capsys.readouterr().out
    assert Printed.read(pdf, slice(-2, None)).has(head)  # the hash is near the end
    assert pid in html.read_text(encoding="utf-8")
    assert round(float(PdfReader(pdf).pages[0].mediabox.height)) == POINTS["a4"][1]


def test_record_command_refuses_an_unknown_procedure_or_log(tmp_path: Path, capsys):
    db = tmp_path / "log.db"
    with open_store(db) as store:
        Bedside(store)
    assert main(["--db", str(db), "record", "missing", "--pdf", str(tmp_path / "r.pdf")]) == 2
    assert "'missing' is not in the log" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "none.db"), "record", "x", "--pdf",
                 str(tmp_path / "r.pdf")]) == 2
    assert "there is no procedure log" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_printed_at_is_in_the_header_block(store):
    b = Bedside(store)
    at = Instant.from_wall(b.clock.now().wall)
    view = load_record(store, b.id, load_profile(), SiteConfig(), printed_at=at)
    assert view.printed_at == "2026-03-02 13:00:00 +00:00"
