"""The EHR client does not trust the server's answers (issue 26, finding 11): a JSON list, null
or a non-object escaped as an uncaught exception, a Practitioner was taken as the patient, and
one malformed product hid every product. Each answer here is what a misconfigured proxy, a
hostile server or a server bug can send."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.sync.ehr import (
    EhrClient,
    EhrError,
    find_patient,
    mark_dispensed,
    product_bundle,
    receipt_payload,
    received_products,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from receipt.conftest import START, make_desk

MRN_SYSTEM = "urn:test:mrn"


class Canned(EhrClient):
    """An EhrClient whose server answers with `answers[path prefix]` (no network)."""

    def __init__(self, answers: dict[str, Any]) -> None:
        super().__init__("http://127.0.0.1:9/fhir")
        self.answers = answers

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        for prefix, answer in self.answers.items():
            if path.startswith(prefix):
                return 200, copy.deepcopy(answer)
        return 404, None


def searchset(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset",
            "entry": [{"resource": r, "search": {"mode": "match"}} for r in resources]}


PATIENT = {"resourceType": "Patient", "id": "p1", "birthDate": "2024-03-15",
           "name": [{"family": "Rivera", "given": ["Mateo"]}]}


@pytest.mark.parametrize("answer", [[1, 2], None, "Patient", 42, {"no": "type"},
                                    {"resourceType": "Bundle", "entry": "x"},
                                    {"resourceType": "Bundle", "entry": [None]},
                                    {"resourceType": "OperationOutcome"}])
def test_answers_of_the_wrong_shape_are_refused_with_a_message(answer):
    with pytest.raises(EhrError) as refused:
        find_patient(Canned({"Patient": answer}), MRN_SYSTEM, "MRN1")
    assert "EHR" in str(refused.value)


def test_a_practitioner_is_never_the_patient():
    practitioner = {**PATIENT, "resourceType": "Practitioner"}
    with pytest.raises(EhrError, match="Practitioner"):
        find_patient(Canned({"Patient": searchset(practitioner)}), MRN_SYSTEM, "MRN1")
    found = find_patient(Canned({"Patient": searchset(PATIENT)}), MRN_SYSTEM, "MRN1")
    assert found.name == "RIVERA, MATEO"


@pytest.mark.parametrize("name", ["Rivera", [None], [{"family": 3, "given": [None]}]])
def test_a_patient_name_of_the_wrong_shape_is_refused(name):
    with pytest.raises(EhrError):
        find_patient(Canned({"Patient": searchset({**PATIENT, "name": name})}), MRN_SYSTEM,
                     "MRN1")


def test_a_dispensed_check_on_something_else_is_refused():
    with pytest.raises(EhrError, match="where a BiologicallyDerivedProduct belongs"):
        mark_dispensed(Canned({"BiologicallyDerivedProduct/1": [1]}),
                       ["BiologicallyDerivedProduct/1"])


def included(resource: dict[str, Any]) -> dict[str, Any]:
    return {"resource": resource, "search": {"mode": "include"}}


@pytest.fixture
def products(tmp_path: Path) -> list[dict[str, Any]]:
    """Two received products as the EHR holds them (one BiologicallyDerivedProduct per bag, and
    each receipt's Provenance, which a search includes with _revinclude)."""
    out = []
    for n in (1, 2):
        desk = make_desk(tmp_path / f"pharmacy{n}.db", FakeClock(START))
        assert desk.receive().accepted
        state = desk.receipt.state
        bundle = product_bundle(state, receipt_payload(state, {}), MRN_SYSTEM, "KRESLADI")
        for i, entry in enumerate(bundle["entry"]):
            out.append({**entry["resource"], "id": f"r{n}-{i}"})
        desk.store.close()
    return out


def answer(resources: list[dict[str, Any]]) -> dict[str, Any]:
    bundle = searchset(*(r for r in resources if r["resourceType"] != "Provenance"))
    bundle["entry"] += [included(r) for r in resources if r["resourceType"] == "Provenance"]
    return bundle


def test_one_malformed_product_never_hides_the_others(products):
    good = received_products(Canned({"BiologicallyDerivedProduct": answer(products)}))
    assert len(good) == 2
    broken = copy.deepcopy(products)
    sheet = broken[0]["extension"][0]
    assert sheet["url"].endswith(":lot-information-sheet")
    sheet["extension"] = [e for e in sheet["extension"] if e["url"] != "patient-birth-date"]
    problems: list[str] = []
    found = received_products(Canned({"BiologicallyDerivedProduct": answer(broken)}),
                              problems=problems)
    assert [p.receipt_id for p in found] == [good[1].receipt_id]
    assert len(problems) == 1 and "no 'patient-birth-date'" in problems[0]


def test_a_receipt_without_its_provenance_or_a_bag_is_not_offered(products):
    """Who verified and when lives on the Provenance; a bag missing is a receipt cut short."""
    first = [r for r in products if r["id"].startswith("r1-")]
    problems: list[str] = []
    without = [r for r in first if r["resourceType"] != "Provenance"]
    assert received_products(Canned({"BiologicallyDerivedProduct": answer(without)}),
                             problems=problems) == []
    assert "Provenance" in problems[0]
    one_bag = [r for r in first if r["id"] != "r1-1"]
    problems.clear()
    assert received_products(Canned({"BiologicallyDerivedProduct": answer(one_bag)}),
                             problems=problems) == []
    assert "holds 1 of its 2 bags" in problems[0]


def test_another_resource_in_the_answer_is_refused_by_name(products):
    bundle = answer(products)
    bundle["entry"].append({"resource": PATIENT, "search": {"mode": "match"}})
    with pytest.raises(EhrError, match="a Patient"):
        received_products(Canned({"BiologicallyDerivedProduct": bundle}))
