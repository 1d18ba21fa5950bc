"""The engine's vocabulary: the order, commands, events, rejections and outcomes.

Everything here is plain data that round-trips through JSON, so the store can keep it and
`simulate` can read it from a script.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from ..clock import Instant

RejectionKind = Literal["refused", "wait", "deviation_required", "hard_stop"]


class OrderError(ValueError):
    """An order (Lot Information Sheet) that cannot be read: names the field that is wrong."""


@dataclass(frozen=True)
class Patient:
    mrn: str
    name: str
    dob: date
    coi: str | None = None  # chain-of-identity identifier on the product labels
    patient_id: str | None = None  # ISBT 128 patient identification number
    gsrn: str | None = None  # GS1 patient GSRN on the wristband

    def identifiers(self) -> dict[str, str]:
        ids = {"mrn": self.mrn, "name": self.name, "dob": self.dob.isoformat()}
        for key in ("coi", "patient_id", "gsrn"):
            value = getattr(self, key)
            if value:
                ids[key] = value
        return ids


@dataclass(frozen=True)
class OrderBag:
    """One line of the Lot Information Sheet."""

    number: int  # 1-based: bag 1 of N
    bag_id: str  # DIN (13 characters, flags removed) or the sheet's bag identifier
    lot: str
    expiry: datetime  # aware
    cd34_per_kg: float  # CD34+ cells/kg this bag delivers
    volume_ml: float | None = None


@dataclass(frozen=True)
class Order:
    patient: Patient
    weight_kg: float  # weight before the first apheresis
    bags: tuple[OrderBag, ...]
    sheet_bag_count: int  # the number of bags the Lot Information Sheet says were shipped
    order_id: str | None = None  # the hospital's order (MedicationRequest) id, when it has one

    @property
    def lots(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(b.lot for b in self.bags))

    @property
    def dose_cd34_per_kg(self) -> float:
        return sum(b.cd34_per_kg for b in self.bags)

    def bag(self, number: int) -> OrderBag:
        for b in self.bags:
            if b.number == number:
                return b
        raise KeyError(number)

    def to_dict(self) -> dict[str, Any]:
        p = self.patient
        return {
            "patient": {
                "mrn": p.mrn,
                "name": p.name,
                "dob": p.dob.isoformat(),
                "coi": p.coi,
                "patient_id": p.patient_id,
                "gsrn": p.gsrn,
            },
            "weight_kg": self.weight_kg,
            "sheet_bag_count": self.sheet_bag_count,
            "order_id": self.order_id,
            "bags": [
                {
                    "number": b.number,
                    "bag_id": b.bag_id,
                    "lot": b.lot,
                    "expiry": b.expiry.isoformat(),
                    "cd34_per_kg": b.cd34_per_kg,
                    "volume_ml": b.volume_ml,
                }
                for b in self.bags
            ],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, strict: bool = True) -> Order:
        """Read an order; `strict` checks every number's physical range (an order already in
        the log is replayed as it was accepted, `strict=False`)."""
        def number_in(value: Any, field: str, low: float, high: float, unit: str) -> float:
            if strict:
                return _number_in(value, field, low, high, unit)
            return float(value)

        try:
            p = d["patient"]
            patient = Patient(
                mrn=_text(p, "mrn"),
                name=_text(p, "name"),
                dob=date.fromisoformat(_text(p, "dob")),
                coi=p.get("coi") or None,
                patient_id=p.get("patient_id") or None,
                gsrn=p.get("gsrn") or None,
            )
            bags = []
            raw_bags = d["bags"]
            if not isinstance(raw_bags, list) or not raw_bags:
                raise OrderError("'bags' must be a list of at least one bag")
            for i, b in enumerate(raw_bags, start=1):
                expiry = datetime.fromisoformat(_text(b, "expiry"))
                if expiry.tzinfo is None:
                    raise OrderError(f"bag {i}: expiry '{b['expiry']}' has no UTC offset")
                number = b.get("number", i)
                if not isinstance(number, int) or isinstance(number, bool):
                    raise OrderError(f"bag {i}: 'number' must be a whole number (got {number!r})")
                volume = b.get("volume_ml")
                bags.append(
                    OrderBag(
                        number=number,
                        bag_id=_text(b, "bag_id"),
                        lot=_text(b, "lot"),
                        expiry=expiry,
                        cd34_per_kg=number_in(b["cd34_per_kg"], f"bag {i}: cd34_per_kg",
                                              *LIMITS["cd34_per_kg"]),
                        volume_ml=None if volume is None else number_in(
                            volume, f"bag {i}: volume_ml", *LIMITS["bag_volume_ml"]),
                    )
                )
            weight = number_in(d["weight_kg"], "weight_kg", *LIMITS["weight_kg"])
            count = d.get("sheet_bag_count", len(bags))
            if not isinstance(count, int) or isinstance(count, bool):
                raise OrderError(f"sheet_bag_count must be a whole number (got {count!r})")
        except KeyError as exc:
            raise OrderError(f"the order is missing '{exc.args[0]}'") from exc
        except (TypeError, ValueError) as exc:
            if isinstance(exc, OrderError):
                raise
            raise OrderError(f"the order has a malformed value: {exc}") from exc
        order_id = str(d["order_id"]).strip() or None if d.get("order_id") else None
        return cls(patient=patient, weight_kg=weight, bags=tuple(bags), sheet_bag_count=count,
                   order_id=order_id)


# The physical range of every number the engine takes (what a person could type or a file could
# hold by mistake: NaN, infinity, a weight in grams). Outside it the command is refused with a
# message naming the field; inside it, the clinical rules judge.
LIMITS: dict[str, tuple[float, float, str]] = {
    "weight_kg": (1.0, 150.0, "kg"),  # infants and children; 0.2 kg or 250 kg is a typing error
    "cd34_per_kg": (1.0, 1e9, "CD34+ cells/kg"),
    "backup_cd34_per_kg": (1.0, 1e9, "CD34+ cells/kg"),
    "bag_volume_ml": (0.1, 1000.0, "mL"),
    "storage_celsius": (-273.15, 60.0, "°C"),
    "flush_ml": (0.1, 1000.0, "mL"),
    "priming_ml": (0.1, 200.0, "mL"),  # an infusion tubing set's priming volume
}


def _number_in(value: Any, field: str, low: float, high: float, unit: str) -> float:
    """`value` as a finite number within [low, high], else OrderError naming `field`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise OrderError(f"{field} must be a number in {unit} (got {value!r})")
    number = float(value)
    if not math.isfinite(number):
        raise OrderError(f"{field} must be a finite number (got {value!r})")
    if not low <= number <= high:
        raise OrderError(f"{field} must be between {low:g} and {high:g} {unit} "
                         f"(got {number:g})")
    return number


def _text(d: Mapping[str, Any], key: str) -> str:
    value = d[key]
    if not isinstance(value, str) or not value.strip():
        raise OrderError(f"'{key}' must be a non-empty text (got {value!r})")
    return value.strip()


@dataclass(frozen=True)
class Signature:
    """A signing act: who, their printed name, when, and what the signature means."""

    user: str
    name: str
    meaning: Literal["performed", "witnessed", "deviation", "acknowledged"]
    at: Instant

    def to_dict(self) -> dict[str, Any]:
        return {"user": self.user, "name": self.name, "meaning": self.meaning,
                "at": self.at.to_dict()}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Signature:
        return cls(d["user"], d["name"], d["meaning"], Instant.from_dict(d["at"]))


@dataclass(frozen=True)
class Deviation:
    reason: str
    signed_by: str  # user id of the signer

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "signed_by": self.signed_by}


@dataclass(frozen=True)
class Command:
    name: str
    args: Mapping[str, Any] = field(default_factory=dict)
    user: str = ""
    deviation: Deviation | None = None  # given when a limit was passed and the nurse signs for it
    signatures: tuple[Signature, ...] = ()  # added by the people layer after authentication
    witness: str | None = None  # user id of the witness, checked by the people layer


@dataclass(frozen=True)
class Event:
    id: str
    procedure_id: str
    type: str
    data: Mapping[str, Any]
    user: str
    at: Instant

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "procedure_id": self.procedure_id,
            "type": self.type,
            "data": dict(self.data),
            "user": self.user,
            "at": self.at.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Event:
        return cls(
            id=d["id"],
            procedure_id=d["procedure_id"],
            type=d["type"],
            data=d["data"],
            user=d["user"],
            at=Instant.from_dict(d["at"]),
        )


@dataclass(frozen=True)
class Rejection:
    rule: str  # the profile's rule id
    reason: str  # a sentence a nurse understands
    citation: str  # the prescribing information's section and sentence
    kind: RejectionKind = "refused"
    until: Instant | None = None  # for a wait: when it lifts
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "reason": self.reason,
            "citation": self.citation,
            "kind": self.kind,
            "until": None if self.until is None else self.until.to_dict(),
            "details": dict(self.details),
        }


@dataclass(frozen=True)
class Outcome:
    """What a command did. Accepted: events and no rejection. Refused/wait/deviation needed:
    a rejection and no events (nothing changed; the rejection itself is still logged as a
    `command_rejected` event that the fold ignores). Hard stop found in the product: a
    rejection *and* the `hard_stop` event that ends the procedure."""

    events: tuple[Event, ...]
    rejection: Rejection | None = None

    @property
    def accepted(self) -> bool:
        return self.rejection is None


def number_in(value: Any, field: str, limit: str) -> float:
    """`value` as a finite number within the physical range `LIMITS[limit]`, else OrderError
    naming `field`."""
    return _number_in(value, field, *LIMITS[limit])


def jsonable(value: Any) -> Any:
    """A refused command's arguments as plain JSON for its rejection event: keys as text, what
    JSON has no form for (a date, NaN, infinity: typed or sent) as text, so that the refusal
    is logged, never lost to the store's strict JSON."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
