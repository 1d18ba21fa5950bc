"""The engine's interface to identity matching.

The engine asks a verifier to judge each scan against the order and the labels already accepted;
the verifier answers with a verdict. `kresladi_bedside.engine.verifier.LabelIdentityVerifier` is
the one the program uses (`engine.procedure.default_verifier`). `ExactMatchVerifier` here is a
test double: it lets the engine's own rules be tested with hand-made scans, without label parsing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from ..clock import Instant
from ..labels import expiry
from ..labels.model import Scan
from .model import Order

Stage = Literal["initial", "bedside"]
Role = Literal["wristband", "shipper", "cassette", "bag"]


@dataclass(frozen=True)
class AcceptedLabel:
    role: Role
    stage: Stage
    bag: int | None  # bag number for cassette and bag labels
    scan: Scan
    at: Instant
    matched: tuple[str, ...] = ()
    expiry: datetime | None = None  # the instant the label's printed expiry means (site zone)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"role": self.role, "stage": self.stage, "bag": self.bag,
             "scan": self.scan.to_dict(), "at": self.at.to_dict(),
             "matched": list(self.matched)}
        if self.expiry is not None:
            d["expiry"] = self.expiry.isoformat()
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> AcceptedLabel:
        expiry = d.get("expiry")
        return cls(d["role"], d["stage"], d.get("bag"), Scan.from_dict(d["scan"]),
                   Instant.from_dict(d["at"]), tuple(d.get("matched", ())),
                   None if expiry is None else datetime.fromisoformat(expiry))


@dataclass(frozen=True)
class IdentityContext:
    order: Order
    accepted: tuple[AcceptedLabel, ...]  # labels accepted so far, oldest first
    stage: Stage
    bag: int | None  # at the bedside: the bag being re-confirmed
    now: Instant


@dataclass(frozen=True)
class Verdict:
    ok: bool
    role: Role | None = None
    bag: int | None = None
    matched: tuple[str, ...] = ()  # identifiers that matched the order / earlier labels
    expiry: datetime | None = None  # the label's printed expiry as an instant, when it has one
    # when not ok:
    rule: str = ""
    reason: str = ""
    kind: Literal["refused", "hard_stop"] = "refused"
    details: Mapping[str, Any] = field(default_factory=dict)


class IdentityVerifier(Protocol):
    def judge(self, scan: Scan, ctx: IdentityContext) -> Verdict: ...


_ROLE_OF_KIND: dict[str, Role] = {
    "wristband": "wristband", "shipper": "shipper", "cassette": "cassette", "bag": "bag",
}


class ExactMatchVerifier:
    """Test double: identifiers present on both sides must be equal, character for character.
    Never used by the program (no normalisation, no recency, no cassette-before-bag rule)."""

    def judge(self, scan: Scan, ctx: IdentityContext) -> Verdict:
        role = _ROLE_OF_KIND.get(scan.kind)
        if role is None:
            return Verdict(False, rule="identity", reason=f"a {scan.kind} label is not used here")
        expected = ctx.order.patient.identifiers()
        bag = None
        if role in ("cassette", "bag"):
            din = scan.identifiers.get("din") or scan.identifiers.get("bag_id")
            line = next((b for b in ctx.order.bags if b.bag_id == din), None)
            if line is None:
                return Verdict(False, rule="identity",
                               reason=f"bag {din!r} is not on the Lot Information Sheet")
            bag = line.number
            expected = {**expected, "lot": line.lot}
        matched = []
        for key, value in scan.identifiers.items():
            if key in expected:
                if value != expected[key]:
                    return Verdict(False, rule="identity", kind="hard_stop",
                                   reason=f"{key} on the {scan.kind} label is {value!r}, "
                                          f"expected {expected[key]!r}",
                                   details={"field": key, "label": scan.kind,
                                            "expected": expected[key], "found": value})
                matched.append(key)
        printed = scan.identifiers.get("expiry")
        label_expiry = None
        if printed and bag is not None:
            label_expiry = expiry.label_instant(printed, None, ctx.order.bag(bag).expiry,
                                                ctx.now.utc_offset_s)
        return Verdict(True, role=role, bag=bag, matched=tuple(matched), expiry=label_expiry)
