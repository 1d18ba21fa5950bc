"""One finished procedure → the FHIR R4 resources the hospital keeps, and the transaction Bundles
that write them (validated once with the R4B models, serialised with the standard JSON encoder).

What is written (derived values come from the engine's fold, so they match the screen and the
record); every resource has narrative text a person can read in any EHR viewer:
- Procedure: the infusion, coded (the product profile's `[fhir].procedure_codes`, e.g. CPT 38241),
  `completed` or `stopped` with the reason, performed period, outcome, dose, saline total and
  deviations as notes, performers, the site as location.
- BiologicallyDerivedProduct per bag, the product itself (the one the receipt wrote, matched by
  its DIN; created here only when the server has none, e.g. a receipt that never synced): the
  DIN under ICCBBA's system, the chain-of-identity number and the ISBT 128 patient id as
  identifiers, the ISBT 128 product description code, lot and expiry, the patient as source.
- MedicationAdministration per bag: KRESLADI coded (profile codes and the ISBT 128 product code
  of the labels read), the bag's product as `supportingInformation`, the DIN as an identifier,
  dose in CD34+ cells/kg, volume, route, thaw and thaw-to-end durations, the order as `request`
  when the order carries an id. Bags never infused are `not-done` with the reason.
- MedicationAdministration per saline flush (coded, volume in mL). A correction updates that
  record, so the server always holds the true total (its version history keeps the earlier value).
- One Provenance for the procedure carrying every signature (performer, identity witness,
  deviation author, attester), the products as its source entities, each signed act listed in its
  narrative; every agent acts on behalf of the site's Organization when the site names it.
- A Practitioner per person the hospital knows (`[[sync.practitioners]]`: NPI or the EHR's staff
  id), created only when the server has none with that identifier (conditional create): every
  performer, agent and signature of that person references it. A person without a hospital
  identifier is named (display) and never given our internal user id as if it were one.
- The site's Location and Organization are the hospital's own resources, referenced by the
  identifier the site gives (`sync.location`, `sync.organization`), never created here.
Every resource that concerns a bag carries its DIN as a `meta.tag` under ICCBBA's DIN system
(`?_type=…&_tag=<DIN system>|<DIN>` answers "what happened to bag W…" in one search: Medplum, like
R4, has no identifier search on BiologicallyDerivedProduct).
Every other entry is a conditional update on our identifier (`PUT Kind?identifier=…`): idempotent
on its own (a server processing the transaction as a batch), and within a real server's atomic
limit (one Provenance, not one per signature: 8 entries for two bags without mapped staff; more
are split into several Bundles whose references to earlier ones are conditional references).
The patient is a literal reference to the Patient found on the server by MRN before sending.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from ..clock import Instant
from ..engine.model import Event, OrderBag, Signature
from ..engine.state import BagState, DeviationRecord, State, fold
from ..profile import Profile
from .codes import isbt128_codings, product_codes
from .identifiers import (
    DEFAULT,
    DEFAULT_MRN_SYSTEM,
    DIN_SYSTEM,
    Namespace,
    OurId,
    SiteIds,
    patient_search,
)
from .narrative import narrative
from .staff import hospital_id, practitioner

FINISHING_EVENTS = frozenset({"procedure_completed", "procedure_stopped"})
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
INTRAVENOUS = {"system": SNOMED, "code": "47625008", "display": "Intravenous route"}
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
V3_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013"
EVENT_LOCATION = "http://hl7.org/fhir/StructureDefinition/event-location"
# Claimed on the Procedure, which the tests validate against it (README, "Validation").
US_CORE_PROCEDURE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-procedure"
# Where each resource names the Encounter in R4
ENCOUNTER_ELEMENT = {"Procedure": "encounter", "MedicationAdministration": "context"}
# Signature meaning → the agent's type (Provenance.agent.type, value set ProvenanceAgentType =
# provenance-participant-type), its role (v3 ParticipationType, one of the systems of the
# agent.role value set SecurityRoleType), and a readable role. The identity witness is a
# `verifier` by type and `WIT` (witness) by role: WIT is not in the agent-type value set.
AGENT_KINDS: Mapping[str, tuple[str, str, str, str, str]] = {
    "performed": ("performer", "Performer", "PRF", "performer", "performed"),
    "deviation": ("author", "Author", "AUT", "author (originator)", "signed a deviation"),
    "witnessed": ("verifier", "Verifier", "WIT", "witness", "identity witness"),
    "acknowledged": ("attester", "Attester", "AUTHEN", "authenticator", "acknowledged"),
}
SIGNATURE_KINDS: Mapping[str, tuple[str, str]] = {
    "performed": ("1.2.840.10065.1.12.1.1", "Author's Signature"),
    "deviation": ("1.2.840.10065.1.12.1.1", "Author's Signature"),
    "witnessed": ("1.2.840.10065.1.12.1.9", "Event Witness Signature"),
    "acknowledged": ("1.2.840.10065.1.12.1.13", "Review Signature"),
}
SUBJECT_PLACEHOLDER = "Patient/unresolved"
THAW_EXTENSION = f"{DEFAULT.extension_prefix}:thaw-duration"
THAW_TO_END_EXTENSION = f"{DEFAULT.extension_prefix}:thaw-to-end"


class MappingError(ValueError):
    """A procedure that cannot be turned into a Bundle; says which procedure and why."""


class NotFinished(MappingError):
    pass


class NoPatient(MappingError):
    """Stopped before an order named the patient: there is no one to attach a record to."""


@dataclass(frozen=True)
class Entry:
    our: OurId
    kind: str
    resource: dict[str, Any]
    create_only: bool = False  # POST with ifNoneExist: what the server holds already is kept

    @property
    def label(self) -> str:
        return f"{self.kind} {self.our.value}"

    def bundle_entry(self, resource: dict[str, Any] | None = None) -> dict[str, Any]:
        """This entry in a transaction Bundle: a conditional update on its identifier, or a
        conditional create (`resource`: a rewritten copy, when a reference had to change)."""
        request = ({"method": "POST", "url": self.kind, "ifNoneExist": self.our.search()}
                   if self.create_only else
                   {"method": "PUT", "url": f"{self.kind}?{self.our.search()}"})
        return {"fullUrl": self.our.full_url,
                "resource": self.resource if resource is None else resource, "request": request}


@dataclass(frozen=True)
class ProcedureRecord:
    """The validated resources of one procedure, ready to be written for a resolved patient."""

    procedure_id: str
    mrn: str
    patient_name: str
    entries: tuple[Entry, ...]

    def patient_search(self, mrn_system: str) -> str:
        return patient_search(mrn_system, self.mrn)

    def procedure_search(self, namespace: Namespace) -> str:
        """`Procedure?identifier=…`: finds this procedure's record on the server."""
        return f"Procedure?{namespace.procedure(self.procedure_id).search()}"

    def bundles(self, patient_id: str, limit: int = 8,
                codings: Sequence[tuple[str, str, str]] = (),
                start: int = 0,
                encounter: str | None = None) -> list[tuple[bytes, list[str]]]:
        """Transaction Bundles of at most `limit` entries (body, label per entry), from entry
        `start` on (the entries before it are already on the server: delivery in parts);
        `codings`: the product's codes as the hospital's server holds them (formulary.py),
        added to each bag's administration (a copy: the validated record stays as built);
        `encounter`: the server's id of the patient's one in-progress Encounter, referenced by
        the Procedure (`encounter`) and each administration (`context`)."""
        subject: dict[str, Any] = {"reference": f"Patient/{patient_id}",
                                   "display": self.patient_name}
        if encounter is not None:
            subject["encounter"] = {"reference": f"Encounter/{encounter}"}
        by_url = {e.our.full_url: e for e in self.entries}
        limit = max(1, limit)
        # only then can a reference point outside a Bundle
        split = len(self.entries) > limit or start > 0
        out = []
        for first in range(start, len(self.entries), limit):
            chunk = self.entries[first:first + limit]
            here = {e.our.full_url for e in chunk}
            items = []
            for e in chunk:
                # the validated resource itself (json.dumps does not change it); rewritten into
                # a copy only where a reference must change (a split procedure, the subject)
                resource = _refs(e.resource, here, by_url) if split else e.resource
                if codings and e.kind == "MedicationAdministration" and e.our.system.endswith(
                        "medication-administration"):
                    resource = _with_codings(resource, codings)
                items.append(e.bundle_entry(_with_subject(resource, subject)))
            body = json.dumps({"resourceType": "Bundle", "type": "transaction",
                               "entry": items}, ensure_ascii=False, separators=(",", ":"))
            out.append((body.encode("utf-8"), [e.label for e in chunk]))
        return out


def procedure_record(events: Sequence[Event], profile: Profile,
                     site: SiteIds | None = None) -> ProcedureRecord:
    """The resources for one finished procedure (its events in log order), validated once."""
    mapper = _Mapper(events, profile, site or SiteIds())
    entries = mapper.entries()
    Bundle.model_validate({"resourceType": "Bundle", "type": "transaction",
                           "entry": [e.bundle_entry() for e in entries]})
    return ProcedureRecord(mapper.pid, mapper.order.patient.mrn, mapper.order.patient.name,
                           tuple(entries))


def procedure_bundle(events: Sequence[Event], profile: Profile,
                     mrn_system: str = DEFAULT_MRN_SYSTEM) -> Bundle:
    """The whole procedure as one validated transaction Bundle model (the patient by a
    conditional reference): for inspection and tests; sync sends `ProcedureRecord.bundles`."""
    record = procedure_record(events, profile, SiteIds(mrn_system=mrn_system))
    data = json.loads(record.bundles("unresolved", limit=len(record.entries))[0][0])
    subject = {"reference": record.patient_search(mrn_system), "display": record.patient_name}
    for item in data["entry"]:
        item["resource"] = _with_subject(item["resource"], subject)
    return Bundle.model_validate(data)


def _with_codings(resource: dict[str, Any],
                  codings: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    concept = dict(resource["medicationCodeableConcept"])
    coding = list(concept.get("coding", ()))
    for system, code, display in codings:
        if not any(c["system"] == system and c["code"] == code for c in coding):
            coding.insert(0, {"system": system, "code": code, **({"display": display}
                                                                 if display else {})})
    concept["coding"] = coding
    return {**resource, "medicationCodeableConcept": concept}


def _with_subject(resource: dict[str, Any], subject: dict[str, Any]) -> dict[str, Any]:
    """The resource (a copy where it changes) with the patient resolved: its subject (and the
    encounter, when one was found), or the product's collection source."""
    encounter = subject.get("encounter")
    subject = {k: v for k, v in subject.items() if k != "encounter"}
    if "subject" in resource:
        element = ENCOUNTER_ELEMENT.get(resource["resourceType"])
        if encounter is not None and element is not None:
            return {**resource, "subject": subject, element: encounter}
        return {**resource, "subject": subject}
    if "collection" in resource:
        return {**resource, "collection": {**resource["collection"], "source": subject}}
    return resource


def _refs(node: Any, here: set[str], by_url: Mapping[str, Entry]) -> Any:
    """References to entries in another Bundle become conditional references on our id."""
    if isinstance(node, list):
        return [_refs(n, here, by_url) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _refs(v, here, by_url) for k, v in node.items()}
    ref = out.get("reference")
    if isinstance(ref, str) and ref.startswith("urn:uuid:") and ref not in here \
            and ref in by_url:
        target = by_url[ref]
        out["reference"] = f"{target.kind}?{target.our.search()}"
    return out


class _Mapper:
    def __init__(self, events: Sequence[Event], profile: Profile, site: SiteIds) -> None:
        if not events or events[0].type != "procedure_opened":
            raise MappingError("a procedure's events start with procedure_opened")
        self.events = list(events)
        self.pid = events[0].procedure_id
        self.state: State = fold(events)
        self.profile = profile
        self.codes = product_codes(profile)
        self.site = site
        self.ns = site.namespace
        finish = [e for e in events if e.type in FINISHING_EVENTS]
        if not finish:
            raise NotFinished(f"procedure {self.pid} is not finished (completed or stopped)")
        self.finished: Event = finish[-1]
        order = self.state.order
        if order is None:
            raise NoPatient(f"procedure {self.pid} stopped before an order named the patient")
        self.order = order
        self.subject = {"reference": SUBJECT_PLACEHOLDER, "display": order.patient.name}
        # parsed once: the names and the Provenance both read every event's signatures
        self.signed = [(e, _signatures(e)) for e in events]
        self.names = {s.user: s.name for _, sigs in self.signed for s in sigs}
        self.by_id = {e.id: e for e in events}
        self.dins = [line.bag_id for line in order.bags]
        coi = order.patient.coi
        self.coi_tag = (site.coi_system, coi) if coi else None
        self.practitioners: dict[str, Entry] = {}  # user → its Practitioner entry (mapped only)
        self.product_codes = _product_codes(events)  # bag → ISBT 128 product codes read

    # ------------------------------------------------------------------------------ entries
    def entries(self) -> list[Entry]:
        out = [self._entry(self.ns.procedure(self.pid), "Procedure", self._procedure(),
                           tags=self.dins, profile=US_CORE_PROCEDURE)]
        products = []
        for line in self.order.bags:
            bag = self.state.bag(line.number)
            product = OurId(DIN_SYSTEM, line.bag_id, tag=True)
            products.append(product)
            out.append(self._entry(product, "BiologicallyDerivedProduct", self._product(line),
                                   create_only=True, coi=self.coi_tag))
            out.append(self._entry(self.ns.administration(self.pid, line.number),
                                   "MedicationAdministration",
                                   self._administration(line, bag, product), tags=[line.bag_id]))
            if bag.flush_ml is not None:
                out.append(self._entry(self.ns.flush(self.pid, line.number),
                                       "MedicationAdministration", self._flush(bag),
                                       tags=[line.bag_id]))
        targets = [e.our.full_url for e in out if e.kind != "BiologicallyDerivedProduct"]
        provenance = self._provenance(targets, products)
        if provenance is not None:
            out.append(self._entry(self.ns.provenance(self.pid), "Provenance", provenance,
                                   tags=self.dins))
        # the people referenced above, first: a later Bundle of a split procedure refers to them
        return [*self.practitioners.values(), *out]

    @staticmethod
    def _entry(our: OurId, kind: str, resource: dict[str, Any], *,
               tags: Sequence[str] = (), create_only: bool = False,
               coi: tuple[str, str] | None = None, profile: str | None = None) -> Entry:
        """`tags`: the DINs of the bags the resource concerns, as ICCBBA DIN tags; `coi`: the
        chain of identity as a tag too (R4 has no identifier search on a product); `profile`:
        the profile claimed in meta.profile, only for a resource the tests validate against it
        (tests/sync/test_fhir_validators.py)."""
        tag = [{"system": DIN_SYSTEM, "code": din} for din in tags]
        if coi is not None:
            tag.append({"system": coi[0], "code": coi[1]})
        if our.tag:
            tag.insert(0, {"system": our.system, "code": our.value})
        else:
            resource["identifier"] = [{"system": our.system, "value": our.value},
                                      *resource.get("identifier", [])]
        if tag or profile:
            resource["meta"] = {**({"profile": [profile]} if profile else {}),
                                **({"tag": tag} if tag else {})}
        return Entry(our, kind, {"resourceType": kind, **resource}, create_only)

    # ------------------------------------------------------------------------------ Procedure
    def _procedure(self) -> dict[str, Any]:
        s, order = self.state, self.order
        stopped = s.outcome == "stopped"
        given = sum(1 for b in s.bags if b.done_at is not None)
        outcome = (f"Stopped: {s.stop_reason}" if stopped
                   else f"Completed: {given} of {len(order.bags)} bag(s) administered")
        notes = [f"Dose: {order.dose_cd34_per_kg:,.0f} CD34+ cells/kg in {len(order.bags)} "
                 f"bag(s) from lot(s) {', '.join(order.lots)}; weight {order.weight_kg:g} kg."]
        flushed = [b.flush_ml for b in s.bags if b.flush_ml is not None]
        if flushed:
            notes.append(f"Saline flush total {sum(flushed):g} mL "
                         f"({sum(flushed) / order.weight_kg:.2f} mL/kg).")
        volumes = [b.volume_ml for b, st in zip(order.bags, s.bags, strict=False)
                   if b.volume_ml is not None and st.done_at is not None]
        if volumes:
            notes.append(f"Product volume infused {sum(volumes):g} mL.")
        notes += [self._deviation_note(d) for d in s.deviations]
        notes += [f"Workstation clock change noted at {_when(at)}." for at in s.clock_changes]
        resource: dict[str, Any] = {
            "status": "stopped" if stopped else "completed",
            "code": self.codes.procedure_concept(),
            "subject": self.subject,
            "performedPeriod": {"start": _when(self._started()), "end": _when(self._ended())},
            "outcome": {"text": outcome},
            "note": [{"text": n} for n in notes],
        }
        if self.order.patient.coi:
            resource["identifier"] = [{"system": self.site.coi_system,
                                       "value": self.order.patient.coi}]
        location = self.site.site_reference("Location")
        if location:
            resource["location"] = location
        if stopped:
            reason = s.stop_reason or "stopped"
            resource["statusReason"] = {"text": f"{reason} (rule: {s.stop_rule})"
                                        if s.stop_rule else reason}
        performers = dict.fromkeys(e.user for e in self.events
                                   if e.type in ("thaw_started", "infusion_started"))
        if performers:
            resource["performer"] = [{"actor": self._user(u)} for u in performers]
        resource["text"] = narrative([
            f"{self.codes.procedure_text}: {outcome}.",
            f"Patient {order.patient.name}, MRN {order.patient.mrn}"
            + (f", chain of identity {order.patient.coi}" if order.patient.coi else "") + ".",
            f"From {_when(self._started())} to {_when(self._ended())}"
            + (f" at {self.site.site_name}" if self.site.site_name else "") + ".",
            *notes])
        return resource

    def _started(self) -> Instant:
        thaws = [b.thaw_started for b in self.state.bags if b.thaw_started is not None]
        return thaws[0] if thaws else self.events[0].at

    def _ended(self) -> Instant:
        done = [b.done_at for b in self.state.bags if b.done_at is not None]
        if self.state.outcome == "complete" and done:
            return done[-1]
        return self.finished.at

    # ------------------------------------------------------------------------------ per bag
    def _product(self, line: OrderBag) -> dict[str, Any]:
        """The bag as a product, for a server that has no receipt of it (else the receipt's
        resource, matched by the DIN tag, is kept as it is)."""
        patient = self.order.patient
        identifiers = [{"system": DIN_SYSTEM, "value": line.bag_id}]
        if patient.coi:
            identifiers.append({"system": self.site.coi_system, "value": patient.coi})
        if patient.patient_id:
            identifiers.append({"system": self.ns.patient_id_system, "value": patient.patient_id})
        codes = self.product_codes.get(line.number, ())
        code: dict[str, Any] = {"text": f"{self.codes.medication_text}, lot {line.lot}"}
        coding = isbt128_codings(codes)
        if coding:
            code["coding"] = coding
        resource: dict[str, Any] = {
            "identifier": identifiers,
            "productCategory": "cells",
            "productCode": code,
            "status": "unavailable",  # it went to this infusion
            "quantity": 1,
            "collection": {"source": self.subject},
            "storage": [{"duration": {"end": _when_dt(line.expiry)}}],
            "extension": [{"url": f"{self.ns.extension_prefix}:lot", "valueString": line.lot}],
        }
        resource["text"] = narrative([
            f"{self.codes.medication_text}, bag {line.number} of {len(self.order.bags)}: "
            f"DIN {line.bag_id}, lot {line.lot}, expiry {_when_dt(line.expiry)}"
            + (f", {line.volume_ml:g} mL" if line.volume_ml is not None else "") + ".",
            f"For {patient.name}, MRN {patient.mrn}"
            + (f", chain of identity {patient.coi}" if patient.coi else "")
            + (f", ISBT 128 patient id {patient.patient_id}" if patient.patient_id else "")
            + ".",
            *(f"ISBT 128 product code {c}." for c in codes)])
        return resource

    def _administration(self, line: OrderBag, bag: BagState,
                        product: OurId) -> dict[str, Any]:
        count = len(self.order.bags)
        volume = f"; {line.volume_ml:g} mL" if line.volume_ml is not None else ""
        dose_text = (f"{line.cd34_per_kg:,.0f} CD34+ cells/kg; bag {line.number} of {count}"
                     f"{volume}; lot {line.lot}; DIN {line.bag_id}")
        resource: dict[str, Any] = {
            "identifier": [{"system": DIN_SYSTEM, "value": line.bag_id}],
            "medicationCodeableConcept": self.codes.medication_concept(
                self.product_codes.get(line.number, ())),
            "subject": self.subject,
            "supportingInformation": [{"reference": product.full_url,
                                       "display": f"Bag {line.number}, DIN {line.bag_id}"}],
            "partOf": [{"reference": self.ns.procedure(self.pid).full_url}],
            "dosage": {"text": dose_text, "route": {"coding": [INTRAVENOUS]},
                       "dose": {"value": line.cd34_per_kg, "unit": "CD34+ cells/kg",
                                "system": UCUM, "code": "{cells}/kg"}},
        }
        if self.order.order_id:
            resource["request"] = {"identifier": {"system": self.site.order_system,
                                                  "value": self.order.order_id},
                                   "display": f"Order {self.order.order_id}"}
        if bag.done_at is not None:
            resource["status"] = "completed"
        elif bag.infusion_started is not None:
            resource["status"] = "stopped"
        else:
            resource["status"] = "not-done"
        if bag.infusion_started is not None:
            end = bag.infusion_ended or self.finished.at
            resource["effectivePeriod"] = {"start": _when(bag.infusion_started),
                                           "end": _when(end)}
            starter = next(e.user for e in self.events if e.type == "infusion_started"
                           and e.data.get("bag") == line.number)
            resource["performer"] = [{"function": _function("performer"),
                                      "actor": self._user(starter)}]
            resource["performer"] += [{"function": _function("witness"),
                                       "actor": self._user(user, name)}
                                      for user, name in self._witnesses(line.number)
                                      if user != starter]
        else:
            resource["effectiveDateTime"] = _when(self.finished.at)
        if resource["status"] != "completed":
            resource["statusReason"] = [{"text": self.state.stop_reason or "not administered"}]
        location = self.site.site_reference("Location")
        if location:
            resource["extension"] = [{"url": EVENT_LOCATION, "valueReference": location}]
        extensions, notes = self._timing(bag)
        notes += [self._deviation_note(d) for d in self.state.deviations
                  if d.bag == line.number]
        if extensions:
            resource["extension"] = resource.get("extension", []) + extensions
        if notes:
            resource["note"] = [{"text": n} for n in notes]
        resource["text"] = narrative([
            f"{self.codes.medication_text} bag {line.number} of {count}: {resource['status']}.",
            dose_text + ".", *notes])
        return resource

    def _witnesses(self, bag: int) -> list[tuple[str, str]]:
        """Who witnessed this bag's identity checks at the bedside (user, name), once each."""
        out: dict[str, str] = {}
        for event, sigs in self.signed:
            label = event.data.get("label") or {}
            if event.type == "label_accepted" and label.get("bag") == bag \
                    and label.get("stage") == "bedside":
                for sig in sigs:
                    if sig.meaning == "witnessed":
                        out.setdefault(sig.user, sig.name)
        return list(out.items())

    def _timing(self, bag: BagState) -> tuple[list[dict[str, Any]], list[str]]:
        """Thaw duration and thaw-start-to-infusion-end, as extensions and a readable note."""
        if bag.thaw_started is None:
            return [], []
        method = (bag.thaw_method or "method not recorded").replace("_", " ")
        extensions, parts = [], [f"Thaw started {_when(bag.thaw_started)} ({method})"]
        if bag.thaw_completed is not None:
            thaw_s = self.state.timeline.span(bag.thaw_started, bag.thaw_completed).best()
            extensions.append(_duration(f"{self.ns.extension_prefix}:thaw-duration", thaw_s))
            limit = self.profile.rule("thaw_time")["max_seconds"]
            parts.append(f"no visible ice after {_minutes(thaw_s)} (limit {_minutes(limit)})")
        if bag.infusion_ended is not None:
            to_end = self.state.timeline.span(bag.thaw_started, bag.infusion_ended).best()
            extensions.append(_duration(f"{self.ns.extension_prefix}:thaw-to-end", to_end))
            limit = self.profile.rule("infusion_window")["max_seconds"]
            parts.append(f"infusion complete {_minutes(to_end)} after the start of thaw "
                         f"(limit {_minutes(limit)})")
        return extensions, ["; ".join(parts) + "."]

    def _corrections(self, bag: BagState) -> list[Event]:
        return [e for e in self.events if e.type == "correction" and bag.flush_event
                and e.data.get("event_id") == bag.flush_event]

    def _flush(self, bag: BagState) -> dict[str, Any]:
        flush_event = self.by_id.get(bag.flush_event or "")
        at = flush_event.at if flush_event is not None else self.finished.at
        notes = [f"Flush of bag {bag.number} and tubing at the end of its infusion."]
        for e in self._corrections(bag):
            previous = e.data.get("previous", {}).get("volume_ml")
            notes.append(f"Volume corrected from {previous} mL to "
                         f"{e.data['changes']['volume_ml']} mL at {_when(e.at)} by "
                         f"{self._name(e.user)}: {e.data.get('reason')}")
        resource: dict[str, Any] = {
            "status": "completed",
            "medicationCodeableConcept": self.codes.flush_concept(),
            "subject": self.subject,
            "partOf": [{"reference": self.ns.procedure(self.pid).full_url}],
            "effectiveDateTime": _when(at),
            "dosage": {"text": f"{bag.flush_ml:g} mL normal saline flush",
                       "route": {"coding": [INTRAVENOUS]},
                       "dose": {"value": bag.flush_ml, "unit": "mL", "system": UCUM,
                                "code": "mL"}},
            "note": [{"text": n} for n in notes],
        }
        if flush_event is not None:
            resource["performer"] = [{"actor": self._user(flush_event.user)}]
        resource["text"] = narrative([f"{bag.flush_ml:g} mL normal saline flush after bag "
                                       f"{bag.number}.", *notes[1:]])
        return resource

    # ------------------------------------------------------------------------------ Provenance
    def _provenance(self, targets: list[str], products: Sequence[OurId]) -> dict[str, Any] | None:
        """Every signature of the procedure in one Provenance (a real server's atomic limit
        does not fit one per signed act); each act is listed in its narrative."""
        agents: dict[tuple[str, str], dict[str, Any]] = {}
        signatures, lines = [], []
        organization = self.site.site_reference("Organization")
        if organization is not None and "reference" not in organization:
            organization = None  # onBehalfOf a name alone says nothing an EHR can file
        for event, parsed in self.signed:
            sigs = list(parsed)  # a witness may be added below: the parsed list stays as read
            witness = event.data.get("witness")
            if witness and not any(s.user == witness for s in sigs):
                sigs.append(Signature(str(witness), self._name(str(witness)), "witnessed",
                                      event.at))
            for sig in sigs:
                code, display, role_code, role_display, role = AGENT_KINDS.get(
                    sig.meaning, AGENT_KINDS["performed"])
                who = self._user(sig.user, sig.name)
                agent: dict[str, Any] = {
                    "type": {"coding": [{"system": PARTICIPANT_TYPE, "code": code,
                                         "display": display}]},
                    "role": [{"coding": [{"system": V3_PARTICIPATION, "code": role_code,
                                          "display": role_display}], "text": role}],
                    "who": who}
                if organization is not None:
                    agent["onBehalfOf"] = organization
                agents.setdefault((sig.user, code), agent)
                sig_code, sig_display = SIGNATURE_KINDS.get(sig.meaning,
                                                            SIGNATURE_KINDS["performed"])
                signatures.append({"type": [{"system": SIGNATURE_TYPE, "code": sig_code,
                                             "display": sig_display}],
                                   "when": _instant_text(sig.at), "who": who})
                bag = event.data.get("bag")
                lines.append(f"{_when(sig.at)} {sig.name} — {role}: "
                             f"{event.type.replace('_', ' ')}"
                             + (f" (bag {bag})" if isinstance(bag, int) else ""))
        if not agents:
            return None
        resource: dict[str, Any] = {
            "target": [{"reference": t} for t in targets],
            "recorded": _instant_text(self.finished.at),
            "activity": {"text": f"{self.profile.name} infusion record, signed at the bedside"},
            "agent": list(agents.values()),
            "entity": [{"role": "source",
                        "what": {"reference": p.full_url, "display": f"DIN {p.value}"}}
                       for p in products],
            "signature": signatures,
            "text": narrative([f"{len(signatures)} signature(s) on this infusion record:",
                                *lines]),
        }
        location = self.site.site_reference("Location")
        if location:
            resource["location"] = location
        deviations = [str(e.data.get("reason", "")) for e in self.events
                      if e.type == "deviation_recorded"]
        if deviations:
            resource["reason"] = [{"text": r} for r in deviations]
        return resource

    # ------------------------------------------------------------------------------ people
    def _deviation_note(self, d: DeviationRecord) -> str:
        where = f", bag {d.bag}" if d.bag is not None else ""
        measured = f"; measured {_minutes(d.measured_s)}" if d.measured_s is not None else ""
        return (f"Deviation ({d.rule}{where}){measured}: {d.reason} — signed by "
                f"{self._name(d.signed_by)} at {_when(d.at)}.")

    def _name(self, user: str) -> str:
        """The name as signed; our internal user id is never written in its place."""
        return self.names.get(user, "a user not named in this record")

    def _user(self, user: str, name: str | None = None) -> dict[str, Any]:
        """A reference to the person as the hospital knows them: their Practitioner (created or
        matched by identifier on the server). A person the site has not mapped is named only:
        our internal user id is no hospital identifier and is never sent as one."""
        shown = name or self._name(user)
        mapped = hospital_id(self.site.practitioners, user)
        if mapped is None:
            return {"display": shown}
        entry = self.practitioners.get(user)
        if entry is None:
            entry = self._entry(OurId(*mapped), "Practitioner",
                                practitioner(shown, mapped, self.site.practitioner_names.get(user)),
                                create_only=True)
            self.practitioners[user] = entry
        return {"reference": entry.our.full_url, "display": shown}


def _product_codes(events: Sequence[Event]) -> dict[int, tuple[str, ...]]:
    """The ISBT 128 product codes read from each bag's cassette and bag labels, in scan order."""
    out: dict[int, dict[str, None]] = {}
    for e in events:
        if e.type != "label_accepted":
            continue
        label = e.data.get("label") or {}
        code = ((label.get("scan") or {}).get("identifiers") or {}).get("product_code")
        if isinstance(label.get("bag"), int) and isinstance(code, str) and code:
            out.setdefault(label["bag"], {})[code] = None
    return {bag: tuple(codes) for bag, codes in out.items()}


MED_ADMIN_FUNCTION = "http://terminology.hl7.org/CodeSystem/med-admin-perform-function"


def _function(code: str) -> dict[str, Any]:
    """MedicationAdministration.performer.function, from its value set (performer, verifier,
    witness: MedicationAdministration Performer Function Codes)."""
    return {"coding": [{"system": MED_ADMIN_FUNCTION, "code": code,
                        "display": code.capitalize()}]}


def _signatures(event: Event) -> list[Signature]:
    return [Signature.from_dict(s) for s in event.data.get("signatures", ())]


def _when(at: Instant) -> str:
    """FHIR dateTime in the workstation's local time with its offset, as the nurse saw it."""
    return at.local().isoformat(timespec="seconds")


def _when_dt(value: Any) -> str:
    return str(value.isoformat(timespec="seconds"))


def _instant_text(at: Instant) -> str:
    return at.wall.isoformat(timespec="milliseconds")


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s"


def _duration(url: str, seconds: float) -> dict[str, Any]:
    return {"url": url, "valueDuration": {"value": round(seconds, 3), "unit": "s",
                                          "system": UCUM, "code": "s"}}
