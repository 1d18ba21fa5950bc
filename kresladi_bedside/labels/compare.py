"""When two identifier values are the same identifier: names after normalising, dates as dates,
DINs on their 13 characters, expiry instants as the label prints them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, tzinfo

from . import expiry

FIELD_NAMES: dict[str, str] = {
    "mrn": "MRN", "name": "name", "dob": "date of birth", "coi": "chain-of-identity number",
    "patient_id": "patient identification number", "gsrn": "patient GSRN",
    "din": "DIN", "bag_id": "bag identifier", "lot": "lot", "expiry": "expiry",
    "product_code": "product code", "gtin": "GTIN", "serial": "serial number",
    "consignment": "consignment number",
}


def _fold(text: str) -> str:
    """Case, accents and runs of spaces removed: 'Ñúñez  ' → 'nunez'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", plain).strip().casefold()


def _structured(folded: str) -> tuple[str, tuple[str, ...]] | None:
    """`last, first middle` or `last^first^middle` → ('last', ('first', 'middle'))."""
    for sep in (",", "^"):
        if sep in folded:
            last, _, given = folded.partition(sep)
            return last.strip(), tuple(w for w in re.split(r"[\s,^]+", given) if w)
    return None


def _words(folded: str) -> list[str]:
    return sorted(w for w in re.split(r"[\s,^]+", folded) if w)


def same_name(a: str, b: str) -> bool:
    """Names compare after folding case, accents and spaces. When both give the family name
    (`LAST, FIRST` or `LAST^FIRST`), family and given names must each match; when either is free
    text, whose order is unknown, the words must match as a set."""
    fa, fb = _fold(a), _fold(b)
    sa, sb = _structured(fa), _structured(fb)
    if sa is not None and sb is not None:
        return sa == sb
    return _words(fa) == _words(fb)


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def wall_minutes(text: str) -> datetime | None:
    """An expiry as printed: its wall time, without offset, to the minute (date-only → None)."""
    t = text.strip()
    if len(t) <= 10:
        return None
    try:
        d = datetime.fromisoformat(t)
    except ValueError:
        return None
    return d.replace(tzinfo=None, second=0, microsecond=0)


def same_expiry(a: str, b: str, zone: tzinfo | None = None, fallback_offset_s: int = 0) -> bool:
    """The same instant to the minute, a printed local time read in the site's zone (see
    `labels.expiry`); equal days when either is a date only."""
    return expiry.same_expiry(a, b, zone, fallback_offset_s)


def _code(text: str) -> str:
    return re.sub(r"[\s\-]", "", text).upper()


def same_value(key: str, a: str, b: str, zone: tzinfo | None = None,
               fallback_offset_s: int = 0) -> bool:
    """Whether two values of identifier `key` identify the same thing (expiries read in the
    site's time zone `zone`)."""
    if key == "name":
        return same_name(a, b)
    if key == "dob":
        da, db = _as_date(a), _as_date(b)
        return da is not None and da == db
    if key == "expiry":
        return same_expiry(a, b, zone, fallback_offset_s)
    if key in ("din", "bag_id"):
        return _din13(a) == _din13(b)
    if key == "lot":
        return _lot(a) == _lot(b)
    return _code(a) == _code(b)


def _lot(text: str) -> str:
    """A lot without leading zeroes: ISBT 128 pads the MPHO lot with zeroes at the beginning to
    18 characters, and a lot that begins with 0 must still be identified without it (ST-001
    §2.4.35), so '0000000000KR26A0417', '0KR26A0417' and 'KR26A0417' are one lot."""
    return _code(text).lstrip("0") or "0"


def canonical(key: str, value: str) -> str:
    """The form two values of identifier `key` share when `same_value` says they are the same
    (for codes: DINs on their 13 characters, case, spaces and dashes dropped), so they can be
    used as index keys (the product ledger)."""
    if key in ("din", "bag_id", "serial"):
        return _din13(value)
    if key == "name":
        return " ".join(_words(_fold(value)))
    if key == "lot":
        return _lot(value)
    return _code(value)


def _din13(text: str) -> str:
    """A DIN compares on its 13 characters: flags (and a typed check character) dropped."""
    code = _code(text)
    if re.fullmatch(r"[A-NP-Z1-9][A-NP-Z0-9]{2}[0-9]{10}[0-9A-Z*]{0,3}", code):
        return code[:13]
    return code
