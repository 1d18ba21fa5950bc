"""The record's hand-over section (issue 24): a procedure taken over through the hospital's
server is shown on both workstations — the one it left (its sync pass learnt the hand-over: who
took it, when, from → to) and the one that continued — and the workstation it left prints it as
HANDED OVER. Rendered to HTML and PDF and read back."""

from __future__ import annotations

from pathlib import Path

from record_builder import ZONE, Bedside

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.engine import Command, Event, Procedure, Signature
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


ROUTE = {"via": "server", "handover_id": "Task/77", "from_workstation": "Bedside A",
         "to_workstation": "Bedside B", "steps": ["Task/77", "Task/78"]}
REASON = "Bedside A froze during the thaw"


def _signatures(clock) -> tuple[Signature, ...]:
    now = clock.now()
    return (Signature("n-okafor", "Nurse Okafor", "performed", now),
            Signature("p-lee", "Pharmacist Lee", "witnessed", now))


def _take_over_by_server(store, pid: str, clock) -> None:
    """As sync/handover.take_over_procedure records it: one signed event."""
    proc = Procedure.rebuild(PROFILE, clock, store.events(pid))
    proc.subscribe(StoreListener(store))
    assert proc.handle(Command("take_over", {**ROUTE, "reason": REASON}, user="n-okafor",
                               signatures=_signatures(clock), witness="p-lee")).accepted


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
    # B: by whom, when, the server's custody steps, why, and the witness
    assert b_pdf.has("custody steps Task/77, Task/78") and b_pdf.has("[TAKEN OVER]")
    assert b_pdf.has(f"reason: {REASON}") and b_pdf.has("witnessed by p-lee")
    assert b_view.handovers[0].label.startswith(str(b_view.events[-1].at))


def test_no_hand_over_no_section(tmp_path: Path, qapp) -> None:
    with open_store(tmp_path / "a.db") as store:
        a = Bedside(store)
        a.gates()
        view, html, _ = _printed(store, a.id, tmp_path, "a")
    assert view.handovers == () and "Hand-overs between workstations" not in html


def test_an_old_log_with_its_retired_take_over_note_is_verified_imported_and_printed_once(
        tmp_path: Path, qapp) -> None:
    """Before issue 29 a server take-over wrote `procedure_taken_over` and then a signed
    `custody_taken_over` (engine/events.RETIRED). Such a log, sealed as the old program sealed
    it, still verifies, is imported by another workstation (every command decided again) with
    its rows unchanged, and prints ONE take-over row with the reason and the witness."""
    from kresladi_bedside.store import verify
    from kresladi_bedside.store.transfer import export_lines, import_rows, parse_lines, rehearse

    with open_store(tmp_path / "a.db") as a_store, open_store(tmp_path / "b.db") as b_store, \
            open_store(tmp_path / "c.db") as c_store:
        a = Bedside(a_store)
        a.gates()
        pid = a.id
        import_rows(b_store, list(a_store.rows(pid)))
        a.wait(90)
        proc = Procedure.rebuild(PROFILE, a.clock, b_store.events(pid))
        proc.subscribe(StoreListener(b_store))
        assert proc.handle(Command("take_over", ROUTE, user="n-okafor")).accepted
        a.wait(5)
        StoreListener(b_store)([Event(Event.new_id(), pid, "custody_taken_over", {
            "reason": REASON, "from_workstation": "Bedside A", "to_workstation": "Bedside B",
            "steps": ROUTE["steps"], "witness": "p-lee",
            "signatures": [s.to_dict() for s in _signatures(a.clock)]}, "n-okafor",
            a.clock.now())])
        assert verify(b_store).ok
        rows = parse_lines(export_lines(b_store, pid))
        rehearse(c_store, rows, PROFILE)  # every command decided again: nothing raised
        import_rows(c_store, rows)
        assert verify(c_store).ok
        assert [r.hash for r in c_store.rows(pid)] == [r.hash for r in b_store.rows(pid)]
        assert c_store.events(pid)[-1].type == "custody_taken_over"  # not rewritten
        view, _html, pdf = _printed(c_store, pid, tmp_path, "c")
    assert view.status == "IN PROGRESS"
    assert len(view.handovers) == 1 and view.handovers[0].flag == "TAKEN OVER"
    assert pdf.has(f"reason: {REASON}") and pdf.has("witnessed by p-lee")
    assert pdf.has("custody steps Task/77, Task/78")
