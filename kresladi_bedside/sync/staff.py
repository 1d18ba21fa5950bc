"""People as the hospital knows them: a workstation user mapped (by the site) to an identifier the
EHR uses, the NPI where there is one, and the Practitioner written for them when the server has
none with that identifier (a conditional create: the EHR's own record is kept as it is)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .narrative import narrative

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"


def hospital_id(practitioners: Mapping[str, tuple[str, str]],
                user: str) -> tuple[str, str] | None:
    """The user's hospital identifier (system, value), or None: a user the site has not mapped
    has none, and our internal user id is never sent as if it were one. A mapping is sent as the
    site wrote it (an empty value fails validation and is parked with the validator's words)."""
    return practitioners.get(user)


def practitioner(name: str, ident: tuple[str, str]) -> dict[str, Any]:
    """The Practitioner created only when the server has none with this identifier: the name as
    signed, readable in any viewer."""
    kind = "NPI" if ident[0] == NPI_SYSTEM else "hospital identifier"
    return {"active": True, "name": [{"text": name}],
            "text": narrative([f"{name} ({kind} {ident[1]}), as signed at the bedside."])}
