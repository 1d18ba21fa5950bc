"""ISBT 128 (ICCBBA ST-001): the data structures found on cellular therapy labels.

Linear (Code 128) labels hold one data structure each; 2-D (DataMatrix) labels hold a compound
message `=+nnsss` followed by `nn` data structures, concatenated without separators. Every data
structure starts with a data identifier of `=` or `&` plus one or two characters, and every
structure read here has a fixed length or carries its own length, so a message is split without
guessing.

The `encode_*` functions build the same structures; the sample labels and tests use them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .errors import LabelError

MOD37_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"

# DS 001: α {A–N, P–Z, 1–9}, pppp, yy, nnnnnn; the flags ff are not part of the DIN.
_DIN13 = r"[A-NP-Z1-9][A-NP-Z0-9]{2}[0-9]{2}[0-9]{2}[0-9]{6}"
_DIN_RE = re.compile(rf"(?P<din>{_DIN13})(?P<flags>[0-9A-HJ-NPR-Y]{{2}})")
_TYPED_DIN_RE = re.compile(rf"=?(?P<din>{_DIN13})(?P<flags>[0-9]{{2}})?(?P<check>[0-9A-Z*])")


def mod37_2(din13: str) -> str:
    """The ISO/IEC 7064 mod 37-2 keyboard check character of a 13-character DIN."""
    p = 0
    for ch in din13:
        value = MOD37_ALPHABET.find(ch)
        if value < 0:
            raise LabelError(f"'{ch}' cannot appear in a DIN", code="din_charset")
        p = ((p + value) * 2) % 37
    return MOD37_ALPHABET[(38 - p) % 37]


@dataclass
class IsbtMessage:
    """What an ISBT 128 payload held: canonical identifiers, the structures read, and the
    compound-message layout reference (`sss`) when it was a compound message."""

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


def _julian(c: str, yy: str, jjj: str) -> date:
    year = 2000 + int(c) * 100 + int(yy)
    day = int(jjj)
    last = 366 if date(year, 12, 31).timetuple().tm_yday == 366 else 365
    if not 1 <= day <= last:
        raise LabelError(f"The expiry date has day {jjj} of {year}, which has {last} days.",
                         code="bad_date")
    return date(year, 1, 1) + timedelta(days=day - 1)


def _expiry_date(msg: IsbtMessage, m: re.Match[str]) -> None:
    day = _julian(m["c"], m["yy"], m["jjj"])
    # ST-001: an expiry without a time ends at 23:59 of that day.
    msg.put("expiry", f"{day.isoformat()}T23:59", "expiry_date")


def _expiry_datetime(msg: IsbtMessage, m: re.Match[str]) -> None:
    day = _julian(m["c"], m["yy"], m["jjj"])
    hh, mm = int(m["hh"]), int(m["mm"])
    if hh > 23 or mm > 59:
        raise LabelError(f"The expiry time {m['hh']}:{m['mm']} is not a time of day.",
                         code="bad_date")
    msg.put("expiry", f"{day.isoformat()}T{hh:02d}:{mm:02d}", "expiry_datetime")


def _din(msg: IsbtMessage, m: re.Match[str]) -> None:
    msg.put("din", m["din"], "din")
    msg.identifiers["din_flags"] = m["flags"]  # flags differ between labels of one DIN


def _product_code(msg: IsbtMessage, m: re.Match[str]) -> None:
    msg.put("product_code", m["code"], "product_code")


def _dob(msg: IsbtMessage, m: re.Match[str]) -> None:
    try:
        dob = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        raise LabelError(f"The date of birth {m['y']}-{m['m']}-{m['d']} is not a date.",
                         code="bad_date") from None
    msg.put("dob", dob.isoformat(), "patient_dob")


def _coi(msg: IsbtMessage, m: re.Match[str]) -> None:
    msg.put("coi", m["coi"], "chain_of_identity")


def _lot(msg: IsbtMessage, m: re.Match[str]) -> None:
    msg.put("lot", m["lot"].rstrip(), "mpho_lot")


def _consignment(msg: IsbtMessage, m: re.Match[str]) -> None:
    msg.put("consignment", m["consignment"], "consignment")


@dataclass(frozen=True)
class _Structure:
    identifier: str
    content: re.Pattern[str]
    read: Callable[[IsbtMessage, re.Match[str]], None] | None  # None: length-prefixed


# Longest data identifiers first; the DIN (`=` + α) is tried last because its second
# character is part of its content.
_STRUCTURES: tuple[_Structure, ...] = (
    _Structure("&,1", re.compile(r"(?P<lot>[0-9A-Z ]{17})"), _lot),  # DS 035 MPHO lot
    _Structure("=<", re.compile(r"(?P<code>[A-Z][0-9]{4}[0-9A-Z]{3})"), _product_code),  # DS 003
    _Structure("=>", re.compile(r"(?P<c>[0-9])(?P<yy>[0-9]{2})(?P<jjj>[0-9]{3})"),
               _expiry_date),  # DS 004
    _Structure("&>", re.compile(
        r"(?P<c>[0-9])(?P<yy>[0-9]{2})(?P<jjj>[0-9]{3})(?P<hh>[0-9]{2})(?P<mm>[0-9]{2})"),
        _expiry_datetime),  # DS 005
    _Structure("=#", re.compile(r"(?P<loc>[0-9A-Z]{2})(?P<y>[0-9]{4})(?P<m>[0-9]{2})"
                                r"(?P<d>[0-9]{2})"), _dob),  # DS 024
    _Structure("&#", re.compile(r"(?P<loc>[0-9A-Z]{2})(?P<len>[0-9]{2})"), None),  # DS 025
    _Structure("&/", re.compile(rf"(?P<coi>CH{_DIN13})"), _coi),  # DS 040
    _Structure("=$", re.compile(r"(?P<consignment>[A-NP-Z1-9][A-NP-Z0-9]{2}[0-9]{2}[0-9]{2}"
                                r"[0-9]{5}[0-9]{2}[0-9]{2})"), _consignment),  # DS 028
)
_COMPOUND_RE = re.compile(r"=\+(?P<nn>[0-9]{2})(?P<sss>[0-9]{3})")


def _read_one(text: str, pos: int, msg: IsbtMessage) -> int:
    """Read the data structure starting at `pos`; return where the next one starts."""
    for s in _STRUCTURES:
        if not text.startswith(s.identifier, pos):
            continue
        start = pos + len(s.identifier)
        m = s.content.match(text, start)
        if m is None:
            raise LabelError(
                f"The ISBT 128 field '{s.identifier}' at character {pos + 1} is malformed "
                f"('{_show(text[pos:pos + 24])}').", code="malformed_structure")
        end = m.end()
        if s.read is None:  # DS 025 carries its own length
            n = int(m["len"])
            pid = text[end:end + n]
            if n == 0 or len(pid) != n or not re.fullmatch(r"[0-9A-Z]+", pid):
                raise LabelError("The patient identification number on this label is cut off "
                                 "or malformed.", code="malformed_structure")
            msg.put("patient_id", pid, "patient_id")
            return end + n
        s.read(msg, m)
        return end
    if text.startswith("=", pos):
        m = _DIN_RE.match(text, pos + 1)
        if m is not None:
            _din(msg, m)
            return m.end()
    raise LabelError(
        f"Unknown ISBT 128 data at character {pos + 1} ('{_show(text[pos:pos + 12])}'): "
        "this label format is not configured here.", code="unknown_structure")


def parse_isbt128(text: str) -> IsbtMessage:
    """Read one ISBT 128 payload: a single data structure, several concatenated, or a compound
    message whose declared count must equal the structures found (a short count means part of
    the code was not read)."""
    msg = IsbtMessage()
    pos = 0
    declared: int | None = None
    compound = _COMPOUND_RE.match(text)
    if compound is not None:
        declared = int(compound["nn"])
        msg.layout = compound["sss"]
        pos = compound.end()
    count = 0
    while pos < len(text):
        if text.startswith("=+", pos):
            raise LabelError("This label holds a second compound message header.",
                             code="malformed_structure")
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
    return msg


def parse_typed_din(text: str) -> IsbtMessage:
    """A DIN typed from the eye-readable label: 13 characters, optional flags, and the boxed
    check character, which must be present and right (spaces ignored)."""
    compact = re.sub(r"\s+", "", text).upper()
    m = _TYPED_DIN_RE.fullmatch(compact)
    if m is None:
        if re.fullmatch(rf"=?{_DIN13}([0-9]{{2}})?", compact):
            raise LabelError("A typed DIN needs its check character (the boxed character "
                             "after the number).", code="din_check_missing")
        raise LabelError("This is not a DIN: type the 13 characters and the boxed check "
                         "character.", code="typed_format")
    expected = mod37_2(m["din"])
    if m["check"] != expected:
        raise LabelError(f"The check character {m['check']} does not fit DIN {m['din']}: "
                         "a character was mistyped. Check the number and type it again.",
                         code="din_check")
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
    """DS 035 MPHO lot number, 17 characters, space padded."""
    return f"&,1{lot:<17}"


def encode_consignment(consignment: str) -> str:
    """DS 028 `=$αppppyynnnnnccdd`."""
    return f"=${consignment}"


def encode_compound(layout: str, structures: list[str]) -> str:
    """DS 023 `=+nnsss` followed by the structures."""
    return f"=+{len(structures):02d}{layout}" + "".join(structures)
