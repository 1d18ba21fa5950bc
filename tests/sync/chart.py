"""The hospital's chart as its EHR holds it, for the gates' read (sync/ehr_gates.py): a Patient,
a myeloablative conditioning Procedure and a back-up CD34+ collection Observation, under codes
an example hospital uses locally (a real site names its own in `[sync]`; nothing here is a
standard code)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kresladi_bedside.sync.ehr_gates import GateCodes

LOCAL = "https://ehr.example-hospital.org/fhir/CodeSystem/local-orders"
CONDITIONING = f"{LOCAL}|CTU-MAC-CONDITIONING"
BACKUP = f"{LOCAL}|CTU-BACKUP-CD34"
CODES = GateCodes(CONDITIONING, BACKUP)
MRN_SYSTEM = "urn:oid:2.16.840.1.113883.3.0000.1"


def _coding(code: str, text: str) -> dict[str, Any]:
    system, _, value = code.partition("|")
    return {"coding": [{"system": system, "code": value}], "text": text}


def patient(mrn: str, pid: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"resourceType": "Patient",
                             "identifier": [{"system": MRN_SYSTEM, "value": mrn}],
                             "name": [{"family": "Rivera", "given": ["Mateo"]}],
                             "birthDate": "2024-03-15"}
    if pid:
        found["id"] = pid
    return found


def conditioning(subject: str, began: datetime | None, ended: datetime | None, *,
                 rid: str | None = None, status: str = "completed") -> dict[str, Any]:
    period = {k: v.isoformat() for k, v in (("start", began), ("end", ended)) if v is not None}
    found: dict[str, Any] = {"resourceType": "Procedure", "status": status,
                             "code": _coding(CONDITIONING, "Myeloablative conditioning"),
                             "subject": {"reference": subject}, "performedPeriod": period}
    if rid:
        found["id"] = rid
        found["meta"] = {"versionId": "1"}
    return found


def backup(subject: str, millions_per_kg: float, confirmed: datetime, *,
           rid: str | None = None, unit: str = "10*6/kg",
           status: str = "final") -> dict[str, Any]:
    found: dict[str, Any] = {
        "resourceType": "Observation", "status": status,
        "code": _coding(BACKUP, "Back-up CD34+ collection, cryopreserved"),
        "subject": {"reference": subject}, "effectiveDateTime": confirmed.isoformat(),
        "valueQuantity": {"value": millions_per_kg, "unit": unit,
                          "system": "http://unitsofmeasure.org", "code": unit}}
    if rid:
        found["id"] = rid
        found["meta"] = {"versionId": "1"}
    return found
