"""The product ledger: every procedure's facts, indexed by bag and by patient.

`Ledger` is a value built from `ProcedureFacts` (one per procedure chain); it answers what
happened to a bag or a patient, and whether a new procedure may take them (`bag_bar`,
`patient_bar`, the engine's `Custody` protocol). Training procedures are kept but never bar
anything: practice labels are reused from one session to the next.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..engine.custody import BarWhat, CustodyBar
from ..engine.model import Event
from .facts import Fact, ProcedureFacts, bag_key, fold_procedure, patient_keys

# Which bag facts bar the bag from any other procedure, worst first.
_BAG_BARS: tuple[tuple[str, BarWhat], ...] = (
    ("infused", "infused"), ("infusion_started", "infused"), ("thawed", "thawed"),
    ("compromised", "compromised"), ("expired", "expired"), ("product_stop", "product_stop"),
)


@dataclass(frozen=True)
class BagHistory:
    """Everything the store knows about one bag, oldest first."""

    key: str
    facts: tuple[Fact, ...]
    procedures: tuple[str, ...]  # every procedure whose order held the bag, oldest first

    @property
    def used(self) -> bool:
        return any(f.what in ("thawed", "infusion_started", "infused") for f in self.facts)


@dataclass(frozen=True)
class PatientHistory:
    keys: tuple[str, ...]
    facts: tuple[Fact, ...]
    procedures: tuple[str, ...]

    @property
    def received(self) -> bool:
        return any(f.what == "received" for f in self.facts)


def _order(pf: ProcedureFacts) -> tuple[str, str]:
    opened = pf.opened_at.wall.isoformat() if pf.opened_at else ""
    return opened, pf.procedure_id


class Ledger:
    """An immutable view of every procedure's facts. Build with `Ledger(facts)` or
    `Ledger.from_events(events)`."""

    def __init__(self, procedures: Iterable[ProcedureFacts] = ()) -> None:
        ordered = sorted((p for p in procedures if p.is_procedure), key=_order)
        self._procedures: dict[str, ProcedureFacts] = {p.procedure_id: p for p in ordered}
        self._by_bag: dict[str, list[str]] = {}
        self._by_patient: dict[str, list[str]] = {}
        for pf in ordered:
            for entry in pf.bags:
                for key in entry.keys:
                    self._by_bag.setdefault(key, []).append(pf.procedure_id)
            for key in pf.patient_keys():
                self._by_patient.setdefault(key, []).append(pf.procedure_id)

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> Ledger:
        """Fold events of any number of procedures (each procedure's events in order)."""
        by_procedure: dict[str, list[Event]] = {}
        for event in events:
            by_procedure.setdefault(event.procedure_id, []).append(event)
        return cls(fold_procedure(evs) for evs in by_procedure.values())

    # ------------------------------------------------------------------ reading
    @property
    def procedures(self) -> Mapping[str, ProcedureFacts]:
        """Every procedure, oldest first."""
        return dict(self._procedures)

    def bag(self, identifier: str) -> BagHistory:
        key = bag_key(identifier)
        facts: list[Fact] = []
        ids: list[str] = []
        for pid in dict.fromkeys(self._by_bag.get(key, ())):
            pf = self._procedures[pid]
            ids.append(pid)
            for entry in pf.bags:
                if key in entry.keys:
                    facts.extend(pf.facts_of_bag(entry.number))
        facts.sort(key=lambda f: f.at.wall)
        return BagHistory(key, tuple(facts), tuple(ids))

    def patient(self, mrn: str | None = None, coi: str | None = None) -> PatientHistory:
        keys = patient_keys(mrn, coi)
        pids = list(dict.fromkeys(pid for k in keys for pid in self._by_patient.get(k, ())))
        pids.sort(key=lambda pid: _order(self._procedures[pid]))
        facts = sorted((f for pid in pids for f in self._procedures[pid].patient_facts),
                       key=lambda f: f.at.wall)
        return PatientHistory(keys, tuple(facts), tuple(pids))

    # ------------------------------------------------------------------ the engine's questions
    def bag_bar(self, identifiers: tuple[str, ...], *, excluding: str | None) -> CustodyBar | None:
        seen: set[str] = set()
        for identifier in identifiers:
            key = bag_key(identifier)
            for pid in self._by_bag.get(key, ()):
                if pid == excluding or pid in seen:
                    continue
                seen.add(pid)
                bar = self._bag_bar_in(self._procedures[pid], key, identifier)
                if bar is not None:
                    return bar
        return None

    def _bag_bar_in(self, pf: ProcedureFacts, key: str, shown: str) -> CustodyBar | None:
        if pf.training:
            return None
        for entry in pf.bags:
            if key not in entry.keys:
                continue
            facts = pf.facts_of_bag(entry.number)
            for what, bar in _BAG_BARS:
                found = next((f for f in facts if f.what == what), None)
                if found is not None:
                    return CustodyBar("bag", shown, bar, pf.procedure_id, found.step, found.at,
                                      entry.number, {"lot": entry.lot, "fact": found.what,
                                                     "event_id": found.event_id})
            if pf.open:
                listed = next((f for f in facts if f.what == "listed"), None)
                if listed is not None:
                    return CustodyBar("bag", shown, "open", pf.procedure_id, pf.step, listed.at,
                                      entry.number, {"lot": entry.lot})
        return None

    def patient_bar(self, mrn: str | None, coi: str | None, *,
                    excluding: str | None) -> CustodyBar | None:
        for key in patient_keys(mrn, coi):
            for pid in self._by_patient.get(key, ()):
                pf = self._procedures[pid]
                if pid == excluding or pf.training:
                    continue
                shown = key.replace("mrn:", "MRN ").replace("coi:", "chain-of-identity ")
                received = next((f for f in pf.patient_facts if f.what == "received"), None)
                if received is not None:
                    return CustodyBar("patient", shown, "received", pid, received.step,
                                      received.at, received.bag,
                                      {"event_id": received.event_id})
                if pf.open:
                    listed = next(f for f in pf.patient_facts if f.what == "listed")
                    return CustodyBar("patient", shown, "open", pid, pf.step, listed.at)
        return None
