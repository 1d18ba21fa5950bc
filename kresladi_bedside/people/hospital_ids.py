"""A user as the hospital knows them: the identifier the EHR uses for the person (the NPI where
they have one, else the EHR's own staff id), set by an administrator (`users set-id`).

Kept in the people log only (event `hospital_id_set`: who set it, for which user, system and
value; an empty value clears it), and read back as the latest event per user: no table to keep in
step with the log. Sync references the person's Practitioner by it (sync/staff.py).

The person's name as the hospital's records hold it (`users set-name`, event
`hospital_name_set`: family name and given names, an empty family name clears it) is kept the
same way. The name a user signs with is one printed string, and a family name is never guessed
from it (is "Ana María de la Cruz" family "de la Cruz" or "Cruz"?): the Practitioner we write
claims US Core (which requires `name.family`) only for a person whose family name the
administrator set."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ..store import Store
from .audit import PEOPLE_LOG
from .errors import InvalidUserData

EVENT = "hospital_id_set"
NAME_EVENT = "hospital_name_set"
MAX_GIVEN = 5
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


def check_name(family: str, given: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """A family name and the given names (first, then middle), each printable text."""
    family = " ".join(family.split())
    names = tuple(" ".join(g.split()) for g in given if g.strip())
    if not family:
        raise InvalidUserData("The family name is empty.", code="hospital_name")
    if len(names) > MAX_GIVEN:
        raise InvalidUserData(f"At most {MAX_GIVEN} given names, got {len(names)}.",
                              code="hospital_name")
    for part in (family, *names):
        if len(part) > MAX_CHARS or not part.isprintable():
            raise InvalidUserData("Each name is printable text of at most "
                                  f"{MAX_CHARS} characters, got {part!r}.", code="hospital_name")
    return family, names


def hospital_names(store: Store) -> dict[str, tuple[str, tuple[str, ...]]]:
    """User id → (family, given names), the latest setting per user (cleared ones left out)."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    rows = store.conn.execute("SELECT data FROM events WHERE procedure_id = ? AND type = ? "
                              "ORDER BY pos", (PEOPLE_LOG, NAME_EVENT))
    for (data,) in rows:
        d = json.loads(data)
        if d.get("family"):
            out[str(d["user_id"])] = (str(d["family"]),
                                      tuple(str(g) for g in d.get("given") or ()))
        else:
            out.pop(str(d.get("user_id")), None)
    return out
