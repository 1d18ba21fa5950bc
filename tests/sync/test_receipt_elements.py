"""The receipt travels as structured FHIR elements (sync/receipt_fhir.py) and comes back whole:
no JSON string on the product, every part of the receipt rebuilt from typed elements."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.sync.ehr import product_bundle, receipt_payload
from kresladi_bedside.sync.identifiers import SiteIds
from kresladi_bedside.sync.receipt_fhir import ReceiptUnreadable, portable, read_receipt
from tests.receipt.conftest import START, make_desk

SITE = SiteIds(mrn_system="urn:test:mrn")


@pytest.fixture
def written(tmp_path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    desk = make_desk(tmp_path / "pharmacy.db", FakeClock(START))
    assert desk.receive().accepted
    assert desk.receipt.state.labels  # the shipper and both cassettes
    state = desk.receipt.state
    payload = receipt_payload(state, {desk.alice.id: "Alice Pharm", desk.bob.id: "Bob Lab"})
    payload["concerns"] = ["Shipper seal loose; product cold on arrival."]
    # a GS1 shipper label holds the GS control character, which no FHIR string may carry
    payload["labels"][0]["scan"]["raw"] += "\x1d91KR0417"
    bundle = product_bundle(state, payload, SITE.mrn_system, "KRESLADI", site=SITE)
    resources = [{**e["resource"], "id": f"r{i}"} for i, e in enumerate(bundle["entry"])]
    desk.store.close()
    return payload, resources


def parts(resources: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    bags = [r for r in resources if r["resourceType"] == "BiologicallyDerivedProduct"]
    (provenance,) = [r for r in resources if r["resourceType"] == "Provenance"]
    return bags, provenance


def test_no_string_holds_json_and_the_receipt_comes_back_whole(written):
    payload, resources = written
    for resource in resources:
        for text in _strings(resource):
            assert not isinstance(_json(text), dict | list), text[:60]
    bags, provenance = parts(resources)
    back = read_receipt(payload["receipt_id"], bags, provenance, SITE)
    assert back == portable(payload)
    # what the bedside cannot use from another workstation does not travel
    assert back["storage"]["at"]["mono"] is None
    assert back["completed_at"]["wall"] == payload["completed_at"]["wall"]
    assert back["concerns"] == ["Shipper seal loose; product cold on arrival."]
    assert [x["role"] for x in back["labels"]] == ["shipper", "cassette", "cassette"]
    assert back["labels"][0]["scan"]["raw"].endswith("\x1d91KR0417")  # kept, as base64


def test_each_element_is_typed(written):
    payload, resources = written
    bags, provenance = parts(resources)
    bag = bags[0]
    assert bag["collection"]["source"]["identifier"] == {"system": SITE.mrn_system,
                                                         "value": payload["order"]["patient"]
                                                         ["mrn"]}
    (storage,) = bag["storage"]
    assert storage["temperature"] == -180 and storage["description"] == "LN2 tank 2"
    assert storage["duration"]["end"] == payload["order"]["bags"][0]["expiry"]
    sheet = next(e for e in bag["extension"] if e["url"].endswith(":lot-information-sheet"))
    kinds = {e["url"]: next(k for k in e if k.startswith("value")) for e in sheet["extension"]}
    assert kinds["patient-birth-date"] == "valueDate" and kinds["weight"] == "valueQuantity"
    labels = [e for e in bag["extension"] if e["url"].endswith(":receipt-label")]
    assert len(labels) == 2  # the shipper's and this bag's cassette's, not the other cassette's
    raw = next(e["valueBase64Binary"] for e in labels[1]["extension"] if e["url"] == "payload")
    assert base64.b64decode(raw).decode() == payload["labels"][1]["scan"]["raw"]
    # when it was completed, to the microsecond, with the workstation's UTC offset
    assert provenance["recorded"].startswith(payload["completed_at"]["wall"][:26])
    assert provenance["recorded"][-6] in "+-"


@pytest.mark.parametrize(("spoil", "says"), [
    (lambda bags: bags[1]["storage"][0].update(temperature=-120), "disagree (storage)"),
    (lambda bags: bags[0]["extension"].append(
        {"url": "urn:kresladi-bedside:extension:receipt-label", "extension": []}),
     "(label): no '"),
    (lambda bags: bags[0]["storage"][0]["duration"].update(start="2026-04-20T10:00:00"),
     "no UTC offset"),
    (lambda bags: bags[0]["identifier"].pop(0), "DIN"),
    (lambda bags: bags[1]["extension"][0]["extension"][0].update(valuePositiveInt=1),
     "bags numbered [1, 1]"),
])
def test_elements_that_do_not_make_a_receipt_are_named(written, spoil, says):
    payload, resources = written
    bags, provenance = parts(json.loads(json.dumps(resources)))
    spoil(bags)
    with pytest.raises(ReceiptUnreadable, match=re.escape(says)):
        read_receipt(payload["receipt_id"], bags, provenance, SITE)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k != "div" for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
