"""The engine's interface to the product ledger: what happened, in other procedures, to a bag or
a patient.

A bag is given once and a patient receives one dose (label §2.1 "For one-time single-dose
intravenous use only."), and a thawed bag is never refrozen (§16.2). One procedure's events
cannot know that; `kresladi_bedside.ledger` folds every procedure in the store and answers these
questions. The engine asks through this protocol so it stays pure (no store) and so a procedure
without a store (a test, a rehearsal of one procedure) simply has no history (`NoCustody`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..clock import Instant

# What barred it, worst first: given to a patient, thawed (never refrozen), found compromised,
# found expired, in a procedure that hard-stopped on the product, or still in an open procedure
# (which is resumed, never restarted).
BarWhat = Literal["infused", "thawed", "compromised", "expired", "product_stop", "open",
                  "received"]


@dataclass(frozen=True)
class CustodyBar:
    """An earlier fact that keeps a bag out of, or a patient from, a new procedure."""

    subject: Literal["bag", "patient"]
    key: str  # the identifier that matched, as the nurse reads it ("DIN W123426000101")
    what: BarWhat
    procedure_id: str  # the earlier procedure
    step: str  # the step of that procedure where it happened
    at: Instant  # when it happened
    bag: int | None = None  # which bag of the earlier procedure
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "key": self.key, "what": self.what,
                "procedure_id": self.procedure_id, "step": self.step,
                "at": self.at.to_dict(), "bag": self.bag, "details": dict(self.details)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CustodyBar:
        return cls(d["subject"], d["key"], d["what"], d["procedure_id"], d["step"],
                   Instant.from_dict(d["at"]), d.get("bag"), dict(d.get("details") or {}))


class Custody(Protocol):
    def bag_bar(self, identifiers: tuple[str, ...], *, excluding: str | None) -> CustodyBar | None:
        """The earlier fact that bars a bag known by any of `identifiers` (DIN, bag identifier,
        GS1 serial), ignoring procedure `excluding` (the one asking); None when it may be used."""
        ...

    def patient_bar(self, mrn: str | None, coi: str | None, *,
                    excluding: str | None) -> CustodyBar | None:
        """The earlier fact that bars a new dose for this patient; None when there is none."""
        ...


class NoCustody:
    """No other procedure is known (a procedure without a store)."""

    def bag_bar(self, identifiers: tuple[str, ...], *, excluding: str | None) -> CustodyBar | None:
        return None

    def patient_bar(self, mrn: str | None, coi: str | None, *,
                    excluding: str | None) -> CustodyBar | None:
        return None


_WHAT_TEXT: dict[str, str] = {
    "infused": "was given", "thawed": "was thawed", "compromised": "was found compromised",
    "expired": "was found expired", "product_stop": "was in a procedure that hard-stopped on "
    "the product", "open": "is in a procedure that is still open", "received": "received "
    "KRESLADI",
}


def bar_reason(bar: CustodyBar, contact: str) -> str:
    """The hard stop in the nurse's words: what, in which earlier procedure, at which step,
    when, and what to do."""
    when = bar.at.local().strftime("%Y-%m-%d %H:%M %z")
    where = (f"procedure {bar.procedure_id[:8]}, step {bar.step}"
             + (f" (bag {bar.bag})" if bar.bag is not None else "") + f", {when}")
    if bar.subject == "patient":
        if bar.what == "open":
            return (f"The patient ({bar.key}) already has an open procedure ({where}): resume "
                    "that procedure; never start a new one.")
        return (f"The patient ({bar.key}) already received KRESLADI ({where}). KRESLADI is a "
                "one-time single dose: no new dose can be opened.")
    if bar.what == "open":
        return (f"Bag {bar.key} {_WHAT_TEXT['open']} ({where}): resume that procedure; a bag "
                "never enters two procedures.")
    return (f"Bag {bar.key} {_WHAT_TEXT[bar.what]} ({where}). It can never enter another "
            f"procedure: do not use it; call {contact}.")
