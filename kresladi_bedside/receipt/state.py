"""The receipt's state, folded from its events (the only way it changes), like the engine's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..clock import Instant
from ..engine.door import replay
from ..engine.model import Event, Order
from ..labels.model import Scan
from .model import DoubleCheck, Sheet


@dataclass(frozen=True)
class ReceivedLabel:
    """A shipper or cassette label accepted at receipt; `line` is the bag it holds (cassette)."""

    role: str  # "shipper" or "cassette"
    line: int | None
    scan: Scan
    at: Instant

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "line": self.line, "scan": self.scan.to_dict(),
                "at": self.at.to_dict()}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ReceivedLabel:
        return cls(d["role"], d.get("line"), Scan.from_dict(d["scan"]),
                   Instant.from_dict(d["at"]))


@dataclass(frozen=True)
class EhrPatient:
    """The patient as the hospital's EHR holds it (the source of truth for name and DOB)."""

    mrn: str
    name: str
    dob: str  # ISO date
    reference: str | None = None  # e.g. "Patient/abc"
    medication_request: str | None = None  # "MedicationRequest/…" for KRESLADI, where one exists
    # The manufacturer's chain-of-identity identifier, when the MedicationRequest carries it: a
    # source of the COI independent of the labels and of the typed sheet.
    coi: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"mrn": self.mrn, "name": self.name, "dob": self.dob,
               "reference": self.reference, "medication_request": self.medication_request}
        if self.coi:
            out["coi"] = self.coi
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> EhrPatient:
        return cls(d["mrn"], d["name"], d["dob"], d.get("reference"),
                   d.get("medication_request"), d.get("coi") or None)


@dataclass(frozen=True)
class ReceiptState:
    receipt_id: str | None = None
    opened_at: Instant | None = None
    training: bool = False
    mrn: str | None = None
    ehr: EhrPatient | None = None
    labels: tuple[ReceivedLabel, ...] = ()
    storage_celsius: float | None = None
    storage_location: str | None = None
    stored_at: Instant | None = None
    concerns: tuple[tuple[str, Instant], ...] = ()
    sheet: Sheet | None = None
    sheet_by: str | None = None
    verified_by: str | None = None
    verified_at: Instant | None = None
    # what the second person typed again blind, and what was checked against which source
    double_check: DoubleCheck | None = None
    order: Order | None = None  # set when the receipt is complete
    completed_at: Instant | None = None
    outcome: str | None = None  # None while open; "received" or "stopped"
    stop_rule: str | None = None
    stop_reason: str | None = None
    dispensed_to: tuple[str, ...] = ()  # infusion procedures opened from this receipt
    source: Mapping[str, Any] = field(default_factory=dict)  # where an imported receipt came from
    sent_to: tuple[str, ...] = ()  # the EHR resources the product was written to
    # custody steps recorded here: ("released" | "handed_over", reason, by) in order
    custody: tuple[tuple[str, str, str], ...] = ()

    def ehr_resources(self) -> tuple[str, ...]:
        """Where the EHR holds this product: written from here, or read from there."""
        return self.sent_to or tuple(self.source.get("resources") or ())

    @property
    def handed_over(self) -> bool:
        """Exported to another workstation: it can no longer be opened here."""
        return bool(self.custody) and self.custody[-1][0] == "handed_over"

    @property
    def active(self) -> bool:
        return self.receipt_id is not None and self.outcome is None

    def shipper(self) -> ReceivedLabel | None:
        return next((x for x in self.labels if x.role == "shipper"), None)

    def cassettes(self) -> tuple[ReceivedLabel, ...]:
        return tuple(x for x in self.labels if x.role == "cassette")

    def step(self) -> str:
        """Where the receipt is: labels → storage → sheet → verify → complete (or ended)."""
        if self.receipt_id is None:
            return "new"
        if self.outcome is not None:
            return self.outcome
        if self.shipper() is None or not self.cassettes():
            return "labels"
        if self.storage_celsius is None:
            return "storage"
        if self.sheet is None:
            return "sheet"
        if self.verified_by is None:
            return "verify"
        return "complete"


def evolve(state: ReceiptState, event: Event) -> ReceiptState:
    d, at = event.data, event.at
    match event.type:
        case "receipt_opened":
            ehr = d.get("ehr")
            return replace(state, receipt_id=event.procedure_id, opened_at=at,
                           training=bool(d.get("training", False)), mrn=d["mrn"],
                           ehr=EhrPatient.from_dict(ehr) if ehr else None,
                           source=dict(d.get("source") or {}))
        case "receipt_label_accepted":
            return replace(state, labels=(*state.labels, ReceivedLabel.from_dict(d["label"])))
        case "storage_recorded":
            # an imported receipt says when the product was really stored (`recorded_at`), not
            # when it was imported: the conditioning-order rule needs the former
            recorded = d.get("recorded_at")
            return replace(state, storage_celsius=float(d["temperature_c"]),
                           storage_location=d["location"],
                           stored_at=Instant.from_dict(dict(recorded))
                           if isinstance(recorded, Mapping) else at)
        case "concern_recorded":
            return replace(state, concerns=(*state.concerns, (d["text"], at)))
        case "sheet_entered":
            return replace(state, sheet=Sheet.from_dict(d["sheet"]), sheet_by=event.user,
                           verified_by=None, verified_at=None, double_check=None)
        case "sheet_verified":
            return replace(state, verified_by=d["verified_by"], verified_at=at,
                           double_check=DoubleCheck.from_dict(d.get("double_check")))
        case "receipt_completed":
            return replace(state, order=Order.from_dict(d["order"]), completed_at=at,
                           outcome="received", double_check=DoubleCheck.from_dict(
                               d.get("double_check")) or state.double_check)
        case "receipt_stopped":
            return replace(state, outcome="stopped", stop_rule=d.get("rule"),
                           stop_reason=d["reason"])
        case "receipt_dispensed":
            return replace(state, dispensed_to=(*state.dispensed_to, d["procedure_id"]))
        case "receipt_sent":
            return replace(state, sent_to=tuple(d.get("resources") or ()))
        case "receipt_rejected":
            return state  # audit only
        case "custody_released" | "custody_handed_over":
            return replace(state, custody=(*state.custody, (
                event.type.removeprefix("custody_"), d["reason"], str(d.get("signed_by")))))
    raise ValueError(f"unknown receipt event type {event.type!r}")


def fold(events: Iterable[Event], state: ReceiptState | None = None) -> ReceiptState:
    return replay(evolve, events, state or ReceiptState())
