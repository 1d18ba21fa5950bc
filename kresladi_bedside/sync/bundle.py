"""One finished procedure → one FHIR R4 transaction Bundle (built and validated with R4B models).

What goes in (derived values come from the engine's fold, so they match the screen and the record):
- Procedure: the infusion; status `completed` or `stopped` (with the stop reason), performed period
  from the first thaw to the last bag's end (or the stop), outcome, dose and deviations as notes.
- MedicationAdministration per bag of the order: KRESLADI as a contained Medication with its lot,
  expiry and DIN; dose in CD34+ cells/kg; route intravenous; thaw and thaw-to-end durations as
  extensions and in a note. Bags never infused are sent as `not-done` with the reason.
- MedicationAdministration per saline flush, with its (corrected) volume in mL.
- Provenance per signed event (performed, witnessed, deviation, acknowledged).
The patient is a conditional reference on the MRN, never a resource we create (identifiers.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry, BundleEntryRequest

from ..clock import Instant, elapsed
from ..engine.model import Event, OrderBag, Signature
from ..engine.state import BagState, DeviationRecord, State, fold
from ..profile import Profile
from .identifiers import (
    BUNDLE_SYSTEM,
    DIN_SYSTEM,
    EXTENSION_PREFIX,
    USER_SYSTEM,
    OurId,
    administration_id,
    flush_id,
    patient_reference,
    procedure_id,
    provenance_id,
)

FINISHING_EVENTS = frozenset({"procedure_completed", "procedure_stopped"})
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
INTRAVENOUS = {"system": SNOMED, "code": "47625008", "display": "Intravenous route"}
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013"
# Signature meaning → (Provenance participant type, ISO-ASTM E1762 signature type)
SIGNATURE_KINDS: Mapping[str, tuple[str, str, str]] = {
    "performed": ("performer", "1.2.840.10065.1.12.1.1", "Author's Signature"),
    "deviation": ("author", "1.2.840.10065.1.12.1.1", "Author's Signature"),
    "witnessed": ("verifier", "1.2.840.10065.1.12.1.9", "Event Witness Signature"),
    "acknowledged": ("attester", "1.2.840.10065.1.12.1.13", "Review Signature"),
}
THAW_EXTENSION = f"{EXTENSION_PREFIX}:thaw-duration"
THAW_TO_END_EXTENSION = f"{EXTENSION_PREFIX}:thaw-to-end"
SALINE = "Sodium chloride 0.9% (normal saline)"


class MappingError(ValueError):
    """A procedure that cannot be turned into a Bundle; says which procedure and why."""


class NotFinished(MappingError):
    pass


class NoPatient(MappingError):
    """Stopped before an order named the patient: there is no one to attach a record to."""


def procedure_bundle(events: Sequence[Event], profile: Profile, mrn_system: str) -> Bundle:
    """The transaction Bundle for one finished procedure (its events in log order)."""
    return _Mapper(events, profile, mrn_system).bundle()


class _Mapper:
    def __init__(self, events: Sequence[Event], profile: Profile, mrn_system: str) -> None:
        if not events or events[0].type != "procedure_opened":
            raise MappingError("a procedure's events start with procedure_opened")
        self.events = list(events)
        self.pid = events[0].procedure_id
        self.state: State = fold(events)
        self.profile = profile
        finish = [e for e in events if e.type in FINISHING_EVENTS]
        if not finish:
            raise NotFinished(f"procedure {self.pid} is not finished (completed or stopped)")
        self.finished: Event = finish[-1]
        order = self.state.order
        if order is None:
            raise NoPatient(f"procedure {self.pid} stopped before an order named the patient")
        self.order = order
        self.subject = {"reference": patient_reference(mrn_system, order.patient.mrn),
                        "display": order.patient.name}
        self.names = {s.user: s.name for e in events for s in _signatures(e)}
        self.by_id = {e.id: e for e in events}

    # ------------------------------------------------------------------------------ bundle
    def bundle(self) -> Bundle:
        entries = [self._entry(procedure_id(self.pid), "Procedure", self._procedure())]
        for line in self.order.bags:
            bag = self.state.bag(line.number)
            entries.append(self._entry(administration_id(self.pid, line.number),
                                       "MedicationAdministration", self._administration(line,
                                                                                        bag)))
            if bag.flush_ml is not None:
                corrections = self._corrections(bag)
                latest = corrections[-1].id if corrections else None
                entries.append(self._entry(flush_id(self.pid, line.number, latest),
                                           "MedicationAdministration",
                                           self._flush(bag, corrections)))
        for event in self.events:
            if _signatures(event) or event.data.get("witness"):
                our = provenance_id(self.pid, event.id)
                entries.append(self._entry(our, "Provenance", self._provenance(event, our),
                                           search="_tag"))
        head = self.events[-1]
        return Bundle.model_validate({
            "resourceType": "Bundle",
            "type": "transaction",
            "identifier": {"system": BUNDLE_SYSTEM, "value": f"{self.pid}-{head.id}"},
            "entry": entries,
        })

    @staticmethod
    def _entry(our: OurId, kind: str, resource: dict[str, Any],
               search: str = "identifier") -> BundleEntry:
        if search == "identifier":
            resource["identifier"] = [{"system": our.system, "value": our.value}]
        else:
            resource["meta"] = {"tag": [{"system": our.system, "code": our.value}]}
        return BundleEntry.model_validate({
            "fullUrl": our.full_url,
            "resource": {"resourceType": kind, **resource},
            "request": BundleEntryRequest(method="POST", url=kind,
                                          ifNoneExist=our.search(search)),
        })

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
        notes += [_deviation_note(d) for d in s.deviations]
        notes += [f"Workstation clock change noted at {_when(at)}." for at in s.clock_changes]
        resource: dict[str, Any] = {
            "status": "stopped" if stopped else "completed",
            "code": {"text": f"{self.profile.name} ({self.profile.generic_name}) infusion"},
            "subject": self.subject,
            "performedPeriod": {"start": _when(self._started()), "end": _when(self._ended())},
            "outcome": {"text": outcome},
            "note": [{"text": n} for n in notes],
        }
        if stopped:
            reason = s.stop_reason or "stopped"
            resource["statusReason"] = {"text": f"{reason} (rule: {s.stop_rule})"
                                        if s.stop_rule else reason}
        performers = dict.fromkeys(e.user for e in self.events
                                   if e.type in ("thaw_started", "infusion_started"))
        if performers:
            resource["performer"] = [{"actor": self._user(u)} for u in performers]
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
    def _administration(self, line: OrderBag, bag: BagState) -> dict[str, Any]:
        count = len(self.order.bags)
        medication_ref = f"kresladi-bag-{line.number}"
        dose_text = (f"{line.cd34_per_kg:,.0f} CD34+ cells/kg; bag {line.number} of {count}; "
                     f"lot {line.lot}; DIN {line.bag_id}")
        resource: dict[str, Any] = {
            "contained": [{
                "resourceType": "Medication",
                "id": medication_ref,
                "code": {"text": f"{self.profile.name} ({self.profile.generic_name})"},
                "identifier": [{"system": DIN_SYSTEM, "value": line.bag_id}],
                "batch": {"lotNumber": line.lot,
                          "expirationDate": line.expiry.isoformat()},
            }],
            "medicationReference": {"reference": f"#{medication_ref}"},
            "subject": self.subject,
            "partOf": [{"reference": procedure_id(self.pid).full_url}],
            "dosage": {"text": dose_text, "route": {"coding": [INTRAVENOUS]},
                       "dose": {"value": line.cd34_per_kg, "unit": "CD34+ cells/kg",
                                "system": UCUM, "code": "{cells}/kg"}},
        }
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
        extensions, notes = self._timing(bag)
        notes += [_deviation_note(d) for d in self.state.deviations if d.bag == line.number]
        if extensions:
            resource["extension"] = extensions
        if notes:
            resource["note"] = [{"text": n} for n in notes]
        return resource

    def _timing(self, bag: BagState) -> tuple[list[dict[str, Any]], list[str]]:
        """Thaw duration and thaw-start-to-infusion-end, as extensions and a readable note."""
        if bag.thaw_started is None:
            return [], []
        method = (bag.thaw_method or "method not recorded").replace("_", " ")
        extensions, parts = [], [f"Thaw started {_when(bag.thaw_started)} ({method})"]
        if bag.thaw_completed is not None:
            thaw_s = elapsed(bag.thaw_started, bag.thaw_completed)
            extensions.append(_duration(THAW_EXTENSION, thaw_s))
            limit = self.profile.rule("thaw_time")["max_seconds"]
            parts.append(f"no visible ice after {_minutes(thaw_s)} (limit {_minutes(limit)})")
        if bag.infusion_ended is not None:
            to_end = elapsed(bag.thaw_started, bag.infusion_ended)
            extensions.append(_duration(THAW_TO_END_EXTENSION, to_end))
            limit = self.profile.rule("infusion_window")["max_seconds"]
            parts.append(f"infusion complete {_minutes(to_end)} after the start of thaw "
                         f"(limit {_minutes(limit)})")
        return extensions, ["; ".join(parts) + "."]

    def _corrections(self, bag: BagState) -> list[Event]:
        return [e for e in self.events if e.type == "correction" and bag.flush_event
                and e.data.get("event_id") == bag.flush_event]

    def _flush(self, bag: BagState, corrections: Sequence[Event]) -> dict[str, Any]:
        flush_event = self.by_id.get(bag.flush_event or "")
        at = flush_event.at if flush_event is not None else self.finished.at
        notes = [f"Flush of bag {bag.number} and tubing at the end of its infusion."]
        if corrections:
            notes.append("This record replaces the uncorrected flush record "
                         f"{flush_id(self.pid, bag.number).value} sent earlier, if any.")
        for e in corrections:
            previous = e.data.get("previous", {}).get("volume_ml")
            notes.append(f"Volume corrected from {previous} mL to "
                         f"{e.data['changes']['volume_ml']} mL at {_when(e.at)} by "
                         f"{self._name(e.user)}: {e.data.get('reason')}")
        resource: dict[str, Any] = {
            "status": "completed",
            "medicationCodeableConcept": {"text": SALINE},
            "subject": self.subject,
            "partOf": [{"reference": procedure_id(self.pid).full_url}],
            "effectiveDateTime": _when(at),
            "dosage": {"text": f"{bag.flush_ml:g} mL normal saline flush",
                       "route": {"coding": [INTRAVENOUS]},
                       "dose": {"value": bag.flush_ml, "unit": "mL", "system": UCUM,
                                "code": "mL"}},
            "note": [{"text": n} for n in notes],
        }
        if flush_event is not None:
            resource["performer"] = [{"actor": self._user(flush_event.user)}]
        return resource

    # ------------------------------------------------------------------------------ Provenance
    def _provenance(self, event: Event, our: OurId) -> dict[str, Any]:
        bag = event.data.get("bag")
        if isinstance(bag, int) and 1 <= bag <= len(self.order.bags):
            targets = [administration_id(self.pid, bag).full_url]
        else:
            targets = [procedure_id(self.pid).full_url]
        agents, signatures = [], []
        for sig in _signatures(event):
            participant, code, display = SIGNATURE_KINDS.get(sig.meaning, SIGNATURE_KINDS[
                "performed"])
            who = self._user(sig.user, sig.name)
            agents.append({"type": {"coding": [{"system": PARTICIPANT_TYPE,
                                                "code": participant}]}, "who": who})
            signatures.append({"type": [{"system": SIGNATURE_TYPE, "code": code,
                                         "display": display}],
                               "when": _instant_text(sig.at), "who": who})
        witness = event.data.get("witness")
        if witness and not any(s.user == witness for s in _signatures(event)):
            agents.append({"type": {"coding": [{"system": PARTICIPANT_TYPE,
                                                "code": "verifier"}]},
                           "who": self._user(str(witness))})
        resource: dict[str, Any] = {
            "target": [{"reference": t} for t in targets],
            "recorded": _instant_text(event.at),
            "activity": {"text": event.type.replace("_", " ")},
            "agent": agents,
        }
        if signatures:
            resource["signature"] = signatures
        if event.type == "deviation_recorded":
            resource["reason"] = [{"text": str(event.data.get("reason", ""))}]
        return resource

    # ------------------------------------------------------------------------------ people
    def _name(self, user: str) -> str:
        return self.names.get(user, user)

    def _user(self, user: str, name: str | None = None) -> dict[str, Any]:
        return {"identifier": {"system": USER_SYSTEM, "value": user},
                "display": name or self._name(user)}


def _signatures(event: Event) -> list[Signature]:
    return [Signature.from_dict(s) for s in event.data.get("signatures", ())]


def _deviation_note(d: DeviationRecord) -> str:
    where = f", bag {d.bag}" if d.bag is not None else ""
    measured = f"; measured {_minutes(d.measured_s)}" if d.measured_s is not None else ""
    return (f"Deviation ({d.rule}{where}){measured}: {d.reason} — signed by {d.signed_by} "
            f"at {_when(d.at)}.")


def _when(at: Instant) -> str:
    """FHIR dateTime in the workstation's local time with its offset, as the nurse saw it."""
    return at.local().isoformat(timespec="seconds")


def _instant_text(at: Instant) -> str:
    return at.wall.isoformat(timespec="milliseconds")


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s"


def _duration(url: str, seconds: float) -> dict[str, Any]:
    return {"url": url, "valueDuration": {"value": round(seconds, 3), "unit": "s",
                                          "system": UCUM, "code": "s"}}
