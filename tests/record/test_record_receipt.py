"""The receipt on the infusion record and as its own printed record (issue 25, item 7): who
received the product and where, who verified the sheet (the blind double check), the storage,
the sheet values as verified, and each label scan by whom and on which workstation; every quit,
kill and restart of the program during the procedure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pdftext import Printed

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import SiteConfig
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.labels import samples
from kresladi_bedside.labels.parse import parse
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.printing import save_pdf
from kresladi_bedside.receipt import awaiting_infusion
from kresladi_bedside.receipt.bedside import dispense, infusion_order_args
from kresladi_bedside.receipt.model import SheetBag
from kresladi_bedside.record import (
    load_receipt,
    load_record,
    receipt_document,
    record_document,
    render_html,
)
from kresladi_bedside.store import StoreListener
from kresladi_bedside.store.recovery import rebuild
from tests.receipt.conftest import START, Desk, make_desk

SITE = SiteConfig(timezone="America/New_York", site_name="Mercy Children's")


@dataclass
class Infusion:
    desk: Desk
    clock: FakeClock
    receipt_id: str
    procedure: Procedure


def _infusion(tmp_path: Path) -> Infusion:
    clock = FakeClock(START)
    desk = make_desk(tmp_path / "ws.db", clock)
    opened = desk.do("open_receipt", {"mrn": samples.SAMPLE_PATIENT.mrn, "ehr": None,
                                      "workstation": "PHARM-1"})
    assert opened.accepted, opened.rejection
    for payload in (samples.shipper_payload(), samples.cassette_payload(1),
                    samples.cassette_payload(2)):
        assert desk.scan(payload).accepted
    from tests.receipt.conftest import PIN_B, sheet

    for name, args in (("record_storage", {"temperature_c": -182.5, "location": "LN2 tank 2",
                                           "in_cassettes": True}),
                       ("enter_sheet", {"sheet": sheet(2)})):
        clock.advance(60)
        assert desk.do(name, args).accepted
    clock.advance(60)
    assert desk.do("verify_sheet", {"sheet": sheet(2)}, verifier=(desk.bob, PIN_B)).accepted
    assert desk.do("complete_receipt").accepted
    received = awaiting_infusion(desk.store)[0]
    clock.advance(3 * 86400)  # the infusion day
    proc = Procedure(load_profile(), clock)
    proc.subscribe(StoreListener(desk.store))
    assert proc.handle(Command("open", {"workstation": "BEDSIDE-7"},
                               user=desk.nurse.id)).accepted
    assert proc.handle(Command("prepare_order", infusion_order_args(received),
                               user=desk.nurse.id)).accepted
    assert dispense(desk.store, load_profile(), clock, received.receipt_id or "",
                    proc.procedure_id, desk.nurse.id).accepted
    wrist = parse(samples.wristband_payload(), "wedge").to_dict()
    proc.handle(Command("scan", {"scan": wrist}, user=desk.nurse.id))
    return Infusion(desk, clock, received.receipt_id or "", proc)


@pytest.fixture
def infusion(tmp_path: Path) -> Iterator[Infusion]:
    made = _infusion(tmp_path)
    yield made
    made.desk.store.close()


def test_the_infusion_record_shows_the_receipt_who_verified_and_the_storage(
        infusion: Infusion) -> None:
    view = load_record(infusion.desk.store, infusion.procedure.procedure_id, load_profile(),
                       SITE)
    assert view.receipt is not None and view.receipt.receipt_id == infusion.receipt_id
    summary = {r.label: str(r.value) for r in view.receipt.summary}
    assert summary["Lot Information Sheet entered by"].startswith("Alice Pharm on workstation "
                                                                  "PHARM-1, 2026-03-02 08:0")
    verified = next(v for k, v in summary.items() if k.startswith("Verified by"))
    assert verified.startswith("Bob Lab, 2026-03-02 08:03:00 -05:00")
    # what the second person typed again blind, and what was checked against what (offline
    # here: no EHR patient, so MRN, name and date of birth were typed twice)
    assert summary["Values typed again blind by the second person"] == (
        "MRN, patient name, date of birth, chain-of-identity number, patient ID, weight before "
        "the first apheresis (kg), bag 1: CD34+ cells/kg, bag 1: volume (mL), bag 2: CD34+ "
        "cells/kg, bag 2: volume (mL)")
    assert summary["Values typed once, checked against an independent source"] == (
        "number of bags on the sheet against the cassettes scanned")
    assert summary["Storage unit (vapor-phase LN2)"] == "LN2 tank 2"
    assert summary["Stored since"] == "2026-03-02 08:01:00 -05:00"
    assert summary["Storage temperature when stored"] == "-182.5 °C"
    bags = view.receipt.sheet_bags  # the receipt model's own type, numbers as entered
    assert [(b.number, b.volume_ml) for b in bags] == [(1, 20.0), (2, 20.0)]
    assert all(isinstance(b, SheetBag) for b in bags)
    html = render_html(view)
    assert bags[1].cd34_per_kg == 1.9e6
    assert "<td>Bag 2</td><td>1,900,000</td><td>20 mL</td>" in html
    assert "2a. Receipt of the product at the pharmacy" in html
    assert "Bob Lab" in html and "LN2 tank 2" in html


def test_each_scan_is_printed_by_who_made_it_and_where(infusion: Infusion) -> None:
    view = load_record(infusion.desk.store, infusion.procedure.procedure_id, load_profile(),
                       SITE)
    assert view.receipt is not None
    at_receipt = [(s.role, s.user, s.workstation) for s in view.receipt.scans]
    assert at_receipt == [("shipper", "Alice Pharm", "PHARM-1"),
                          ("cassette (bag 1)", "Alice Pharm", "PHARM-1"),
                          ("cassette (bag 2)", "Alice Pharm", "PHARM-1")]
    at_bedside = [(s.user, s.workstation) for s in view.scans]
    assert at_bedside == [("Nora Nurse", "BEDSIDE-7")]  # the wristband, nothing of the receipt
    html = render_html(view)
    assert "on workstation PHARM-1" in html and "on workstation BEDSIDE-7" in html


def test_the_receipt_prints_as_its_own_record(infusion: Infusion, tmp_path: Path) -> None:
    view = load_receipt(infusion.desk.store, infusion.receipt_id, SITE)
    assert view.status == "RECEIVED" and view.chain is not None and view.chain.ok
    doc = receipt_document(view)
    pdf = tmp_path / "receipt.pdf"
    assert save_pdf(doc, pdf) >= 1
    printed = Printed.read(pdf)
    assert printed.missing("KRESLADI receipt record", "RECEIVED", "Alice Pharm", "Bob Lab",
                           "LN2 tank 2", "-182.5 °C", "on workstation PHARM-1",
                           "opened for infusion by Nora Nurse",
                           "Values typed again blind by the second person",
                           "against the cassettes scanned") == []
    assert infusion.receipt_id in doc.header


def test_a_quit_and_a_kill_during_the_procedure_are_printed(infusion: Infusion) -> None:
    store, clock = infusion.desk.store, infusion.clock
    pid = infusion.procedure.procedure_id
    view = load_record(store, pid, load_profile(), SITE)
    assert view.restarts == ()
    assert "The program ran without a stop" in render_html(view)
    # a quit, then started again 2 min later on the same boot
    infusion.procedure.note_program_quit("BEDSIDE-7", infusion.desk.nurse.id)
    clock.advance(120)
    rebuild(store, pid, load_profile(), clock, workstation="BEDSIDE-7")
    # then killed (no quit), started again 35 s later
    clock.advance(35)
    back = rebuild(store, pid, load_profile(), clock, workstation="BEDSIDE-8").procedure
    view = load_record(store, pid, load_profile(), SITE)
    assert [r.flag for r in view.restarts] == ["QUIT", "UNCLEAN END"]
    quit_row, kill_row = (str(r.value) for r in view.restarts)
    assert "quit at" in quit_row and "by Nora Nurse" in quit_row and "2 min 00 s (exact" in quit_row
    assert "without a quit (killed, crashed or power lost)" in kill_row
    assert "0 min 35 s (exact" in kill_row
    assert "on workstation BEDSIDE-8" in view.restarts[1].label
    html = render_html(view)
    assert "not restarted" not in html and "UNCLEAN END" in html
    # a scan after the restart is printed where it was made
    band = parse(samples.wristband_payload(), "wedge").to_dict()
    back.handle(Command("scan", {"scan": band}, user=infusion.desk.nurse.id))
    view = load_record(store, pid, load_profile(), SITE)
    assert [s.workstation for s in view.scans][-1] == "BEDSIDE-8"


def test_a_reboot_is_measured_by_the_wall_clock_or_said_unknown(infusion: Infusion) -> None:
    store, clock = infusion.desk.store, infusion.clock
    pid = infusion.procedure.procedure_id
    clock.reboot(boot="boot-2", wall_jump_s=600)
    rebuild(store, pid, load_profile(), clock, workstation="BEDSIDE-7")
    clock.reboot(boot="boot-3", wall_jump_s=-3600)
    rebuild(store, pid, load_profile(), clock, workstation="BEDSIDE-7")
    rows = [str(r.value) for r in load_record(store, pid, load_profile(), SITE).restarts]
    assert len(rows) == 2
    assert "the computer was restarted" in rows[0] and "10 min 00 s (by the wall clock)" in rows[0]
    assert "unknown: the workstation's clock now reads earlier" in rows[1]


def test_no_receipt_is_said_when_the_order_came_from_a_file(tmp_path: Path) -> None:
    clock = FakeClock(START)
    desk = make_desk(tmp_path / "ws.db", clock)
    proc = Procedure(load_profile(), clock)
    proc.subscribe(StoreListener(desk.store))
    assert proc.handle(Command("open", {}, user=desk.nurse.id)).accepted
    view = load_record(desk.store, proc.procedure_id, load_profile(), SITE)
    assert view.receipt is None
    assert "No receipt of this product is in this workstation" in render_html(view)
    assert record_document(view).html
    desk.store.close()


def test_the_record_command_prints_a_receipt_by_its_id(tmp_path: Path, capsys) -> None:
    from kresladi_bedside.cli import main

    made = _infusion(tmp_path)
    head = made.desk.store.head(made.receipt_id)[1]
    made.desk.store.close()
    pdf, html = tmp_path / "receipt.pdf", tmp_path / "receipt.html"
    code = main(["--db", str(tmp_path / "ws.db"), "record", made.receipt_id, "--pdf", str(pdf),
                 "--html", str(html)])
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "RECEIVED" in out and head in out
    assert "KRESLADI receipt record" in html.read_text(encoding="utf-8")
    assert Printed.read(pdf).missing("Bob Lab", "LN2 tank 2") == []


def test_a_label_carried_from_the_receipt_is_not_printed_as_the_nurses_scan(
        infusion: Infusion) -> None:
    """A log written before issue 23 carried the receipt's labels into the infusion as the
    nurse's events: printed as the pharmacy's scans at receipt, never as the nurse's."""
    from dataclasses import replace as replaced

    from kresladi_bedside.record.gather import gather
    from kresladi_bedside.record.source import chain_status

    store = infusion.desk.store
    pid = infusion.procedure.procedure_id
    events = store.events(pid)
    offered = next(e for e in events if e.type == "command_rejected")  # the wristband
    label = {"role": "shipper", "stage": "initial", "bag": None, "at": offered.at.to_dict(),
             "scan": offered.data["args"]["scan"]}
    carried = replaced(offered, type="label_accepted",
                       data={"label": label, "carried_from": infusion.receipt_id})
    view = gather([*events, carried], load_profile(), chain_status(store, pid), zone=None,
                  site="s", printed_at=None)
    own, old = view.scans[-2], view.scans[-1]
    assert own.user == infusion.desk.nurse.id and own.workstation == "BEDSIDE-7"
    assert old.user.startswith("the pharmacy (carried over when") and old.workstation is None
    assert old.stage.startswith(f"scanned at receipt {infusion.receipt_id}")


def test_a_sheet_bag_that_cannot_be_read_is_named_on_the_record_not_guessed() -> None:
    """A receipt log written elsewhere whose sheet holds a bag without numbers: the record still
    prints, the readable bag in the table, the other named with what was recorded."""
    from kresladi_bedside.engine.model import Event
    from kresladi_bedside.record.receipt import gather_receipt

    clock = FakeClock(START)
    rid = "receipt-" + "0" * 32
    sheet = {"mrn": "MRN1", "name": "RIVERA^MATEO", "weight_kg": 9.5, "sheet_bag_count": 2,
             "bags": [{"number": 1, "cd34_per_kg": 1.6e6, "volume_ml": 20},
                      {"number": 2, "cd34_per_kg": "lots", "volume_ml": None}]}
    events = [Event(Event.new_id(), rid, "receipt_opened", {"workstation": "PHARM-1"},
                    "Alice Pharm", clock.now()),
              Event(Event.new_id(), rid, "sheet_entered", {"sheet": sheet}, "Alice Pharm",
                    clock.advance(60))]
    view = gather_receipt(events, zone=None, site="Mercy", printed_at=None)
    assert [(b.number, b.cd34_per_kg, b.volume_ml) for b in view.sheet_bags] == [
        (1, 1.6e6, 20.0)]
    [unread] = [r for r in view.sheet if r.flag == "UNREADABLE"]
    assert unread.label == "Sheet: bag 2" and "'lots'" in str(unread.value)
