"""Our identifiers on the hospital's FHIR server, and the searches that find them again.

Every resource we write carries an identifier in a system of ours, `<namespace>:<kind>` (or
`<namespace>/<kind>` when the site's namespace is an https URI it owns), whose value is derived
from the procedure id (and the bag), never from a counter: the same procedure always maps to the
same identifiers, so a conditional update (`PUT Kind?identifier=system|value`) on the server
updates the one record instead of adding a second, however often a procedure is sent. Provenance
has no `identifier` element in R4, so its identifier is a `meta.tag` in the same system, searched
with `_tag`.

The patient is never created by us: it is looked up on the server by the hospital's MRN system
(`Patient?identifier=<mrn system>|<MRN>`) before anything is written, and referenced by its id.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

OUR_PREFIX = "urn:kresladi-bedside"
DEFAULT_MRN_SYSTEM = f"{OUR_PREFIX}:mrn"


@dataclass(frozen=True)
class Namespace:
    """The site's identifier namespace (`sync.identifier_namespace`)."""

    base: str = OUR_PREFIX

    def system(self, kind: str) -> str:
        sep = "/" if self.base.startswith(("https://", "http://")) else ":"
        return f"{self.base.rstrip('/:')}{sep}{kind}"

    def procedure(self, procedure: str) -> OurId:
        return OurId(self.system("procedure"), procedure)

    def administration(self, procedure: str, bag: int) -> OurId:
        return OurId(self.system("medication-administration"), f"{procedure}-bag-{bag}")

    def flush(self, procedure: str, bag: int) -> OurId:
        """One record per bag's flush: a correction updates it (the server keeps the history)."""
        return OurId(self.system("flush"), f"{procedure}-flush-{bag}")

    def provenance(self, procedure: str) -> OurId:
        return OurId(self.system("provenance"), procedure, tag=True)

    @property
    def patient_id_system(self) -> str:
        """The ISBT 128 patient identification number (`&#`, assigned by the collection
        facility): no public system exists for it, so it lives in ours."""
        return self.system("isbt128-patient-id")

    @property
    def extension_prefix(self) -> str:
        return self.system("extension")


DEFAULT = Namespace()
PROCEDURE_SYSTEM = DEFAULT.system("procedure")
ADMINISTRATION_SYSTEM = DEFAULT.system("medication-administration")
FLUSH_SYSTEM = DEFAULT.system("flush")
PROVENANCE_SYSTEM = DEFAULT.system("provenance")
# The ISBT 128 Donation Identification Number under ICCBBA's system, the one FHIR names for it
# (R4 `device-din`: "If the content is from an ICCBBA-encoded UDI, the URI to use for the system
# is http://hl7.org/fhir/NamingSystem/iccbba-din"). ONE system on every resource that carries a
# DIN (product, administrations, tags), so a search by DIN finds all of them: not configurable.
DIN_SYSTEM = "http://hl7.org/fhir/NamingSystem/iccbba-din"
COI_SYSTEM = f"{OUR_PREFIX}:chain-of-identity"
ORDER_SYSTEM = f"{OUR_PREFIX}:order"


@dataclass(frozen=True)
class OurId:
    system: str
    value: str
    tag: bool = False  # carried as meta.tag (Provenance), searched with _tag

    @cached_property  # asked for several times per entry: a uuid5 each time otherwise
    def full_url(self) -> str:
        """A stable `urn:uuid:` for the Bundle entry, so references inside the Bundle resolve and
        two deliveries of the same procedure are identical."""
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{self.system}|{self.value}')}"

    def search(self) -> str:
        """`identifier=system|value` (or `_tag=…`), escaped for a URL query."""
        return f"{'_tag' if self.tag else 'identifier'}={token(self.system, self.value)}"


def token(system: str, value: str) -> str:
    """A FHIR token search value, escaped for a URL query (`|` kept as the separator)."""
    return f"{quote(system, safe=':/')}|{quote(value, safe='')}"


def patient_search(mrn_system: str, mrn: str) -> str:
    return f"Patient?identifier={token(mrn_system, mrn)}"


@dataclass(frozen=True)
class SiteIds:
    """The site's identifier systems and staff mapping (from `[sync]` of the site file)."""

    namespace: Namespace = DEFAULT
    mrn_system: str = DEFAULT_MRN_SYSTEM
    coi_system: str = COI_SYSTEM
    order_system: str = ORDER_SYSTEM
    practitioners: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # user → (family, given names) as the hospital's records hold them (`users set-name`)
    practitioner_names: Mapping[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    site_name: str | None = None
    organization: tuple[str, str] | None = None  # the hospital's Organization (system, value)
    location: tuple[str, str] | None = None  # the site's Location on the server (system, value)

    @property
    def din_system(self) -> str:
        """ICCBBA's, the one DIN system (not a site setting: one system finds every record)."""
        return DIN_SYSTEM

    def site_reference(self, kind: str) -> dict[str, str] | None:
        """A conditional reference to the hospital's own Organization / Location (they exist on
        the server: never created by a bedside workstation), else the site's name alone."""
        ident = self.organization if kind == "Organization" else self.location
        if ident is None:
            return {"display": self.site_name} if self.site_name else None
        out = {"reference": f"{kind}?identifier={token(*ident)}"}
        if self.site_name:
            out["display"] = self.site_name
        return out
