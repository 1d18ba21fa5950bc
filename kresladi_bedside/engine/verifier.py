"""Identity: does this label belong to the patient in the order, and to the bag it claims to be?

Checked in this order, so the worst finding wins:
1. hard stops, found in the product: any identifier on the label that differs from the order or
   from a label already accepted (`identity`), a DIN not on the Lot Information Sheet
   (`bag_not_on_sheet`), an expired bag (`expiry`);
2. refusals, which change nothing and ask for another scan: a label kind not used here
   (`label_kind`), a shipper label where a bag is confirmed (`shipper_as_bag`), a bag from another
   line of the sheet than the one being confirmed (`wrong_line`), a label already accepted at this
   stage (`already_accepted`), a bag before its cassette at the initial check (`cassette_first`),
   no recent wristband scan when a bag is confirmed (`wristband_stale`), fewer than two patient
   identifiers confirmed (`identity_incomplete`).

A patient identifier is *confirmed* when it equals the order's value or, where the order does not
hold it, the value on a label already accepted. Every label, the wristband included, needs two.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from ..clock import elapsed
from ..config import IdentityConfig
from ..labels import expiry as expiries
from ..labels.compare import FIELD_NAMES, same_value
from ..labels.model import Scan
from .identity import AcceptedLabel, IdentityContext, Role, Verdict
from .model import OrderBag

ROLE_OF_KIND: dict[str, Role] = {
    "wristband": "wristband", "shipper": "shipper", "cassette": "cassette", "bag": "bag",
}
# Identifiers of the product compared between a cassette and its bag; din_flags never (they
# differ between labels of one DIN by design).
PRODUCT_KEYS: tuple[str, ...] = ("din", "bag_id", "lot", "expiry", "product_code", "gtin",
                                 "serial")


class _Stop(Exception):
    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict


def _label(role: str, bag: int | None) -> str:
    return f"{role} label" + (f" of bag {bag}" if bag is not None else "")


def _mismatch(key: str, label: str, found: str, expected: str, against: str) -> Verdict:
    field = FIELD_NAMES.get(key, key)
    if label.startswith("wristband"):
        # The patient in front of the nurse is not the one the product is for: the product is
        # not in question, the patient is.
        action = ("This is not the patient this KRESLADI is for: do not give it to this "
                  "patient. Check the patient and the wristband.")
    else:
        action = "Do not use this product; call the manufacturer."
    return Verdict(
        ok=False, kind="hard_stop", rule="identity",
        reason=(f"Identity mismatch: the {field} on the {label} is '{found}', but the {against} "
                f"says '{expected}'. {action}"),
        details={"field": key, "label": label, "found": found, "expected": expected,
                 "against": against})


def _refuse(rule: str, reason: str, **details: Any) -> Verdict:
    return Verdict(ok=False, kind="refused", rule=rule, reason=reason, details=details)


class LabelIdentityVerifier:
    """The engine's identity verifier (`engine.identity.IdentityVerifier`)."""

    def __init__(self, config: IdentityConfig | None = None, *,
                 min_patient_identifiers: int = 2, zone: tzinfo | None = None) -> None:
        self.config = config or IdentityConfig()
        self.min_patient_identifiers = min_patient_identifiers
        # The site's time zone: labels print expiry as a local time in it. None: the
        # workstation's offset at the scan.
        self.zone = zone

    def judge(self, scan: Scan, ctx: IdentityContext) -> Verdict:
        try:
            return self._judge(scan, ctx)
        except _Stop as stop:
            return stop.verdict

    # ------------------------------------------------------------------ the steps

    def _judge(self, scan: Scan, ctx: IdentityContext) -> Verdict:
        role = ROLE_OF_KIND.get(scan.kind)
        if role is None:
            return _refuse("label_kind", f"A {scan.kind} label does not confirm identity: scan "
                           "the wristband, the shipper, a cassette or a bag label.",
                           label_kind=scan.kind)
        line = self._line(scan, role, ctx) if role in ("cassette", "bag") else None
        number = line.number if line else None
        label = _label(role, number)
        confirmed = self._check_patient(scan, label, ctx)
        matched_product = self._check_product(scan, label, role, line, ctx) if line else []
        label_expiry = self._check_expiry(scan, label, line, ctx) if line is not None else None
        self._check_sequence(role, line, ctx)
        if len(confirmed) < self.min_patient_identifiers:
            names = ", ".join(FIELD_NAMES[k] for k in confirmed) or "none"
            return _refuse(
                "identity_incomplete",
                f"Identity not yet confirmed: this {label} confirms {len(confirmed)} patient "
                f"identifier(s) ({names}); at least {self.min_patient_identifiers} are needed. "
                "Scan the 2-D code that carries the patient's identifiers.",
                confirmed=list(confirmed), needed=self.min_patient_identifiers)
        return Verdict(ok=True, role=role, bag=number,
                       matched=tuple(confirmed) + tuple(matched_product), expiry=label_expiry)

    def _line(self, scan: Scan, role: Role, ctx: IdentityContext) -> OrderBag:
        ids = scan.identifiers
        bag_id = ids.get("din") or ids.get("bag_id")
        if not bag_id:
            raise _Stop(_refuse("identity_incomplete",
                                f"This {role} label has no DIN or bag identifier: scan its "
                                "2-D code.", confirmed=[], needed=self.min_patient_identifiers))
        for line in ctx.order.bags:
            if same_value("din", bag_id, line.bag_id):
                return line
        # The patient may still be wrong: say so first, it is the worse finding.
        self._check_patient(scan, _label(role, None), ctx)
        raise _Stop(Verdict(
            ok=False, kind="hard_stop", rule="bag_not_on_sheet",
            reason=(f"The {role} label's DIN {bag_id} is not on the Lot Information Sheet "
                    f"({', '.join(b.bag_id for b in ctx.order.bags)}). Do not use this product; "
                    "call the manufacturer."),
            details={"field": "din", "label": f"{role} label", "found": bag_id,
                     "expected": [b.bag_id for b in ctx.order.bags],
                     "against": "Lot Information Sheet"}))

    def _check_patient(self, scan: Scan, label: str, ctx: IdentityContext) -> list[str]:
        """Every patient identifier against the order and the accepted labels; returns the
        identifiers confirmed."""
        order_ids = ctx.order.patient.identifiers()
        confirmed: list[str] = []
        for key, found in scan.patient_identifiers().items():
            expected = order_ids.get(key)
            if expected is not None:
                if not same_value(key, found, expected):
                    raise _Stop(_mismatch(key, label, found, expected, "order"))
                confirmed.append(key)
            for earlier in ctx.accepted:
                other = earlier.scan.identifiers.get(key)
                if other is not None and not same_value(key, found, other):
                    raise _Stop(_mismatch(key, label, found, other,
                                          _label(earlier.role, earlier.bag) + " accepted earlier"))
                if other is not None and key not in confirmed:
                    confirmed.append(key)
        return confirmed

    def _check_product(self, scan: Scan, label: str, role: Role, line: OrderBag,
                       ctx: IdentityContext) -> list[str]:
        ids = scan.identifiers
        matched = ["din"]
        sheet = {"lot": line.lot, "expiry": line.expiry.isoformat()}
        for key, expected in sheet.items():
            found = ids.get(key)
            if found is None:
                continue
            if not same_value(key, found, expected, self.zone, ctx.now.utc_offset_s):
                shown = expected if key != "expiry" else expiries.printed(line.expiry, self.zone)
                raise _Stop(_mismatch(key, label, found, shown,
                                      f"Lot Information Sheet (bag {line.number})"))
            matched.append(key)
        for earlier in _same_bag(ctx.accepted, line.number):
            for key in PRODUCT_KEYS:
                found, other = ids.get(key), earlier.scan.identifiers.get(key)
                if found is None or other is None:
                    continue
                if not same_value(key, found, other, self.zone, ctx.now.utc_offset_s):
                    raise _Stop(_mismatch(key, label, found, other,
                                          _label(earlier.role, earlier.bag) + " accepted earlier"))
                if key not in matched:
                    matched.append(key)
        return matched

    def _check_expiry(self, scan: Scan, label: str, line: OrderBag,
                      ctx: IdentityContext) -> datetime | None:
        """Expired when the sheet's instant or the label's printed expiry (read in the site's
        zone) has come: the earlier of the two governs. Returns the label's instant."""
        now = ctx.now
        printed = scan.identifiers.get("expiry")
        label_expiry = (expiries.label_instant(printed, self.zone, line.expiry, now.utc_offset_s)
                        if printed else None)
        governing = min(x for x in (line.expiry, label_expiry) if x is not None)
        if expiries.is_expired(governing, now):
            raise _Stop(Verdict(
                ok=False, kind="hard_stop", rule="expiry",
                reason=(f"Bag {line.number} (lot {line.lot}) expired on "
                        f"{expiries.printed(governing, self.zone)}. Do not use it; call the "
                        "manufacturer."),
                details={"label": label, "bag": line.number, "expiry": line.expiry.isoformat(),
                         "label_expiry": printed, "now": now.wall.isoformat()}))
        return label_expiry

    def _check_sequence(self, role: Role, line: OrderBag | None, ctx: IdentityContext) -> None:
        number = line.number if line else None
        if role == "shipper" and (ctx.bag is not None or ctx.stage == "bedside"):
            raise _Stop(_refuse("shipper_as_bag", "This is the shipper label, not a bag label: "
                                "scan the label on the bag itself.", stage=ctx.stage))
        if line is not None and ctx.bag is not None and line.number != ctx.bag:
            want = ctx.order.bag(ctx.bag) if any(b.number == ctx.bag for b in ctx.order.bags) \
                else None
            lot = f" (lot {want.lot})" if want else ""
            raise _Stop(_refuse(
                "wrong_line", f"This is bag {line.number} (lot {line.lot}); bag {ctx.bag}{lot} is "
                "the one being confirmed now.", found_bag=line.number, expected_bag=ctx.bag))
        if role != "wristband" and any(a.role == role and a.stage == ctx.stage and a.bag == number
                                       for a in ctx.accepted):
            what = _label(role, number)
            raise _Stop(_refuse("already_accepted", f"The {what} was already accepted at this "
                                "step. Scan the next label.", role=role, bag=number))
        if role == "bag" and ctx.stage == "initial" and not any(
                a.role == "cassette" and a.stage == "initial" and a.bag == number
                for a in ctx.accepted):
            raise _Stop(_refuse("cassette_first", f"Scan the cassette label of bag {number} "
                                "first; do not take a bag out of a cassette whose label has not "
                                "been confirmed.", bag=number))
        if role == "bag":
            self._check_wristband_recent(ctx)

    def _check_wristband_recent(self, ctx: IdentityContext) -> None:
        limit_s = self.config.wristband_max_age_minutes * 60
        wristbands = [a for a in ctx.accepted if a.role == "wristband"]
        if not wristbands:
            raise _Stop(_refuse("wristband_stale", "Scan the patient's wristband before "
                                "confirming a bag.", age_s=None, limit_s=limit_s))
        age = elapsed(wristbands[-1].at, ctx.now)
        if not 0 <= age <= limit_s:
            raise _Stop(_refuse(
                "wristband_stale",
                f"The wristband was scanned {_ago(age)} ago, more than the {_ago(limit_s)} "
                "allowed: scan the patient's wristband again, at the bedside.",
                age_s=age, limit_s=limit_s))


def _ago(seconds: float) -> str:
    """'10 min 24 s': whole seconds, so a wristband just over the limit never reads as at it."""
    whole = max(int(seconds), 0) + (1 if seconds > int(seconds) else 0)
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def _same_bag(accepted: tuple[AcceptedLabel, ...], number: int) -> list[AcceptedLabel]:
    return [a for a in accepted if a.bag == number and a.role in ("cassette", "bag")]


def verdict_summary(verdict: Verdict) -> Mapping[str, Any]:
    """A verdict as plain data (for logs and the parse command)."""
    return {"ok": verdict.ok, "role": verdict.role, "bag": verdict.bag,
            "matched": list(verdict.matched), "rule": verdict.rule, "reason": verdict.reason,
            "kind": verdict.kind, "details": dict(verdict.details)}
