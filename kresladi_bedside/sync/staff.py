"""People as the hospital knows them: a workstation user mapped (by the site) to an identifier the
EHR uses, the NPI where there is one, and the Practitioner written for them when the server has
none with that identifier (a conditional create: the EHR's own record is kept as it is).

That Practitioner claims US Core Practitioner (which requires `name.family`) when the
administrator set the person's family name (`users set-name`). Without one it is still written,
named as signed and claiming no profile: the infusion record must reach the EHR whatever the
staff directory lacks, the EHR's own Practitioner (matched by NPI) is kept unchanged, and the pass
report says whose name is missing (`without_family_name`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .narrative import narrative

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
US_CORE_PRACTITIONER = ("http://hl7.org/fhir/us/core/StructureDefinition/"
                        "us-core-practitioner")


def hospital_id(practitioners: Mapping[str, tuple[str, str]],
                user: str) -> tuple[str, str] | None:
    """The user's hospital identifier (system, value), or None: a user the site has not mapped
    has none, and our internal user id is never sent as if it were one. A mapping is sent as the
    site wrote it (an empty value fails validation and is parked with the validator's words)."""
    return practitioners.get(user)


def practitioner(name: str, ident: tuple[str, str],
                 official: tuple[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """The Practitioner created only when the server has none with this identifier, readable in
    any viewer: with `official` (family, given names) its name is the hospital's and it claims
    US Core; without, the name as signed (text only) and no profile."""
    kind = "NPI" if ident[0] == NPI_SYSTEM else "hospital identifier"
    out: dict[str, Any] = {}
    if official is not None:
        family, given = official
        out["meta"] = {"profile": [US_CORE_PRACTITIONER]}
        human: dict[str, Any] = {"use": "official", "text": name, "family": family}
        if given:
            human["given"] = list(given)
        out["name"] = [human]
    else:
        out["name"] = [{"text": name}]
    lines = [f"{name} ({kind} {ident[1]}), as signed at the bedside."]
    if official is not None:
        lines.append(f"Official name: {' '.join((*official[1], official[0]))}.")
    return {"active": True, **out, "text": narrative(lines)}


def without_family_name(resources: Iterable[Mapping[str, Any]]) -> list[str]:
    """A note per Practitioner among `resources` written without a family name (so without US
    Core), naming the person and their identifier, for the pass report."""
    out = []
    for r in resources:
        if r.get("resourceType") != "Practitioner" or (r.get("meta") or {}).get("profile"):
            continue
        name = ((r.get("name") or [{}])[0]).get("text") or "a person"
        ident = (r.get("identifier") or [{}])[0]
        out.append(f"Practitioner {ident.get('system')}|{ident.get('value')} ({name}): written "
                   "without US Core Practitioner, no family name on record "
                   "(kresladi-bedside users set-name)")
    return out
