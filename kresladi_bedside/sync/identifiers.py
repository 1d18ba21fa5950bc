"""Our identifiers on the hospital's FHIR server, and the search strings that find them again.

Every resource we send carries an identifier in a system of ours, `urn:kresladi-bedside:<kind>`,
whose value is derived from the procedure id (and the bag or event), never from a counter: the same
procedure always maps to the same identifiers, which is what lets `ifNoneExist` make a repeat
delivery create nothing new. Provenance has no `identifier` element in R4, so its identifier is
carried as a `meta.tag` in the same system and searched with `_tag`.

The patient is referenced, not sent: `Patient?identifier=<mrn system>|<MRN>` (a conditional
reference the server resolves to the patient it already holds). The MRN system is the hospital's;
`DEFAULT_MRN_SYSTEM` is a placeholder every site must replace with its own (IT knows it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import quote

OUR_PREFIX = "urn:kresladi-bedside"
DEFAULT_MRN_SYSTEM = f"{OUR_PREFIX}:mrn"

PROCEDURE_SYSTEM = f"{OUR_PREFIX}:procedure"
ADMINISTRATION_SYSTEM = f"{OUR_PREFIX}:medication-administration"
FLUSH_SYSTEM = f"{OUR_PREFIX}:flush"
PROVENANCE_SYSTEM = f"{OUR_PREFIX}:provenance"
BUNDLE_SYSTEM = f"{OUR_PREFIX}:bundle"
USER_SYSTEM = f"{OUR_PREFIX}:user"
DIN_SYSTEM = f"{OUR_PREFIX}:isbt128-din"
EXTENSION_PREFIX = f"{OUR_PREFIX}:extension"


@dataclass(frozen=True)
class OurId:
    system: str
    value: str

    @property
    def full_url(self) -> str:
        """A stable `urn:uuid:` for the Bundle entry, so references inside the Bundle resolve and
        two deliveries of the same procedure are identical."""
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{self.system}|{self.value}')}"

    def search(self, param: str = "identifier") -> str:
        """The `ifNoneExist` query (`identifier=system|value`, or `_tag=…` for Provenance)."""
        return f"{param}={token(self.system, self.value)}"


def token(system: str, value: str) -> str:
    """A FHIR token search value, escaped for a URL query (`|` kept as the separator)."""
    return f"{quote(system, safe=':/')}|{quote(value, safe='')}"


def patient_reference(mrn_system: str, mrn: str) -> str:
    return f"Patient?identifier={token(mrn_system, mrn)}"


def procedure_id(procedure: str) -> OurId:
    return OurId(PROCEDURE_SYSTEM, procedure)


def administration_id(procedure: str, bag: int) -> OurId:
    return OurId(ADMINISTRATION_SYSTEM, f"{procedure}-bag-{bag}")


def flush_id(procedure: str, bag: int, correction: str | None = None) -> OurId:
    """A corrected flush volume is a new administration record (named by the correction event):
    `ifNoneExist` never updates what the server already holds."""
    suffix = f"-corrected-{correction}" if correction else ""
    return OurId(FLUSH_SYSTEM, f"{procedure}-flush-{bag}{suffix}")


def provenance_id(procedure: str, event_id: str) -> OurId:
    return OurId(PROVENANCE_SYSTEM, f"{procedure}-event-{event_id}")
