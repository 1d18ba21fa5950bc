"""A second source of truth before a thaw: has the hospital's record already got this bag, or any
KRESLADI given to this patient? (Qt-free; the window calls `check_before_thaw` off its thread.)

Three answers: `found` (where and when: the caller stops hard), `not_found`, or `not_checked`
(no server, unreachable, slow past the deadline, or an answer that is not FHIR): never blocking,
shown as "not checked against the hospital record". Searches (each bounded by the client's size
cap and deadline):
1. `MedicationAdministration?identifier=<DIN system>|<DIN>`: an administration of that bag;
2. the Patient by MRN, then `MedicationAdministration?subject=Patient/<id>&code:text=<product>`
   (a record coded directly) and `…&medication.code:text=<product>` (through a Medication).
Administrations that are `not-done` or `entered-in-error`, and those of the current procedure
itself, do not count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from urllib.parse import quote

from .identifiers import patient_search, token
from .transport import FhirClient

Verdict = Literal["found", "not_found", "not_checked"]
NOT_GIVEN = frozenset({"not-done", "entered-in-error"})


@dataclass(frozen=True)
class PriorAdministration:
    what: str  # e.g. "bag W123426000101" or "KRESLADI for this patient"
    when: str
    where: str
    reference: str  # MedicationAdministration/<id>

    def describe(self) -> str:
        return f"{self.what}: given {self.when} at {self.where} ({self.reference})"


@dataclass(frozen=True)
class PrethawResult:
    verdict: Verdict
    found: tuple[PriorAdministration, ...] = ()
    reason: str = ""  # why not checked

    def message(self) -> str:
        if self.verdict == "found":
            return ("The hospital record already shows KRESLADI given — "
                    + "; ".join(f.describe() for f in self.found))
        if self.verdict == "not_checked":
            return f"Not checked against the hospital record ({self.reason})"
        return "Checked against the hospital record: no earlier administration found"


def check_before_thaw(client: FhirClient, *, din: str, mrn: str, mrn_system: str,
                      din_system: str, product_text: str,
                      current_procedure: str | None = None) -> PrethawResult:
    found: list[PriorAdministration] = []
    bag = client.search(f"MedicationAdministration?identifier={token(din_system, din)}")
    if bag.failure is not None:
        return PrethawResult("not_checked", reason=bag.failure.detail)
    found += _given(bag.resources, f"bag {din}", current_procedure)
    patients = client.search(patient_search(mrn_system, mrn) + "&_count=2")
    if patients.failure is not None:
        return PrethawResult("not_checked", reason=patients.failure.detail)
    text = quote(product_text, safe="")
    for patient in patients.resources:
        if patient.get("resourceType") != "Patient" or not patient.get("id"):
            continue
        subject = quote(f"Patient/{patient['id']}", safe="/")
        for param in ("code:text", "medication.code:text"):
            hits = client.search(f"MedicationAdministration?subject={subject}&{param}={text}")
            if hits.failure is not None:
                return PrethawResult("not_checked", reason=hits.failure.detail)
            found += _given(hits.resources, f"{product_text} for MRN {mrn}", current_procedure)
    unique: dict[str, PriorAdministration] = {}
    for f in found:
        unique.setdefault(f.reference, f)  # the bag's own finding first
    if unique:
        return PrethawResult("found", tuple(unique.values()))
    return PrethawResult("not_found")


def _given(resources: Iterable[dict[str, Any]], what: str,
           current: str | None) -> list[PriorAdministration]:
    out = []
    for r in resources:
        if r.get("resourceType") != "MedicationAdministration" or r.get("status") in NOT_GIVEN:
            continue
        ids = [str(i.get("value", "")) for i in r.get("identifier") or ()]
        if current and any(v.startswith(f"{current}-") for v in ids):
            continue  # the procedure under way (e.g. its first bag, synced already)
        period = r.get("effectivePeriod") or {}
        when = r.get("effectiveDateTime") or period.get("start") or "at an unrecorded time"
        out.append(PriorAdministration(what, _readable(str(when)), _where(r),
                                       f"MedicationAdministration/{r.get('id', '?')}"))
    return out


def _readable(when: str) -> str:
    """`2026-04-20 10:15 (UTC-05:00)`: as recorded, with its offset, for a nurse to read."""
    try:
        at = datetime.fromisoformat(when)
    except ValueError:
        return when
    if at.tzinfo is None:
        return at.strftime("%Y-%m-%d %H:%M")
    return at.strftime("%Y-%m-%d %H:%M (UTC%z)").replace("(UTC+0000)", "(UTC)")


def _where(r: dict[str, Any]) -> str:
    for ext in r.get("extension") or ():
        if isinstance(ext, dict) and str(ext.get("url", "")).endswith("event-location"):
            display = (ext.get("valueReference") or {}).get("display")
            if display:
                return str(display)
    performers = [(p.get("actor") or {}).get("display") for p in r.get("performer") or ()
                  if not any(c.get("code") == "witness"  # who gave it, not who witnessed
                             for c in (p.get("function") or {}).get("coding") or ())]
    named = [p for p in performers if p]
    if named:
        return f"a site not named in the record (given by {', '.join(named)})"
    return "a site not named in the record"
