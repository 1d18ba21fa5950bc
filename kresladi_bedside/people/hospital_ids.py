"""A user as the hospital knows them: the identifier the EHR uses for the person (the NPI where
they have one, else the EHR's own staff id), set by an administrator (`users set-id`).

Kept in the people log only (event `hospital_id_set`: who set it, for which user, system and
value; an empty value clears it), and read back as the latest event per user: no table to keep in
step with the log. Sync references the person's Practitioner by it (sync/staff.py)."""

from __future__ import annotations

import json
import re

from ..store import Store
from .audit import PEOPLE_LOG
from .errors import InvalidUserData

EVENT = "hospital_id_set"
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
MAX_CHARS = 200
_URI = re.compile(r"(urn:[a-z0-9][a-z0-9-]*:|https?://)\S+", re.IGNORECASE)


def check(system: str, value: str) -> tuple[str, str]:
    """A system URI and a value; an NPI is 10 digits with its Luhn check digit (prefix 80840,
    as CMS defines it), so a typo is caught here, not by the EHR."""
    system, value = system.strip(), value.strip()
    if not _URI.fullmatch(system) or len(system) > MAX_CHARS:
        raise InvalidUserData(f"The identifier system must be a URI (e.g. {NPI_SYSTEM}), got "
                              f"{system!r}.", code="hospital_id")
    if not value or len(value) > MAX_CHARS or not value.isprintable():
        raise InvalidUserData("The hospital identifier is printable text of at most "
                              f"{MAX_CHARS} characters.", code="hospital_id")
    if system == NPI_SYSTEM and not npi_valid(value):
        raise InvalidUserData(f"{value!r} is not an NPI (10 digits, the last a check digit).",
                              code="hospital_id")
    return system, value


def npi_valid(npi: str) -> bool:
    if not re.fullmatch(r"[0-9]{10}", npi):
        return False
    digits = [int(c) for c in "80840" + npi]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def hospital_ids(store: Store) -> dict[str, tuple[str, str]]:
    """User id → (system, value), the latest setting per user (cleared ones left out)."""
    out: dict[str, tuple[str, str]] = {}
    rows = store.conn.execute("SELECT data FROM events WHERE procedure_id = ? AND type = ? "
                              "ORDER BY pos", (PEOPLE_LOG, EVENT))
    for (data,) in rows:
        d = json.loads(data)
        if d.get("value"):
            out[str(d["user_id"])] = (str(d["system"]), str(d["value"]))
        else:
            out.pop(str(d.get("user_id")), None)
    return out
