"""ISBT 128 (ICCBBA ST-001 v6.2.2): reading the data structures of cellular therapy labels.

Linear (Code 128) labels hold one data structure each (or several, concatenated by the scanner,
ST-001 §10); 2-D (DataMatrix) labels hold a compound message `=+aabbb` (DS 023, §2.4.23) followed
by `aa` data structures "combined with no intervening characters". Every structure ST-001 defines
is in `isbt128_table`: the ones identity needs are read into identifiers, every other one is
checked (length, character set, dates) and stepped over. A structure that is malformed, or that
ST-001 leaves undefined (nationally or locally defined ones), is refused naming it: its length is
unknown, so nothing after it could be read.

The `encode_*` functions build the same structures; the sample labels and tests use them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .errors import LabelError
from .isbt128_table import BY_IDENTIFIER, COMPOUND, DIN, DIN13, NATIONAL, NON_ICCBBA, StructureSpec

MOD37_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"

_DIN_RE = re.compile(DIN.content.pattern)
# Keyboard entry (§7.5): the 13 characters, optional flags, and the check character K. The
# ISO/IEC 7064 mod 37-2 alphabet has no lower case (§7.5.1), so typed text is read upper-cased.
_TYPED_DIN_RE = re.compile(rf"=?(?P<din>{DIN13})(?P<flags>[0-9]{{2}})?(?P<check>[0-9A-Z*])")
# Type 3 flag characters (Table 3 [RT004], Appendix A.2): 60 + the mod 37-2 checksum of the DIN.
TYPE3_FLAGS = range(60, 97)


def mod37_2_value(text: str) -> int:
    """The ISO/IEC 7064 mod 37-2 checksum (0–36) of `text` (ST-001 Appendix A.1)."""
    p = 0
    for ch in text:
        value = MOD37_ALPHABET.find(ch)
        if value < 0:
            raise LabelError(f"'{ch}' cannot appear in a DIN", code="din_charset")
        p = ((p + value) * 2) % 37
    return (38 - p) % 37


def mod37_2(din13: str) -> str:
    """The keyboard entry check character K of a 13-character DIN (ST-001 §7.5, Appendix A)."""
    return MOD37_ALPHABET[mod37_2_value(din13)]


@dataclass
class IsbtMessage:
    """What an ISBT 128 payload held: canonical identifiers, the structures read, and the
    compound-message layout reference (`bbb`) when it was a compound message."""

    identifiers: dict[str, str] = field(default_factory=dict)
    structures: list[str] = field(default_factory=list)
    layout: str | None = None

    def put(self, key: str, value: str, structure: str) -> None:
        old = self.identifiers.get(key)
        if old is not None and old != value:
            raise LabelError(
                f"This label holds two different values for {key}: '{old}' and '{value}'. "
                "Do not use it; call the manufacturer.", code="conflicting_values")
        self.identifiers[key] = value
        self.structures.append(structure)


def _julian(spec: StructureSpec, c: str, yy: str, jjj: str) -> date:
    # c is the century (0: 2000–2099), yy the year in it, jjj the day of the year (§2.4.4).
    year = 2000 + int(c) * 100 + int(yy)
    day = int(jjj)
    last = 366 if date(year, 12, 31).timetuple().tm_yday == 366 else 365
    if not 1 <= day <= last:
        raise LabelError(f"The {spec.label} has day {jjj} of {year}, which has {last} days.",
                         code="bad_date")
    return date(year, 1, 1) + timedelta(days=day - 1)


def _time(spec: StructureSpec, hh: str, mm: str) -> tuple[int, int]:
    if int(hh) > 23 or int(mm) > 59:
        raise LabelError(f"The {spec.label} has the time {hh}:{mm}, which is not a time of day.",
                         code="bad_date")
    return int(hh), int(mm)


def _when(spec: StructureSpec, m: re.Match[str]) -> str:
    """A cyyjjj[hhmm] date as ISO text; without a time, 23:59 (§2.4.5: "When a time is not
    specified, the default value of 2359 shall be encoded")."""
    day = _julian(spec, m["c"], m["yy"], m["jjj"])
    hh, mm = _time(spec, m["hh"], m["mm"]) if m.groupdict().get("hh") else (23, 59)
    return f"{day.isoformat()}T{hh:02d}:{mm:02d}"


def _calendar(spec: StructureSpec, m: re.Match[str]) -> date:
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        raise LabelError(f"The {spec.label} holds {m['y']}-{m['m']}-{m['d']}, which is not a "
                         "date.", code="bad_date") from None


def _expiry(msg: IsbtMessage, spec: StructureSpec, m: re.Match[str]) -> None:
    msg.put("expiry", _when(spec, m), "expiry_datetime" if spec.number == "005"
            else "expiry_date")


def _checked_date(msg: IsbtMessage, spec: StructureSpec, m: re.Match[str]) -> None:
    _when(spec, m)  # collection and production dates: checked, not used for identity
    msg.structures.append(_SKIPPED_NAME[spec.number])


def _product_code(msg: IsbtMessage, spec: StructureSpec, m: re.Match[str]) -> None:
    msg.put("product_code", m["code"], "product_code")


def _dob(msg: IsbtMessage, spec: StructureSpec, m: re.Match[str]) -> None:
    msg.put("dob", _calendar(spec, m).isoformat(), "patient_dob")


def _flexible(msg: IsbtMessage, spec: StructureSpec, m: re.Match[str]) -> None:
    _calendar(spec, m)
    _time(spec, m["hh"], m["mm"])
    msg.structures.append(_SKIPPED_NAME[spec.number])


def _coi(msg: IsbtMessage, spec: StructureSpec, m: re.Match[str]) -> None:
    msg.put("coi", m["coi"], "chain_of_identity")


def _lot(msg: IsbtMessage, spec: StructureSpec, m: re.Match[str]) -> None:
    # The lot is padded with zeroes at the beginning to 18 characters (§2.4.35): the padding is
    # not the lot. A lot that itself begins with 0 cannot be told from padding, so lots compare
    # without leading zeroes (`labels.compare`), as §2.4.35 asks manufacturers to allow.
    msg.put("lot", m["lot"].lstrip("0") or "0", "mpho_lot")


def _consignment(msg: IsbtMessage, spec: StructureSpec, m: re.Match[str]) -> None:
    msg.put("consignment", m["consignment"], "consignment")


# Structures identity does not need: checked by the table and stepped over, named in
# `structures` so a record shows what the label carried.
_SKIPPED_NAME: dict[str, str] = {
    "002": "blood_group", "006": "collection_date", "007": "collection_datetime",
    "008": "production_date", "009": "production_datetime", "010": "special_testing",
    "011": "special_testing_rbc_retired", "012": "special_testing_rbc",
    "013": "special_testing_rbc_finnish", "014": "special_testing_platelet",
    "015": "special_testing_hla_ab_retired", "016": "special_testing_hla_drb1_retired",
    "017": "container_catalog", "018": "container_lot", "019": "donor_id", "020": "staff_id",
    "021": "item_catalog", "022": "item_lot", "025": "patient_id", "026": "expiry_month",
    "027": "infection_markers", "029": "dimensions", "030": "red_cell_antigens",
    "031": "flexible_datetime", "032": "product_divisions", "033": "processing_facility",
    "034": "processor_product", "036": "mpho_supplemental_id", "037": "grid_retired",
    "038": "single_european_code", "039": "grid",
}

_READERS: dict[str, Callable[[IsbtMessage, StructureSpec, re.Match[str]], None]] = {
    "003": _product_code, "004": _expiry, "005": _expiry, "006": _checked_date,
    "007": _checked_date, "008": _checked_date, "009": _checked_date, "024": _dob,
    "028": _consignment, "031": _flexible, "035": _lot, "040": _coi,
}


def _malformed(spec: StructureSpec, text: str, pos: int, why: str) -> LabelError:
    return LabelError(
        f"The {spec.label} at character {pos + 1} is malformed ({why}): "
        f"'{_show(text[pos:pos + len(spec.identifier) + (spec.length or 8) + 2])}'. "
        "Scan it again; if it repeats, the label is faulty.", code="malformed_structure")


def _variable_length(spec: StructureSpec, m: re.Match[str]) -> tuple[int, str]:
    """The length and character set of what follows a variable structure's header."""
    if spec.number == "025":  # ll characters {A–Z, a–z, 0–9} (§2.4.25)
        return int(m["len"]), r"[A-Za-z0-9]+"
    if spec.number == "029":  # nn segments of 14 digits (§2.4.29)
        return int(m["count"]) * 14, r"[0-9]*"
    return int(m["count"]) * 10, r"[0-9]*"  # 030: nnn segments of 10 digits (§2.4.30)


def _find(text: str, pos: int) -> StructureSpec:
    for n in (3, 2):
        spec = BY_IDENTIFIER.get(text[pos:pos + n])
        if spec is not None:
            return spec
    if text.startswith("=", pos) and pos + 1 < len(text) and \
            re.match(r"[A-NP-Z1-9]", text[pos + 1]):
        return DIN
    two = text[pos:pos + 2]
    where = f"at character {pos + 1} ('{_show(text[pos:pos + 12])}')"
    if two in NATIONAL:
        raise LabelError(f"This label carries {NATIONAL[two]} {where}: its format is defined "
                         "nationally, not by ISBT 128, and is not configured here.",
                         code="unknown_structure")
    if NON_ICCBBA.fullmatch(two):
        raise LabelError(f"This label carries a data structure not defined by ICCBBA ('{two}', "
                         f"ST-001 §2.5.1) {where}: it is not configured here.",
                         code="unknown_structure")
    raise LabelError(f"Unknown ISBT 128 data {where}: no data structure of ISBT 128 starts "
                     "this way.", code="unknown_structure")


def _read_one(text: str, pos: int, msg: IsbtMessage) -> int:
    """Read the data structure starting at `pos`; return where the next one starts."""
    spec = _find(text, pos)
    start = pos + (1 if spec is DIN else len(spec.identifier))
    if spec.length is None:
        m = spec.content.match(text, start)
        if m is None:
            raise _malformed(spec, text, pos, "its length field is missing")
        n, charset = _variable_length(spec, m)
        body = text[m.end():m.end() + n]
        if len(body) != n or not re.fullmatch(charset, body) or (spec.number == "025" and n == 0):
            raise _malformed(spec, text, pos, f"it announces {n} characters: they are cut off "
                                              "or not of the kind it allows")
        if spec.number == "025":
            msg.put("patient_id", body, "patient_id")
        else:
            msg.structures.append(_SKIPPED_NAME[spec.number])
        return m.end() + n
    content = text[start:start + spec.length]
    if len(content) < spec.length:
        raise _malformed(spec, text, pos, f"it needs {spec.length} characters, "
                                          f"{len(content)} are there")
    m = spec.content.fullmatch(content)
    if m is None:
        raise _malformed(spec, text, pos, "a character is not one this structure allows")
    if spec is DIN:
        _din(msg, m)
    else:
        reader = _READERS.get(spec.number)
        if reader is None:
            msg.structures.append(_SKIPPED_NAME[spec.number])
        else:
            reader(msg, spec, m)
    return start + spec.length


def _check_type3(din: str, flags: str) -> None:
    if flags.isdigit() and int(flags) in TYPE3_FLAGS:
        # Type 3 flags carry the DIN's check (Table 3, Appendix A.2): a misread character of the
        # DIN shows as flags that do not fit it.
        expected = 60 + mod37_2_value(din)
        if int(flags) != expected:
            raise LabelError(
                f"The Donation Identification Number {din} carries check flags {flags}, but its "
                f"check is {expected}: a character was misread. Scan it again; if it repeats, "
                "do not use the label.", code="din_check")


def _din(msg: IsbtMessage, m: re.Match[str]) -> None:
    din, flags = m["din"], m["flags"]
    _check_type3(din, flags)
    msg.put("din", din, "din")
    msg.identifiers["din_flags"] = flags  # flags differ between labels of one DIN


@dataclass(frozen=True)
class ShelfLife:
    """The product's longest shelf life (`days`) and the day a label is read (`today`, the
    workstation's): no label read that day can expire after `latest`."""

    today: date
    days: int

    @property
    def latest(self) -> datetime:
        # A printed expiry is a local wall time, `today` the UTC day: a day of margin for zones.
        return datetime.combine(self.today + timedelta(days=self.days + 1), datetime.max.time())


def parse_isbt128(text: str, *, shelf_life: ShelfLife | None = None) -> IsbtMessage:
    """Read one ISBT 128 payload: a single data structure, several concatenated, or a compound
    message whose declared count must equal the structures found (a short count means part of
    the code was not read). With `shelf_life`, an expiry later than any label of the product can
    carry on that day is refused (`expiry_implausible`)."""
    msg = IsbtMessage()
    pos = 0
    declared: int | None = None
    compound = COMPOUND.content.fullmatch(text[2:7]) if text.startswith("=+") else None
    if text.startswith("=+"):
        if compound is None:
            raise _malformed(COMPOUND, text, 0, "it needs a two-digit count and a three-digit "
                                                "layout")
        declared = int(compound["nn"])
        msg.layout = compound["sss"]
        pos = 7
    count = 0
    while pos < len(text):
        if text.startswith("=+", pos):
            raise LabelError("This label holds a second compound message header at character "
                             f"{pos + 1}.", code="malformed_structure")
        pos = _read_one(text, pos, msg)
        count += 1
    if count == 0:
        raise LabelError("This ISBT 128 label holds no data.", code="empty")
    if declared is not None and declared != count:
        raise LabelError(
            f"The label says it holds {declared} data structures but {count} were read: "
            "part of the code is missing. Scan it again.", code="compound_count")
    if compound is not None:
        msg.structures.insert(0, "compound")
    expiry = msg.identifiers.get("expiry")
    if shelf_life is not None and expiry is not None and \
            datetime.fromisoformat(expiry) > shelf_life.latest:
        raise LabelError(
            f"The expiry on this label, {expiry.replace('T', ' ')}, is later than any label of "
            f"this product can carry: its longest shelf life is {shelf_life.days} days, so a "
            f"label read on {shelf_life.today:%Y-%m-%d} (this workstation's date) expires by "
            f"{shelf_life.latest:%Y-%m-%d} at the latest. The year was misread, the label is "
            "wrong, or this workstation's date is wrong. Scan it again; if it repeats, do not "
            "use the product and call the manufacturer.", code="expiry_implausible")
    return msg


def parse_typed_din(text: str) -> IsbtMessage:
    """A DIN typed from the eye-readable label: 13 characters, optional flags, and the boxed
    check character, which must be present and right (spaces ignored, case folded: §7.5.1)."""
    compact = re.sub(r"\s+", "", text).upper()
    m = _TYPED_DIN_RE.fullmatch(compact)
    if m is None:
        if re.fullmatch(rf"=?{DIN13}([0-9]{{2}})?", compact):
            raise LabelError("A typed DIN needs its check character (the boxed character "
                             "after the number).", code="din_check_missing")
        raise LabelError("This is not a DIN: type the 13 characters and the boxed check "
                         "character.", code="typed_format")
    expected = mod37_2(m["din"])
    if m["check"] != expected:
        raise LabelError(f"The check character {m['check']} does not fit DIN {m['din']}: "
                         "a character was mistyped. Check the number and type it again.",
                         code="din_check")
    _check_type3(m["din"], m["flags"] or "00")
    msg = IsbtMessage()
    msg.put("din", m["din"], "din")
    msg.identifiers["din_flags"] = m["flags"] or "00"
    msg.structures.append("din_check")
    return msg


def _show(fragment: str) -> str:
    return fragment.replace("\x1d", "<GS>")


# ---------------------------------------------------------------- encoding (samples, tests)

def encode_din(din13: str, flags: str = "00") -> str:
    """DS 001 `=αppppyynnnnnnff`."""
    return f"={din13}{flags}"


def encode_product_code(code: str) -> str:
    """DS 003 `=<αooootds`."""
    return f"=<{code}"


def _cyyjjj(day: date) -> str:
    return f"{(day.year - 2000) // 100}{day.year % 100:02d}{day.timetuple().tm_yday:03d}"


def encode_expiry(when: datetime | date) -> str:
    """DS 005 `&>cyyjjjhhmm` for a date and time (its wall time as printed); DS 004 `=>cyyjjj`
    for a date."""
    if isinstance(when, datetime):
        return f"&>{_cyyjjj(when.date())}{when.hour:02d}{when.minute:02d}"
    return f"=>{_cyyjjj(when)}"


def encode_dob(dob: date, location: str = "00") -> str:
    """DS 024 `=#aayyyymmdd`."""
    return f"=#{location}{dob.year:04d}{dob.month:02d}{dob.day:02d}"


def encode_patient_id(patient_id: str, location: str = "00") -> str:
    """DS 025 `&#aallxx…x`."""
    return f"&#{location}{len(patient_id):02d}{patient_id}"


def encode_coi(coi: str) -> str:
    """DS 040 `&/CHαppppyynnnnnn`."""
    return f"&/{coi}"


def encode_lot(lot: str) -> str:
    """DS 035 `&,1` + the MPHO lot number, zero-padded at the beginning to 18 characters
    (ST-001 §2.4.35)."""
    if not re.fullmatch(r"[A-Z0-9]{1,18}", lot):
        raise ValueError(f"an MPHO lot number is 1–18 characters A–Z, 0–9: {lot!r}")
    return f"&,1{lot:0>18}"


def encode_consignment(consignment: str) -> str:
    """DS 028 `=$αppppyynnnnnccdd`."""
    return f"=${consignment}"


def encode_compound(layout: str, structures: list[str]) -> str:
    """DS 023 `=+nnsss` followed by the structures."""
    return f"=+{len(structures):02d}{layout}" + "".join(structures)
