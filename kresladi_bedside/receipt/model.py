"""The receipt's vocabulary: the patient it is received for, the typed Lot Information Sheet
values, and the names of its commands and events.

A receipt is its own chain in the procedure log, with the engine's `Event`, `Command` and
`Rejection` (so the store, export/verify and the people layer treat it like any other log). Its id
starts with `receipt-` and its first event is `receipt_opened`, so readers that look for
procedures (`procedure_opened`) never mistake it for one.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..engine.model import LIMITS

RECEIPT_PREFIX = "receipt-"
OPENED = "receipt_opened"
FINAL_TYPES: frozenset[str] = frozenset({"receipt_completed", "receipt_stopped"})

# The values a person types from the paper Lot Information Sheet (what no label carries), in the
# order the form asks for them. Per-bag fields are `bag<N>.<field>`.
SHEET_PATIENT_FIELDS: tuple[str, ...] = ("mrn", "name", "dob", "coi", "patient_id", "weight_kg",
                                         "sheet_bag_count")
SHEET_BAG_FIELDS: tuple[str, ...] = ("cd34_per_kg", "volume_ml")
FIELD_WORDS: dict[str, str] = {
    "mrn": "MRN", "name": "patient name", "dob": "date of birth",
    "coi": "chain-of-identity number", "patient_id": "patient ID",
    "weight_kg": "weight before the first apheresis (kg)",
    "sheet_bag_count": "number of bags on the sheet",
    "cd34_per_kg": "CD34+ cells/kg", "volume_ml": "volume (mL)",
}


def new_receipt_id() -> str:
    return RECEIPT_PREFIX + uuid.uuid4().hex


def is_receipt_id(chain_id: str) -> bool:
    return chain_id.startswith(RECEIPT_PREFIX)


def field_words(key: str) -> str:
    """`bag2.cd34_per_kg` → 'bag 2: CD34+ cells/kg' (what a refusal names)."""
    if key.startswith("bag") and "." in key:
        bag, _, name = key.partition(".")
        return f"bag {bag[3:]}: {FIELD_WORDS.get(name, name)}"
    return FIELD_WORDS.get(key, key)


@dataclass(frozen=True)
class DoubleCheck:
    """`retyped`: the sheet's fields (flat keys, `bag<N>.<field>`, in the form's order) the
    second person types blind; `checked`: every other field and the source it was compared
    with instead."""

    retyped: tuple[str, ...]
    checked: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        # pairs, not a mapping: the log's JSON sorts mappings' keys, and the order is the form's
        return {"retyped": list(self.retyped), "checked": [list(p) for p in self.checked]}

    @classmethod
    def from_dict(cls, d: Any) -> DoubleCheck | None:
        if not isinstance(d, Mapping):
            return None
        checked = d.get("checked") or ()
        pairs = checked.items() if isinstance(checked, Mapping) else checked
        return cls(tuple(str(k) for k in d.get("retyped") or ()),
                   tuple((str(k), str(v)) for k, v in pairs))

    def words(self) -> tuple[str, str]:
        """('chain-of-identity number, …', 'MRN, … against the EHR's patient; …') as printed."""
        by_source: dict[str, list[str]] = {}
        for key, source in self.checked:
            by_source.setdefault(source, []).append(field_words(key))
        return (", ".join(field_words(k) for k in self.retyped) or "none",
                "; ".join(f"{', '.join(keys)} against {source}"
                          for source, keys in by_source.items()) or "none")



class SheetError(ValueError):
    """A typed sheet value that cannot be used; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field_words(field)}: {message}")
        self.field = field


@dataclass(frozen=True)
class SheetBag:
    number: int
    cd34_per_kg: float
    volume_ml: float


@dataclass(frozen=True)
class Sheet:
    """The Lot Information Sheet values a person typed, never copied from a label: the patient
    identifiers here (name, date of birth, chain-of-identity number, patient ID) are the
    independent source every label is checked against, at receipt and at the bedside."""

    mrn: str
    name: str
    dob: date
    weight_kg: float
    sheet_bag_count: int
    bags: tuple[SheetBag, ...]
    coi: str = ""
    patient_id: str = ""

    def flat(self) -> dict[str, str]:
        """Every value as the text it compares by (the double check compares these)."""
        out = {"mrn": self.mrn.strip().upper(), "name": " ".join(self.name.split()).upper(),
               "dob": self.dob.isoformat(), "coi": _identifier(self.coi),
               "patient_id": _identifier(self.patient_id), "weight_kg": _num(self.weight_kg),
               "sheet_bag_count": str(self.sheet_bag_count)}
        for b in self.bags:
            out[f"bag{b.number}.cd34_per_kg"] = _num(b.cd34_per_kg)
            out[f"bag{b.number}.volume_ml"] = _num(b.volume_ml)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"mrn": self.mrn, "name": self.name, "dob": self.dob.isoformat(),
                "coi": self.coi, "patient_id": self.patient_id, "weight_kg": self.weight_kg,
                "sheet_bag_count": self.sheet_bag_count,
                "bags": [{"number": b.number, "cd34_per_kg": b.cd34_per_kg,
                          "volume_ml": b.volume_ml} for b in self.bags]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Sheet:
        """Read and validate typed values; `SheetError` names the first field that is wrong."""
        if not isinstance(d, Mapping):
            raise SheetError("sheet", "no values were entered")
        mrn = _text(d, "mrn")
        name = _text(d, "name")
        raw_dob = _text(d, "dob")
        try:
            dob = date.fromisoformat(raw_dob)
        except ValueError as exc:
            raise SheetError("dob", f"{raw_dob!r} is not a date (YYYY-MM-DD)") from exc
        coi = _text(d, "coi")
        patient_id = _text(d, "patient_id")
        low, high, _unit = LIMITS["weight_kg"]  # the engine's range: refused here, not at the end
        weight = _number(d, "weight_kg", low=low, high=high)
        count = d.get("sheet_bag_count")
        if isinstance(count, bool) or not isinstance(count, int):
            raise SheetError("sheet_bag_count", f"{count!r} is not a whole number")
        raw_bags = d.get("bags")
        if not isinstance(raw_bags, list) or not raw_bags:
            raise SheetError("bags", "no bag values were entered")
        bags = []
        for i, b in enumerate(raw_bags, start=1):
            if not isinstance(b, Mapping):
                raise SheetError(f"bag{i}", "not a set of values")
            cells_low, cells_high, _ = LIMITS["cd34_per_kg"]
            ml_low, ml_high, _ = LIMITS["bag_volume_ml"]
            bags.append(SheetBag(i, _number(b, "cd34_per_kg", low=cells_low, high=cells_high,
                                            bag=i),
                                 _number(b, "volume_ml", low=ml_low, high=ml_high, bag=i)))
        return cls(mrn, name, dob, weight, count, tuple(bags), coi, patient_id)


def _identifier(value: str) -> str:
    """An identifier as the double check compares it: case and spaces do not count."""
    return "".join(value.split()).upper()


def _num(value: float) -> str:
    return f"{value:.6g}"


def _text(d: Mapping[str, Any], key: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SheetError(key, "must be entered")
    if any(ord(ch) < 32 for ch in value):
        raise SheetError(key, "holds a control character")
    return value.strip()


def _number(d: Mapping[str, Any], key: str, *, low: float, high: float,
            bag: int | None = None) -> float:
    field = f"bag{bag}.{key}" if bag else key
    value = d.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SheetError(field, f"{value!r} is not a number")
    number = float(value)
    if not math.isfinite(number):
        raise SheetError(field, f"{value!r} is not a finite number")
    if not low <= number <= high:
        raise SheetError(field, f"{number:g} is outside {low:g}–{high:g}")
    return number
