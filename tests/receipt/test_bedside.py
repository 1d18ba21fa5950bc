"""The infusion day from a receipt: the order, the carried shipper/cassette labels judged again
by the engine, the wristband and bags still scanned, and the product leaving the list."""

from __future__ import annotations

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.labels import samples
from kresladi_bedside.labels.parse import parse
from kresladi_bedside.profile import load_profile
from kresladi_bedside.receipt import awaiting_infusion
from kresladi_bedside.receipt.bedside import dispense, infusion_order_args
from kresladi_bedside.store import StoreListener

from .conftest import Desk


def test_infusion_opens_from_the_receipt_without_rescanning_shipper_and_cassettes(
        desk: Desk, clock: FakeClock) -> None:
    assert desk.receive().accepted
    received = awaiting_infusion(desk.store)[0]
    proc = Procedure(load_profile(), clock)
    proc.subscribe(StoreListener(desk.store))
    assert proc.handle(Command("open", {}, user="u-nurse")).accepted
    out = proc.handle(Command("prepare_order", infusion_order_args(received,
                                                                   rescan_at_bedside=False),
                              user="u-nurse"))
    assert out.accepted, out.rejection
    carried = [e for e in out.events if e.type == "label_accepted"]
    assert [e.data["label"]["role"] for e in carried] == ["shipper", "cassette", "cassette"]
    assert all(e.data["carried_from"] == received.receipt_id for e in carried)
    state = proc.state
    assert state.label_accepted("shipper", "initial")
    assert state.label_accepted("cassette", "initial", 2)
    assert not state.initial_identity_confirmed()  # wristband and bags: scanned at the bedside
    assert dispense(desk.store, load_profile(), clock, received.receipt_id or "",
                    proc.procedure_id, "u-nurse").accepted
    assert awaiting_infusion(desk.store) == []
    again = dispense(desk.store, load_profile(), clock, received.receipt_id or "", "other",
                     "u-nurse")
    assert again.rejection.kind == "hard_stop"


def test_a_site_that_rescans_gets_the_order_only(desk: Desk, clock: FakeClock) -> None:
    assert desk.receive().accepted
    args = infusion_order_args(awaiting_infusion(desk.store)[0], rescan_at_bedside=True)
    assert "carried_labels" not in args
    proc = Procedure(load_profile(), clock)
    proc.handle(Command("open", {}, user="u"))
    out = proc.handle(Command("prepare_order", args, user="u"))
    assert out.accepted and not proc.state.labels


def test_a_carried_label_for_another_patient_is_refused_by_the_engine(
        desk: Desk, clock: FakeClock) -> None:
    assert desk.receive().accepted
    args = infusion_order_args(awaiting_infusion(desk.store)[0], rescan_at_bedside=False)
    args["carried_labels"][1] = parse(samples.cassette_payload(
        1, coi="CHW123426000999"), "wedge").to_dict()
    proc = Procedure(load_profile(), clock)
    proc.handle(Command("open", {}, user="u"))
    out = proc.handle(Command("prepare_order", args, user="u"))
    assert not out.accepted and out.rejection.kind == "hard_stop"
    assert proc.state.order is None
