"""The infusion day from a receipt: the order, the carried shipper/cassette labels judged again
by the engine, the wristband and bags still scanned, and the product leaving the list."""

from __future__ import annotations

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.profile import load_profile
from kresladi_bedside.receipt import awaiting_infusion
from kresladi_bedside.receipt.bedside import dispense, infusion_order_args
from kresladi_bedside.store import StoreListener

from .conftest import Desk


def test_infusion_opens_from_the_receipt_with_the_order_only(
        desk: Desk, clock: FakeClock) -> None:
    """§2.2: the cassettes are matched to the patient on the infusion day, before preparation,
    whatever was scanned at receipt: nothing but the order carries over."""
    assert desk.receive().accepted
    received = awaiting_infusion(desk.store)[0]
    args = infusion_order_args(received)
    assert set(args) == {"order", "receipt_id", "stored_at"}  # no label carries over
    proc = Procedure(load_profile(), clock)
    proc.subscribe(StoreListener(desk.store))
    assert proc.handle(Command("open", {}, user="u-nurse")).accepted
    out = proc.handle(Command("prepare_order", args, user="u-nurse"))
    assert out.accepted, out.rejection
    assert not proc.state.labels
    assert proc.step().name == "gates"  # then the wristband, shipper, cassettes, bag 1
    assert dispense(desk.store, load_profile(), clock, received.receipt_id or "",
                    proc.procedure_id, "u-nurse").accepted
    assert awaiting_infusion(desk.store) == []
    again = dispense(desk.store, load_profile(), clock, received.receipt_id or "", "other",
                     "u-nurse")
    assert again.rejection.kind == "hard_stop"


def test_labels_scanned_at_receipt_cannot_be_carried_into_the_infusion(
        desk: Desk, clock: FakeClock) -> None:
    assert desk.receive().accepted
    received = awaiting_infusion(desk.store)[0]
    args = {**infusion_order_args(received),
            "carried_labels": [label.scan.to_dict() for label in received.labels]}
    proc = Procedure(load_profile(), clock)
    proc.handle(Command("open", {}, user="u"))
    out = proc.handle(Command("prepare_order", args, user="u"))
    assert out.rejection is not None and out.rejection.rule == "identity"
    assert "infusion day" in out.rejection.reason
    assert proc.state.order is None and not proc.state.labels


def test_the_receipts_storage_instant_reaches_the_conditioning_order_rule(
        desk: Desk, clock: FakeClock) -> None:
    """§2.2 "Do not begin conditioning until KRESLADI has been received and stored": the
    receipt's storage instant carries over, so conditioning begun before it needs a signed
    deviation at the bedside although nobody typed the storage time there."""
    from datetime import timedelta

    from kresladi_bedside.engine import Deviation

    assert desk.receive().accepted
    received = awaiting_infusion(desk.store)[0]
    assert received.stored_at is not None
    clock.advance(3 * 86400)
    proc = Procedure(load_profile(), clock)
    proc.handle(Command("open", {}, user="u"))
    args = infusion_order_args(received)
    assert args["stored_at"] == received.stored_at.local().isoformat()
    assert proc.handle(Command("prepare_order", args, user="u")).accepted
    assert proc.state.stored_at is not None
    began = received.stored_at.wall - timedelta(hours=2)  # conditioning began before storage
    ended = clock.now().wall - timedelta(hours=30)
    out = proc.handle(Command("record_conditioning_end", {
        "at": ended.isoformat(), "conditioning_start": began.isoformat()}, user="u"))
    assert out.rejection is not None and out.rejection.rule == "conditioning_order"
    assert "received and stored" in out.rejection.reason
    signed = proc.handle(Command("record_conditioning_end", {
        "at": ended.isoformat(), "conditioning_start": began.isoformat()}, user="u",
        deviation=Deviation("Conditioning started on the transplant team's plan", "u")))
    assert signed.accepted
