"""One procedure's contribution to the product ledger: a pure fold over its events.

`fold_procedure(events)` (or `evolve_facts` one event at a time, which is what lets the store's
cache continue from where it stopped) gives a `ProcedureFacts`: the patient it was for, the bags
of its order with every identifier they were known by, and the facts about them — each with the
procedure, the step and the instant. It never decides anything; `Ledger` reads the facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..clock import Instant
from ..engine.model import Event
from ..engine.summary import hard_stop_subject
from ..labels.compare import canonical

# Where in the procedure each kind of event happens (the step names of `engine.table`).
STEP_OF_EVENT: dict[str, str] = {
    "procedure_opened": "new", "order_prepared": "order", "backup_confirmed": "gates",
    "conditioning_end_recorded": "gates", "storage_confirmed": "gates", "attested": "gates",
    "bag_inspected": "inspect", "thaw_started": "thaw", "thaw_completed": "thaw",
    "line_checked": "line_checks", "infusion_started": "infusion", "infusion_ended": "infusion",
    "flush_logged": "flush", "bag_completed": "flush",
    "post_infusion_acknowledged": "post_infusion",
}

# Bag facts recorded straight from one event of the bag.
_BAG_FACT_OF_EVENT: dict[str, str] = {
    "thaw_started": "thawed", "thaw_completed": "thaw_completed",
    "infusion_started": "infusion_started", "infusion_ended": "infused",
    "flush_logged": "flushed", "bag_completed": "administered",
}


def bag_key(identifier: str) -> str:
    """A bag's index key: DINs on their 13 characters; other bag identifiers and GS1 serials
    without case, spaces or dashes."""
    return canonical("din", identifier)


def patient_keys(mrn: str | None, coi: str | None) -> tuple[str, ...]:
    keys = []
    if mrn:
        keys.append("mrn:" + canonical("mrn", mrn))
    if coi:
        keys.append("coi:" + canonical("coi", coi))
    return tuple(keys)


@dataclass(frozen=True)
class Fact:
    """Something that happened to a bag or a patient: what, in which procedure, at which step,
    when, and which event says so."""

    what: str  # see `BAG_FACTS` / `PATIENT_FACTS`
    procedure_id: str
    step: str
    at: Instant
    bag: int | None
    event_id: str

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "procedure_id": self.procedure_id, "step": self.step,
                "at": self.at.to_dict(), "bag": self.bag, "event_id": self.event_id}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Fact:
        return cls(d["what"], d["procedure_id"], d["step"], Instant.from_dict(d["at"]),
                   d.get("bag"), d["event_id"])


BAG_FACTS: tuple[str, ...] = (
    "listed", "identified", "inspected", "compromised", "thawed", "thaw_completed",
    "infusion_started", "infused", "flushed", "administered", "expired", "product_stop",
)
PATIENT_FACTS: tuple[str, ...] = ("listed", "received", "completed", "stopped")


@dataclass(frozen=True)
class BagEntry:
    """A bag of the procedure's order and every identifier it was known by there."""

    number: int
    keys: tuple[str, ...]  # `bag_key` of the sheet's identifier, then of scanned DIN / serial
    lot: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "keys": list(self.keys), "lot": self.lot}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BagEntry:
        return cls(int(d["number"]), tuple(d["keys"]), d["lot"])


@dataclass(frozen=True)
class ProcedureFacts:
    procedure_id: str
    is_procedure: bool = False  # the chain opens with `procedure_opened` (not the people log)
    training: bool = False
    opened_at: Instant | None = None
    outcome: str | None = None  # None while open; "complete" or "stopped"
    stop_rule: str | None = None
    patient: Mapping[str, str] | None = None  # mrn, coi, name as ordered
    bags: tuple[BagEntry, ...] = ()
    bag_facts: tuple[Fact, ...] = ()
    patient_facts: tuple[Fact, ...] = ()
    step: str = "new"  # the step of the last event: where a hard stop happened
    events: int = 0  # how many events were folded
    kind: str = "procedure"  # or "receipt" (kresladi_bedside.receipt): the same product's
    # receipt at the pharmacy; its outcome is "received" or "stopped"

    @property
    def open(self) -> bool:
        return self.is_procedure and self.outcome is None

    def patient_keys(self) -> tuple[str, ...]:
        if not self.patient:
            return ()
        return patient_keys(self.patient.get("mrn"), self.patient.get("coi"))

    def bag_numbered(self, number: int) -> BagEntry | None:
        return next((b for b in self.bags if b.number == number), None)

    def facts_of_bag(self, number: int) -> tuple[Fact, ...]:
        return tuple(f for f in self.bag_facts if f.bag == number)

    def to_dict(self) -> dict[str, Any]:
        return {
            "procedure_id": self.procedure_id, "is_procedure": self.is_procedure,
            "training": self.training,
            "opened_at": None if self.opened_at is None else self.opened_at.to_dict(),
            "outcome": self.outcome, "stop_rule": self.stop_rule,
            "patient": None if self.patient is None else dict(self.patient),
            "bags": [b.to_dict() for b in self.bags],
            "bag_facts": [f.to_dict() for f in self.bag_facts],
            "patient_facts": [f.to_dict() for f in self.patient_facts],
            "step": self.step, "events": self.events, "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ProcedureFacts:
        opened = d.get("opened_at")
        return cls(
            procedure_id=d["procedure_id"], is_procedure=bool(d["is_procedure"]),
            training=bool(d["training"]),
            opened_at=None if opened is None else Instant.from_dict(opened),
            outcome=d.get("outcome"), stop_rule=d.get("stop_rule"),
            patient=None if d.get("patient") is None else dict(d["patient"]),
            bags=tuple(BagEntry.from_dict(b) for b in d["bags"]),
            bag_facts=tuple(Fact.from_dict(f) for f in d["bag_facts"]),
            patient_facts=tuple(Fact.from_dict(f) for f in d["patient_facts"]),
            step=d.get("step", "new"), events=int(d.get("events", 0)),
            kind=d.get("kind", "procedure"),
        )


def _fact(pf: ProcedureFacts, event: Event, what: str, step: str,
          bag: int | None) -> Fact:
    return Fact(what, pf.procedure_id, step, event.at, bag, event.id)


def _add_keys(pf: ProcedureFacts, number: int, identifiers: Iterable[str]) -> ProcedureFacts:
    bags = []
    for entry in pf.bags:
        if entry.number == number:
            keys = list(entry.keys)
            for ident in identifiers:
                key = bag_key(ident)
                if key and key not in keys:
                    keys.append(key)
            entry = replace(entry, keys=tuple(keys))
        bags.append(entry)
    return replace(pf, bags=tuple(bags))


def _scan_identifiers(label: Mapping[str, Any]) -> list[str]:
    ids = (label.get("scan") or {}).get("identifiers") or {}
    return [str(ids[k]) for k in ("din", "bag_id", "serial") if ids.get(k)]


def _receipt_bag(pf: ProcedureFacts, scan: Mapping[str, Any], line: int | None
                 ) -> tuple[ProcedureFacts, int | None]:
    """The bag a cassette label read at receipt names (added to the receipt's bags)."""
    ids = (scan.get("identifiers") or {}) if isinstance(scan, Mapping) else {}
    keys = tuple(bag_key(str(ids[k])) for k in ("din", "bag_id", "serial") if ids.get(k))
    if not keys:
        return pf, None
    number = line if isinstance(line, int) else len(pf.bags) + 1
    entry = BagEntry(number, keys, str(ids.get("lot") or ""))
    return replace(pf, bags=(*pf.bags, entry)), number


def evolve_receipt_facts(pf: ProcedureFacts, event: Event) -> ProcedureFacts:
    """A receipt chain (kresladi_bedside.receipt): the same product before its infusion. Its
    bags are those of the cassette labels read; a hard stop on the product there bars them
    from any infusion; an open receipt holds them (and the patient) like an open procedure."""
    d, kind, step = event.data, event.type, "receipt"
    match kind:
        case "receipt_opened":
            patient = {"mrn": str(d["mrn"])} if d.get("mrn") else None
            pf = replace(pf, is_procedure=pf.events == 1, kind="receipt", step=step,
                         training=bool(d.get("training")), opened_at=event.at,
                         patient=patient)
            return replace(pf, patient_facts=(*pf.patient_facts,
                                              _fact(pf, event, "listed", step, None)))
        case "receipt_label_accepted":
            label = d["label"]
            if label.get("role") != "cassette":
                return pf
            pf, number = _receipt_bag(pf, label.get("scan") or {}, label.get("line"))
            return replace(pf, bag_facts=(*pf.bag_facts,
                                          _fact(pf, event, "identified", step, number)))
        case "receipt_completed":
            p = d["order"]["patient"]
            patient = {k: str(p[k]) for k in ("mrn", "coi", "name") if p.get(k)}
            return replace(pf, outcome="received", patient=patient)
        case "receipt_stopped":
            pf = replace(pf, outcome="stopped", stop_rule=d.get("rule"))
            if hard_stop_subject(d.get("rule"), d.get("details")) != "product":
                return pf
            scan = (d.get("details") or {}).get("scan") or {}
            if scan.get("kind") == "cassette":
                pf, _ = _receipt_bag(pf, scan, None)
            what = "expired" if d.get("rule") == "expiry" else "product_stop"
            return replace(pf, bag_facts=pf.bag_facts + tuple(
                _fact(pf, event, what, step, b.number) for b in pf.bags))
    return pf


def evolve_facts(pf: ProcedureFacts, event: Event) -> ProcedureFacts:
    """Fold one more event of the procedure into its facts. Unknown events change nothing but the
    count (the ledger reads only what it needs; the engine's fold is the strict one)."""
    d, kind = event.data, event.type
    if kind.startswith("receipt_") or pf.kind == "receipt":
        return evolve_receipt_facts(replace(pf, events=pf.events + 1), event)
    step = STEP_OF_EVENT.get(kind, pf.step)
    if kind == "label_accepted":
        step = "bedside_identity" if d["label"].get("stage") == "bedside" else "identity"
    if kind in ("hard_stop", "procedure_stopped", "procedure_completed", "command_rejected",
                "clock_change_noted", "alarm_acknowledged", "correction", "deviation_recorded"):
        step = pf.step  # these do not move the procedure on
    pf = replace(pf, events=pf.events + 1)
    match kind:
        case "procedure_opened":
            return replace(pf, is_procedure=pf.events == 1, training=bool(d.get("training")),
                           opened_at=event.at, step=step)
        case "order_prepared":
            order = d["order"]
            p = order["patient"]
            patient = {k: str(p[k]) for k in ("mrn", "coi", "name") if p.get(k)}
            bags = tuple(BagEntry(int(b.get("number", i)), (bag_key(str(b["bag_id"])),),
                                  str(b["lot"]))
                         for i, b in enumerate(order["bags"], start=1))
            pf = replace(pf, patient=patient, bags=bags, step=step)
            listed = tuple(_fact(pf, event, "listed", step, b.number) for b in bags)
            return replace(pf, bag_facts=pf.bag_facts + listed,
                           patient_facts=(*pf.patient_facts,
                                          _fact(pf, event, "listed", step, None)))
        case "label_accepted":
            label = d["label"]
            number = label.get("bag")
            if label.get("role") in ("cassette", "bag") and isinstance(number, int):
                pf = _add_keys(pf, number, _scan_identifiers(label))
                if label.get("stage") != "bedside":
                    pf = replace(pf, bag_facts=(*pf.bag_facts,
                                                _fact(pf, event, "identified", step, number)))
            return replace(pf, step=step)
        case "bag_inspected":
            what = "inspected" if d.get("intact") else "compromised"
            return replace(pf, step=step, bag_facts=(*pf.bag_facts,
                                                     _fact(pf, event, what, step, d["bag"])))
        case _ if kind in _BAG_FACT_OF_EVENT:
            facts = [_fact(pf, event, _BAG_FACT_OF_EVENT[kind], step, d["bag"])]
            patient_facts = pf.patient_facts
            if kind == "infusion_started":
                patient_facts = (*patient_facts, _fact(pf, event, "received", step, d["bag"]))
            return replace(pf, step=step, bag_facts=pf.bag_facts + tuple(facts),
                           patient_facts=patient_facts)
        case "hard_stop":
            where = str(d.get("step") or pf.step)
            pf = replace(pf, stop_rule=d.get("rule"))
            if hard_stop_subject(d.get("rule"), d.get("details")) != "product":
                return pf
            details = d.get("details") or {}
            named = details.get("bag") if isinstance(details.get("bag"), int) else None
            facts = []
            for entry in pf.bags:
                what = "product_stop"
                if entry.number == named and d.get("rule") == "expiry":
                    what = "expired"
                facts.append(_fact(pf, event, what, where, entry.number))
            return replace(pf, bag_facts=pf.bag_facts + tuple(facts))
        case "procedure_completed":
            return replace(pf, outcome="complete", patient_facts=(
                *pf.patient_facts, _fact(pf, event, "completed", pf.step, None)))
        case "procedure_stopped":
            return replace(pf, outcome="stopped", stop_rule=d.get("rule") or pf.stop_rule,
                           patient_facts=(*pf.patient_facts,
                                          _fact(pf, event, "stopped", pf.step, None)))
    return replace(pf, step=step)


def fold_procedure(events: Iterable[Event], facts: ProcedureFacts | None = None) -> ProcedureFacts:
    """The facts of one procedure from its events (continuing `facts` when given)."""
    pf = facts
    for event in events:
        if pf is None:
            pf = ProcedureFacts(event.procedure_id)
        pf = evolve_facts(pf, event)
    if pf is None:
        raise ValueError("a procedure's facts need at least one event")
    return pf
