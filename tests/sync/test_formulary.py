"""RxNorm for the product only as the hospital's server holds it (sync/formulary.py): looked up
once a pass on the server, never invented; none, or two that disagree, → no RxNorm at all."""

from __future__ import annotations

from typing import Any

import pytest

from kresladi_bedside.sync.codes import RXNORM_SYSTEM

from .conftest import completed, settings_for, sync_pass


def formulary(server: Any, rid: str, code: str, text: str = "KRESLADI suspension") -> None:
    server.hold({"resourceType": "Medication", "id": rid, "code": {
        "text": text, "coding": [{"system": RXNORM_SYSTEM, "code": code,
                                  "display": f"{text} (test)"}]}})


def administrations(server: Any) -> list[dict[str, Any]]:
    return [r for r in server.of_type("MedicationAdministration")
            if "CD34" in r["dosage"]["text"]]


def rxnorm(resource: dict[str, Any]) -> list[str]:
    return [c["code"] for c in resource["medicationCodeableConcept"].get("coding", ())
            if c["system"] == RXNORM_SYSTEM]


def test_the_servers_rxnorm_code_is_carried_by_every_administration(
        store, server, profile, fake_time):
    formulary(server, "m1", "9990001")
    formulary(server, "m2", "9990777", text="Other product")  # another product's code
    for _ in range(2):
        store.append(completed())
    searches = server.searches
    report = sync_pass(store, settings_for(server), profile, fake_time)
    assert report.exit_status == 0
    given = administrations(server)
    assert len(given) == 4 and all(rxnorm(r) == ["9990001"] for r in given)
    flushes = [r for r in server.of_type("MedicationAdministration") if r not in given]
    assert all(rxnorm(f) == ["313002"] for f in flushes)  # the profile's saline code
    # the patient, its in-progress Encounter, the formulary: once each a pass
    assert server.searches - searches == 3


@pytest.mark.parametrize("codes", [(), ("9990001", "9990002")])
def test_no_code_or_two_different_codes_on_the_server_means_no_rxnorm(
        store, server, profile, fake_time, codes):
    for n, code in enumerate(codes):
        formulary(server, f"m{n}", code)
    store.append(completed())
    assert sync_pass(store, settings_for(server), profile, fake_time).exit_status == 0
    (bag1, bag2) = administrations(server)
    assert rxnorm(bag1) == rxnorm(bag2) == []
