"""The patient's current Encounter, when the hospital's server has exactly one in progress: the
Procedure (`encounter`) and each administration (`context`) reference it; none or several → no
reference, and the pass report says why (against the loopback server; the Medplum kit in
tests/integration/test_fhir_content.py)."""

from __future__ import annotations

import pytest

from .conftest import completed
from .test_delivery import one_pass


def encounter(eid: str, status: str = "in-progress", patient: str = "pat-1") -> dict[str, object]:
    return {"resourceType": "Encounter", "id": eid, "status": status,
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                      "code": "IMP"}, "subject": {"reference": f"Patient/{patient}"}}


def referenced(server) -> set[str | None]:
    procedure = server.of_type("Procedure")[0]
    given = server.of_type("MedicationAdministration")
    return ({(procedure.get("encounter") or {}).get("reference")}
            | {(g.get("context") or {}).get("reference") for g in given})


def test_the_one_encounter_in_progress_is_referenced(store, server, profile, fake_time):
    server.hold(encounter("enc-now"))
    server.hold(encounter("enc-last-year", status="finished"))
    server.hold(encounter("enc-other-child", patient="pat-2"))
    store.append(completed())
    report = one_pass(store, server, profile, fake_time)
    assert report.exit_status == 0
    assert referenced(server) == {"Encounter/enc-now"}
    assert report.notes == []


@pytest.mark.parametrize(("held", "why"), [
    ([], "the server has no in-progress Encounter"),
    ([encounter("enc-a"), encounter("enc-b")], "the server has several in-progress Encounters"),
])
def test_no_or_several_encounters_reference_none_and_say_so(store, server, profile, fake_time,
                                                            held, why):
    for e in held:
        server.hold(e)
    store.append(completed())
    store.append(completed())
    report = one_pass(store, server, profile, fake_time)
    assert report.exit_status == 0 and len(report.delivered) == 2
    assert referenced(server) == {None}
    # asked once a pass for the patient, said once
    assert report.notes == [f"Patient/pat-1: no Encounter referenced ({why})"]
