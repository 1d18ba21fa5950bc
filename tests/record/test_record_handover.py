"""The record's hand-over section (issue 24): a procedure taken over through the hospital's
server is shown on both workstations — the one it left (its sync pass learnt the hand-over: who
took it, when, from → to) and the one that continued — and the workstation it left prints it as
HANDED OVER. Rendered to HTML and PDF and read back."""

from __future__ import annotations

from pathlib import Path

from record_builder import ZONE, Bedside

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.printing import save_pdf
from kresladi_bedside.record import load_record, record_document
from kresladi_bedside.store import StoreListener, open_store

PROFILE = load_profile()


def _hand_over_by_server(store, pid: str, clock) -> None:
    proc = Procedure.rebuild(PROFILE, clock, store.events(pid))
    proc.subscribe(StoreListener(store))
    assert proc.handle(Command("hand_over", {
        "via": "server", "handover_id": "Task/77", "from_workstation": "Bedside A",
        "to_workstation": "Bedside B", "taken_by": "Nurse Okafor",
        "taken_at": "2026-03-02T14:05:00+00:00"}, user="n-okafor")).accepted


def _take_over_by_server(store, pid: str, clock) -> None:
    proc = Procedure.rebuild(PROFILE, clock, store.events(pid))
    proc.subscribe(StoreListener(store))
    assert proc.handle(Command("take_over", {
        "via": "server", "handover_id": "Task/77", "from_workstation": "Bedside A",
        "to_workstation": "Bedside B", "steps": ["Task/77", "Task/78"]},
        user="n-okafor")).accepted


def _printed(store, pid: str, tmp_path: Path, name: str):
    from pdftext import Printed

    view = load_record(store, pid, PROFILE, SiteConfig(timezone=ZONE))
    doc = record_document(view)
    save_pdf(doc, tmp_path / f"{name}.pdf")
    return view, doc.html, Printed.read(tmp_path / f"{name}.pdf", slice(0, 1))


def test_a_server_take_over_on_the_record_of_either_workstation(tmp_path: Path, qapp) -> None:
    with open_store(tmp_path / "a.db") as a_store, open_store(tmp_path / "b.db") as b_store:
        a = Bedside(a_store)
        a.gates()
        pid = a.id
        # B holds A's events (as the server's published copy gave them), then takes over
        from kresladi_bedside.store.transfer import import_rows

        import_rows(b_store, list(a_store.rows(pid)))
        a.wait(90)
        _take_over_by_server(b_store, pid, a.clock)
        a.wait(30)
        _hand_over_by_server(a_store, pid, a.clock)  # A's sync pass learns it
        a_view, a_html, a_pdf = _printed(a_store, pid, tmp_path, "a")
        b_view, b_html, b_pdf = _printed(b_store, pid, tmp_path, "b")
    assert a_view.status == "HANDED OVER" and a_view.watermark == "HANDED OVER"
    assert b_view.status == "IN PROGRESS"
    route = "from workstation Bedside A to Bedside B"
    assert len(a_view.handovers) == 1 and len(b_view.handovers) == 1
    for html, pdf in ((a_html, a_pdf), (b_html, b_pdf)):
        for needle in ("Hand-overs between workstations", route, "hand-over Task/77"):
            assert needle in html and pdf.has(needle), needle
        assert "nothing stops a hand-over file" not in html  # no file: no copy to warn about
    # A: who took it over and when, learnt from the server
    assert a_pdf.has("taken over from workstation Bedside A to Bedside B by Nurse Okafor at "
                     "2026-03-02T14:05:00+00:00") and a_pdf.has("[HANDED OVER]")
    assert a_pdf.has("learnt from the hospital's server")
    # B: by whom, when, the server's custody steps
    assert b_pdf.has("custody steps Task/77, Task/78") and b_pdf.has("[TAKEN OVER]")
    assert b_view.handovers[0].label.startswith(str(b_view.events[-1].at))


def test_no_hand_over_no_section(tmp_path: Path, qapp) -> None:
    with open_store(tmp_path / "a.db") as store:
        a = Bedside(store)
        a.gates()
        view, html, _ = _printed(store, a.id, tmp_path, "a")
    assert view.handovers == () and "Hand-overs between workstations" not in html
