"""Every resource the program writes to the hospital's server, as it is sent, checked by three
validators that share no code (tests/sync/validators.py): zero errors, and only the warnings the
README lists (each with why it remains). US Core 5.0.1 (Patient, MedicationRequest: the profiles
installable here) checks what the bedside reads from the EHR."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.profile import load_profile
from kresladi_bedside.sync.bundle import procedure_record
from kresladi_bedside.sync.ehr import product_bundle, receipt_payload
from kresladi_bedside.sync.identifiers import SiteIds
from kresladi_bedside.sync.staff import NPI_SYSTEM
from tests.receipt.conftest import START, make_desk

from . import validators
from .conftest import WITNESS, completed, stopped_compromised, with_thaw_deviation

PROFILE = load_profile()
SITE = SiteIds(practitioners={"u-nurse": (NPI_SYSTEM, "1234567893"),
                              WITNESS: ("urn:oid:2.16.840.1.113883.3.999.5", "EHR-77812")},
               # the nurse's name as the hospital holds it (users set-name); the witness has none
               practitioner_names={"u-nurse": ("Okafor", ("Ada", "Chioma"))},
               site_name="Test Children's CTU",
               organization=("urn:oid:2.16.840.1.113883.3.999.2", "ORG-CHILDRENS"),
               location=("urn:oid:2.16.840.1.113883.3.999.3", "CTU-4WEST"))
# Warnings that remain, by validator and text (README, "Validation"): a reference inside a
# transaction Bundle is its entry's `urn:uuid:` fullUrl, which the server replaces by the
# resource's id on write; a validator given the resource alone cannot see its type.
KNOWN_WARNINGS = {("@medplum/core", "Invalid reference: got \"urn:uuid:")}

pytestmark = pytest.mark.skipif(validators.medplum_missing() is not None,
                                reason=validators.medplum_missing() or "")


def sent(events: list[Any], site: SiteIds = SITE, limit: int = 8) -> list[dict[str, Any]]:
    """The resources of every Bundle as sync sends them (patient resolved)."""
    record = procedure_record(events, PROFILE, site)
    return [e["resource"] for body, _ in record.bundles("0f8308d2-08e9-4f4c-8532-07a26a9a7711",
                                                        limit)
            for e in json.loads(body)["entry"]]


def receipt_sent(tmp_path: Path) -> list[dict[str, Any]]:
    desk = make_desk(tmp_path / "pharmacy.db", FakeClock(START))
    assert desk.receive().accepted
    state = desk.receipt.state
    names = {u.id: u.name for u in (desk.alice, desk.bob)}
    site = replace(SITE, practitioners={desk.alice.id: (NPI_SYSTEM, "1003000126"),
                                        desk.bob.id: (NPI_SYSTEM, "1003000134")},
                   practitioner_names={desk.alice.id: ("Rivera", ("Alice",)),
                                       desk.bob.id: ("Chen", ())})
    bundle = product_bundle(state, receipt_payload(state, names), "urn:oid:1.2.3", "KRESLADI",
                            site=site)
    return [e["resource"] for e in bundle["entry"]]


def unexplained(issues: list[validators.Issue]) -> list[validators.Issue]:
    return [i for i in issues if not any(i.validator.startswith(v) and i.text.startswith(t)
                                         for v, t in KNOWN_WARNINGS)]


@pytest.mark.parametrize("make", [completed, with_thaw_deviation, stopped_compromised])
def test_every_resource_of_a_procedure_passes_three_validators(make):
    resources = sent(make())
    assert {r["resourceType"] for r in resources} >= {"Procedure", "Provenance",
                                                      "MedicationAdministration"}
    issues = validators.all_three(resources)
    assert validators.errors(issues) == []
    assert unexplained(issues) == []


def test_a_split_procedure_with_its_people_passes_three_validators():
    resources = sent(completed(), limit=4)  # later Bundles refer to earlier ones by identifier
    kinds = [r["resourceType"] for r in resources]
    assert kinds.count("Practitioner") == 2 and "BiologicallyDerivedProduct" in kinds
    issues = validators.all_three(resources)
    assert validators.errors(issues) == [] and unexplained(issues) == []


def test_the_receipt_passes_three_validators(tmp_path):
    resources = receipt_sent(tmp_path)
    assert sorted(r["resourceType"] for r in resources) == [
        "BiologicallyDerivedProduct", "BiologicallyDerivedProduct", "Practitioner",
        "Practitioner", "Provenance"]
    issues = validators.all_three(resources)
    assert validators.errors(issues) == [] and unexplained(issues) == []


def test_the_validators_do_find_errors():
    """Each of the three refuses a resource that breaks R4 (so a pass above means something)."""
    broken = sent(completed())
    procedure = next(r for r in broken if r["resourceType"] == "Procedure")
    unknown = {**procedure, "colour": "red"}  # no such element
    bad_provenance = {**next(r for r in broken if r["resourceType"] == "Provenance")}
    del bad_provenance["recorded"]  # 1..1
    for check in (validators.fhir_resources, validators.fhirkit_rs, validators.medplum):
        assert validators.errors(check([bad_provenance])), check.__name__
        assert validators.errors(check([unknown])), check.__name__
    # none of the three expands value sets: a code outside a required binding (e.g. status
    # "finished") passes them all; our codes come from fixed tables (README, "Validation")


# What the bedside reads from the EHR, as the integration tests' EHR serves it: US Core 5.0.1.
EHR_PATIENT = {"resourceType": "Patient", "identifier": [
    {"system": "urn:oid:2.16.840.1.113883.3.999.1", "value": "00417356"}],
    "name": [{"use": "official", "family": "Rivera", "given": ["Mateo"]}],
    "gender": "male", "birthDate": "2024-03-15"}
EHR_ORDER = {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
             "subject": {"reference": "Patient/p1"}, "authoredOn": "2026-02-20",
             "requester": {"reference": "Practitioner/prescriber-1"},
             "medicationCodeableConcept": {"text": "KRESLADI (marnetegragene autotemcel) "
                                                   "suspension"}}


def test_what_the_bedside_reads_is_us_core(tmp_path):
    assert validators.errors(validators.medplum([EHR_PATIENT], "us-core-patient")) == []
    assert validators.errors(validators.medplum([EHR_ORDER], "us-core-medicationrequest")) == []
    # and US Core is enforced, not just the base resource: no gender → refused
    no_gender = {k: v for k, v in EHR_PATIENT.items() if k != "gender"}
    assert validators.errors(validators.medplum([no_gender], "us-core-patient"))
    assert validators.errors(validators.medplum([no_gender])) == []



def test_our_procedures_and_named_practitioners_are_us_core_and_claim_it(tmp_path):
    """US Core Procedure and Practitioner (the StructureDefinitions recorded in
    tools/fhir-validate/profiles) on what we write. A profile is claimed in meta.profile only
    where it passes with zero errors."""
    written = sent(completed()) + sent(stopped_compromised()) + receipt_sent(tmp_path)
    procedures = [r for r in written if r["resourceType"] == "Procedure"]
    assert len(procedures) == 2
    claim = [validators.US_CORE + "us-core-procedure"]
    assert all(p["meta"]["profile"] == claim for p in procedures)
    assert validators.errors(validators.medplum(procedures, "us-core-procedure")) == []
    # a person whose family name the administrator set (users set-name): the hospital's name,
    # family and given, and US Core Practitioner claimed and met
    people = [r for r in written if r["resourceType"] == "Practitioner"]
    named = [r for r in people if r["name"][0].get("family")]
    assert {r["name"][0]["family"] for r in named} == {"Okafor", "Rivera", "Chen"}
    nurse = next(r for r in named if r["name"][0]["family"] == "Okafor")
    assert nurse["name"][0]["given"] == ["Ada", "Chioma"]
    assert nurse["identifier"] == [{"system": NPI_SYSTEM, "value": "1234567893"}]
    assert all(r["meta"]["profile"] == [validators.US_CORE + "us-core-practitioner"]
               for r in named)
    assert validators.errors(validators.medplum(named, "us-core-practitioner")) == []
    # one without (the witness): named as signed, no profile claimed, and it would fail US
    # Core on name.family alone (not guessed from the printed name: README)
    unnamed = [r for r in people if r not in named]
    assert unnamed and not any("profile" in r.get("meta", {}) for r in unnamed)
    assert {(i.where.split("[")[0], i.text) for i in validators.errors(
        validators.medplum(unnamed, "us-core-practitioner"))} == {
        ("Practitioner.name", "Missing required property")}
    # the profile is enforced: a Procedure without its code, or a wrong NPI, is refused
    uncoded = {k: v for k, v in procedures[0].items() if k != "code"}
    assert validators.errors(validators.medplum([uncoded], "us-core-procedure"))
    assert validators.errors(validators.medplum([uncoded])) == []
    wrong_npi = {"resourceType": "Practitioner", "name": [{"family": "Okafor"}],
                 "identifier": [{"system": NPI_SYSTEM, "value": "1234567890"}]}
    assert validators.errors(validators.medplum([wrong_npi], "us-core-practitioner"))
    right_npi = {**wrong_npi, "identifier": [{"system": NPI_SYSTEM, "value": "1234567893"}]}
    assert validators.errors(validators.medplum([right_npi], "us-core-practitioner")) == []
