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


def test_every_entry_is_a_conditional_create_on_our_identifier(profile):
    events = completed()
    pid = events[0].procedure_id
    for entry in entries(events, profile):
        request, resource = entry["request"], entry["resource"]
        assert request["method"] == "POST" and request["url"] == resource["resourceType"]
        ours = resource.get("identifier") or [
            {"system": t["system"], "value": t["code"]} for t in resource["meta"]["tag"]]
        assert ours[0]["system"].startswith("urn:kresladi-bedside:")
        assert pid in ours[0]["value"]
        assert request["ifNoneExist"].split("=", 1)[1].startswith(ours[0]["system"] + "|")
        assert entry["fullUrl"].startswith("urn:uuid:")


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

    bags = of(found, ADMINISTRATION_SYSTEM)
    assert [b["status"] for b in bags] == ["completed", "completed"]
    for number, bag in enumerate(bags, start=1):
        medication = bag["contained"][0]
        assert medication["identifier"][0]["value"] == DINS[number - 1]
        assert medication["batch"]["lotNumber"] == ("LOT-A", "LOT-B")[number - 1]
        assert bag["medicationReference"]["reference"] == f"#{medication['id']}"
        assert bag["dosage"]["route"]["coding"][0]["code"] == "47625008"
        assert bag["dosage"]["dose"]["value"] == 1.6e6
        durations = {x["url"]: x["valueDuration"]["value"] for x in bag["extension"]}
        assert durations == {THAW_EXTENSION: 240.0, THAW_TO_END_EXTENSION: 660.0}
        assert "11 min 00 s after the start of thaw" in bag["note"][0]["text"]

    flushes = of(found, FLUSH_SYSTEM)
    assert [f["dosage"]["dose"] for f in flushes] == [
        {"value": 4.5, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"}] * 2
    assert all("normal saline" in f["medicationCodeableConcept"]["text"] for f in flushes)


def test_signatures_become_provenance_with_the_witness(profile):
    events = completed()
    provenances = of(entries(events, profile), PROVENANCE_SYSTEM)
    signed = [e for e in events if e.data.get("signatures")]
    assert len(provenances) == len(signed) > 0
    scans = [p for p in provenances if p["activity"]["text"] == "label accepted"]
    assert scans
    who = {a["who"]["display"]: a["type"]["coding"][0]["code"] for a in scans[0]["agent"]}
    assert who == {NAMES["u-nurse"]: "performer", NAMES[WITNESS]: "verifier"}
    assert {s["who"]["identifier"]["value"] for s in scans[0]["signature"]} == \
        {"u-nurse", WITNESS}


def test_a_deviation_is_on_the_procedure_and_its_bag(profile):
    found = entries(with_thaw_deviation(), profile)
    (procedure,) = of(found, PROCEDURE_SYSTEM)
    notes = " ".join(n["text"] for n in procedure["note"])
    assert "Deviation (thaw_time, bag 1)" in notes and "bath temperature low" in notes
    bag1, bag2 = of(found, ADMINISTRATION_SYSTEM)
    assert any("bath temperature low" in n["text"] for n in bag1["note"])
    assert not any("Deviation" in n["text"] for n in bag2["note"])
    deviation_provenance = [p for p in of(found, PROVENANCE_SYSTEM)
                            if p["activity"]["text"] == "deviation recorded"]
    assert deviation_provenance[0]["reason"][0]["text"] == "bath temperature low, topped up"


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
