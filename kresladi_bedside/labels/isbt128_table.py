"""The ISBT 128 data structures, as ICCBBA ST-001 (v6.2.2, April 2023) defines them.

One row per data structure of ST-001 Table 2 "Index of Data Structures" [RT003] (§2.3), with the
data content's length and character set from the structure's own section (§2.4.n). A compound
message (DS 023, §2.4.23) concatenates structures "with no intervening characters", so a reader
can split one only by knowing every structure's length: a structure this table does not hold
cannot be stepped over, and a message that carries one is refused naming it.

Character sets are the standard's, case included: lower case is part of the data where the table
allows it (patient identification number, container catalog numbers, the `s` of a product code)
and is never folded here. Retired structures (011, 015, 016, 037) are kept: ST-001's glossary
("Retired") asks software to recognise them on products still in inventories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Facility Identification Number αpppp (§2.4.1 and every structure that carries a FIN): α is
# {A–N, P–Z, 1–9}; the first two p are {A–N, P–Z, 0–9}, the last two {0–9}.
FIN = r"[A-NP-Z1-9][A-NP-Z0-9]{2}[0-9]{2}"
# The 13-character DIN αppppyynnnnnn (§2.4.1): FIN, nominal year, six-digit sequence.
DIN13 = FIN + r"[0-9]{2}[0-9]{6}"
# The DIN's flag characters ff (§2.4.1): {0–9}, {A–H, J–N, P, R–Y}.
DIN_FLAGS = r"[0-9A-HJ-NPR-Y]{2}"

_DIGITS = r"[0-9]"
_UPPER_ALNUM = r"[A-Z0-9]"
_ANY_ALNUM = r"[A-Za-z0-9]"


@dataclass(frozen=True)
class StructureSpec:
    """One data structure: `number` (ST-001's three digits), `identifier` (the data identifier
    as printed), `length` of the data content (None: it carries its own length, read by the
    reader), and `content`, the data content's pattern (for a variable structure: its header)."""

    number: str
    name: str
    identifier: str
    length: int | None
    content: re.Pattern[str]
    section: str

    @property
    def label(self) -> str:
        """How a message names it: 'Blood Groups [ABO and RhD] (data structure 002, "=%")'."""
        return f"{self.name} (ISBT 128 data structure {self.number}, '{self.identifier}')"


def _spec(number: str, name: str, identifier: str, length: int | None, content: str,
          section: str) -> StructureSpec:
    return StructureSpec(number, name, identifier, length, re.compile(content), section)


def _date(prefix: str = "") -> str:
    # cyyjjj (§2.4.4–2.4.9): century, year, day of the year; hhmm with a time.
    return rf"(?P<c>[0-9])(?P<yy>[0-9]{{2}})(?P<jjj>[0-9]{{3}}){prefix}"


_TIME = r"(?P<hh>[0-9]{2})(?P<mm>[0-9]{2})"

# The DIN (DS 001) is read apart: its second identifier character is its first data character.
DIN = _spec("001", "Donation Identification Number", "=", 15,
            rf"(?P<din>{DIN13})(?P<flags>{DIN_FLAGS})", "2.4.1")

STRUCTURES: tuple[StructureSpec, ...] = (
    # §2.4.2 =%ggre: gg {A–Z, a–z, 0–9}, r and e {A–Z, 0–9}.
    _spec("002", "Blood Groups [ABO and RhD]", "=%", 4, r"[A-Za-z0-9]{2}[A-Z0-9]{2}", "2.4.2"),
    # §2.4.3 =<αooootds: α {A–Z}, oooo {A–Z, 0–9}, t {A–Z, a–z, 0–9}, d {A–Z, 0–9},
    # s {a–z, 0–9}. For α A–D (national or local codes) tds is defined with the code, so any
    # alphanumeric is read.
    _spec("003", "Product Code", "=<", 8,
          r"(?P<code>[A-Z][A-Z0-9]{4}(?:[A-Za-z0-9][A-Z0-9][a-z0-9]|(?<=[A-D][A-Z0-9]{4})"
          r"[A-Za-z0-9]{3}))", "2.4.3"),
    _spec("004", "Expiration Date", "=>", 6, _date(), "2.4.4"),
    _spec("005", "Expiration Date and Time", "&>", 10, _date(_TIME), "2.4.5"),
    _spec("006", "Collection Date", "=*", 6, _date(), "2.4.6"),
    _spec("007", "Collection Date and Time", "&*", 10, _date(_TIME), "2.4.7"),
    _spec("008", "Production Date", "=}", 6, _date(), "2.4.8"),
    _spec("009", "Production Date and Time", "&}", 10, _date(_TIME), "2.4.9"),
    # §2.4.10 &(zzzzz {A–Z, 0–9}: a code of ICCBBA's Special Testing database.
    _spec("010", "Special Testing: General", "&(", 5, _UPPER_ALNUM + "{5}", "2.4.10"),
    # §2.4.11–2.4.16: special testing, eighteen digits each.
    *(_spec(number, f"Special Testing: {name}", identifier, 18, _DIGITS + "{18}",
            f"2.4.{int(number)}") for number, name, identifier in (
        ("011", "Red Blood Cell Antigens (retired)", "={"),
        ("012", "Red Blood Cell Antigens—General", "=\\"),
        ("013", "Red Blood Cell Antigens—Finnish", "&\\"),
        ("014", "Platelet HLA and Platelet Specific Antigens", "&{"),
        ("015", "HLA-A and -B Alleles (retired)", "=["),
        ("016", "HLA-DRB1 Alleles (retired)", '="'))),
    # §2.4.17 =)bqqwwwwwww: b {A–Z, a–z, 0–9}, qq {A–Z, 0–9}, w {A–Z, a–z, 0–9}.
    _spec("017", "Container Manufacturer and Catalog Number", "=)", 10,
          r"[A-Za-z0-9][A-Z0-9]{2}[A-Za-z0-9]{7}", "2.4.17"),
    _spec("018", "Container Lot Number", "&)", 10, _ANY_ALNUM + "{10}", "2.4.18"),
    # §2.4.19 =;αppppvvvvvvvvvvvvvvvv: FIN, 16 digits.
    _spec("019", "Donor Identification Number", "=;", 21, FIN + r"[0-9]{16}", "2.4.19"),
    # §2.4.20 ='αppppuuuuuu: FIN, uuuuuu {A–Z, 0–9}.
    _spec("020", "Staff Member Identification Number", "='", 11, FIN + r"[A-Z0-9]{6}",
          "2.4.20"),
    _spec("021", "Manufacturer and Catalog Number: Items Other Than Containers", "=-", 10,
          r"[A-Z0-9]{2}[A-Za-z0-9]{8}", "2.4.21"),
    _spec("022", "Lot Number: Items Other Than Containers", "&-", 10, _ANY_ALNUM + "{10}",
          "2.4.22"),
    # §2.4.24 =#aayyyymmdd: every character numeric, the location code aa included.
    _spec("024", "Patient Date of Birth", "=#", 10,
          r"(?P<loc>[0-9]{2})(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})", "2.4.24"),
    # §2.4.25 &#aallxx…xx: aa, ll numeric; ll characters {A–Z, a–z, 0–9} follow.
    _spec("025", "Patient Identification Number", "&#", None,
          r"(?P<loc>[0-9]{2})(?P<len>[0-9]{2})", "2.4.25"),
    # §2.4.26 =]yyyymm: for supplies, "shall not be used for MPHO products"; read, not used.
    _spec("026", "Expiration Month and Year", "=]", 6, r"[0-9]{4}(?:0[1-9]|1[0-2])", "2.4.26"),
    _spec("027", "Transfusion Transmitted Infection Marker", '&"', 18, _DIGITS + "{18}",
          "2.4.27"),
    # §2.4.28 =$αppppyynnnnnccdd: FIN, year, serial, container cc of dd.
    _spec("028", "Product Consignment", "=$",
          16, rf"(?P<consignment>{FIN}[0-9]{{2}}[0-9]{{5}}[0-9]{{2}}[0-9]{{2}})", "2.4.28"),
    # §2.4.29 &$nn then nn segments aabbbbcccccdee (14 digits each).
    _spec("029", "Dimensions", "&$", None, r"(?P<count>[0-9]{2})", "2.4.29"),
    # §2.4.30 &%nnn then nnn segments pppppprrss (10 digits each).
    _spec("030", "Red Cell Antigens with Test History", "&%", None, r"(?P<count>[0-9]{3})",
          "2.4.30"),
    # §2.4.31 =(ZUTTYYYYMMDDhhmm, all numeric.
    _spec("031", "Flexible Date and Time", "=(", 16,
          r"[0-9]{4}(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})" + _TIME, "2.4.31"),
    _spec("032", "Product Divisions", "=,", 6, _UPPER_ALNUM + "{6}", "2.4.32"),
    # §2.4.33 &+nnnnnpppppp: FIN(P) {A–N, P–Z, 0–9}, FPC {A–Z, 0–9}.
    _spec("033", "Processing Facility Information Code", "&+", 11,
          r"[A-NP-Z0-9]{5}[A-Z0-9]{6}", "2.4.33"),
    # §2.4.34 =/nnnnnppppppqqqqq: FIN(P), FPC, Product Description Code.
    _spec("034", "Processor Product Identification Code", "=/", 16,
          r"[A-NP-Z0-9]{5}[A-Z0-9]{6}[A-Z0-9]{5}", "2.4.34"),
    # §2.4.35 &,1 + 18 characters {A–Z, 0–9}; "If the lot number is less than 18 characters, it
    # shall be padded with zeroes at the beginning of the string" (Table 2 shows 17 x: §2.4.35,
    # the structure's own definition, and its example 0000000000005434RZ say 18).
    _spec("035", "MPHO Lot Number", "&,1", 18, r"(?P<lot>[A-Z0-9]{18})", "2.4.35"),
    _spec("036", "MPHO Supplemental Identification Number", "&,2", 18, _UPPER_ALNUM + "{18}",
          "2.4.36"),
    _spec("037", "Global Registration Identifier for Donors (retired)", "&,3", 19,
          r"[1-9][0-9]{3}[A-Z0-9]{15}", "2.4.37"),
    _spec("038", "Single European Code", "&,4", 40, _ANY_ALNUM + "{40}", "2.4.38"),
    # §2.4.39 &:nnnnaaaaaaaaaaaaabb: ION (first digit not 0), RDI, checksum 00–36.
    _spec("039", "Global Registration Identifier for Donors", "&:", 19,
          r"[1-9][0-9]{3}[A-Z0-9]{13}(?:[0-2][0-9]|3[0-6])", "2.4.39"),
    # §2.4.40 &/CHαppppyynnnnnn: the sequence nnnnnn is {A–Z, 0–9} (letters allowed).
    _spec("040", "Chain of Identity Identifier", "&/", 15,
          rf"(?P<coi>CH{FIN}[0-9]{{2}}[A-Z0-9]{{6}})", "2.4.40"),
)

COMPOUND = _spec("023", "Compound Message", "=+", 5, r"(?P<nn>[0-9]{2})(?P<sss>[0-9]{3})",
                 "2.4.23")

BY_IDENTIFIER: dict[str, StructureSpec] = {s.identifier: s for s in STRUCTURES}

# Identifiers ST-001 reserves without defining a structure: their length is unknown here.
NATIONAL = {
    "&;": "a nationally specified Donor Identification Number (ST-001 §2.5.2)",
    "&!": "a nationally defined Confidential Unit Exclusion Status (ST-001 §2.5.3)",
}
# &a–&z (§2.5.1): "Non-ICCBBA defined data structures shall not be used in Compound Messages".
NON_ICCBBA = re.compile(r"&[a-z]")
