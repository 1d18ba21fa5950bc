"""The blind double check's rule, written once: which Lot Information Sheet values the second
person types again without seeing the first entry, and which are checked instead against a
source that does not come from the person who typed them.

Why not every value: a value typed once and compared with an independent source (the EHR's
Patient for MRN, name and date of birth; the cassettes scanned for the number of bags) already
catches a mistyped or wrong-patient sheet, as two typings would. A value with no such source
(the weight, each bag's CD34+ cells/kg and volume) is caught only by a second, blind typing.
The chain-of-identity number and patient ID are always typed twice (domain.md, "Sources of
truth": typed, blind double-checked), whatever else holds them.

A single typing that DISAGREES with its source is typed blind too: only two typings that agree
tell a mistyped value (the second person's differs: the first corrects it) from a sheet that is
truly another patient's (both agree: the identity stop, as before). The form (qt/receipt_verify)
asks these fields, `verify_sheet` (decide.py) compares them, and the printed and FHIR receipts
say which were typed twice and which were checked against what.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..labels.compare import same_value
from .identity import EHR_PATIENT
from .model import SHEET_BAG_FIELDS, SHEET_PATIENT_FIELDS, DoubleCheck
from .state import ReceiptState

ALWAYS_BLIND: frozenset[str] = frozenset({"coi", "patient_id"})
CASSETTES = "the cassettes scanned"


def sheet_keys(bags: int) -> tuple[str, ...]:
    """Every field of a sheet of `bags` bags, in the form's order."""
    return (*SHEET_PATIENT_FIELDS,
            *(f"bag{n}.{f}" for n in range(1, bags + 1) for f in SHEET_BAG_FIELDS))


def _sources(state: ReceiptState) -> dict[str, tuple[str, str]]:
    """Each field with an independent source in this receipt: (source, its value)."""
    found: dict[str, tuple[str, str]] = {}
    if state.ehr is not None:  # read from the EHR when the receipt opened (not offline)
        found.update({"mrn": (EHR_PATIENT, state.ehr.mrn), "name": (EHR_PATIENT, state.ehr.name),
                      "dob": (EHR_PATIENT, state.ehr.dob)})
    if state.cassettes():
        found["sheet_bag_count"] = (CASSETTES, str(len(state.cassettes())))
    return found


def double_check(state: ReceiptState) -> DoubleCheck:
    """The rule for this receipt's state (its first entry typed: what disagrees is typed
    twice; before it, what has a source)."""
    sheet = state.sheet
    first = sheet.to_dict() if sheet is not None else {}
    first["dob"] = sheet.dob.isoformat() if sheet is not None else None
    first["sheet_bag_count"] = str(sheet.sheet_bag_count) if sheet is not None else None
    bags = len(sheet.bags) if sheet is not None else len(state.cassettes())
    sources = _sources(state)
    retyped, checked = [], []
    for key in sheet_keys(bags):
        source = sources.get(key)
        agrees = source is not None and (
            sheet is None or same_value(key, str(first[key]), source[1]))
        if key in ALWAYS_BLIND or source is None or not agrees:
            retyped.append(key)
        else:
            checked.append((key, source[0]))
    return DoubleCheck(tuple(retyped), tuple(checked))


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def retyped_values(given: Mapping[str, Any]) -> dict[str, Any]:
    """The values the verifier entered (blank ones left out), by flat key."""
    found = {k: given[k] for k in SHEET_PATIENT_FIELDS if _given(given.get(k))}
    bags = given.get("bags")
    for n, bag in enumerate(bags if isinstance(bags, list) else [], start=1):
        if isinstance(bag, Mapping):
            found.update({f"bag{n}.{f}": bag[f] for f in SHEET_BAG_FIELDS if _given(bag.get(f))})
    return found


def merged(first: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """The first entry with the verifier's values in place of its own (the whole sheet, so the
    sheet's own validation names a value the verifier typed that cannot be used)."""
    out = dict(first)
    out.update({k: given[k] for k in SHEET_PATIENT_FIELDS if _given(given.get(k))})
    bags = [dict(b) for b in first.get("bags") or ()]
    theirs = given.get("bags")
    for i, bag in enumerate(theirs if isinstance(theirs, list) else []):
        if not isinstance(bag, Mapping):
            continue
        typed = {f: bag[f] for f in SHEET_BAG_FIELDS if _given(bag.get(f))}
        if i < len(bags):
            bags[i].update(typed)
        else:  # more bags than the first entry: the bag-count check names it
            bags.append(typed)
    out["bags"] = bags
    return out
