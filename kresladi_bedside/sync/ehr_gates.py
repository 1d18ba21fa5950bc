"""The gates' values read from the hospital's EHR instead of copied from the chart by hand: when
myeloablative conditioning began and ended, and the back-up CD34+ collection (cells/kg and when
it was confirmed available). The EHR is an independent source (the hospital's own record, never
our labels or our own writes); the engine judges what is read here by exactly the rules it
judges typed values by (§2.2: 24–48 h, the back-up minimum, the conditioning order).

Only where the site names the codes its EHR uses (`[sync] conditioning_code`,
`backup_collection_code`, each 'system|code': the program invents no clinical code):
1. the Patient by MRN (`ehr.find_patient`: exactly one);
2. `Procedure?subject=Patient/<id>&code=<system>|<code>`: the conditioning, its
   `performedPeriod.start` (began) and `.end` (ended: the last dose);
3. `Observation?subject=Patient/<id>&code=<system>|<code>`: the back-up collection, its
   `valueQuantity` (CD34+ cells per kg, UCUM `10*6/kg` or `/kg`) and `effectiveDateTime`.

Exactly one usable record of each kind, or that kind is not used and the nurse types it as
before, told why in words ("The EHR has 2 conditioning records for this patient: type …").
Records `entered-in-error` (and a Procedure `not-done`, an Observation `cancelled`) are not
candidates; a candidate that is not finished, lacks an instant, has no time of day or UTC
offset, or has other units is named and not used. Qt-free: the gates page calls `read` off its
thread, within the site's `gates_read_timeout_seconds`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from .ehr import EhrClient, EhrError, find_patient
from .identifiers import token

# UCUM units a back-up count may be given in, and the factor to cells/kg
CELLS_PER_KG_UNITS: Mapping[str, float] = {"10*6/kg": 1e6, "10*6{cells}/kg": 1e6,
                                           "/kg": 1.0, "{cells}/kg": 1.0}
UCUM = "http://unitsofmeasure.org"
NOT_CANDIDATES = frozenset({"entered-in-error", "not-done", "cancelled"})
UNREADABLE = "type the values from the chart"


@dataclass(frozen=True)
class GateCodes:
    """The hospital's codes, 'system|code' each (None: that value is typed)."""

    conditioning: str | None = None
    backup: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.conditioning or self.backup)


@dataclass(frozen=True)
class EhrSource:
    """Which record of the hospital's a value came from (the events keep it)."""

    resource: str  # "Procedure/<id>" or "Observation/<id>"
    version: str | None  # meta.versionId as read
    server: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "ehr", "resource": self.resource, "version": self.version,
                "server": self.server}

    def words(self) -> str:
        return f"from the EHR: {self.resource}"


@dataclass(frozen=True)
class Conditioning:
    began: datetime
    ended: datetime
    source: EhrSource


@dataclass(frozen=True)
class Backup:
    cd34_per_kg: float  # cells per kg
    confirmed_at: datetime
    source: EhrSource


@dataclass(frozen=True)
class GateValues:
    """What the EHR gave (None: that kind is typed) and why each kind not given is not."""

    conditioning: Conditioning | None = None
    backup: Backup | None = None
    problems: tuple[str, ...] = ()


def read_gate_values(client: EhrClient, mrn_system: str, mrn: str,
                     codes: GateCodes) -> GateValues:
    """The gates' values for the patient with this MRN, as `GateValues` (never raises for what
    the EHR answered or failed to answer: each failure is a problem in words)."""
    try:
        patient = find_patient(client, mrn_system, mrn)
    except EhrError as exc:
        return GateValues(problems=(f"{_sentence(exc)}: {UNREADABLE}.",))
    subject = quote(patient.reference or "", safe="/")
    conditioning: Conditioning | None = None
    backup: Backup | None = None
    problems: list[str] = []
    for code, kind, judge in (
            (codes.conditioning, "Procedure", conditioning_of),
            (codes.backup, "Observation", backup_of)):
        if not code:
            continue
        system, _, value = code.partition("|")
        try:
            found = client.search_entries(
                f"{kind}?subject={subject}&code={token(system, value)}&_count=20", kind)
        except EhrError as exc:
            problems.append(f"{_sentence(exc)}: {UNREADABLE}.")
            continue
        got, problem = judge(found, client.base_url)
        if problem:
            problems.append(problem)
        if isinstance(got, Conditioning):
            conditioning = got
        elif isinstance(got, Backup):
            backup = got
    return GateValues(conditioning, backup, tuple(problems))


def conditioning_of(resources: Sequence[Mapping[str, Any]], server: str
                    ) -> tuple[Conditioning | None, str | None]:
    """The one usable conditioning Procedure, or why there is none to use."""
    one, problem = _the_one(resources, "conditioning record", "the instants")
    if one is None:
        return None, problem
    ref = _ref(one)
    if one.get("status") != "completed":
        return None, (f"The EHR's conditioning record ({ref}) is {one.get('status')!r}, not "
                      f"completed: type the instants from the chart.")
    period = one.get("performedPeriod")
    if not isinstance(period, Mapping):
        return None, (f"The EHR's conditioning record ({ref}) has no performed period: type "
                      "the instants from the chart.")
    began, why_began = _instant(period.get("start"))
    ended, why_ended = _instant(period.get("end"))
    if ended is None:
        return None, (f"The EHR's conditioning record ({ref}) has {why_ended} for its end: "
                      "type the instants from the chart.")
    if began is None:
        return None, (f"The EHR's conditioning record ({ref}) has {why_began} for its start: "
                      "type the instants from the chart.")
    return Conditioning(began, ended, _source(one, server)), None


def backup_of(resources: Sequence[Mapping[str, Any]], server: str
              ) -> tuple[Backup | None, str | None]:
    """The one usable back-up collection Observation, or why there is none to use."""
    one, problem = _the_one(resources, "back-up collection record", "the count and its instant")
    if one is None:
        return None, problem
    ref = _ref(one)
    then = "type the count and its instant from the chart."
    if one.get("status") not in ("final", "amended", "corrected"):
        return None, f"The EHR's back-up collection ({ref}) is {one.get('status')!r}, not " \
                     f"final: {then}"
    quantity = one.get("valueQuantity")
    if not isinstance(quantity, Mapping) or isinstance(quantity.get("value"), bool) or \
            not isinstance(quantity.get("value"), int | float):
        return None, f"The EHR's back-up collection ({ref}) has no CD34+ count: {then}"
    unit = quantity.get("code")
    factor = CELLS_PER_KG_UNITS.get(str(unit)) if quantity.get("system") == UCUM else None
    if factor is None:
        shown = quantity.get("unit") or unit or "no unit"
        return None, (f"The EHR's back-up collection ({ref}) is in {shown!s}, not CD34+ cells "
                      f"per kg (UCUM 10*6/kg): {then}")
    confirmed, why = _instant(one.get("effectiveDateTime"))
    if confirmed is None:
        return None, f"The EHR's back-up collection ({ref}) has {why} for when: {then}"
    return Backup(float(quantity["value"]) * factor, confirmed, _source(one, server)), None


def _the_one(resources: Sequence[Mapping[str, Any]], what: str, values: str
             ) -> tuple[Mapping[str, Any] | None, str | None]:
    candidates = [r for r in resources if r.get("status") not in NOT_CANDIDATES]
    if not candidates:
        return None, f"The EHR has no {what} for this patient: type {values} from the chart."
    if len(candidates) > 1:
        refs = ", ".join(_ref(r) for r in candidates)
        return None, (f"The EHR has {_count(len(candidates))} {what}s for this patient "
                      f"({refs}): type {values} from the chart.")
    return candidates[0], None


def _instant(value: Any) -> tuple[datetime | None, str]:
    """A FHIR dateTime with its time of day and UTC offset, or why not, in words."""
    if not isinstance(value, str) or not value:
        return None, "no date and time"
    if "T" not in value:
        return None, f"a date without a time ({value})"
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None, f"an unreadable date and time ({value!r})"
    if at.tzinfo is None:
        return None, f"a time without its UTC offset ({value})"
    return at, ""


def _source(resource: Mapping[str, Any], server: str) -> EhrSource:
    meta = resource.get("meta")
    version = meta.get("versionId") if isinstance(meta, Mapping) else None
    return EhrSource(_ref(resource), None if version is None else str(version), server)


def _ref(resource: Mapping[str, Any]) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"


def _count(n: int) -> str:
    return {2: "two", 3: "three"}.get(n, str(n))


def _sentence(exc: EhrError) -> str:
    text = str(exc).rstrip(".")
    if exc.status in (401, 403):  # the token refused (a 407 is the proxy's, not the EHR's)
        text = f"The EHR refused this workstation's token ({text})"
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class GateReader:
    """The read the gates page starts (off its thread): a fresh client each time (its own
    connection, the site's TLS, token and deadline)."""

    client: Callable[[], EhrClient]
    mrn_system: str
    codes: GateCodes
    timeout_s: float = 10.0

    def read(self, mrn: str) -> GateValues:
        try:
            client = self.client()
        except ValueError as exc:  # the address or TLS settings cannot be used
            return GateValues(problems=(f"The EHR cannot be reached: {exc}: {UNREADABLE}.",))
        try:
            return read_gate_values(client, self.mrn_system, mrn, self.codes)
        finally:
            client.close()


def reader_for(site: Any) -> GateReader | None:
    """The site's reader, or None: no codes named, no EHR configured, or a training
    workstation (which never talks to the hospital): the values are typed."""
    from .deliver import SyncNotConfigured, SyncSettings

    codes = GateCodes(site.sync.conditioning_code, site.sync.backup_collection_code)
    if not codes.configured:
        return None
    try:
        settings = SyncSettings.from_config(site)
    except SyncNotConfigured:
        return None
    timeout = float(site.sync.gates_read_timeout_seconds)

    def client() -> EhrClient:
        made = EhrClient(settings.base_url, token=settings.token, timeout_s=timeout,
                         verify_tls=settings.verify_tls, ca_bundle=settings.ca_bundle,
                         deadline_s=timeout, max_response_bytes=settings.max_response_bytes,
                         tokens=settings.tokens)
        made.site = settings.ids
        return made

    return GateReader(client, settings.mrn_system, codes, timeout)
