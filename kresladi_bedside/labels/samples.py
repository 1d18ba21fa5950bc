"""Realistic label payloads for tests, test images, the training label sheet and simulations.

Every payload is a `str` with GS kept as "\\x1d", exactly what a scanner delivers after the
symbology prefix (add one with `with_aim`). Defaults describe one consistent sample patient whose
order is `training.sample.patient_order()`: every default label passes identity against it.
Change one keyword to make a label that should not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from . import gs1, isbt128
from .conventions import DEFAULT_CONVENTIONS
from .model import LabelKind

GS = gs1.GS


@dataclass(frozen=True)
class SampleBag:
    din: str  # 13 characters
    lot: str
    expiry: datetime  # aware; printed on the label as its wall time
    cd34_per_kg: float


@dataclass(frozen=True)
class SamplePatient:
    mrn: str = "00417356"
    name: str = "RIVERA^MATEO"
    dob: date = date(2024, 3, 15)
    coi: str = "CHW123426000417"  # ST-001 DS 040: CH + a 13-character DIN-like number
    patient_id: str = "KR0417"
    gsrn: str = "095060001343524176"  # (8018), check digit included


SAMPLE_PATIENT = SamplePatient()
SAMPLE_BAGS: tuple[SampleBag, ...] = (
    # Far-future expiry so a training label sheet printed once keeps working for years.
    SampleBag("W123426100001", "KR26A0417", datetime(2035, 11, 30, 12, 0, tzinfo=UTC), 3.1e6),
    SampleBag("W123426100002", "KR26B0418", datetime(2035, 12, 31, 23, 59, tzinfo=UTC), 1.9e6),
)
SAMPLE_PRODUCT_CODE = "S5001A00"
SAMPLE_CONSIGNMENT = "W123426004170101"  # αpppp yy nnnnn cc dd: container 01 of 01
SAMPLE_BADGE = "N40217"
SAMPLE_STAFF_GSRN = "095060001343500019"

_LAYOUT = {kind: sss for sss, kind in DEFAULT_CONVENTIONS.isbt_layouts.items()}


def _iso(d: date | str) -> str:
    return d if isinstance(d, str) else d.isoformat()


def wristband_payload(*, mrn: str = SAMPLE_PATIENT.mrn, name: str = SAMPLE_PATIENT.name,
                      dob: date | str = SAMPLE_PATIENT.dob, gsrn: str | None = None,
                      style: str = "qr") -> str:
    """A patient wristband. style "qr": `MRN:…|NAME:…|DOB:YYYY-MM-DD[|GSRN:…]` (the built-in
    KEY:VALUE form); "mrn": the bare MRN of a linear code; "gs1": `8018` + the GSRN (defaults to
    the sample patient's)."""
    if style == "mrn":
        return mrn
    if style == "gs1":
        return gs1.encode_gs1([("8018", gsrn or SAMPLE_PATIENT.gsrn)])
    if style != "qr":
        raise ValueError(f"unknown wristband style {style!r}")
    parts = [f"MRN:{mrn}", f"NAME:{name}", f"DOB:{_iso(dob)}"]
    if gsrn:
        parts.append(f"GSRN:{gsrn}")
    return "|".join(parts)


def badge_payload(*, badge: str = SAMPLE_BADGE, name: str | None = "KIM, SORA",
                  staff_gsrn: str | None = None, style: str = "qr") -> str:
    """A staff badge. style "qr": `BADGE:…|NAME:…`; "gs1": `8017` + the staff GSRN."""
    if style == "gs1":
        return gs1.encode_gs1([("8017", staff_gsrn or SAMPLE_STAFF_GSRN)])
    if style != "qr":
        raise ValueError(f"unknown badge style {style!r}")
    return f"BADGE:{badge}" + (f"|NAME:{name}" if name else "")


def _product(kind: LabelKind, bag: int, *, din: str | None, flags: str, lot: str | None,
             expiry: datetime | date | None, product_code: str, coi: str | None,
             dob: date | None, patient_id: str | None, layout: str | None) -> str:
    line = SAMPLE_BAGS[bag - 1]
    structures = [isbt128.encode_din(din or line.din, flags),
                  isbt128.encode_product_code(product_code),
                  isbt128.encode_expiry(line.expiry if expiry is None else expiry),
                  isbt128.encode_lot(lot or line.lot),
                  *_patient_structures(coi, dob, patient_id)]
    return isbt128.encode_compound(layout or _LAYOUT[kind], structures)


def _patient_structures(coi: str | None, dob: date | None, patient_id: str | None) -> list[str]:
    """The patient's structures the bag, cassette and shipper labels carry (None: left out)."""
    return [*([isbt128.encode_coi(coi)] if coi else []),
            *([isbt128.encode_dob(dob)] if dob else []),
            *([isbt128.encode_patient_id(patient_id)] if patient_id else [])]


def bag_payload(bag: int = 1, *, din: str | None = None, flags: str = "00",
                lot: str | None = None, expiry: datetime | date | None = None,
                product_code: str = SAMPLE_PRODUCT_CODE, coi: str | None = SAMPLE_PATIENT.coi,
                dob: date | None = SAMPLE_PATIENT.dob,
                patient_id: str | None = SAMPLE_PATIENT.patient_id,
                layout: str | None = None) -> str:
    """The 2-D (DataMatrix) ISBT 128 label of infusion bag `bag` (1 or 2 of the sample order):
    compound message, layout 101, with DIN+flags, product code, expiry date/time, MPHO lot,
    chain of identity, patient DOB and patient id. Pass None to leave a patient field out."""
    return _product("bag", bag, din=din, flags=flags, lot=lot, expiry=expiry,
                    product_code=product_code, coi=coi, dob=dob, patient_id=patient_id,
                    layout=layout)


def cassette_payload(bag: int = 1, *, din: str | None = None, flags: str = "00",
                     lot: str | None = None, expiry: datetime | date | None = None,
                     product_code: str = SAMPLE_PRODUCT_CODE,
                     coi: str | None = SAMPLE_PATIENT.coi, dob: date | None = SAMPLE_PATIENT.dob,
                     patient_id: str | None = SAMPLE_PATIENT.patient_id,
                     layout: str | None = None) -> str:
    """The 2-D label of the metal cassette holding bag `bag`: the same structures as the bag
    label under layout 102."""
    return _product("cassette", bag, din=din, flags=flags, lot=lot, expiry=expiry,
                    product_code=product_code, coi=coi, dob=dob, patient_id=patient_id,
                    layout=layout)


def shipper_payload(*, consignment: str = SAMPLE_CONSIGNMENT,
                    coi: str | None = SAMPLE_PATIENT.coi, dob: date | None = SAMPLE_PATIENT.dob,
                    patient_id: str | None = SAMPLE_PATIENT.patient_id,
                    layout: str | None = None) -> str:
    """The 2-D label of the LN2 dry shipper: compound message, layout 103, with the product
    consignment, chain of identity, patient DOB and patient id."""
    structures = [isbt128.encode_consignment(consignment),
                  *_patient_structures(coi, dob, patient_id)]
    return isbt128.encode_compound(layout or _LAYOUT["shipper"], structures)


def gs1_product_payload(kind: str = "bag", bag: int = 1, *, gtin: str = "09506000134376",
                        lot: str | None = None, expiry: date | None = None,
                        serial: str | None = None) -> str:
    """A GS1 DataMatrix product label: (01) GTIN, (17) expiry, (10) lot, (21) serial (the bag
    id), and the container type in (91)."""
    line = SAMPLE_BAGS[bag - 1]
    exp = expiry or line.expiry.date()
    return gs1.encode_gs1([("01", gtin), ("17", exp.strftime("%y%m%d")), ("10", lot or line.lot),
                           ("21", serial or line.din),
                           (DEFAULT_CONVENTIONS.gs1_kind_ai, kind.upper())])


def typed_din(bag: int = 1, *, din: str | None = None) -> str:
    """What a nurse types from the eye-readable DIN: 13 characters, a space, the check
    character."""
    number = din or SAMPLE_BAGS[bag - 1].din
    return f"{number} {isbt128.mod37_2(number)}"


def with_aim(payload: str, symbology: str) -> str:
    """Prefix the AIM symbology identifier a configured scanner sends (`]C0`, `]d2`, `]Q1`…)."""
    return symbology + payload
