"""The gates' values read from a real FHIR server (Medplum, `../shared/fhir-server`), as the
hospital's EHR holds them: the Patient by MRN, the myeloablative conditioning Procedure and the
back-up CD34+ collection Observation searched by subject and the site's codes
(sync/ehr_gates.py); none and two candidates are not used and said so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kresladi_bedside.sync.ehr import EhrClient
from kresladi_bedside.sync.ehr_gates import read_gate_values
from tests.sync import chart

from .fhir_kit import put

ENDED = datetime(2026, 12, 6, 14, 30, tzinfo=UTC)
BEGAN = ENDED - timedelta(days=4)
CONFIRMED = ENDED - timedelta(days=9)


def _patient(info: dict[str, Any], mrn: str) -> str:
    made = put(info, {**chart.patient(mrn), "identifier": [
        {"system": info["mrn_system"], "value": mrn}]})
    return f"Patient/{made['id']}"


def _read(info: dict[str, Any], mrn: str) -> Any:
    return read_gate_values(EhrClient(info["base_url"], token=info["token"]),
                            info["mrn_system"], mrn, chart.CODES)


def test_the_gates_values_come_from_the_fhir_server(fhir: dict[str, Any]) -> None:
    subject = _patient(fhir, "MRN-GATES-1")
    procedure = put(fhir, chart.conditioning(subject, BEGAN, ENDED))
    observation = put(fhir, chart.backup(subject, 2.4, CONFIRMED))
    # another patient's records, under the same codes, are not hers
    other = _patient(fhir, "MRN-GATES-OTHER")
    put(fhir, chart.conditioning(other, BEGAN, ENDED))
    got = _read(fhir, "MRN-GATES-1")
    assert got.problems == ()
    assert got.conditioning is not None and got.backup is not None
    assert got.conditioning.began == BEGAN and got.conditioning.ended == ENDED
    assert got.conditioning.source.resource == f"Procedure/{procedure['id']}"
    assert got.conditioning.source.version == procedure["meta"]["versionId"]
    assert got.backup.cd34_per_kg == pytest.approx(2.4e6)
    assert got.backup.confirmed_at == CONFIRMED
    assert got.backup.source.resource == f"Observation/{observation['id']}"
    assert got.backup.source.server == fhir["base_url"]


def test_none_and_two_candidates_are_not_used(fhir: dict[str, Any]) -> None:
    subject = _patient(fhir, "MRN-GATES-2")
    got = _read(fhir, "MRN-GATES-2")  # nothing charted yet
    assert got.conditioning is None and got.backup is None
    assert got.problems == (
        "The EHR has no conditioning record for this patient: type the instants from the "
        "chart.",
        "The EHR has no back-up collection record for this patient: type the count and its "
        "instant from the chart.")
    first = put(fhir, chart.conditioning(subject, BEGAN, ENDED))
    second = put(fhir, chart.conditioning(subject, BEGAN + timedelta(days=1),
                                          ENDED + timedelta(hours=2)))
    put(fhir, chart.backup(subject, 2.4, CONFIRMED))
    got = _read(fhir, "MRN-GATES-2")
    assert got.conditioning is None and got.backup is not None
    refs = sorted([f"Procedure/{first['id']}", f"Procedure/{second['id']}"])
    assert len(got.problems) == 1
    assert got.problems[0].startswith("The EHR has two conditioning records for this patient")
    assert all(ref in got.problems[0] for ref in refs)
    # one of them entered in error: the other is the one
    _update(fhir, {**second, "status": "entered-in-error"})
    got = _read(fhir, "MRN-GATES-2")
    assert got.problems == () and got.conditioning is not None
    assert got.conditioning.source.resource == f"Procedure/{first['id']}"


def test_no_patient_and_a_wrong_token_are_said(fhir: dict[str, Any]) -> None:
    got = _read(fhir, "MRN-NOBODY")
    assert got.problems == ("The EHR has no patient with MRN MRN-NOBODY: type the values from "
                            "the chart.",)
    wrong = read_gate_values(EhrClient(fhir["base_url"], token="not-a-token"),
                             fhir["mrn_system"], "MRN-NOBODY", chart.CODES)
    assert "refused this workstation's token" in wrong.problems[0]


def _update(info: dict[str, Any], resource: dict[str, Any]) -> None:
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{info['base_url']}/{resource['resourceType']}/{resource['id']}",
        json.dumps(resource).encode(), method="PUT",
        headers={"Authorization": f"Bearer {info['token']}",
                 "Content-Type": "application/fhir+json"})
    with urllib.request.urlopen(request, timeout=30):
        pass
