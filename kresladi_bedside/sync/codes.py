"""How the product and the procedure are coded on the hospital's server: the `[fhir]` table of the
product profile (data, not code). An empty code slot means "send the text only": codes come from
the source the profile names, never from this program."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..profile import Profile, ProfileError

NDC_SYSTEM = "http://hl7.org/fhir/sid/ndc"
RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"
# ICCBBA's URI for ISBT 128 Product Description Codes (HL7 Terminology's NamingSystem
# ISBT128ProductDescriptionCodes; OID 2.16.840.1.113883.6.18.2.6): the first five characters of
# the label's product code (data structure 003 `=<αooootds`: `αoooo` is the PDC, `t` the
# collection type, `ds` the division), e.g. `S5001` of `S5001A00`.
ISBT128_PDC_SYSTEM = "https://www.isbt128.org/uri/productdescriptioncode"
FLUSH_TEXT = "Sodium chloride 0.9% (normal saline)"
_PRODUCT_CODE = re.compile(r"[A-Z][0-9]{4}[0-9A-Z]{3}")


def isbt128_codings(product_codes: Iterable[str]) -> list[dict[str, str]]:
    """The ISBT 128 product description code of each label's product code (as read from the
    label, never guessed), once each; a malformed code is left out."""
    out: dict[str, dict[str, str]] = {}
    for code in product_codes:
        if _PRODUCT_CODE.fullmatch(code or ""):
            out.setdefault(code[:5], {"system": ISBT128_PDC_SYSTEM, "code": code[:5],
                                      "display": f"ISBT 128 product code {code}"})
    return list(out.values())


@dataclass(frozen=True)
class Coding:
    system: str
    code: str
    display: str | None = None

    def to_fhir(self) -> dict[str, str]:
        out = {"system": self.system, "code": self.code}
        if self.display:
            out["display"] = self.display
        return out


@dataclass(frozen=True)
class ProductCodes:
    medication_text: str
    medication_codings: tuple[Coding, ...]
    procedure_text: str
    procedure_codings: tuple[Coding, ...]
    flush_text: str = FLUSH_TEXT
    flush_codings: tuple[Coding, ...] = ()

    def medication_concept(self, product_codes: Iterable[str] = ()) -> dict[str, Any]:
        """KRESLADI: the profile's codes (NDC / RxNorm when filled) and the ISBT 128 product
        description code of the labels read (the server's own RxNorm: formulary.py)."""
        concept: dict[str, Any] = {"text": self.medication_text}
        coding = [c.to_fhir() for c in self.medication_codings] + isbt128_codings(product_codes)
        if coding:
            concept["coding"] = coding
        return concept

    def flush_concept(self) -> dict[str, Any]:
        concept: dict[str, Any] = {"text": self.flush_text}
        if self.flush_codings:
            concept["coding"] = [c.to_fhir() for c in self.flush_codings]
        return concept

    def procedure_concept(self) -> dict[str, Any]:
        concept: dict[str, Any] = {"text": self.procedure_text}
        if self.procedure_codings:
            concept["coding"] = [c.to_fhir() for c in self.procedure_codings]
        return concept


def product_codes(profile: Profile) -> ProductCodes:
    """The profile's `[fhir]` table, as `load_profile` read it with the rest of the profile."""
    where = f"{profile.path}: [fhir]"
    table = profile.fhir
    default_text = f"{profile.name} ({profile.generic_name})"
    if table is None:
        return ProductCodes(default_text, (), f"{default_text} infusion", ())

    def text(key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise ProfileError(f"{where}.{key} must be text, got {value!r}")
        return value.strip()

    medication = []
    for key, system in (("ndc", NDC_SYSTEM), ("rxnorm", RXNORM_SYSTEM)):
        code = text(key, "")
        if code:
            medication.append(Coding(system, code))

    def codings(key: str) -> tuple[Coding, ...]:
        out = []
        for i, item in enumerate(table.get(key) or ()):
            if not isinstance(item, dict) or not all(
                    isinstance(item.get(k), str) and item[k].strip() for k in ("system", "code")):
                raise ProfileError(f"{where}.{key}[{i}] needs text 'system' and 'code'")
            out.append(Coding(item["system"], item["code"], item.get("display")))
        return tuple(out)

    return ProductCodes(text("medication_text", default_text) or default_text,
                        tuple(medication),
                        text("procedure_text", f"{default_text} infusion"),
                        codings("procedure_codes"),
                        text("flush_text", FLUSH_TEXT) or FLUSH_TEXT, codings("flush_codes"))
