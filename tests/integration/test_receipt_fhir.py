"""Receipt on one workstation, infusion on another, through the real FHIR server (Medplum):
the patient and the KRESLADI MedicationRequest read from the EHR, the received product written as
BiologicallyDerivedProduct, read back on the bedside's own store and opened as an infusion."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.labels import samples
from kresladi_bedside.profile import load_profile
from kresladi_bedside.receipt import awaiting_infusion
from kresladi_bedside.receipt.bedside import infusion_order_args
from kresladi_bedside.store import StoreListener, open_store
from kresladi_bedside.sync.ehr import (
    EhrClient,
    import_from_ehr,
    lookup,
    receipt_payload,
    received_products,
    send_receipt,
)
from kresladi_bedside.sync.receipt_fhir import portable
from tests.receipt.conftest import SAMPLE, START, make_desk

from .fhir_kit import put

PROFILE = load_profile()


def ehr_patient(info: dict[str, Any], *, dob: str = "2024-03-15") -> dict[str, Any]:
    return put(info, {
        "resourceType": "Patient",
        "identifier": [{"system": info["mrn_system"], "value": SAMPLE.mrn}],
        "name": [{"use": "official", "family": "Rivera", "given": ["Mateo"]}],
        "birthDate": dob})


def client(info: dict[str, Any]) -> EhrClient:
    return EhrClient(info["base_url"], token=info["token"])


def test_receipt_reaches_the_bedside_through_the_fhir_server(fhir: dict[str, Any],
                                                            tmp_path: Path) -> None:
    patient = ehr_patient(fhir)
    request = put(fhir, {"resourceType": "MedicationRequest", "status": "active",
                         "intent": "order", "subject": {"reference": f"Patient/{patient['id']}"},
                         "identifier": [{"type": {"text": "Chain of identity (manufacturer)"},
                                         "system": "urn:example:rocket:coi",
                                         "value": SAMPLE.coi}],
                         "medicationCodeableConcept": {"text": "KRESLADI (marnetegragene "
                                                               "autotemcel) suspension"}})
    clock = FakeClock(START)
    pharmacy = make_desk(tmp_path / "pharmacy.db", clock)
    ehr = lookup(client(fhir), fhir["mrn_system"], SAMPLE.mrn, [PROFILE.name])
    assert ehr.name == "RIVERA, MATEO" and ehr.dob == "2024-03-15"
    assert ehr.medication_request == f"MedicationRequest/{request['id']}"
    assert ehr.coi == SAMPLE.coi  # the manufacturer's COI, read from the order itself
    assert pharmacy.receive(ehr=ehr).accepted
    receipt_id = pharmacy.receipt.receipt_id
    locations = send_receipt(client(fhir), pharmacy.store, PROFILE, clock, receipt_id,
                             fhir["mrn_system"], pharmacy.alice.id)
    assert len(locations) == 2 and all(x.startswith("BiologicallyDerivedProduct/")
                                       for x in locations)
    # Sending twice changes nothing new on the server (conditional update on our tag).
    assert send_receipt(client(fhir), pharmacy.store, PROFILE, clock, receipt_id,
                        fhir["mrn_system"], pharmacy.alice.id) == locations

    # The bedside: its own store, nothing but the server in common.
    bedside = open_store(tmp_path / "bedside.db")
    found = received_products(client(fhir), SAMPLE.mrn)
    assert [p.receipt_id for p in found] == [receipt_id] and found[0].available
    # rebuilt from the server's structured elements alone, the receipt is the one written
    written = receipt_payload(pharmacy.receipt.state, {u.id: u.name for u in (pharmacy.alice,
                                                                              pharmacy.bob)})
    assert found[0].payload == portable(written)
    assert found[0].payload["entered_by"] == "Alice Pharm"
    assert found[0].payload["verified_by"] == "Bob Lab"
    # the double check's rule as applied travels on the Provenance: the EHR's patient was read,
    # so MRN, name and DOB were typed once and checked against it (receipt/blind.py)
    assert found[0].payload["double_check"] == {
        "retyped": ["coi", "patient_id", "weight_kg", "bag1.cd34_per_kg", "bag1.volume_ml",
                    "bag2.cd34_per_kg", "bag2.volume_ml"],
        "checked": [["mrn", "the EHR's patient"], ["name", "the EHR's patient"],
                    ["dob", "the EHR's patient"], ["sheet_bag_count", "the cassettes scanned"]]}
    outcome = import_from_ehr(client(fhir), bedside, PROFILE, clock, found[0],
                              fhir["mrn_system"], "u-nurse")
    assert outcome.accepted, outcome.rejection
    waiting = awaiting_infusion(bedside)
    assert [r.receipt_id for r in waiting] == [receipt_id]
    order = waiting[0].order
    assert order is not None and order.patient.dob == date(2024, 3, 15)
    assert [b.bag_id for b in order.bags] == [b.din for b in samples.SAMPLE_BAGS]
    assert waiting[0].storage_celsius == -180
    assert waiting[0].double_check == pharmacy.receipt.state.double_check

    proc = Procedure(PROFILE, clock)
    proc.subscribe(StoreListener(bedside))
    assert proc.handle(Command("open", {}, user="u-nurse")).accepted
    opened = proc.handle(Command("prepare_order", infusion_order_args(
        waiting[0]), user="u-nurse"))
    assert opened.accepted, opened.rejection
    assert not proc.state.labels  # the cassettes are matched to the patient again, here


def test_ehr_patient_unlike_the_cassette_label_is_a_hard_stop_at_receipt(
        fhir: dict[str, Any], tmp_path: Path) -> None:
    ehr_patient(fhir, dob="2024-03-16")  # the EHR says the 16th; the labels say the 15th
    pharmacy = make_desk(tmp_path / "pharmacy.db", FakeClock(START))
    ehr = lookup(client(fhir), fhir["mrn_system"], SAMPLE.mrn, [PROFILE.name])
    assert ehr.medication_request is None
    assert pharmacy.do("open_receipt", {"mrn": SAMPLE.mrn, "ehr": ehr.to_dict()}).accepted
    assert pharmacy.scan(samples.shipper_payload()).rejection.details["field"] == "dob"
    assert pharmacy.receipt.state.outcome == "stopped"


def test_the_bedside_stops_when_the_ehr_patient_no_longer_matches(
        fhir: dict[str, Any], tmp_path: Path) -> None:
    import json
    import urllib.request

    patient = ehr_patient(fhir)
    clock = FakeClock(START)
    pharmacy = make_desk(tmp_path / "pharmacy.db", clock)
    ehr = lookup(client(fhir), fhir["mrn_system"], SAMPLE.mrn, [PROFILE.name])
    assert pharmacy.receive(ehr=ehr).accepted
    send_receipt(client(fhir), pharmacy.store, PROFILE, clock, pharmacy.receipt.receipt_id,
                 fhir["mrn_system"], pharmacy.alice.id)
    patient["name"] = [{"use": "official", "family": "Rivera", "given": ["Mateus"]}]
    request = urllib.request.Request(
        f"{fhir['base_url']}/Patient/{patient['id']}", json.dumps(patient).encode(),
        {"Authorization": f"Bearer {fhir['token']}", "Content-Type": "application/fhir+json"},
        method="PUT")
    urllib.request.urlopen(request, timeout=30).close()
    bedside = open_store(tmp_path / "bedside.db")
    product = received_products(client(fhir), SAMPLE.mrn)[0]
    outcome = import_from_ehr(client(fhir), bedside, PROFILE, clock, product,
                              fhir["mrn_system"], "u-nurse")
    assert outcome.rejection.kind == "hard_stop" and outcome.rejection.details["field"] == "name"
    assert awaiting_infusion(bedside) == []
