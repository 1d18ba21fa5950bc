"""Receipt and infusion are two procedures of one product in the ledger: the bag's history holds
both; a hard stop on the product at receipt bars the bag from any infusion; a bag or patient
already held elsewhere cannot be received."""

from __future__ import annotations

from datetime import UTC, datetime

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.labels import samples
from kresladi_bedside.ledger import StoreLedger
from kresladi_bedside.profile import load_profile
from kresladi_bedside.receipt import awaiting_infusion
from kresladi_bedside.receipt.bedside import infusion_order_args
from kresladi_bedside.store import StoreListener
from kresladi_bedside.training.sample import patient_order

from .conftest import SAMPLE, Desk

DIN1, DIN2 = (b.din for b in samples.SAMPLE_BAGS)


def infusion(desk: Desk, clock: FakeClock) -> Procedure:
    proc = Procedure(load_profile(), clock, custody=StoreLedger(desk.store))
    proc.subscribe(StoreListener(desk.store))
    assert proc.handle(Command("open", {}, user="u-nurse")).accepted
    return proc


def test_the_bag_history_holds_its_receipt_and_its_infusion(desk: Desk,
                                                            clock: FakeClock) -> None:
    assert desk.receive().accepted
    receipt_id = desk.receipt.receipt_id
    clock.advance(2 * 86400)  # the infusion day, two days later
    proc = infusion(desk, clock)
    out = proc.handle(Command("prepare_order", infusion_order_args(
        awaiting_infusion(desk.store)[0]), user="u-nurse"))
    assert out.accepted, out.rejection
    ledger = StoreLedger(desk.store).ledger()
    history = ledger.bag(DIN1)
    assert history.procedures == (receipt_id, proc.procedure_id)
    assert [f.what for f in history.facts][:1] == ["identified"]
    assert ledger.procedures[receipt_id].kind == "receipt"
    assert ledger.procedures[receipt_id].outcome == "received"


def test_a_bag_stopped_at_receipt_is_barred_from_any_infusion(desk: Desk,
                                                             clock: FakeClock) -> None:
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn}).accepted
    assert desk.scan(samples.shipper_payload()).accepted
    assert desk.scan(samples.cassette_payload(1)).accepted
    wrong = desk.scan(samples.cassette_payload(2, dob=datetime(2023, 1, 1).date()))
    assert wrong.rejection.kind == "hard_stop"
    # Someone types the sheet into a JSON order and opens it at the bedside: refused.
    proc = infusion(desk, clock)
    out = proc.handle(Command("prepare_order", {"order": patient_order().to_dict()},
                              user="u-nurse"))
    assert out.rejection is not None and out.rejection.rule == "custody_bag"
    assert DIN1 in out.rejection.reason or DIN2 in out.rejection.reason


def test_an_expired_cassette_at_receipt_bars_that_bag(desk: Desk, clock: FakeClock) -> None:
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn}).accepted
    expired = samples.cassette_payload(1, expiry=datetime(2026, 3, 1, tzinfo=UTC))
    assert desk.scan(expired).rejection.rule == "expiry"
    bar = StoreLedger(desk.store).bag_bar((DIN1,), excluding=None)
    assert bar is not None and bar.what == "expired"


def test_a_bag_held_by_an_open_procedure_cannot_be_received(desk: Desk,
                                                           clock: FakeClock) -> None:
    order = patient_order().to_dict()
    order["patient"]["mrn"] = "99999999"  # the bag's DIN is on another patient's open order
    order["patient"]["coi"] = None
    proc = infusion(desk, clock)
    assert proc.handle(Command("prepare_order", {"order": order}, user="u-nurse")).accepted
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn}).accepted
    out = desk.scan(samples.cassette_payload(1))
    assert out.rejection.rule == "custody_bag" and out.rejection.kind == "hard_stop"
    assert desk.receipt.state.outcome == "stopped"


def test_a_patient_with_an_open_receipt_cannot_start_a_second(desk: Desk) -> None:
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn}).accepted
    desk.new_receipt()
    out = desk.do("open_receipt", {"mrn": SAMPLE.mrn})
    assert out.rejection.rule == "custody_patient"
