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


def test_every_entry_is_a_conditional_update_on_our_identifier(profile):
    events = completed()
    pid = events[0].procedure_id
    found = entries(events, profile)
    assert len(found) <= 8  # a real server's atomic limit (Medplum: 8 conditional entries)
    for entry in found:
        request, resource = entry["request"], entry["resource"]
        kind, query = request["url"].split("?", 1)
        assert request["method"] == "PUT" and kind == resource["resourceType"]
        ours = resource.get("identifier") or [
            {"system": t["system"], "value": t["code"]} for t in resource["meta"]["tag"]]
        assert ours[0]["system"].startswith("urn:kresladi-bedside:")
        assert pid in ours[0]["value"]
        assert query.split("=", 1)[1].startswith(ours[0]["system"] + "|")
        assert entry["fullUrl"].startswith("urn:uuid:")
        assert resource["text"]["status"] == "generated"  # dom-6: narrative on every resource
        assert resource["text"]["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml">')


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
    medications = {e["fullUrl"]: e["resource"] for e in found
                   if e["resource"]["resourceType"] == "Medication"}
    assert [b["status"] for b in bags] == ["completed", "completed"]
    for number, bag in enumerate(bags, start=1):
        assert "contained" not in bag  # a Medication of its own: searches reach it
        medication = medications[bag["medicationReference"]["reference"]]
        dins = [i["value"] for i in medication["identifier"] if i["system"] == DIN_SYSTEM]
        assert dins == [DINS[number - 1]]
        assert [i["value"] for i in bag["identifier"] if i["system"] == DIN_SYSTEM] == dins
        assert PATIENT["coi"] in [i["value"] for i in medication["identifier"]]
        assert medication["batch"]["lotNumber"] == ("LOT-A", "LOT-B")[number - 1]
        assert medication["amount"]["numerator"] == {
            "value": 18.0, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"}
        assert medication["code"] == {"text": "KRESLADI (marnetegragene autotemcel)"}  # no
        # NDC/RxNorm is filled in the profile yet: text only, never an invented code
        assert bag["dosage"]["route"]["coding"][0]["code"] == "47625008"
        assert bag["dosage"]["dose"]["value"] == 1.6e6
        assert "18 mL" in bag["dosage"]["text"]
        durations = {x["url"]: x["valueDuration"]["value"] for x in bag["extension"]
                     if "valueDuration" in x}
        assert durations == {THAW_EXTENSION: 240.0, THAW_TO_END_EXTENSION: 660.0}
        assert "11 min 00 s after the start of thaw" in bag["note"][0]["text"]
        assert "request" not in bag  # this order carries no order id

    flushes = of(found, FLUSH_SYSTEM)
    assert [f["dosage"]["dose"] for f in flushes] == [
        {"value": 4.5, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"}] * 2
    assert all("normal saline" in f["medicationCodeableConcept"]["text"] for f in flushes)


def test_every_signature_is_in_one_provenance_with_the_identity_witness(profile):
    events = completed()
    (provenance,) = of(entries(events, profile), PROVENANCE_SYSTEM)
    signed = [s for e in events for s in e.data.get("signatures", ())]
    assert len(provenance["signature"]) == len(signed) > 0
    roles = {(a["who"]["display"], a["role"][0]["text"]) for a in provenance["agent"]}
    assert (NAMES[WITNESS], "identity witness") in roles
    assert (NAMES["u-nurse"], "performed") in roles
    witness = next(a for a in provenance["agent"] if a["role"][0]["text"] == "identity witness")
    assert witness["type"]["coding"][0]["code"] == "WIT"
    assert "label accepted" in provenance["text"]["div"]
    assert len(provenance["target"]) == 5  # the procedure, two bags, two flushes


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
    site = SiteIds(namespace=Namespace("https://ehr.example.org/id/kresladi"),
                   order_system="https://ehr.example.org/id/orders",
                   practitioners={"u-nurse": ("http://hl7.org/fhir/sid/us-npi", "1234567893")},
                   site_name="CTU bed 4")
    record = procedure_record(list(d.proc.events), profile, site)
    resources = [e.resource for e in record.entries]
    procedure = resources[0]
    assert procedure["identifier"][0]["system"] == "https://ehr.example.org/id/kresladi/procedure"
    assert procedure["location"]["display"] == "CTU bed 4"
    assert procedure["performer"][0]["actor"]["identifier"] == {
        "system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}
    bag = next(r for r in resources if r["resourceType"] == "MedicationAdministration")
    assert bag["request"]["identifier"] == {"system": "https://ehr.example.org/id/orders",
                                            "value": "ORD-778812"}
    witness = next(a for a in resources[-1]["agent"] if a["role"][0]["text"] ==
                   "identity witness")
    assert witness["who"]["identifier"]["system"] == \
        "https://ehr.example.org/id/kresladi/user"  # not mapped: the site's own namespace
