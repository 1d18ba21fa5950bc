"""One finished procedure → the FHIR R4 resources the hospital keeps, and the transaction Bundles
that write them (validated once with the R4B models, serialised with the standard JSON encoder).

What is written (derived values come from the engine's fold, so they match the screen and the
record); every resource has narrative text a person can read in any EHR viewer:
- Procedure: the infusion, coded (the product profile's `[fhir].procedure_codes`, e.g. CPT 38241),
  `completed` or `stopped` with the reason, performed period, outcome, dose, saline total and
  deviations as notes, performers, the site as location.
- Medication per bag, a resource of its own (not contained: searches do not reach into contained
  resources): KRESLADI coded from the profile (NDC / RxNorm slots, text only while empty), the
  bag's DIN and chain-of-identity number as identifiers, lot, expiry and volume (mL).
- MedicationAdministration per bag: that Medication, the DIN again as an identifier (so one
  search finds an administration of that bag), dose in CD34+ cells/kg, volume, route, thaw and
  thaw-to-end durations, the order as `request` when the order carries an id. Bags never infused
  are `not-done` with the reason.
- MedicationAdministration per saline flush (volume in mL). A correction updates that record, so
  the server always holds the true total (its version history keeps the earlier value).
- One Provenance for the procedure carrying every signature (performer, identity witness,
  deviation author, attester), with each signed act listed in its narrative.
Every entry is a conditional update on our identifier (`PUT Kind?identifier=…`): idempotent on its
own (a server processing the transaction as a batch), and within a real server's atomic limit
(one Provenance, not one per signature: 8 entries for two bags; more are split into several
Bundles whose references to earlier ones are conditional references).
The patient is a literal reference to the Patient found on the server by MRN before sending.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from ..clock import Instant, elapsed
from ..engine.model import Event, OrderBag, Signature
from ..engine.state import BagState, DeviationRecord, State, fold
from ..profile import Profile
from .codes import product_codes
from .identifiers import (
    COI_SYSTEM,
    DEFAULT,
    DEFAULT_MRN_SYSTEM,
    DIN_SYSTEM,
    ORDER_SYSTEM,
    Namespace,
    OurId,
    patient_search,
)

FINISHING_EVENTS = frozenset({"procedure_completed", "procedure_stopped"})
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
XHTML = "http://www.w3.org/1999/xhtml"
INTRAVENOUS = {"system": SNOMED, "code": "47625008", "display": "Intravenous route"}
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
V3_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013"
EVENT_LOCATION = "http://hl7.org/fhir/StructureDefinition/event-location"
# Signature meaning → (agent type system, code, display, role text) and ISO-ASTM E1762 type
AGENT_KINDS: Mapping[str, tuple[str, str, str, str]] = {
    "performed": (PARTICIPANT_TYPE, "performer", "Performer", "performed"),
    "deviation": (PARTICIPANT_TYPE, "author", "Author", "signed a deviation"),
    "witnessed": (V3_PARTICIPATION, "WIT", "witness", "identity witness"),
    "acknowledged": (PARTICIPANT_TYPE, "attester", "Attester", "acknowledged"),
}
SIGNATURE_KINDS: Mapping[str, tuple[str, str]] = {
    "performed": ("1.2.840.10065.1.12.1.1", "Author's Signature"),
    "deviation": ("1.2.840.10065.1.12.1.1", "Author's Signature"),
    "witnessed": ("1.2.840.10065.1.12.1.9", "Event Witness Signature"),
    "acknowledged": ("1.2.840.10065.1.12.1.13", "Review Signature"),
}
SALINE = "Sodium chloride 0.9% (normal saline)"
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
class SiteIds:
    """The site's identifier systems and staff mapping (from `[sync]` of the site file)."""

    namespace: Namespace = DEFAULT
    mrn_system: str = DEFAULT_MRN_SYSTEM
    din_system: str = DIN_SYSTEM
    coi_system: str = COI_SYSTEM
    order_system: str = ORDER_SYSTEM
    practitioners: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    site_name: str | None = None


@dataclass(frozen=True)
class Entry:
    our: OurId
    kind: str
    resource: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.kind} {self.our.value}"

    def bundle_entry(self, resource: dict[str, Any] | None = None) -> dict[str, Any]:
        """This entry in a transaction Bundle: a conditional update on our id (`resource`: a
        rewritten copy of this entry's resource, when a reference had to change)."""
        return {"fullUrl": self.our.full_url,
                "resource": self.resource if resource is None else resource,
                "request": {"method": "PUT", "url": f"{self.kind}?{self.our.search()}"}}


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
                start: int = 0) -> list[tuple[bytes, list[str]]]:
        """Transaction Bundles of at most `limit` entries (body, label per entry), from entry
        `start` on (the entries before it are already on the server: delivery in parts)."""
        subject = {"reference": f"Patient/{patient_id}", "display": self.patient_name}
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
                if "subject" in resource:
                    resource = {**resource, "subject": subject}
                items.append(e.bundle_entry(resource))
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
    for item in data["entry"]:
        if "subject" in item["resource"]:
            item["resource"]["subject"]["reference"] = record.patient_search(mrn_system)
    return Bundle.model_validate(data)


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

    # ------------------------------------------------------------------------------ entries
    def entries(self) -> list[Entry]:
        out = [self._entry(self.ns.procedure(self.pid), "Procedure", self._procedure())]
        for line in self.order.bags:
            bag = self.state.bag(line.number)
            medication = self.ns.medication(self.pid, line.number)
            out.append(self._entry(medication, "Medication", self._medication(line)))
            out.append(self._entry(self.ns.administration(self.pid, line.number),
                                   "MedicationAdministration",
                                   self._administration(line, bag, medication)))
            if bag.flush_ml is not None:
                out.append(self._entry(self.ns.flush(self.pid, line.number),
                                       "MedicationAdministration", self._flush(bag)))
        targets = [e.our.full_url for e in out if e.kind != "Medication"]
        provenance = self._provenance(targets)
        if provenance is not None:
            out.append(self._entry(self.ns.provenance(self.pid), "Provenance", provenance))
        return out

    @staticmethod
    def _entry(our: OurId, kind: str, resource: dict[str, Any]) -> Entry:
        if our.tag:
            resource["meta"] = {"tag": [{"system": our.system, "code": our.value}]}
        else:
            resource["identifier"] = [{"system": our.system, "value": our.value},
                                      *resource.get("identifier", [])]
        return Entry(our, kind, {"resourceType": kind, **resource})

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
        notes += [_deviation_note(d) for d in s.deviations]
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
        if self.site.site_name:
            resource["location"] = {"display": self.site.site_name}
        if stopped:
            reason = s.stop_reason or "stopped"
            resource["statusReason"] = {"text": f"{reason} (rule: {s.stop_rule})"
                                        if s.stop_rule else reason}
        performers = dict.fromkeys(e.user for e in self.events
                                   if e.type in ("thaw_started", "infusion_started"))
        if performers:
            resource["performer"] = [{"actor": self._user(u)} for u in performers]
        resource["text"] = _narrative([
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
    def _medication(self, line: OrderBag) -> dict[str, Any]:
        identifiers = [{"system": self.site.din_system, "value": line.bag_id}]
        if self.order.patient.coi:
            identifiers.append({"system": self.site.coi_system, "value": self.order.patient.coi})
        resource: dict[str, Any] = {
            "identifier": identifiers,
            "code": self.codes.medication_concept(),
            "batch": {"lotNumber": line.lot, "expirationDate": _when_dt(line.expiry)},
        }
        if line.volume_ml is not None:
            resource["amount"] = {
                "numerator": {"value": line.volume_ml, "unit": "mL", "system": UCUM,
                              "code": "mL"},
                "denominator": {"value": 1, "unit": "bag"}}
        resource["text"] = _narrative([
            f"{self.codes.medication_text}, bag {line.number} of {len(self.order.bags)}: "
            f"DIN {line.bag_id}, lot {line.lot}, expiry {_when_dt(line.expiry)}"
            + (f", {line.volume_ml:g} mL" if line.volume_ml is not None else "")
            + (f", chain of identity {self.order.patient.coi}"
               if self.order.patient.coi else "") + "."])
        return resource

    def _administration(self, line: OrderBag, bag: BagState,
                        medication: OurId) -> dict[str, Any]:
        count = len(self.order.bags)
        volume = f"; {line.volume_ml:g} mL" if line.volume_ml is not None else ""
        dose_text = (f"{line.cd34_per_kg:,.0f} CD34+ cells/kg; bag {line.number} of {count}"
                     f"{volume}; lot {line.lot}; DIN {line.bag_id}")
        resource: dict[str, Any] = {
            "identifier": [{"system": self.site.din_system, "value": line.bag_id}],
            "medicationReference": {"reference": medication.full_url,
                                    "display": self.codes.medication_text},
            "subject": self.subject,
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
            resource["performer"] = [{"actor": self._user(starter)}]
        else:
            resource["effectiveDateTime"] = _when(self.finished.at)
        if resource["status"] != "completed":
            resource["statusReason"] = [{"text": self.state.stop_reason or "not administered"}]
        if self.site.site_name:
            resource["extension"] = [{"url": EVENT_LOCATION,
                                      "valueReference": {"display": self.site.site_name}}]
        extensions, notes = self._timing(bag)
        notes += [_deviation_note(d) for d in self.state.deviations if d.bag == line.number]
        if extensions:
            resource["extension"] = resource.get("extension", []) + extensions
        if notes:
            resource["note"] = [{"text": n} for n in notes]
        resource["text"] = _narrative([
            f"{self.codes.medication_text} bag {line.number} of {count}: {resource['status']}.",
            dose_text + ".", *notes])
        return resource

    def _timing(self, bag: BagState) -> tuple[list[dict[str, Any]], list[str]]:
        """Thaw duration and thaw-start-to-infusion-end, as extensions and a readable note."""
        if bag.thaw_started is None:
            return [], []
        method = (bag.thaw_method or "method not recorded").replace("_", " ")
        extensions, parts = [], [f"Thaw started {_when(bag.thaw_started)} ({method})"]
        if bag.thaw_completed is not None:
            thaw_s = elapsed(bag.thaw_started, bag.thaw_completed)
            extensions.append(_duration(f"{self.ns.extension_prefix}:thaw-duration", thaw_s))
            limit = self.profile.rule("thaw_time")["max_seconds"]
            parts.append(f"no visible ice after {_minutes(thaw_s)} (limit {_minutes(limit)})")
        if bag.infusion_ended is not None:
            to_end = elapsed(bag.thaw_started, bag.infusion_ended)
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
            "medicationCodeableConcept": {"text": SALINE},
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
        resource["text"] = _narrative([f"{bag.flush_ml:g} mL normal saline flush after bag "
                                       f"{bag.number}.", *notes[1:]])
        return resource

    # ------------------------------------------------------------------------------ Provenance
    def _provenance(self, targets: list[str]) -> dict[str, Any] | None:
        """Every signature of the procedure in one Provenance (a real server's atomic limit
        does not fit one per signed act); each act is listed in its narrative."""
        agents: dict[tuple[str, str], dict[str, Any]] = {}
        signatures, lines = [], []
        for event, parsed in self.signed:
            sigs = list(parsed)  # a witness may be added below: the parsed list stays as read
            witness = event.data.get("witness")
            if witness and not any(s.user == witness for s in sigs):
                sigs.append(Signature(str(witness), self._name(str(witness)), "witnessed",
                                      event.at))
            for sig in sigs:
                system, code, display, role = AGENT_KINDS.get(sig.meaning,
                                                              AGENT_KINDS["performed"])
                who = self._user(sig.user, sig.name)
                agents.setdefault((sig.user, code), {
                    "type": {"coding": [{"system": system, "code": code,
                                         "display": display}]},
                    "role": [{"text": role}], "who": who})
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
            "signature": signatures,
            "text": _narrative([f"{len(signatures)} signature(s) on this infusion record:",
                                *lines]),
        }
        if self.site.site_name:
            resource["location"] = {"display": self.site.site_name}
        deviations = [str(e.data.get("reason", "")) for e in self.events
                      if e.type == "deviation_recorded"]
        if deviations:
            resource["reason"] = [{"text": r} for r in deviations]
        return resource

    # ------------------------------------------------------------------------------ people
    def _name(self, user: str) -> str:
        return self.names.get(user, user)

    def _user(self, user: str, name: str | None = None) -> dict[str, Any]:
        system, value = self.site.practitioners.get(user, (self.ns.user_system, user))
        return {"identifier": {"system": system, "value": value},
                "display": name or self._name(user)}


def _signatures(event: Event) -> list[Signature]:
    return [Signature.from_dict(s) for s in event.data.get("signatures", ())]


def _deviation_note(d: DeviationRecord) -> str:
    where = f", bag {d.bag}" if d.bag is not None else ""
    measured = f"; measured {_minutes(d.measured_s)}" if d.measured_s is not None else ""
    return (f"Deviation ({d.rule}{where}){measured}: {d.reason} — signed by {d.signed_by} "
            f"at {_when(d.at)}.")


def _narrative(lines: Sequence[str]) -> dict[str, str]:
    """Human-readable text (dom-6): escaped, one paragraph per line."""
    body = "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{body}</div>'}


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
