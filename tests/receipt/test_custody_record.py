"""Custody steps in the receipt's own chain (issue 24): a pharmacist's release and a hand-over
by export are recorded with their reason and signer; a receipt handed over is no longer offered
on this workstation."""

from __future__ import annotations

from kresladi_bedside.profile import load_profile
from kresladi_bedside.receipt import awaiting_infusion
from kresladi_bedside.receipt.bedside import hand_over

from .conftest import Desk


def test_custody_steps_need_a_received_product_a_known_kind_and_a_reason(desk: Desk) -> None:
    early = desk.do("open_receipt", {"mrn": "00417356", "ehr": None})
    assert early.accepted
    refused = desk.do("record_custody", {"kind": "released", "reason": "stopped"})
    assert refused.rejection is not None and "received product" in refused.rejection.reason


def test_a_release_is_recorded_with_its_reason_and_signer(desk: Desk) -> None:
    assert desk.receive().accepted
    assert desk.do("record_custody", {"kind": "given_away", "reason": "x"}).rejection is not None
    assert desk.do("record_custody", {"kind": "released", "reason": "  "}).rejection is not None
    done = desk.do("record_custody", {"kind": "released", "reason": "stopped before thaw",
                                      "steps": ["Task/1"]})
    assert done.accepted and done.events[-1].data["signed_by"] == desk.alice.id
    assert desk.receipt.state.custody == (("released", "stopped before thaw", desk.alice.id),)
    assert [r.receipt_id for r in awaiting_infusion(desk.store)] == [desk.receipt.receipt_id]


def test_a_receipt_handed_over_by_export_is_no_longer_offered_here(desk: Desk) -> None:
    assert desk.receive().accepted
    rid = desk.receipt.receipt_id
    assert rid is not None and awaiting_infusion(desk.store)
    outcome = hand_over(desk.store, load_profile(), desk.clock, rid, desk.alice.id,
                        "/media/usb/receipt.jsonl")
    assert outcome.accepted
    assert awaiting_infusion(desk.store) == []
