"""What a scanned (or typed) label becomes: a typed scan with canonical identifiers.

Identifier keys are canonical across label standards so identity matching compares like with
like. Patient identifiers: `mrn`, `name`, `dob` (ISO date), `coi` (chain-of-identity id),
`patient_id` (ISBT 128 patient identification number), `gsrn` (GS1 patient GSRN).
Product identifiers: `din` (13-character ISBT 128 DIN, flags removed), `din_flags`,
`bag_id` (a bag identifier that is not a DIN), `lot`, `expiry` (ISO datetime with offset or
ISO date; ISBT 128 labels print a local wall time, read as `YYYY-MM-DDTHH:MM` without offset),
`product_code`, `gtin`, `serial`, `consignment` (ISBT 128 product consignment, on a shipper).
Staff: `badge`, `staff_gsrn`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..config import WRISTBAND_GROUPS

LabelKind = Literal["wristband", "badge", "shipper", "cassette", "bag", "unknown"]
Source = Literal["camera", "wedge", "serial", "typed"]

LABEL_KINDS: tuple[str, ...] = ("wristband", "badge", "shipper", "cassette", "bag", "unknown")
SOURCES: tuple[str, ...] = ("camera", "wedge", "serial", "typed")
PATIENT_KEYS: tuple[str, ...] = WRISTBAND_GROUPS  # one list: a wristband format captures these


@dataclass(frozen=True)
class Scan:
    kind: LabelKind
    identifiers: Mapping[str, str]
    source: Source
    raw: str  # the payload as received, GS kept as \x1d
    symbology: str | None = None  # AIM identifier, e.g. "]C0", "]d2"
    typed_reason: str | None = None  # required when source == "typed"
    structures: tuple[str, ...] = field(default=())  # which data structures were read

    def patient_identifiers(self) -> dict[str, str]:
        return {k: v for k, v in self.identifiers.items() if k in PATIENT_KEYS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "identifiers": dict(self.identifiers),
            "source": self.source,
            "raw": self.raw,
            "symbology": self.symbology,
            "typed_reason": self.typed_reason,
            "structures": list(self.structures),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scan:
        return cls(
            kind=d["kind"],
            identifiers=dict(d.get("identifiers", {})),
            source=d.get("source", "typed"),
            raw=d.get("raw", ""),
            symbology=d.get("symbology"),
            typed_reason=d.get("typed_reason"),
            structures=tuple(d.get("structures", ())),
        )
