"""How the product and the procedure are coded on the hospital's server: the `[fhir]` table of the
product profile (data, not code). An empty code slot means "send the text only": codes come from
the source the profile names, never from this program."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..profile import Profile, ProfileError

NDC_SYSTEM = "http://hl7.org/fhir/sid/ndc"
RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"


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

    def medication_concept(self) -> dict[str, Any]:
        concept: dict[str, Any] = {"text": self.medication_text}
        if self.medication_codings:
            concept["coding"] = [c.to_fhir() for c in self.medication_codings]
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
    procedure = []
    for i, item in enumerate(table.get("procedure_codes") or ()):
        if not isinstance(item, dict) or not all(
                isinstance(item.get(k), str) and item[k].strip() for k in ("system", "code")):
            raise ProfileError(f"{where}.procedure_codes[{i}] needs text 'system' and 'code'")
        procedure.append(Coding(item["system"], item["code"], item.get("display")))
    return ProductCodes(text("medication_text", default_text) or default_text,
                        tuple(medication),
                        text("procedure_text", f"{default_text} infusion"), tuple(procedure))
