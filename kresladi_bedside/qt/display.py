"""Turning what the engine says into words and digits for the screen. No Qt, no rule: every
number shown here is one the engine computed; this module only formats it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

STEP_TITLES: dict[str, str] = {
    "signin": "Sign in",
    "new": "Order",
    "order": "Order (Lot Information Sheet)",
    "gates": "Before conditioning and on receipt",
    "identity": "Identity: wristband, shipper, cassettes, bags",
    "inspect": "Inspect the bag",
    "thaw": "Thaw",
    "bedside_identity": "At the bedside: identity again",
    "line_checks": "Line checks",
    "infusion": "Infusion",
    "flush": "Flush",
    "between_bags": "Wait before the next bag",
    "post_infusion": "After the infusion",
    "complete": "Procedure complete",
    "stopped": "Procedure stopped",
}


def step_title(step: str, bag: int | None, bag_count: int | None) -> str:
    title = STEP_TITLES.get(step, step)
    if bag is not None:
        of = f" of {bag_count}" if bag_count else ""
        return f"Bag {bag}{of} — {title}"
    return title


def display_name(name: str) -> str:
    """LAST^FIRST (HL7 style, as on some labels and sheets) shown as LAST, FIRST."""
    return ", ".join(part for part in name.split("^") if part) if "^" in name else name


def clock_text(seconds: float) -> str:
    """m:ss under an hour, h:mm:ss above; whole seconds, rounded towards the limit."""
    s = int(abs(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    text = f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"
    return f"−{text}" if seconds < 0 and s else text


@dataclass(frozen=True)
class Tile:
    title: str
    digits: str
    caption: str
    level: str  # the engine's level: ok | warning | alarm | waiting


def countdown_tile(c: Any) -> Tile:
    """One countdown as a header tile: a title, big digits and a caption under them."""
    title = c.label
    if c.level == "waiting" and c.opens_in_s is not None:
        return Tile(title, clock_text(c.opens_in_s), "opens in", c.level)
    if c.closes_in_s is not None:
        if c.closes_in_s < 0:
            return Tile(title, clock_text(-c.closes_in_s), "CLOSED — passed by", c.level)
        return Tile(title, clock_text(c.closes_in_s), "closes in", c.level)
    if c.id == "thaw" and c.limit_s:
        return Tile(title, clock_text(c.elapsed_s),
                    f"elapsed of {clock_text(c.limit_s)}", c.level)
    if c.remaining_s is not None and c.remaining_s < 0:
        return Tile(title, clock_text(-c.remaining_s), "OVER by", c.level)
    remaining = c.remaining_s if c.remaining_s is not None else 0.0
    return Tile(title, clock_text(remaining), "left", c.level)


LABEL_NAMES: dict[str, str] = {
    "wristband": "Patient wristband", "shipper": "Shipper label", "cassette": "Cassette",
    "bag": "Bag label", "badge": "Staff badge", "unknown": "Unrecognised label",
}

IDENTIFIER_NAMES: dict[str, str] = {
    "mrn": "MRN", "name": "name", "dob": "date of birth", "coi": "chain-of-identity id",
    "patient_id": "patient id", "gsrn": "GSRN", "din": "DIN", "lot": "lot", "expiry": "expiry",
    "bag_id": "bag id", "product_code": "product code",
}


def names(keys: Any) -> str:
    return ", ".join(IDENTIFIER_NAMES.get(k, k) for k in keys) or "nothing"


def accepted_text(label: Mapping[str, Any]) -> str:
    what = LABEL_NAMES.get(label.get("role", ""), label.get("role", "label"))
    bag = label.get("bag")
    if bag is not None:
        what += f" (bag {bag})"
    return f"✔ ACCEPTED: {what}\nMatched: {names(label.get('matched', ()))}"


def rejected_text(rejection: Any, scan_kind: str | None = None) -> str:
    head = "✘ STOP" if rejection.kind == "hard_stop" else "✘ NOT ACCEPTED"
    what = f" — {LABEL_NAMES.get(scan_kind, scan_kind)}" if scan_kind else ""
    lines = [f"{head}{what}", rejection.reason]
    d = rejection.details or {}
    if "expected" in d and "found" in d:
        field = IDENTIFIER_NAMES.get(d.get("field", ""), d.get("field", "value"))
        lines.append(f"Did not match: {field} — label says {d['found']!r}, "
                     f"expected {d['expected']!r}")
    if d.get("matched"):
        lines.append(f"Matched: {names(d['matched'])}")
    return "\n".join(lines)


def refusal_text(rejection: Any) -> str:
    kind = {"refused": "Not allowed", "wait": "Not yet", "deviation_required":
            "Limit passed: a signed deviation is needed", "hard_stop": "STOP"}.get(
        rejection.kind, rejection.kind)
    return f"{kind}: {rejection.reason}\n{rejection.citation}"
