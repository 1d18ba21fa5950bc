"""What a hospital can find on its FHIR server (Medplum 5) by search alone, after a receipt and a
full two-bag infusion of the same product were written by the program: every resource about one
bag by its DIN, every procedure one nurse performed by her NPI, and the product's chain of
identity → its administrations → the Procedure. Each answer is checked resource by resource."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from engine import driver
from sync.conftest import NAMES, WITNESS, FakeTime, completed, sync_pass

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.labels import samples
from kresladi_bedside.profile import load_profile
from kresladi_bedside.store import open_store
from kresladi_bedside.sync import RetryPolicy, SiteIds, SyncSettings
from kresladi_bedside.sync.codes import RXNORM_SYSTEM
from kresladi_bedside.sync.ehr import EhrClient, lookup, send_receipt
from kresladi_bedside.sync.identifiers import (
    ADMINISTRATION_SYSTEM,
    COI_SYSTEM,
    DIN_SYSTEM,
    FLUSH_SYSTEM,
    PROCEDURE_SYSTEM,
    token,
)
from kresladi_bedside.sync.staff import NPI_SYSTEM
from tests.receipt.conftest import START, make_desk

from .fhir_kit import put

PROFILE = load_profile()
SAMPLE = samples.SAMPLE_PATIENT
SAMPLE_DINS = tuple(b.din for b in samples.SAMPLE_BAGS)
NURSE_NPI = "1234567893"
OTHER_NPI = "1245319599"
EHR_STAFF = "urn:oid:2.16.840.1.113883.3.999.5"  # the test EHR's staff id system
FORMULARY_RXNORM = "9990001"  # the test EHR's code, not a real RxNorm concept
ORG = ("urn:oid:2.16.840.1.113883.3.999.2", "ORG-CHILDRENS")
LOC = ("urn:oid:2.16.840.1.113883.3.999.3", "CTU-4WEST")
FAMILY = {NURSE_NPI: ("Reyes", ("Dana",)), OTHER_NPI: ("Marsh", ("Ola", "Bea"))}


def search(info: dict[str, Any], query: str) -> list[dict[str, Any]]:
    """One FHIR search; every resource of the answer (matches and includes)."""
    client = EhrClient(info["base_url"], token=info["token"])
    try:
        answer = client.get(query)
    finally:
        client.close()
    assert answer.get("resourceType") == "Bundle", answer
    assert not answer.get("link") or not any(x.get("relation") == "next"
                                             for x in answer["link"]), "answer was paged"
    return [e["resource"] for e in answer.get("entry") or ()]


def ids(resource: dict[str, Any], system: str) -> list[str]:
    return [i["value"] for i in resource.get("identifier") or () if i.get("system") == system]


def ref(resource: dict[str, Any]) -> str:
    return f"{resource['resourceType']}/{resource['id']}"


@pytest.fixture
def written(fhir: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
            ) -> dict[str, Any]:
    """The hospital's server after: the product received and verified by two pharmacists (its
    Patient, Organization and Location are the EHR's own), procedure A infusing it (the nurse
    with her NPI, the witness unmapped), and procedure B, another patient's other bags, by
    another nurse."""
    info = fhir
    patient = put(info, {"resourceType": "Patient", "name": [{"use": "official",
                                                              "family": "Rivera",
                                                              "given": ["Mateo"]}],
                         "gender": "male", "birthDate": SAMPLE.dob.isoformat(),
                         "identifier": [{"system": info["mrn_system"], "value": SAMPLE.mrn}]})
    # the EHR's current stay for patient A, and a past one that must not be chosen
    stays = [put(info, {"resourceType": "Encounter", "status": status,
                        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                                  "code": "IMP"},
                        "subject": {"reference": ref(patient)}})
             for status in ("finished", "in-progress")]
    put(info, {"resourceType": "Organization", "name": "Test Children's Hospital",
               "identifier": [{"system": ORG[0], "value": ORG[1]}]})
    put(info, {"resourceType": "Location", "name": "Cell therapy unit, 4 West",
               "identifier": [{"system": LOC[0], "value": LOC[1]}]})
    # the hospital's formulary entry for the product, with its own RxNorm code (a test value)
    # the EHR's order for it (what the pharmacy reads with the patient: US Core, checked below)
    put(info, {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
               "subject": {"reference": ref(patient)}, "authoredOn": "2026-02-20",
               "requester": {"display": "Dr. Imani Cole"},
               "medicationCodeableConcept": {"text": "KRESLADI (marnetegragene autotemcel) "
                                                     "suspension"}})
    put(info, {"resourceType": "Medication", "code": {
        "text": "KRESLADI (marnetegragene autotemcel) suspension",
        "coding": [{"system": RXNORM_SYSTEM, "code": FORMULARY_RXNORM}]}})

    clock = FakeClock(START)
    pharmacy = make_desk(tmp_path / "pharmacy.db", clock)
    ehr = lookup(EhrClient(info["base_url"], token=info["token"]), info["mrn_system"],
                 SAMPLE.mrn, [PROFILE.name])
    assert pharmacy.receive(ehr=ehr).accepted
    staff = {pharmacy.alice.id: (NPI_SYSTEM, "1003000126"),
             pharmacy.bob.id: (EHR_STAFF, f"EHR-{uuid.uuid4().hex[:8]}")}
    site = SiteIds(practitioners=staff, site_name="Test Children's CTU",
                   organization=ORG, location=LOC,  # the hospital's names (users set-name)
                   practitioner_names={pharmacy.alice.id: ("Pharm", ("Alice",)),
                                       pharmacy.bob.id: ("Lab", ("Bob",))})
    receipt = EhrClient(info["base_url"], token=info["token"])
    receipt.site = site
    send_receipt(receipt, pharmacy.store, PROFILE, clock, pharmacy.receipt.receipt_id,
                 info["mrn_system"], pharmacy.alice.id)

    # procedure B first, with the driver's own patient and bags, by another nurse
    other = completed()
    # procedure A: the received product (its DINs, its patient and chain of identity)
    monkeypatch.setattr(driver, "DINS", SAMPLE_DINS)
    monkeypatch.setattr(driver, "PATIENT", {"mrn": SAMPLE.mrn, "name": SAMPLE.name,
                                            "dob": SAMPLE.dob.isoformat(), "coi": SAMPLE.coi})
    events = completed()
    notes = {}
    for events_, npi in ((events, NURSE_NPI), (other, OTHER_NPI)):
        sync = SyncSettings(base_url=info["base_url"], token=info["token"],
                            mrn_system=info["mrn_system"], timeout_s=20.0,
                            policy=RetryPolicy(base_s=0.01, cap_s=1.0),
                            site=SiteIds(practitioners={driver.NURSE: (NPI_SYSTEM, npi)},
                                         practitioner_names={driver.NURSE: FAMILY[npi]},
                                         site_name="Test Children's CTU",
                                         organization=ORG, location=LOC))
        with open_store(tmp_path / f"{npi}.db") as store:
            store.append(events_)
            report = sync_pass(store, sync, PROFILE, FakeTime(), seed=5)
        assert report.exit_status == 0, (report.parked, report.error)
        notes[npi] = report.notes
    return {"info": info, "a": events[0].procedure_id, "b": other[0].procedure_id,
            "receipt": pharmacy.receipt.receipt_id, "encounter": ref(stays[1]),
            "notes": notes}


def test_the_patients_current_encounter_is_referenced(written):
    """Patient A's one in-progress Encounter (not the finished one) on the Procedure and each
    administration; patient B has none on the server: no reference, and the pass says so."""
    info = written["info"]
    for pid, encounter in ((written["a"], written["encounter"]), (written["b"], None)):
        (procedure,) = search(info, f"Procedure?identifier={token(PROCEDURE_SYSTEM, pid)}")
        given = [g for g in search(info, "MedicationAdministration?subject="
                                         f"{procedure['subject']['reference']}&_count=100")
                 if g.get("partOf") == [{"reference": ref(procedure)}]]
        assert len(given) >= 2
        assert (procedure.get("encounter") or {}).get("reference") == encounter
        assert all((g.get("context") or {}).get("reference") == encounter for g in given)
    assert written["notes"][NURSE_NPI] == []
    (note,) = written["notes"][OTHER_NPI]
    assert note.endswith("no Encounter referenced (the server has no in-progress Encounter)")
    # found by search too: everything done in this stay
    stay = search(info, f"Procedure?encounter={written['encounter']}")
    assert [ids(p, PROCEDURE_SYSTEM) for p in stay] == [[written["a"]]]


def test_every_resource_about_one_bag_is_one_search_by_its_din(written):
    info, pid = written["info"], written["a"]
    din = SAMPLE_DINS[0]
    found = search(info, "?_type=BiologicallyDerivedProduct,MedicationAdministration,"
                         f"Procedure,Provenance&_tag={token(DIN_SYSTEM, din)}&_count=100")
    kinds = sorted(r["resourceType"] for r in found)
    assert kinds == ["BiologicallyDerivedProduct", "MedicationAdministration",
                     "MedicationAdministration", "Procedure", "Provenance", "Provenance"]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for r in found:
        by_kind.setdefault(r["resourceType"], []).append(r)
    (product,) = by_kind["BiologicallyDerivedProduct"]
    # ONE product for the bag: the receipt's, which the infusion record found by its DIN
    assert ids(product, DIN_SYSTEM) == [din]
    assert ids(product, COI_SYSTEM) == [SAMPLE.coi]
    assert any(t["system"].endswith(":received") for t in product["meta"]["tag"])
    assert product["productCode"]["coding"][0] == {
        "system": "https://www.isbt128.org/uri/productdescriptioncode", "code": "S5001",
        "display": f"ISBT 128 product code {samples.SAMPLE_PRODUCT_CODE}"}
    assert f"DIN {din}" in product["text"]["div"]
    given = next(r for r in by_kind["MedicationAdministration"]
                 if ids(r, ADMINISTRATION_SYSTEM))
    flush = next(r for r in by_kind["MedicationAdministration"] if ids(r, FLUSH_SYSTEM))
    assert ids(given, ADMINISTRATION_SYSTEM) == [f"{pid}-bag-1"]  # bag 1, not bag 2
    assert ids(flush, FLUSH_SYSTEM) == [f"{pid}-flush-1"]
    assert [x["reference"] for x in given["supportingInformation"]] == [ref(product)]
    # the product's RxNorm code exactly as the hospital's server holds it
    assert {"system": RXNORM_SYSTEM, "code": FORMULARY_RXNORM} in \
        given["medicationCodeableConcept"]["coding"]
    (procedure,) = by_kind["Procedure"]
    assert ids(procedure, PROCEDURE_SYSTEM) == [pid]  # procedure B (other bags) is absent
    assert given["partOf"][0]["reference"] == ref(procedure)
    receipt = next(p for p in by_kind["Provenance"] if "entity" not in p)
    record = next(p for p in by_kind["Provenance"] if "entity" in p)
    assert len(receipt["target"]) == 2 and ref(product) in [t["reference"]
                                                             for t in receipt["target"]]
    assert {a["type"]["coding"][0]["code"] for a in receipt["agent"]} == {"author", "verifier"}
    assert ref(product) in [e["what"]["reference"] for e in record["entity"]]
    assert {ref(procedure), ref(given), ref(flush)} <= {t["reference"] for t in record["target"]}


def test_every_procedure_a_nurse_performed_by_her_npi(written):
    info = written["info"]
    found = search(info, "Procedure?performer:Practitioner.identifier="
                         f"{token(NPI_SYSTEM, NURSE_NPI)}&_include=Procedure:performer")
    procedures = [r for r in found if r["resourceType"] == "Procedure"]
    assert [ids(p, PROCEDURE_SYSTEM) for p in procedures] == [[written["a"]]]
    (nurse,) = [r for r in found if r["resourceType"] == "Practitioner"]
    assert nurse["identifier"] == [{"system": NPI_SYSTEM, "value": NURSE_NPI}]
    assert nurse["name"][0]["text"] == NAMES[driver.NURSE] and nurse["text"]["div"]
    assert (nurse["name"][0]["family"], nurse["name"][0]["given"]) == ("Reyes", ["Dana"])
    # one Practitioner per NPI however many records name her (conditional create)
    assert len(search(info, f"Practitioner?identifier={token(NPI_SYSTEM, NURSE_NPI)}")) == 1
    other = search(info, "Procedure?performer:Practitioner.identifier="
                         f"{token(NPI_SYSTEM, OTHER_NPI)}")
    assert [ids(p, PROCEDURE_SYSTEM) for p in other] == [[written["b"]]]
    # the unmapped witness is named only: nothing on the server carries our internal user id
    for kind in ("Provenance", "Practitioner"):
        for r in search(info, f"{kind}?_count=100"):
            assert WITNESS not in str(r)
    provenance = search(info, f"Provenance?agent:Practitioner.identifier="
                              f"{token(NPI_SYSTEM, NURSE_NPI)}")
    assert len(provenance) == 1
    witness = next(a for a in provenance[0]["agent"] if a["role"][0]["text"] ==
                   "identity witness")
    assert witness["who"] == {"display": NAMES[WITNESS]}
    assert witness["onBehalfOf"]["reference"].startswith("Organization/")


def test_the_chain_of_identity_leads_to_its_administrations_and_the_procedure(written):
    info, pid = written["info"], written["a"]
    found = search(info, f"BiologicallyDerivedProduct?_tag={token(COI_SYSTEM, SAMPLE.coi)}"
                         "&_revinclude=Provenance:entity&_include:iterate=Provenance:target"
                         "&_count=100")
    products = [r for r in found if r["resourceType"] == "BiologicallyDerivedProduct"]
    assert sorted(d for p in products for d in ids(p, DIN_SYSTEM)) == sorted(SAMPLE_DINS)
    given = [r for r in found if r["resourceType"] == "MedicationAdministration"
             and ids(r, ADMINISTRATION_SYSTEM)]
    assert sorted(ids(g, ADMINISTRATION_SYSTEM)[0] for g in given) == [
        f"{pid}-bag-1", f"{pid}-bag-2"]
    for g in given:  # each administration names the bag it gave
        (link,) = g["supportingInformation"]
        product = next(p for p in products if ref(p) == link["reference"])
        assert ids(product, DIN_SYSTEM) == ids(g, DIN_SYSTEM)
        assert g["status"] == "completed"
    (procedure,) = [r for r in found if r["resourceType"] == "Procedure"]
    assert ids(procedure, PROCEDURE_SYSTEM)[0] == pid
    assert procedure["code"]["coding"][0]["code"] == "38241"
    assert procedure["location"]["reference"].startswith("Location/")
    assert all(g["partOf"][0]["reference"] == ref(procedure) for g in given)


def test_what_the_server_holds_passes_three_validators(written):
    """Read back after the server resolved every reference: zero errors, zero warnings."""
    from sync import validators

    if validators.medplum_missing():
        pytest.skip(validators.medplum_missing() or "")
    held = []
    for kind in ("Procedure", "MedicationAdministration", "BiologicallyDerivedProduct",
                 "Provenance", "Practitioner"):
        found = search(written["info"], f"{kind}?_count=100")
        assert found, kind
        held += [{k: v for k, v in r.items() if k != "meta"} for r in found]
    issues = validators.all_three(held)
    assert issues == []
    # US Core where the resource has a profile: the Practitioners we wrote (each claims it),
    # the Procedures, and what the bedside reads from the EHR (Patient, MedicationRequest)
    us_core = {"Practitioner": "us-core-practitioner", "Procedure": "us-core-procedure",
               "Patient": "us-core-patient", "MedicationRequest": "us-core-medicationrequest"}
    for kind, profile in us_core.items():
        found = [r for r in search(written["info"], f"{kind}?_count=100")
                 if kind != "Practitioner" or r.get("identifier")]  # (not the kit's own admin)
        assert found, kind
        if kind in ("Practitioner", "Procedure"):
            assert all(r["meta"]["profile"] == [validators.US_CORE + profile] for r in found)
        assert validators.errors(validators.medplum(found, profile)) == [], kind
