"""The received product's receipt as FHIR R4 elements, and the receipt rebuilt from them on another
workstation: no JSON string anywhere.

Each bag's BiologicallyDerivedProduct carries, besides what R4 has elements for (the DIN, chain of
identity and ISBT 128 patient id as identifiers; the patient as `collection.source`, by reference
and by MRN; `storage` with its temperature, place, since when and until the bag's expiry), typed
extensions in the site's namespace where R4 has no element:

- `lot-information-sheet` (complex): the sheet's line for this bag and the patient as the sheet
  names them (name, `valueDate` birth date, GSRN), weight (`valueQuantity` kg), the number of
  bags the sheet lists and the receipt holds, the hospital's order id;
- `lot` (`valueString`), `cd34-per-kg` and `volume` (`valueQuantity`, UCUM);
- `ehr-patient` (complex): the EHR's Patient as read at receipt (`valueReference` to it and to
  the MedicationRequest, name, `valueDate` birth date, the order's chain of identity);
- `receipt-label` (complex), one per label read: its place in the receipt, role, bag line, kind,
  how it was read (source, AIM symbology, reason typed), the payload exactly as read
  (`valueBase64Binary`: it holds the GS control character, which a FHIR string may not), each
  field parsed from it (`valueIdentifier`, the field's name as `type.text`), and when
  (`valueDateTime`). A cassette label goes on its own bag; the shipper label, which holds every
  bag, on each.

The receipt's Provenance (who typed and who verified the Lot Information Sheet, as agents; when
it was completed, `recorded`) also carries the concerns raised at receipt (`receipt-concern`)
and the blind double check's rule as applied (`receipt-double-check`, complex: each field the
second person typed again blind, `retyped`, and each field typed once and checked against an
independent source instead, `checked` with its `field` and `source`; receipt/blind.py).

Instants travel as FHIR dateTimes with the workstation's UTC offset, to the microsecond; the
monotonic reading and boot id mean nothing on another workstation and do not travel (`portable`
says what a payload is once on the server).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ..clock import Instant
from .identifiers import DIN_SYSTEM, SiteIds

UCUM = "http://unitsofmeasure.org"
SHEET = "lot-information-sheet"
EHR = "ehr-patient"
LABEL = "receipt-label"
CONCERN = "receipt-concern"
DOUBLE_CHECK = "receipt-double-check"


class ReceiptUnreadable(ValueError):
    """The structured elements do not make a receipt: says which element of which resource."""


# ------------------------------------------------------------------------------ instants
def when(raw: Mapping[str, Any]) -> str:
    """A stored instant as a FHIR dateTime in the workstation's own offset."""
    return Instant.from_dict(dict(raw)).local().isoformat(timespec="microseconds")


def instant(text: Any, what: str) -> dict[str, Any]:
    """A FHIR dateTime (with its offset) as a stored instant (no monotonic reading)."""
    try:
        wall = datetime.fromisoformat(str(text))
    except ValueError as exc:
        raise ReceiptUnreadable(f"{what} is not a date and time ({text!r})") from exc
    offset = wall.utcoffset()
    if offset is None:
        raise ReceiptUnreadable(f"{what} has no UTC offset ({text!r})")
    return Instant(wall=wall.astimezone(UTC), utc_offset_s=int(offset.total_seconds())).to_dict()


def _portable_instant(raw: Any) -> Any:
    if not isinstance(raw, Mapping):
        return raw
    return {**raw, "mono": None, "boot_id": None}


def portable(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The receipt as the server holds it: its instants without monotonic reading or boot id."""
    out = dict(payload)
    out["storage"] = {**payload["storage"], "at": _portable_instant(payload["storage"]["at"])}
    out["completed_at"] = _portable_instant(payload.get("completed_at"))
    out["labels"] = [{**x, "at": _portable_instant(x["at"])} for x in payload.get("labels") or ()]
    return out


# ------------------------------------------------------------------------------ writing
def _ext(url: str, kind: str, value: Any) -> dict[str, Any]:
    return {"url": url, f"value{kind}": value}


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def bag_extensions(payload: Mapping[str, Any], number: int,
                   site: SiteIds) -> list[dict[str, Any]]:
    """The typed extensions of bag `number`'s product (the module's docstring lists them)."""
    prefix = site.namespace.extension_prefix
    order = payload["order"]
    patient = order["patient"]
    bag = next(b for b in order["bags"] if b["number"] == number)
    sheet = [_ext("line", "PositiveInt", number),
             _ext("patient-name", "String", patient["name"]),
             _ext("patient-birth-date", "Date", patient["dob"])]
    if patient.get("gsrn"):
        sheet.append(_ext("patient-gsrn", "String", patient["gsrn"]))
    sheet += [_ext("weight", "Quantity", _quantity(order["weight_kg"], "kg", "kg")),
              _ext("sheet-bag-count", "Integer", order["sheet_bag_count"]),
              _ext("bags-received", "PositiveInt", len(order["bags"]))]
    if order.get("order_id"):
        sheet.append(_ext("order-id", "String", order["order_id"]))
    out = [{"url": f"{prefix}:{SHEET}", "extension": sheet},
           _ext(f"{prefix}:lot", "String", bag["lot"]),
           _ext(f"{prefix}:cd34-per-kg", "Quantity",
                _quantity(bag["cd34_per_kg"], "CD34+ cells/kg", "{cells}/kg"))]
    if bag.get("volume_ml") is not None:
        out.append(_ext(f"{prefix}:volume", "Quantity", _quantity(bag["volume_ml"], "mL", "mL")))
    ehr = payload.get("ehr")
    if ehr:
        parts = [_ext("mrn", "String", ehr["mrn"]), _ext("name", "String", ehr["name"]),
                 _ext("birth-date", "Date", ehr["dob"])]
        for key, url in (("reference", "patient"), ("medication_request", "order")):
            if ehr.get(key):
                parts.append(_ext(url, "Reference", {"reference": ehr[key]}))
        if ehr.get("coi"):
            parts.append(_ext("coi", "String", ehr["coi"]))
        out.append({"url": f"{prefix}:{EHR}", "extension": parts})
    for seq, label in enumerate(payload.get("labels") or (), start=1):
        if label.get("line") in (None, number):
            out.append({"url": f"{prefix}:{LABEL}", "extension": _label(seq, label)})
    return out


def _label(seq: int, label: Mapping[str, Any]) -> list[dict[str, Any]]:
    scan = label["scan"]
    parts = [_ext("sequence", "PositiveInt", seq), _ext("role", "Code", label["role"])]
    if label.get("line") is not None:
        parts.append(_ext("line", "PositiveInt", label["line"]))
    parts += [_ext("kind", "Code", scan["kind"]), _ext("source", "Code", scan["source"])]
    if scan.get("raw"):
        parts.append(_ext("payload", "Base64Binary",
                          base64.b64encode(scan["raw"].encode("utf-8")).decode("ascii")))
    for key in ("symbology", "typed_reason"):
        if scan.get(key):
            parts.append(_ext(key.replace("_", "-"), "String", scan[key]))
    parts += [_ext("structure", "String", s) for s in scan.get("structures") or ()]
    parts += [_ext("field", "Identifier", {"type": {"text": key}, "value": value})
              for key, value in (scan.get("identifiers") or {}).items()]
    parts.append(_ext("read-at", "DateTime", when(label["at"])))
    return parts


def provenance_extensions(payload: Mapping[str, Any], site: SiteIds) -> list[dict[str, Any]]:
    prefix = site.namespace.extension_prefix
    out = [_ext(f"{prefix}:{CONCERN}", "String", text) for text in payload.get("concerns") or ()]
    check = payload.get("double_check")
    if isinstance(check, Mapping):
        parts = [_ext("retyped", "String", key) for key in check.get("retyped") or ()]
        parts += [{"url": "checked", "extension": [_ext("field", "String", key),
                                                   _ext("source", "String", source)]}
                  for key, source in check.get("checked") or ()]
        out.append({"url": f"{prefix}:{DOUBLE_CHECK}", "extension": parts})
    return out


def _double_check(provenance: Mapping[str, Any], url: str, where: str) -> dict[str, Any] | None:
    ext = _one(provenance, url, where)
    if ext is None:  # a receipt written before the rule was recorded
        return None
    parts = _Parts(ext, f"{where} {DOUBLE_CHECK}")
    checked = []
    for e in (e for u, e in parts.items if u == "checked"):
        pair = _Parts(e, f"{where} {DOUBLE_CHECK} checked")
        checked.append([pair.need("field", "String"), pair.need("source", "String")])
    return {"retyped": parts.all("retyped", "String"), "checked": checked}


# ------------------------------------------------------------------------------ reading
class _Parts:
    """The sub-extensions of one complex extension, by url, read with their type checked."""

    def __init__(self, ext: Mapping[str, Any], where: str) -> None:
        self.where = where
        self.items: list[tuple[str, Mapping[str, Any]]] = [
            (str(e.get("url")), e) for e in _list(ext.get("extension")) if isinstance(e, dict)]

    def all(self, url: str, kind: str) -> list[Any]:
        out = []
        for u, e in self.items:
            if u == url:
                if f"value{kind}" not in e:
                    raise ReceiptUnreadable(f"{self.where}: '{url}' is not a {kind}")
                out.append(e[f"value{kind}"])
        return out

    def get(self, url: str, kind: str, default: Any = None) -> Any:
        found = self.all(url, kind)
        if len(found) > 1:
            raise ReceiptUnreadable(f"{self.where}: '{url}' given {len(found)} times")
        return found[0] if found else default

    def need(self, url: str, kind: str) -> Any:
        value = self.get(url, kind)
        if value is None:
            raise ReceiptUnreadable(f"{self.where}: no '{url}'")
        return value


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _extensions(resource: Mapping[str, Any], url: str) -> list[Mapping[str, Any]]:
    return [e for e in _list(resource.get("extension"))
            if isinstance(e, dict) and e.get("url") == url]


def _one(resource: Mapping[str, Any], url: str, where: str) -> Mapping[str, Any] | None:
    found = _extensions(resource, url)
    if len(found) > 1:
        raise ReceiptUnreadable(f"{where}: extension {url} given {len(found)} times")
    return found[0] if found else None


def _identifier(resource: Mapping[str, Any], system: str) -> str | None:
    values = [str(i.get("value")) for i in _list(resource.get("identifier"))
              if isinstance(i, dict) and i.get("system") == system and i.get("value")]
    return values[0] if len(values) == 1 else None


def _number(quantity: Any, where: str) -> float:
    if not isinstance(quantity, dict) or isinstance(quantity.get("value"), bool) \
            or not isinstance(quantity.get("value"), int | float):
        raise ReceiptUnreadable(f"{where} has no numeric value")
    return float(quantity["value"])


def read_bag(resource: Mapping[str, Any], site: SiteIds) -> dict[str, Any]:
    """One product's part of the receipt: `bag` (its line of the order), `patient`, `sheet`
    (weight and counts), `storage`, `ehr` and `labels` (by sequence number)."""
    where = f"BiologicallyDerivedProduct/{resource.get('id')}"
    prefix = site.namespace.extension_prefix
    found = _one(resource, f"{prefix}:{SHEET}", where)
    if found is None:
        raise ReceiptUnreadable(f"{where} has no Lot Information Sheet extension")
    sheet = _Parts(found, f"{where} (Lot Information Sheet)")
    din = _identifier(resource, DIN_SYSTEM)
    if din is None:
        raise ReceiptUnreadable(f"{where} has no (or more than one) DIN")
    lot = _one(resource, f"{prefix}:lot", where)
    cd34 = _one(resource, f"{prefix}:cd34-per-kg", where)
    volume = _one(resource, f"{prefix}:volume", where)
    storage = _list(resource.get("storage"))
    if len(storage) != 1 or not isinstance(storage[0], dict):
        raise ReceiptUnreadable(f"{where}: one storage element expected, found {len(storage)}")
    kept = storage[0]
    period: Mapping[str, Any] = kept["duration"] if isinstance(kept.get("duration"),
                                                                dict) else {}
    source = (resource.get("collection") or {}).get("source") or {}
    mrn = (source.get("identifier") or {}).get("value") if isinstance(source, dict) else None
    if not isinstance(mrn, str) or not mrn:
        raise ReceiptUnreadable(f"{where}: collection.source names no MRN")
    if lot is None or not isinstance(lot.get("valueString"), str) or cd34 is None:
        raise ReceiptUnreadable(f"{where} has no lot or no CD34+ cells/kg")
    if not isinstance(period.get("end"), str) or not isinstance(period.get("start"), str):
        raise ReceiptUnreadable(f"{where}: storage has no start or no end (the bag's expiry)")
    if not isinstance(kept.get("temperature"), int | float):
        raise ReceiptUnreadable(f"{where}: storage has no temperature")
    ehr = _one(resource, f"{prefix}:{EHR}", where)
    ehr_parts = None if ehr is None else _Parts(ehr, f"{where} (EHR patient)")
    return {
        "bag": {"number": sheet.need("line", "PositiveInt"), "bag_id": din,
                "lot": lot["valueString"], "expiry": period["end"],
                "cd34_per_kg": _number(cd34.get("valueQuantity"), f"{where} CD34+ cells/kg"),
                "volume_ml": None if volume is None else _number(volume.get("valueQuantity"),
                                                                 f"{where} volume")},
        "patient": {"mrn": mrn, "name": sheet.need("patient-name", "String"),
                    "dob": sheet.need("patient-birth-date", "Date"),
                    "coi": _identifier(resource, site.coi_system),
                    "patient_id": _identifier(resource, site.namespace.patient_id_system),
                    "gsrn": sheet.get("patient-gsrn", "String")},
        "sheet": {"weight_kg": _number(sheet.need("weight", "Quantity"), f"{where} weight"),
                  "sheet_bag_count": sheet.need("sheet-bag-count", "Integer"),
                  "bags": sheet.need("bags-received", "PositiveInt"),
                  "order_id": sheet.get("order-id", "String")},
        "storage": {"temperature_c": float(kept["temperature"]),
                    "location": kept.get("description"),
                    "at": instant(period["start"], f"{where} storage start")},
        "ehr": None if ehr_parts is None else _ehr(ehr_parts),
        "labels": dict(_read_label(_Parts(e, f"{where} (label)"))
                       for e in _extensions(resource, f"{prefix}:{LABEL}")),
    }


def _ehr(parts: _Parts) -> dict[str, Any]:
    out = {"mrn": parts.need("mrn", "String"), "name": parts.need("name", "String"),
           "dob": parts.need("birth-date", "Date"),
           "reference": (parts.get("patient", "Reference") or {}).get("reference"),
           "medication_request": (parts.get("order", "Reference") or {}).get("reference")}
    coi = parts.get("coi", "String")
    if coi:
        out["coi"] = coi
    return out


def _read_label(parts: _Parts) -> tuple[int, dict[str, Any]]:
    raw = parts.get("payload", "Base64Binary")
    try:
        text = base64.b64decode(raw, validate=True).decode("utf-8") if raw else ""
    except (binascii.Error, ValueError) as exc:
        raise ReceiptUnreadable(f"{parts.where}: its payload is not base64 UTF-8") from exc
    fields: dict[str, str] = {}
    for ident in parts.all("field", "Identifier"):
        key = ((ident or {}).get("type") or {}).get("text")
        if not isinstance(key, str) or key in fields:
            raise ReceiptUnreadable(f"{parts.where}: a field without a name, or twice")
        fields[key] = str(ident.get("value") or "")
    scan = {"kind": parts.need("kind", "Code"), "identifiers": fields,
            "source": parts.need("source", "Code"), "raw": text,
            "symbology": parts.get("symbology", "String"),
            "typed_reason": parts.get("typed-reason", "String"),
            "structures": list(parts.all("structure", "String"))}
    return parts.need("sequence", "PositiveInt"), {
        "role": parts.need("role", "Code"), "line": parts.get("line", "PositiveInt"),
        "scan": scan, "at": instant(parts.need("read-at", "DateTime"), f"{parts.where} read-at")}


def read_receipt(receipt_id: str, bags: Sequence[Mapping[str, Any]],
                 provenance: Mapping[str, Any] | None, site: SiteIds) -> dict[str, Any]:
    """The receipt (as `portable` gives it) from its products and its Provenance; every part
    the bags share must agree, and every bag of the receipt must be there."""
    if provenance is None:
        raise ReceiptUnreadable(f"receipt {receipt_id}: its Provenance (who received and "
                                "verified it, and when) is not on the EHR")
    read = [read_bag(r, site) for r in bags]
    first = read[0]
    for key in ("patient", "sheet", "storage", "ehr"):
        if any(r[key] != first[key] for r in read):
            raise ReceiptUnreadable(f"receipt {receipt_id}: its bags on the EHR disagree "
                                    f"({key})")
    labels: dict[int, dict[str, Any]] = {}
    for r in read:
        for seq, label in r["labels"].items():
            if labels.setdefault(seq, label) != label:
                raise ReceiptUnreadable(f"receipt {receipt_id}: its bags on the EHR disagree "
                                        f"(label {seq})")
    sheet = first["sheet"]
    if len(read) != sheet["bags"]:
        raise ReceiptUnreadable(f"receipt {receipt_id}: the EHR holds {len(read)} of its "
                                f"{sheet['bags']} bags")
    numbers = sorted(r["bag"]["number"] for r in read)
    if numbers != list(range(1, len(read) + 1)):
        raise ReceiptUnreadable(f"receipt {receipt_id}: the EHR holds bags numbered {numbers}")
    if sorted(labels) != list(range(1, len(labels) + 1)):
        raise ReceiptUnreadable(f"receipt {receipt_id}: labels {sorted(labels)} on the EHR "
                                "(some are missing)")
    names = {}
    for agent in _list(provenance.get("agent")):
        codes = [c.get("code") for c in _list((agent.get("type") or {}).get("coding"))]
        for code in codes:
            names[code] = (agent.get("who") or {}).get("display")
    concerns = [e.get("valueString") for e in _extensions(
        provenance, f"{site.namespace.extension_prefix}:{CONCERN}")]
    return {
        "receipt_id": receipt_id,
        "order": {"patient": first["patient"], "weight_kg": sheet["weight_kg"],
                  "sheet_bag_count": sheet["sheet_bag_count"], "order_id": sheet["order_id"],
                  "bags": sorted((r["bag"] for r in read), key=lambda b: b["number"])},
        "storage": first["storage"],
        "labels": [labels[seq] for seq in sorted(labels)],
        "ehr": first["ehr"],
        "entered_by": names.get("author"),
        "verified_by": names.get("verifier"),
        "completed_at": instant(provenance.get("recorded"), f"receipt {receipt_id} recorded"),
        "concerns": concerns,
        **({"double_check": check} if (check := _double_check(
            provenance, f"{site.namespace.extension_prefix}:{DOUBLE_CHECK}",
            f"receipt {receipt_id} Provenance")) else {}),
    }
