"""Turning what the engine says into words and digits for the screen. No Qt, no rule: every
number shown here is one the engine computed; this module only formats it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
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
    "moved": "Handed over to another workstation",
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
    when: str = ""  # the absolute local time(s) the countdown points at ("opens 18:36")


def at_clock(now: Any, seconds: float | None, fmt: str = "%H:%M") -> str:
    """The local time of day `seconds` after the instant `now` (HH:MM), or '' without `now`.
    Another day than today says which ("02:00 tomorrow", "23:10 yesterday", "Thu 7 May 02:00"):
    a bare 02:00 under "closes in" could be last night or tonight (issue 25, item 14)."""
    if now is None or seconds is None:
        return ""
    today: datetime = now.local()
    when = today + timedelta(seconds=seconds)
    text = when.strftime(fmt)
    days = (when.date() - today.date()).days
    if days == 1:
        return f"{text} tomorrow"
    if days == -1:
        return f"{text} yesterday"
    if days:
        return f"{when.strftime('%a')} {when.day} {when.strftime('%b')} {text}"
    return text


def local_when(moment: datetime, zone: tzinfo | None = None) -> str:
    """A date and time as a nurse reads it, in the site's zone: "Fri 30 May 2027, 12:00 EDT"
    (never ISO "2027-05-31T12:00": issue 25, item 14). The zone's abbreviation, else the
    offset, says which local time it is."""
    local = moment.astimezone(zone) if zone is not None else moment
    name = local.tzname() or ""
    if not name or name.startswith(("UTC+", "UTC-", "+", "-")):
        offset = local.strftime("%z")
        name = f"UTC{offset[:3]}:{offset[3:]}" if offset else ""
    return f"{local.strftime('%a')} {local.day} {local.strftime('%b %Y, %H:%M')} {name}".strip()


SHORT_TITLES: dict[str, str] = {  # what each clock is, in a few words that fit a tile
    "thaw": "Thaw, bag {bag}", "infusion_window": "Bag {bag}: infusion window",
    "interbag": "Bag {bag}: thaw window", "conditioning": "Conditioning window",
}


def short_title(c: Any) -> str:
    form = SHORT_TITLES.get(c.id)
    return form.format(bag=c.bag) if form else str(c.label)


def countdown_tile(c: Any, now: Any = None) -> Tile:
    """One countdown as a header tile: a short title, big digits, a caption saying what the
    digits count, and beside every window the times of day it opens and closes (a bare
    "1:02:03" under "closes in" reads like a time of day). Short enough for three tiles across
    a 1366-pixel screen at 32 px; the engine's full label is the tile's accessible name."""
    tile = _tile(c, now)
    if getattr(c, "uncertain", False):  # a restart inside the span: the time is estimated
        return Tile(tile.title, f"≈{tile.digits}", tile.caption, tile.level, "clock moved")
    return tile


def _tile(c: Any, now: Any) -> Tile:
    title = short_title(c)
    opens = at_clock(now, c.opens_in_s)
    closes = at_clock(now, c.closes_in_s)
    if c.level == "waiting" and c.opens_in_s is not None:
        return Tile(title, clock_text(c.opens_in_s), "opens in", c.level,
                    f"{opens}–{closes}" if opens and closes else "")
    if c.closes_in_s is not None:
        if c.closes_in_s < 0:
            return Tile(title, clock_text(-c.closes_in_s), "CLOSED — passed by", c.level,
                        f"at {closes}" if closes else "")
        return Tile(title, clock_text(c.closes_in_s), "closes in", c.level,
                    f"at {closes}" if closes else "")
    # Every clock counts down (issue 25, item 14: the thaw counted up while the infusion
    # counted down); the thaw's limit to the second, since its minutes matter.
    thaw = c.id == "thaw" and bool(c.limit_s)
    limit_at = at_clock(now, c.remaining_s, "%H:%M:%S" if thaw else "%H:%M")
    if c.remaining_s is not None and c.remaining_s < 0:
        return Tile(title, clock_text(-c.remaining_s), "OVER by", c.level,
                    f"limit was {limit_at}" if limit_at else "")
    remaining = c.remaining_s if c.remaining_s is not None else 0.0
    return Tile(title, clock_text(remaining), f"left of {clock_text(c.limit_s)}" if thaw
                else "left", c.level, f"until {limit_at}" if limit_at else "")


def window_sentence(c: Any, now: Any, bag: int | None) -> str:
    """The inter-bag window in a sentence with times of day: "Bag 2 may be thawed from 18:36
    to 19:36 (opens in 0:58:12)"."""
    opens, closes = at_clock(now, c.opens_in_s), at_clock(now, c.closes_in_s)
    if c.opens_in_s is not None and c.opens_in_s > 0:
        return (f"Bag {bag} may be thawed from {opens} to {closes} (opens in "
                f"{clock_text(c.opens_in_s)}).")
    if c.closes_in_s is not None and c.closes_in_s >= 0:
        return f"Bag {bag} may be thawed now, until {closes} (closes in " \
               f"{clock_text(c.closes_in_s)})."
    return f"Bag {bag}'s window closed at {closes}: a signed deviation is needed to continue."


def opened_windows(before: Mapping[str, str], countdowns: Iterable[Any]) -> list[str]:
    """Keys of the countdowns that were waiting at the last look and are open now (a chime)."""
    return [c.alarm_key for c in countdowns
            if before.get(c.alarm_key) == "waiting" and c.level != "waiting"]


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


PATIENT_FIELDS = frozenset({"mrn", "name", "dob", "patient_id", "gsrn"})

# The rules in a nurse's words (never the rule id): used where a deviation or stop is listed.
RULE_WORDS: dict[str, str] = {
    "thaw_time": "thaw took longer than allowed",
    "infusion_window": "infusion went past its window from the start of thaw",
    "interbag_window": "bag given outside the window after the previous bag",
    "conditioning_window": "given outside the window after conditioning",
    "identity": "identity did not match",
    "expiry": "bag EXPIRED",
    "integrity": "bag damaged",
    "flush": "flush volume",
    "sequence": "ended by staff",
}

COMMAND_WORDS: dict[str, str] = {
    "scan": "A scan", "open": "Opening a procedure", "prepare_order": "Loading an order",
    "confirm_backup": "Confirming the back-up", "record_conditioning_end":
    "Recording conditioning", "set_aside_ehr_values": "Setting the EHR values aside",
    "confirm_storage": "Confirming storage", "attest": "That check",
    "inspect_bag": "Inspecting a bag", "start_thaw": "Starting a thaw", "complete_thaw":
    "Completing a thaw", "check_line": "The line checks", "start_infusion":
    "Starting the infusion", "end_infusion": "Ending the infusion", "log_flush":
    "Logging a flush", "acknowledge_post_infusion": "The post-infusion step",
    "stop_procedure": "Stopping", "correct": "A correction",
}

_SEQUENCE = re.compile(r"^'(?P<cmd>\w+)' is not possible now: the procedure is at "
                       r"(?P<step>\w+)(?: \(bag (?P<bag>\d+)\))?\.$")


def reason_words(reason: str) -> str:
    """The engine's reason, with any command or step id put in words."""
    m = _SEQUENCE.match(reason)
    if m is None:
        return reason
    what = COMMAND_WORDS.get(m["cmd"], "That")
    step = STEP_TITLES.get(m["step"], m["step"].replace("_", " "))
    where = f"{step} of bag {m['bag']}" if m["bag"] else step
    return f"{what} is not needed now: this is the step “{where}”."


def rule_words(rule: str) -> str:
    return RULE_WORDS.get(rule, rule.replace("_", " "))


def deviation_line(rule: str, bag: int | None, reason: str) -> str:
    return f"Deviation — {rule_words(rule)}" + (f", bag {bag}" if bag else "") + f": {reason}"


def accepted_text(label: Mapping[str, Any]) -> str:
    what = LABEL_NAMES.get(label.get("role", ""), label.get("role", "label"))
    bag = label.get("bag")
    if bag is not None:
        what += f" (bag {bag})"
    return f"✔ ACCEPTED: {what}\nMatched: {names(label.get('matched', ()))}"


def rejection_headline(rejection: Any) -> str:
    """EXPIRED when the bag expired; WRONG PATIENT when a patient identifier differs; STOP for
    any other finding that ends the procedure; NOT ACCEPTED otherwise."""
    d = rejection.details or {}
    if rejection.rule == "expiry":
        return "EXPIRED"
    if rejection.kind == "hard_stop" and d.get("field") in PATIENT_FIELDS:
        return "WRONG PATIENT"
    if rejection.kind == "hard_stop":
        return "STOP"
    return "NOT ACCEPTED"


def scan_tone(rejection: Any | None) -> str:
    """How a scan's result box looks: accepted (green), refused (amber) or stop (red)."""
    if rejection is None:
        return "accepted"
    return "stop" if rejection.kind == "hard_stop" else "refused"


def rejected_text(rejection: Any, scan_kind: str | None = None) -> str:
    head = "✘ " + rejection_headline(rejection)
    what = f" — {LABEL_NAMES.get(scan_kind, scan_kind)}" if scan_kind else ""
    lines = [f"{head}{what}", reason_words(rejection.reason)]
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
            "Limit passed: a signed deviation is needed"}.get(rejection.kind)
    if kind is None:
        kind = rejection_headline(rejection)
    return f"{kind}: {reason_words(rejection.reason)}\n{rejection.citation}"


@dataclass(frozen=True)
class StopView:
    title: str
    what: str


def stop_view(stop_rule: str | None, stop_reason: str | None,
              field: str | None = None) -> StopView:
    """The stopped page's headline: what kind of stop, in words (never the rule id). `field` is
    the identifier that did not match (from the engine's hard-stop details)."""
    if stop_rule == "expiry":
        title = "STOPPED — bag EXPIRED: do not give this product"
    elif stop_rule == "identity" and field in PATIENT_FIELDS:
        title = "STOPPED — WRONG PATIENT: do not give this product"
    elif stop_rule is None:
        title = "STOPPED by staff — do not give this product"
    else:
        title = "STOPPED — do not give this product"
    return StopView(title, reason_words(stop_reason or "The procedure was stopped."))


def _with_separators(text: str) -> str:
    """Digits as a chart's time is copied without its punctuation: "MMDDHHMM" or "MMDD HHMM"
    is "MM-DD HH:MM", "YYYYMMDDHHMM" or "YYYYMMDD HHMM" is "YYYY-MM-DD HH:MM" (a time always
    has its four digits, so the count of digits tells the forms apart)."""
    digits = text.replace(" ", "")
    if not digits.isdigit() or text.count(" ") > 1 or (" " in text and not text.endswith(
            " " + digits[-4:])):
        return text
    date, time = digits[:-4], digits[-4:]
    if len(date) == 4:
        date = f"{date[:2]}-{date[2:]}"
    elif len(date) == 8:
        date = f"{date[:4]}-{date[4:6]}-{date[6:]}"
    else:
        return text
    return f"{date} {time[:2]}:{time[2:]}"


def parse_local_time(text: str, tz: tzinfo, now: datetime | None = None) -> datetime:
    """A typed date and time as an aware local datetime: "YYYY-MM-DD HH:MM" (or "DD.MM.YYYY
    HH:MM", or "T" between), or, given `now`, the short "MM-DD HH:MM" of the last 12 months;
    either also as digits alone ("MMDDHHMM", "YYYYMMDD HHMM": fewer keys for a gloved nurse).
    Raises ValueError with a message naming what was wrong."""
    cleaned = _with_separators(" ".join(text.replace("T", " ").split()))
    if not cleaned:
        raise ValueError("enter the date and time, e.g. 2026-05-03 02:30")
    for fmt in ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"):
        try:
            return datetime.strptime(cleaned, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    if now is not None and re.fullmatch(r"\d{1,2}-\d{1,2} \d{1,2}:\d{2}", cleaned):
        for year in (now.year, now.year - 1):
            try:
                when = datetime.strptime(f"{year}-{cleaned}", "%Y-%m-%d %H:%M").replace(tzinfo=tz)
            except ValueError:
                continue
            if when <= now + timedelta(days=1):  # a short date is never months ahead
                return when
    raise ValueError(f"“{text.strip()}” is not a date and time: write it as "
                     "YYYY-MM-DD HH:MM (2026-05-03 02:30) or MMDDHHMM")


def recorded_text(events: Iterable[Any]) -> str:
    """What a command recorded, in the words shown after a scan: the label accepted, and who
    witnessed it ("" when no label was accepted). Built from the command's own events, so the
    page the window moves to and the page the scan was made on say the same thing."""
    for event in events:
        if event.type == "label_accepted":
            text = accepted_text(event.data["label"])
            witnessed = [s for s in event.data.get("signatures", ())
                         if s["meaning"] == "witnessed"]
            return text + (f"\nWitnessed by {witnessed[0]['name']}." if witnessed else "")
    return ""


def done_note(title: str, last_scan: str, now: Any) -> str:
    """One line on the next page about the step the window just left: "✔ Recorded 08:12 —
    Bag 1 of 2 — Thaw" (for a scanning step, the last label accepted)."""
    when = now.local().strftime("%H:%M") if now is not None else ""
    first = last_scan.splitlines()[0] if last_scan else ""
    what = f"{title}; last: {first.removeprefix('✔ ')}" if first.startswith("✔") else title
    return f"✔ Recorded {when} — {what}"


def window_opened_note(now: Any) -> str:
    """The line after the wait between bags, which records nothing: no "✔ Recorded"."""
    when = now.local().strftime("%H:%M") if now is not None else ""
    return f"The wait between bags is over ({when}): this bag may be thawed now."


def flush_total_text(bags: Iterable[Any], weight_kg: float) -> str:
    """The saline recorded so far (corrections included, as the engine's state has them)."""
    total = sum(b.flush_ml or 0.0 for b in bags)
    return (f"Saline flush recorded so far: {total:g} mL ({total / weight_kg:.1f} mL/kg at "
            f"{weight_kg:g} kg)")
