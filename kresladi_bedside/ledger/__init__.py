"""The product ledger: what happened to each bag and each patient, across every procedure.

A fold over the events of every procedure in the store (never a mutable table of its own):
- `fold_procedure(events) -> ProcedureFacts` / `evolve_facts(facts, event)`: one procedure's
  facts (patient, bags with every identifier they were known by, and `Fact`s: what, procedure,
  step, instant, event id);
- `Ledger(facts)` / `Ledger.from_events(events)`: `bag(identifier) -> BagHistory`,
  `patient(mrn, coi) -> PatientHistory`, and the engine's questions `bag_bar(identifiers,
  excluding=)` / `patient_bar(mrn, coi, excluding=)` -> `engine.custody.CustodyBar | None`;
- `StoreLedger(store)`: the same questions over a store, folding only what changed since the
  last question (keyed by each chain's head; finished procedures cached in `ledger_facts`).
"""

from ..engine.summary import PRODUCT_STOP_RULES
from .cache import StoreLedger
from .facts import (
    BAG_FACTS,
    PATIENT_FACTS,
    BagEntry,
    Fact,
    ProcedureFacts,
    bag_key,
    evolve_facts,
    fold_procedure,
    patient_keys,
)
from .ledger import BagHistory, Ledger, PatientHistory

__all__ = [
    "BAG_FACTS", "PATIENT_FACTS", "PRODUCT_STOP_RULES", "BagEntry", "BagHistory", "Fact",
    "Ledger", "PatientHistory", "ProcedureFacts", "StoreLedger", "bag_key", "evolve_facts",
    "fold_procedure", "patient_keys",
]
