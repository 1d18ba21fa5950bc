"""The Bundle a procedure maps to: what a clinician reading the hospital record will find."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from engine.driver import DINS, PATIENT

from kresladi_bedside.sync import MappingError, NoPatient, NotFinished, procedure_bundle
from kresladi_bedside.sync.bundle import THAW_EXTENSION, THAW_TO_END_EXTENSION
from kresladi_bedside.sync.identifiers import (
    ADMINISTRATION_SYSTEM,
    COI_SYSTEM,
    DIN_SYSTEM,
    FLUSH_SYSTEM,
    PROCEDURE_SYSTEM,
    PROVENANCE_SYSTEM,
)

from .conftest import (
    MRN_SYSTEM,
    NAMES,
    WITNESS,
    completed,
    in_progress,
    stopped_before_order,
    stopped_compromised,
    with_thaw_deviation,
)


def entries(events, profile) -> list[dict[str, Any]]:
    bundle = procedure_bundle(events, profile, MRN_SYSTEM)
    data = json.loads(bundle.model_dump_json(exclude_none=True))
    assert data["type"] == "transaction"
    return data["entry"]


def of(entries_: list[dict[str, Any]], system: str) -> list[dict[str, Any]]:
    found = []
    for e in entries_:
        r = e["resource"]
        ids = r.get("identifier", []) + [{"system": t["system"], "value": t["code"]}
                                          for t in r.get("meta", {}).get("tag", [])]
        if any(i["system"] == system for i in ids):
            found.append(r)
    return found


def test_every_entry_is_a_conditional_write_on_an_identifier(profile):
    events = completed()
    pid = events[0].procedure_id
    found = entries(events, profile)
    assert len(found) <= 8  # a real server's atomic limit (Medplum: 8 conditional entries)
    for entry in found:
        request, resource = entry["request"], entry["resource"]
        assert entry["fullUrl"].startswith("urn:uuid:")
        assert resource["text"]["status"] == "generated"  # dom-6: narrative on every resource
        assert resource["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
        if resource["resourceType"] == "BiologicallyDerivedProduct":
            # the product: created only when the server holds no product with this DIN (the
            # receipt's resource is kept as the receipt wrote it)
            din = resource["identifier"][0]
            assert din["system"] == DIN_SYSTEM and din["value"] in DINS
            assert request == {"method": "POST", "url": "BiologicallyDerivedProduct",
                               "ifNoneExist": f"_tag={DIN_SYSTEM}|{din['value']}"}
            continue
        kind, query = request["url"].split("?", 1)
        assert request["method"] == "PUT" and kind == resource["resourceType"]
        ours = resource.get("identifier") or [
            {"system": t["system"], "value": t["code"]} for t in resource["meta"]["tag"]]
        assert ours[0]["system"].startswith("urn:kresladi-bedside:")
        assert pid in ours[0]["value"]
        assert query.split("=", 1)[1].startswith(ours[0]["system"] + "|")


def test_one_din_system_and_every_resource_about_a_bag_tagged_with_its_din(profile):
    found = entries(completed(), profile)
    systems = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            value = node.get("value", node.get("code"))
            if value in DINS and "system" in node:
                systems.add(node["system"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(found)
    assert systems == {DIN_SYSTEM} == {"http://hl7.org/fhir/NamingSystem/iccbba-din"}
    tagged = {din: sorted(e["resource"]["resourceType"] for e in found
                          if {"system": DIN_SYSTEM, "code": din}
                          in e["resource"].get("meta", {}).get("tag", []))
              for din in DINS}
    # the bag's product, administration and flush; the procedure and its Provenance (both bags)
    assert tagged[DINS[0]] == tagged[DINS[1]] == [
        "BiologicallyDerivedProduct", "MedicationAdministration", "MedicationAdministration",
        "Procedure", "Provenance"]


def test_mapping_is_deterministic_so_a_resend_is_identical(profile):
    events = completed()
    first = procedure_bundle(events, profile, MRN_SYSTEM).model_dump_json()
    assert procedure_bundle(events, profile, MRN_SYSTEM).model_dump_json() == first


def test_completed_procedure(profile):
    events = completed()
    found = entries(events, profile)
    (procedure,) = of(found, PROCEDURE_SYSTEM)
    assert procedure["status"] == "completed"
    assert procedure["subject"]["reference"] == \
        f"Patient?identifier={MRN_SYSTEM}|{PATIENT['mrn']}"
    thaw1 = next(e for e in events if e.type == "thaw_started")
    start = datetime.fromisoformat(procedure["performedPeriod"]["start"])
    assert start == thaw1.at.wall
    assert "2 of 2" in procedure["outcome"]["text"]
    assert any("3,200,000 CD34+ cells/kg" in n["text"] for n in procedure["note"])

    assert procedure["code"]["coding"][0]["code"] == "38241"  # CPT, from the profile
    assert procedure["identifier"][1]["value"] == PATIENT["coi"]

    bags = of(found, ADMINISTRATION_SYSTEM)
    products = {e["fullUrl"]: e["resource"] for e in found
                if e["resource"]["resourceType"] == "BiologicallyDerivedProduct"}
    assert not [e for e in found if e["resource"]["resourceType"] == "Medication"]
    assert [b["status"] for b in bags] == ["completed", "completed"]
    for number, bag in enumerate(bags, start=1):
        assert "contained" not in bag  # searches do not reach into contained resources
        (link,) = bag["supportingInformation"]  # the administration → the bag it gave
        product = products[link["reference"]]
        dins = [i["value"] for i in product["identifier"] if i["system"] == DIN_SYSTEM]
        assert dins == [DINS[number - 1]]
        assert [i["value"] for i in bag["identifier"] if i["system"] == DIN_SYSTEM] == dins
        assert {"system": COI_SYSTEM, "value": PATIENT["coi"]} in product["identifier"]
        assert product["collection"]["source"]["reference"] == \
            f"Patient?identifier={MRN_SYSTEM}|{PATIENT['mrn']}"
        lot = ("LOT-A", "LOT-B")[number - 1]
        assert {"url": "urn:kresladi-bedside:extension:lot", "valueString": lot} in \
            product["extension"]
        assert product["status"] == "unavailable"  # it went to this infusion
        assert f"DIN {DINS[number - 1]}, lot {lot}" in product["text"]["div"]
        # no NDC/RxNorm is filled in the profile yet, and these labels carry no product code:
        # text only, never an invented code
        assert bag["medicationCodeableConcept"] == {
            "text": "KRESLADI (marnetegragene autotemcel)"}
        assert bag["dosage"]["route"]["coding"][0]["code"] == "47625008"
        assert bag["dosage"]["dose"]["value"] == 1.6e6
        assert "18 mL" in bag["dosage"]["text"]
        durations = {x["url"]: x["valueDuration"]["value"] for x in bag["extension"]
                     if "valueDuration" in x}
        assert durations == {THAW_EXTENSION: 240.0, THAW_TO_END_EXTENSION: 660.0}
        assert "11 min 00 s after the start of thaw" in bag["note"][0]["text"]
        assert "request" not in bag  # this order carries no order id
        # who gave it and who witnessed the bag's identity at the bedside, with their function
        # from MedicationAdministration Performer Function
        assert [(p["function"]["coding"][0]["code"], p["actor"]["display"])
                for p in bag["performer"]] == [("performer", NAMES["u-nurse"]),
                                               ("witness", NAMES[WITNESS])]
        assert {p["function"]["coding"][0]["system"] for p in bag["performer"]} == {
            "http://terminology.hl7.org/CodeSystem/med-admin-perform-function"}

    flushes = of(found, FLUSH_SYSTEM)
    assert [f["dosage"]["dose"] for f in flushes] == [
        {"value": 4.5, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"}] * 2
    assert all("normal saline" in f["medicationCodeableConcept"]["text"] for f in flushes)
    # coded from the profile (NLM RxNorm, named there)
    assert all(f["medicationCodeableConcept"]["coding"] == [{
        "system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "313002",
        "display": "sodium chloride 9 MG/ML Injectable Solution"}] for f in flushes)


def test_the_isbt128_product_code_of_the_labels_is_coded_under_iccbba(profile):
    from dataclasses import replace

    events = []
    for e in completed():
        label = e.data.get("label")
        if e.type == "label_accepted" and label.get("bag"):
            scan = {**label["scan"], "identifiers": {**label["scan"]["identifiers"],
                                                     "product_code": "S5001A00"}}
            e = replace(e, data={**e.data, "label": {**label, "scan": scan}})
        events.append(e)
    found = entries(events, profile)
    coding = {"system": "https://www.isbt128.org/uri/productdescriptioncode", "code": "S5001",
              "display": "ISBT 128 product code S5001A00"}
    for bag in of(found, ADMINISTRATION_SYSTEM):
        assert bag["medicationCodeableConcept"]["coding"] == [coding]
    products = [e["resource"] for e in found
                if e["resource"]["resourceType"] == "BiologicallyDerivedProduct"]
    assert [p["productCode"]["coding"] for p in products] == [[coding], [coding]]


def test_every_signature_is_in_one_provenance_with_the_identity_witness(profile):
    events = completed()
    (provenance,) = of(entries(events, profile), PROVENANCE_SYSTEM)
    signed = [s for e in events for s in e.data.get("signatures", ())]
    assert len(provenance["signature"]) == len(signed) > 0
    roles = {(a["who"]["display"], a["role"][0]["text"]) for a in provenance["agent"]}
    assert (NAMES[WITNESS], "identity witness") in roles
    assert (NAMES["u-nurse"], "performed") in roles
    witness = next(a for a in provenance["agent"] if a["role"][0]["text"] == "identity witness")
    # agent type from ProvenanceAgentType (provenance-participant-type: WIT is not in it);
    # the witness role from v3 ParticipationType, a system of agent.role's value set
    assert witness["type"]["coding"] == [{
        "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
        "code": "verifier", "display": "Verifier"}]
    assert witness["role"][0]["coding"] == [{
        "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
        "code": "WIT", "display": "witness"}]
    for agent in provenance["agent"]:
        assert agent["type"]["coding"][0]["system"].endswith("provenance-participant-type")
    assert "label accepted" in provenance["text"]["div"]
    assert len(provenance["target"]) == 5  # the procedure, two bags, two flushes
    assert [e["role"] for e in provenance["entity"]] == ["source", "source"]  # the products


def test_a_deviation_is_on_the_procedure_and_its_bag(profile):
    found = entries(with_thaw_deviation(), profile)
    (procedure,) = of(found, PROCEDURE_SYSTEM)
    notes = " ".join(n["text"] for n in procedure["note"])
    assert "Deviation (thaw_time, bag 1)" in notes and "bath temperature low" in notes
    bag1, bag2 = of(found, ADMINISTRATION_SYSTEM)
    assert any("bath temperature low" in n["text"] for n in bag1["note"])
    assert not any("Deviation" in n["text"] for n in bag2["note"])
    (provenance,) = of(found, PROVENANCE_SYSTEM)
    assert provenance["reason"][0]["text"] == "bath temperature low, topped up"
    # signed by the nurse by name: no internal user id anywhere in what is sent
    assert f"signed by {NAMES['u-nurse']}" in notes
    assert "u-nurse" not in json.dumps(found) and WITNESS not in json.dumps(found)


def test_a_stopped_procedure_says_why_and_no_bag_was_given(profile):
    found = entries(stopped_compromised(), profile)
    (procedure,) = of(found, PROCEDURE_SYSTEM)
    assert procedure["status"] == "stopped"
    assert "compromised" in procedure["statusReason"]["text"]
    assert "integrity" in procedure["statusReason"]["text"]
    bags = of(found, ADMINISTRATION_SYSTEM)
    assert [b["status"] for b in bags] == ["not-done", "not-done"]
    assert all("compromised" in b["statusReason"][0]["text"] for b in bags)
    assert of(found, FLUSH_SYSTEM) == []


@pytest.mark.parametrize(("make", "error"), [(in_progress, NotFinished),
                                             (stopped_before_order, NoPatient)])
def test_what_cannot_be_mapped_says_why(profile, make, error):
    events = make()
    with pytest.raises(error, match=events[0].procedure_id):
        procedure_bundle(events, profile, MRN_SYSTEM)


def test_events_must_start_with_the_opening(profile):
    with pytest.raises(MappingError, match="procedure_opened"):
        procedure_bundle(completed()[1:], profile, MRN_SYSTEM)


def test_site_identifiers_staff_and_order_come_from_the_site(profile):
    from engine.driver import order_dict

    from kresladi_bedside.sync import SiteIds, procedure_record
    from kresladi_bedside.sync.identifiers import Namespace

    from .conftest import SignedDriver

    d = SignedDriver()
    d.open()
    d.ok("prepare_order", order={**order_dict(), "order_id": "ORD-778812"})
    d.gates().identity().give_bag(1)
    d.advance(3600)
    d.give_bag(2)
    from engine.driver import POST_OK
    d.ok("acknowledge_post_infusion", attest=POST_OK)
    npi = ("http://hl7.org/fhir/sid/us-npi", "1234567893")
    site = SiteIds(namespace=Namespace("https://ehr.example.org/id/kresladi"),
                   order_system="https://ehr.example.org/id/orders",
                   practitioners={"u-nurse": npi}, site_name="CTU bed 4",
                   organization=("urn:oid:2.16.840.1.113883.3.999.2", "ORG-1"),
                   location=("urn:oid:2.16.840.1.113883.3.999.3", "CTU-4"))
    record = procedure_record(list(d.proc.events), profile, site)
    by_kind: dict[str, list[Any]] = {}
    for e in record.entries:
        by_kind.setdefault(e.kind, []).append(e)
    # the nurse as the hospital knows her: a Practitioner created only when the server has
    # none with her NPI, first (a later Bundle of a split procedure refers to it)
    (nurse,) = by_kind["Practitioner"]
    assert record.entries[0] is nurse
    assert nurse.bundle_entry()["request"] == {
        "method": "POST", "url": "Practitioner",
        "ifNoneExist": "identifier=http://hl7.org/fhir/sid/us-npi|1234567893"}
    assert nurse.resource["identifier"] == [{"system": npi[0], "value": npi[1]}]
    assert nurse.resource["name"] == [{"text": NAMES["u-nurse"]}]
    (procedure_entry,) = by_kind["Procedure"]
    procedure = procedure_entry.resource
    assert procedure["identifier"][0]["system"] == "https://ehr.example.org/id/kresladi/procedure"
    assert procedure["location"] == {
        "reference": "Location?identifier=urn:oid:2.16.840.1.113883.3.999.3|CTU-4",
        "display": "CTU bed 4"}
    assert procedure["performer"][0]["actor"] == {"reference": nurse.our.full_url,
                                                  "display": NAMES["u-nurse"]}
    bag = by_kind["MedicationAdministration"][0].resource
    assert bag["request"]["identifier"] == {"system": "https://ehr.example.org/id/orders",
                                            "value": "ORD-778812"}
    assert bag["performer"][0]["actor"]["reference"] == nurse.our.full_url
    (provenance,) = (e.resource for e in by_kind["Provenance"])
    organization = {"reference": "Organization?identifier=urn:oid:2.16.840.1.113883.3.999.2|"
                                 "ORG-1", "display": "CTU bed 4"}
    assert all(a["onBehalfOf"] == organization for a in provenance["agent"])
    assert {s["who"]["reference"] for s in provenance["signature"]
            if "reference" in s["who"]} == {nurse.our.full_url}
    witness = next(a for a in provenance["agent"] if a["role"][0]["text"] ==
                   "identity witness")
    # not mapped: named, and no internal user id is sent as if it were a hospital identifier
    assert witness["who"] == {"display": NAMES[WITNESS]}
    assert WITNESS not in json.dumps([e.resource for e in record.entries])


def test_a_procedure_with_mapped_staff_splits_at_the_atomic_limit(profile):
    from kresladi_bedside.sync import SiteIds, procedure_record

    site = SiteIds(practitioners={"u-nurse": ("http://hl7.org/fhir/sid/us-npi", "1234567893"),
                                  WITNESS: ("http://hl7.org/fhir/sid/us-npi", "1245319599")})
    record = procedure_record(completed(), profile, site)
    bodies = record.bundles("p-1", limit=8)
    assert [len(labels) for _, labels in bodies] == [8, 2]
    second = json.loads(bodies[1][0])
    refs = json.dumps(second)
    # the people were written in the first Bundle: the second finds them by identifier
    assert "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1234567893" in refs
    assert "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1245319599" in refs
