"""Identity at receipt from independent sources: the typed, blind double-checked Lot Information
Sheet (name, DOB, chain-of-identity number, patient ID), the EHR patient and, when it carries
one, the EHR order's chain-of-identity identifier. Labels are checked against those, never used
as their source; a difference names the field and the two sources, never the values."""

from __future__ import annotations

from pathlib import Path

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command
from kresladi_bedside.engine.procedure import Procedure
from kresladi_bedside.labels import samples
from kresladi_bedside.labels.parse import parse
from kresladi_bedside.profile import load_profile
from kresladi_bedside.receipt.bedside import infusion_order_args

from .conftest import EHR_SAMPLE, PIN_B, SAMPLE, Desk, sheet

OTHER_COI = "CHW123426000999"  # another child's chain of identity
OTHER_PATIENT_ID = "KR0999"


def scan_shipment(desk: Desk, *, ehr: dict | None, **label: str) -> list:
    outcomes = [desk.do("open_receipt", {"mrn": SAMPLE.mrn, "ehr": ehr}),
                desk.scan(samples.shipper_payload(**label))]
    for n in (1, 2):
        if desk.receipt.state.active:
            outcomes.append(desk.scan(samples.cassette_payload(n, **label)))
    return outcomes


def store_and_type(desk: Desk, typed: dict, checked: dict | None = None):
    assert desk.do("record_storage", {"temperature_c": -180, "location": "LN2 tank 2",
                                      "in_cassettes": True}).accepted
    assert desk.do("enter_sheet", {"sheet": typed}).accepted
    return desk.do("verify_sheet", {"sheet": checked or typed}, verifier=(desk.bob, PIN_B))


def test_wrong_patient_product_same_dob_other_coi_is_refused_at_receipt(desk: Desk) -> None:
    # Another child's shipment: same date of birth, another COI and patient ID. The labels agree
    # with each other and the EHR order carries no COI, so every scan is accepted...
    outcomes = scan_shipment(desk, ehr=EHR_SAMPLE.to_dict(), coi=OTHER_COI,
                             patient_id=OTHER_PATIENT_ID)
    assert all(o.accepted for o in outcomes), [o.rejection for o in outcomes]
    # ...until the verified sheet, typed from this patient's paper, is compared with them.
    outcome = store_and_type(desk, sheet())
    assert outcome.rejection is not None and outcome.rejection.kind == "hard_stop"
    details = outcome.rejection.details
    assert details["field"] == "coi"
    assert details["source"] == "the shipper label"
    assert details["against"] == "the Lot Information Sheet"
    reason = outcome.rejection.reason
    assert "chain-of-identity number" in reason and "Lot Information Sheet" in reason
    assert OTHER_COI not in reason and SAMPLE.coi not in reason  # never the values
    assert "W123426000999" not in reason and "W123426000417" not in reason
    assert desk.receipt.state.outcome == "stopped"
    assert not desk.do("complete_receipt").accepted


def test_patient_id_alone_differing_is_a_hard_stop_naming_it(desk: Desk) -> None:
    outcomes = scan_shipment(desk, ehr=EHR_SAMPLE.to_dict(), patient_id=OTHER_PATIENT_ID)
    assert all(o.accepted for o in outcomes)
    outcome = store_and_type(desk, sheet())
    assert outcome.rejection.details["field"] == "patient_id"
    assert OTHER_PATIENT_ID not in outcome.rejection.reason


def test_the_ehr_orders_coi_stops_the_first_label_of_another_child(desk: Desk) -> None:
    ehr = {**EHR_SAMPLE.to_dict(), "medication_request": "MedicationRequest/m1",
           "coi": SAMPLE.coi}
    outcomes = scan_shipment(desk, ehr=ehr, coi=OTHER_COI)
    stop = outcomes[1]
    assert stop.rejection.kind == "hard_stop"
    assert stop.rejection.details["field"] == "coi"
    assert stop.rejection.details["against"].startswith("the EHR's KRESLADI order")
    assert OTHER_COI not in stop.rejection.reason
    assert desk.receipt.state.outcome == "stopped"


def test_a_sheet_coi_unlike_the_ehr_orders_is_a_hard_stop(desk: Desk) -> None:
    ehr = {**EHR_SAMPLE.to_dict(), "coi": SAMPLE.coi}
    assert all(o.accepted for o in scan_shipment(desk, ehr=ehr))
    typo = sheet(coi="CHW123426000471")
    outcome = store_and_type(desk, typo)
    assert outcome.rejection.kind == "hard_stop"
    assert outcome.rejection.details == {"field": "coi", "source": "the Lot Information Sheet",
                                         "against": "the EHR's KRESLADI order (MedicationRequest)",
                                         "contact": "Rocket Pharmaceuticals, 1-800-982-2410"}


def test_the_sheets_identifiers_are_blind_double_checked(desk: Desk) -> None:
    assert all(o.accepted for o in scan_shipment(desk, ehr=EHR_SAMPLE.to_dict()))
    outcome = store_and_type(desk, sheet(), sheet(patient_id="KR0471"))
    assert outcome.rejection.rule == "double_check"
    assert outcome.rejection.details["field"] == "patient_id"
    assert "KR04" not in outcome.rejection.reason
    # Both typed: refused when missing, naming the field.
    missing = sheet()
    del missing["coi"]
    refused = desk.do("enter_sheet", {"sheet": missing})
    assert refused.rejection.details["field"] == "coi"


def test_the_receipt_refuses_a_weight_the_engine_refuses(desk: Desk) -> None:
    assert all(o.accepted for o in scan_shipment(desk, ehr=EHR_SAMPLE.to_dict()))
    assert desk.do("record_storage", {"temperature_c": -180, "location": "LN2 tank 2",
                                      "in_cassettes": True}).accepted
    refused = desk.do("enter_sheet", {"sheet": sheet(weight_kg=0.8)})
    assert refused.rejection.details["field"] == "weight_kg"
    assert desk.do("enter_sheet", {"sheet": sheet(weight_kg=1.0)}).accepted


def test_the_bedside_order_takes_coi_and_patient_id_from_the_sheet_not_the_labels(
        desk: Desk, tmp_path: Path) -> None:
    assert desk.receive().accepted
    order = desk.receipt.state.order
    assert order is not None
    assert (order.patient.coi, order.patient.patient_id) == (SAMPLE.coi, SAMPLE.patient_id)
    # At the bedside a bag of another child (same DOB, name and MRN, other COI) is a hard stop:
    # the engine compares it with the sheet's COI, not with a copy of the cassette labels'.
    proc = Procedure(load_profile(), FakeClock(desk.clock.now().wall))
    assert proc.handle(Command("open", {}, user="n")).accepted
    args = infusion_order_args(desk.receipt.state)
    assert proc.handle(Command("prepare_order", args, user="n")).accepted
    wrong = parse(samples.bag_payload(1, coi=OTHER_COI), "wedge")
    verdict = proc.verifier.judge(wrong, _initial(proc))
    assert not verdict.ok and verdict.details["field"] == "coi"


def _initial(proc: Procedure):
    from kresladi_bedside.engine.identity import IdentityContext

    assert proc.state.order is not None
    return IdentityContext(proc.state.order, (), "initial", None, proc.clock.now())


def test_the_chain_of_identity_is_read_from_the_orders_typed_identifier() -> None:
    from kresladi_bedside.sync.ehr import chain_of_identity

    order = {"identifier": [
        {"system": "urn:hospital:orders", "value": "ORD-1"},
        {"type": {"coding": [{"code": "COI", "display": "Chain-of-Identity"}]},
         "value": " CHW123426000417 "}]}
    assert chain_of_identity(order) == "CHW123426000417"
    assert chain_of_identity({"identifier": [{"value": "ORD-1"}]}) is None
    assert chain_of_identity({"identifier": [{"type": {"text": "chain of identity"},
                                              "value": ""}]}) is None
