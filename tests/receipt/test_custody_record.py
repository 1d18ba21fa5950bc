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


def test_a_receipt_handed_over_is_never_dispensed_here(desk: Desk) -> None:
    """The list leaves it out, and the receipt engine itself refuses to open it here (a stale
    list, another path): it goes to one infusion, on the workstation that imports the file."""
    from kresladi_bedside.receipt.bedside import dispense

    assert desk.receive().accepted
    rid = desk.receipt.receipt_id
    assert hand_over(desk.store, load_profile(), desk.clock, rid, desk.alice.id,
                     "receipt.jsonl").accepted
    opened = dispense(desk.store, load_profile(), desk.clock, rid, "p-1", desk.alice.id)
    assert opened.rejection is not None and "handed over" in opened.rejection.reason
    again = hand_over(desk.store, load_profile(), desk.clock, rid, desk.alice.id, "again")
    assert again.rejection is not None


def test_handover_export_of_a_receipt_at_the_command_line(desk: Desk, tmp_path, monkeypatch,
                                                          capsys) -> None:
    """`handover export RECEIPT_ID FILE --as BADGE`: the signed file, then the hand-over here;
    a second export is refused (nothing written)."""
    import io

    from kresladi_bedside.cli import main
    from kresladi_bedside.receipt import Receipt
    from kresladi_bedside.store.signing import own_signing_key
    from kresladi_bedside.store.transfer import read_signed_file

    from .conftest import PIN_A

    assert desk.receive().accepted
    rid = desk.receipt.receipt_id
    path = tmp_path / "receipt.jsonl"
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN_A + "\n"))
    assert main(["--db", str(desk.store.path), "handover", "export", rid, str(path), "--to",
                 "Ward 4 bedside", "--as", "P10001"]) == 0
    assert awaiting_infusion(desk.store) == []
    rows, signer = read_signed_file(str(path), {}, own_signing_key(desk.store.key.path))
    assert signer.name == "this workstation" and {r.procedure_id for r in rows} == {rid}
    state = Receipt.rebuild(load_profile(), desk.clock, desk.store.events(rid)).state
    assert state.custody[-1][0] == "handed_over" and "Ward 4 bedside" in state.custody[-1][1]
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN_A + "\n"))
    again = tmp_path / "again.jsonl"
    assert main(["--db", str(desk.store.path), "handover", "export", rid, str(again),
                 "--as", "P10001"]) == 1
    assert "handed over already" in capsys.readouterr().err and not again.exists()
