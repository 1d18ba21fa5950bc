"""The decision kernel: how any procedure of this program (the infusion, the receipt) answers a
command. Written once; each procedure's rules live in its own module (engine/decide.py,
receipt/decide.py) as handlers that read a `Ruling` and call its verbs:

- `refuse` raises `Refusal` (nothing changes) with the rule, a reason and the rule's citation;
- `emit` adds an event; `hard_stop` records a finding that ends the procedure (no override);
- `past_limit` notes a limit passed, which only a signed deviation lets through: `settle`
  asks for it once the handler is done and puts a `deviation_recorded` event first.

Pure: no clock, no storage, no side effects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, NoReturn, TypeVar

from ..clock import Instant
from ..labels.model import Scan
from ..profile import Profile
from .custody import Custody, NoCustody
from .model import Command, Rejection, RejectionKind

S = TypeVar("S")


class Refusal(Exception):
    def __init__(self, rejection: Rejection) -> None:
        super().__init__(rejection.reason)
        self.rejection = rejection


# A limit passed: its rule, bag, what was measured, the sentence that says so, and the unit.
LatePast = tuple[str, int | None, float, str, str]


@dataclass
class Ruling(Generic[S]):
    """What a command produces: the events, and `rejection` too when a hard stop ends the
    procedure. `custody` answers for the other procedures in the store (the product ledger)."""

    state: S
    command: Command
    now: Instant
    profile: Profile
    custody: Custody = field(default_factory=NoCustody)
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rejection: Rejection | None = None
    _late: list[LatePast] = field(default_factory=list)

    @property
    def args(self) -> Mapping[str, Any]:
        return self.command.args

    # ------------------------------------------------------------------ citations and refusals
    def cite(self, rule: str) -> str:
        """The label sentence behind `rule`; none for the program's own rules (an unknown
        command, a missing user, a step out of order): they quote no label sentence."""
        found = self.profile.rules.get(rule)
        return found.citation if found is not None else ""

    def refuse(self, rule: str, reason: str, kind: RejectionKind = "refused",
               until: Instant | None = None, *, citation: str | None = None,
               **details: Any) -> NoReturn:
        cited = self.cite(rule) if citation is None else citation
        raise Refusal(Rejection(rule, reason, cited, kind, until, details))

    def emit(self, event_type: str, **data: Any) -> None:
        self.events.append((event_type, data))

    def hard_stop(self, rule: str, reason: str, **details: Any) -> None:
        """A finding about the product or the patient: recorded, and the procedure ends."""
        contact = self.profile.manufacturer_contact
        citation = self.cite(rule)
        self.rejection = Rejection(rule, reason, citation, "hard_stop", None,
                                   {**details, "contact": contact})
        self.stopped(rule, reason, citation, contact, details)

    def stopped(self, rule: str, reason: str, citation: str, contact: str,
                details: Mapping[str, Any]) -> None:
        """The events that record a hard stop: each procedure's own."""
        raise NotImplementedError

    def scanned(self) -> Scan:
        """The label a `scan` command carries; a typed one needs its reason."""
        try:
            scan = Scan.from_dict(self.args["scan"])
        except (KeyError, TypeError) as exc:
            self.refuse("identity", f"The scan could not be read ({exc}).")
        if scan.source == "typed" and not (scan.typed_reason or "").strip():
            self.refuse("identity", "A typed identifier needs a reason.")
        return scan

    # ------------------------------------------------------------------------- deviations
    def has_deviation(self, rule: str, bag: int | None) -> bool:
        """Whether a deviation for `rule` (and `bag`) is already recorded in the state."""
        return False

    def past_limit(self, rule: str, bag: int | None, measured: float, what: str,
                   unit: str = "s") -> None:
        """A limit was passed: allowed only with a signed deviation (collected, checked at end).
        `measured` is in seconds unless `unit` says otherwise (mL/kg for a flush)."""
        if not self.has_deviation(rule, bag) and not any(
                late[0] == rule and late[1] == bag for late in self._late):
            self._late.append((rule, bag, measured, what, unit))

    def settle(self) -> None:
        """After the handler: unless a hard stop ended the procedure, every limit passed needs
        the command's deviation (a reason and a signature), recorded before the events."""
        if self.rejection is not None or not self._late:
            return
        deviation = self.command.deviation
        if deviation is None or not deviation.reason.strip() or not deviation.signed_by:
            rule, bag, measured, what, unit = self._late[0]
            self.refuse(rule, f"{what} Continuing needs a deviation: a reason and a signature.",
                        "deviation_required", **measured_data(measured, unit), bag=bag)
        recorded = [("deviation_recorded", {"rule": rule, "bag": bag,
                                            **measured_data(measured, unit), "what": what,
                                            "reason": deviation.reason.strip(),
                                            "signed_by": deviation.signed_by})
                    for rule, bag, measured, what, unit in self._late]
        self.events[0:0] = recorded


def measured_data(value: float, unit: str) -> dict[str, Any]:
    if unit == "s":
        return {"measured_s": round(value, 3)}
    return {"measured": round(value, 3), "unit": unit}
