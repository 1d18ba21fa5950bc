"""Identity at receipt, from independent sources (§2.2: "Confirm the patient's identity with the
patient identifiers on the shipper and labels").

Each patient identifier has an origin other than the labels it is compared with:
- the EHR's Patient for the MRN: MRN, name, date of birth;
- the EHR's KRESLADI MedicationRequest, when it carries the manufacturer's chain-of-identity
  identifier: the chain-of-identity number;
- the Lot Information Sheet, typed by one pharmacist and blind double-checked by another: MRN,
  name, date of birth, chain-of-identity number and patient ID.
The shipper and every cassette label are checked against each of these, field by field, and
against each other. A difference names the field and the two sources, never the values: a person
shown the other value could "fix" a typed one to match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..labels.compare import FIELD_NAMES, same_value
from .state import ReceiptState, ReceivedLabel

SHEET = "the Lot Information Sheet"
EHR_PATIENT = "the EHR's patient"
EHR_ORDER = "the EHR's KRESLADI order (MedicationRequest)"


@dataclass(frozen=True)
class Source:
    """One origin of patient identifiers: its name (as a refusal says it) and its values."""

    name: str
    values: dict[str, str]


@dataclass(frozen=True)
class Difference:
    field: str
    source: str  # the one being checked (a label, or the sheet)
    against: str

    @property
    def words(self) -> str:
        return (f"the {FIELD_NAMES.get(self.field, self.field)} on {self.source} differs from "
                f"{self.against}")

    def details(self) -> dict[str, str]:
        return {"field": self.field, "source": self.source, "against": self.against}


def label_source(label: ReceivedLabel) -> Source:
    what = "the shipper label" if label.line is None else f"the label of cassette {label.line}"
    return Source(what, label.scan.patient_identifiers())


def independent_sources(state: ReceiptState) -> list[Source]:
    """The sources that are not labels: the EHR (patient and order) and, once verified by a
    second person, the typed sheet."""
    found: list[Source] = []
    if state.ehr is not None:
        found.append(Source(EHR_PATIENT, {"mrn": state.ehr.mrn, "name": state.ehr.name,
                                          "dob": state.ehr.dob}))
        if state.ehr.coi:
            found.append(Source(EHR_ORDER, {"coi": state.ehr.coi}))
    elif state.mrn:
        found.append(Source("the patient this receipt is for", {"mrn": state.mrn}))
    if state.sheet is not None and state.verified_by is not None:
        found.append(sheet_source(state))
    return found


def sheet_source(state: ReceiptState) -> Source:
    sheet = state.sheet
    assert sheet is not None
    values = {"mrn": sheet.mrn, "name": sheet.name, "dob": sheet.dob.isoformat()}
    if sheet.coi:
        values["coi"] = sheet.coi
    if sheet.patient_id:
        values["patient_id"] = sheet.patient_id
    return Source(SHEET, values)


def differences(checked: Source, against: list[Source]) -> Iterator[Difference]:
    """Every field `checked` holds that a source in `against` holds differently (in order)."""
    for other in against:
        for key, value in checked.values.items():
            expected = other.values.get(key)
            if expected is not None and not same_value(key, value, expected):
                yield Difference(key, checked.name, other.name)


def first_difference(checked: Source, against: list[Source]) -> Difference | None:
    return next(differences(checked, against), None)


def label_difference(state: ReceiptState, label: Source) -> Difference | None:
    """A new label against the independent sources first (the worse finding), then against
    the labels already accepted (a label from another shipment)."""
    return first_difference(label, independent_sources(state)) or first_difference(
        label, [label_source(x) for x in state.labels])


def sheet_difference(state: ReceiptState) -> Difference | None:
    """The verified sheet against the EHR, then every accepted label against the sheet."""
    sheet = sheet_source(state)
    others = [s for s in independent_sources(state) if s.name != SHEET]
    found = first_difference(sheet, others)
    if found is not None:
        return found
    for label in state.labels:
        found = first_difference(label_source(label), [sheet])
        if found is not None:
            return found
    return None
