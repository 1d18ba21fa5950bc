"""GS1 element strings (drugs, wristbands, badges), read with biip.

Variable-length fields end with GS (ASCII 29). A keyboard-wedge scanner that drops GS makes a
variable field swallow the fields after it; such a payload is rejected, never re-split.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING

from .errors import LabelError

if TYPE_CHECKING:
    from biip.gs1_application_identifiers import GS1ApplicationIdentifier
    from biip.gs1_element_strings import GS1ElementString

GS = "\x1d"

# AI → canonical identifier key (labels/model.py)
AI_KEYS: dict[str, str] = {
    "01": "gtin",
    "17": "expiry",
    "10": "lot",
    "21": "serial",
    "8018": "gsrn",
    "8017": "staff_gsrn",
}


def preload() -> None:
    """Import biip now (the window calls this after its first paint), not on the first scan."""
    _biip()


@cache
def _biip() -> SimpleNamespace:
    """biip, imported on the first GS1 read (or warmed up after the window's first paint):
    its 0.2 s of imports were on the path to the first page."""
    from biip import ParseConfig, ParseError
    from biip.gs1_element_strings import GS1ElementString
    from biip.gs1_messages import GS1Message

    return SimpleNamespace(config=ParseConfig(separator_chars=(GS,)), ParseError=ParseError,
                           Element=GS1ElementString, Message=GS1Message)


def _show(text: str) -> str:
    return text.replace(GS, "<GS>")


def gs1_check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit for `digits` (the number without its check digit)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


@dataclass
class Gs1Message:
    identifiers: dict[str, str] = field(default_factory=dict)
    structures: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # AI → raw value, every AI read


def _biip_error(exc: Exception, at: str) -> LabelError:
    """Whatever biip raises (its ParseError, a ValueError, or with its optional `money` extra
    py-moneyed's CurrencyDoesNotExist for an unknown ISO 4217 code in (391n)/(393n)) becomes a
    LabelError that says what was read."""
    shown = _show(at if len(at) <= 30 else at[:30] + "…")
    return LabelError(f"This GS1 code cannot be read from '{shown}': {exc}",
                      code="gs1_malformed")


def is_variable(ai: GS1ApplicationIdentifier) -> bool:
    """Whether the AI's field has a variable length (its format has '..', as in N2+X..20).
    biip's `separator_required` is not this: (8017), (8018), (422), (7003) need a GS after them
    (their AI is not in the GS1 predefined-length table) but their fields are fixed: they cannot
    swallow what follows them."""
    return ".." in ai.format


def _max_length(ai: GS1ApplicationIdentifier) -> int:
    """The longest data field the AI's format allows (N2+X..20 → 20; N4+N3+N..15 → 18)."""
    return sum(int(part.lstrip("NXYZ.")) for part in ai.format.split("+")[1:])


def _elements(body: str) -> list[GS1ElementString]:
    """Split an element string field by field. A variable-length field stops at GS or at its
    maximum length; data right after a full variable field with no GS between means the GS was
    lost (or the field is too long): either way the field boundaries are unknown, so it is
    refused. A variable field that stops short of its maximum before a character it cannot hold
    holds a wrong character: that is named, not blamed on the scanner's GS."""
    out: list[GS1ElementString] = []
    rest = body
    while rest:
        try:
            e = _biip().Element.extract(rest, config=_biip().config)
        except Exception as exc:  # every biip failure, whatever its class
            raise _biip_error(exc, rest) from None
        out.append(e)
        rest = rest[len(e):]
        if rest.startswith(GS):
            rest = rest.lstrip(GS)
        elif rest and is_variable(e.ai):
            if len(e.value) < _max_length(e.ai):
                raise LabelError(
                    f"The field ({e.ai.ai}) '{e.value}' is followed by '{_show(rest[:1])}', a "
                    "character GS1 does not allow in it: the label is misprinted or was "
                    "misread. Scan it again.", code="gs1_malformed")
            raise LabelError(
                f"The field ({e.ai.ai}) '{e.value}' runs into the next field: the scanner "
                "dropped the GS separator. Check the scanner's GS/FNC1 setting and scan again.",
                code="gs1_lost_separator")
    return out


# A variable value that ends in one of these, well formed, most likely swallowed it: a
# fixed-length field (with its check digit or date valid), or the container-type AI holding one
# of the kinds it names. A tail of only (10)/(21) is not evidence: "W123426100001" holds "10"
# "0001", and a lot may hold "21"; nor is (91) with any other value: serials end in "91…".
_SENTINEL_AIS = frozenset({"01", "17", "8017", "8018"})


def _swallowed(value: str, seen: set[str], kind_ai: str | None,
               kind_values: Collection[str]) -> tuple[str, str] | None:
    """Where a variable value ends in complete fields absent from the message, one of them
    evidence of a lost GS. Returns (the AI swallowed, its value)."""
    for k in range(1, len(value)):
        try:
            tail = _biip().Message.parse(value[k:], config=_biip().config).element_strings
        except Exception:  # not an element string: no evidence here
            continue
        ais = {e.ai.ai for e in tail}
        if ais & seen or not all(
                e.gtin_error is None and (e.ai.ai != "17" or e.date is not None) for e in tail):
            continue
        for e in tail:
            if e.ai.ai in _SENTINEL_AIS or (
                    e.ai.ai == kind_ai and e.value.upper() in kind_values):
                return e.ai.ai, e.value
    return None


def parse_gs1(text: str, *, kind_ai: str | None = None,
              kind_values: Collection[str] = ()) -> Gs1Message:
    """Read a GS1 element string (symbology prefix already removed). `kind_ai` is the site's
    container-type AI (e.g. 91), read into `values` like any other; `kind_values` the kinds it
    names (BAG, CASSETTE, SHIPPER), the only values of it taken as a sign of a lost GS."""
    body = text.lstrip(GS)  # some scanners send the leading FNC1 as GS
    if not body:
        raise LabelError("This GS1 code holds no data.", code="empty")
    elements = _elements(body)
    out = Gs1Message()
    seen: set[str] = set()
    for e in elements:
        ai = e.ai.ai
        if ai in out.values and out.values[ai] != e.value:
            raise LabelError(f"This code holds two different ({ai}) values.",
                             code="conflicting_values")
        seen.add(ai)
        out.values[ai] = e.value
        out.structures.append(f"gs1_{ai}")
    if GS not in body:
        for e in elements:
            if not is_variable(e.ai):
                continue
            hit = _swallowed(e.value, seen, kind_ai, {v.upper() for v in kind_values})
            if hit is not None:
                raise LabelError(
                    f"The field ({e.ai.ai}) '{e.value}' seems to contain ({hit[0]}) '{hit[1]}': "
                    "the scanner dropped the GS separator. Check the scanner's GS/FNC1 setting "
                    "and scan again.", code="gs1_lost_separator")
    for e in elements:
        key = AI_KEYS.get(e.ai.ai)
        if key is None:
            continue
        if key == "expiry":
            if e.date is None:
                raise LabelError(f"The expiry (17) '{e.value}' is not a date.", code="bad_date")
            out.identifiers[key] = e.date.isoformat()
        elif key == "gtin":
            if e.gtin_error:
                raise LabelError(f"The GTIN (01) '{e.value}' has a wrong check digit.",
                                 code="gs1_check")
            out.identifiers[key] = e.value
        elif key in ("gsrn", "staff_gsrn"):
            if gs1_check_digit(e.value[:-1]) != e.value[-1]:
                raise LabelError(f"The GSRN ({e.ai.ai}) '{e.value}' has a wrong check digit: "
                                 "this is not a valid wristband or badge code.", code="gs1_check")
            out.identifiers[key] = e.value
        else:
            out.identifiers[key] = e.value
    return out


# ---------------------------------------------------------------- encoding (samples, tests)

def encode_gs1(fields: list[tuple[str, str]]) -> str:
    """Concatenate (AI, value) pairs, ending every variable-length field that is followed by
    another with GS, as a GS1 encoder does."""
    parts: list[str] = []
    for i, (ai, value) in enumerate(fields):
        parts.append(ai + value)
        last = i == len(fields) - 1
        if not last and _needs_separator(ai):
            parts.append(GS)
    return "".join(parts)


def _needs_separator(ai: str) -> bool:
    # Predefined fixed-length AIs (GS1 General Specifications 7.8.5); others are variable.
    fixed_prefixes = ("00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17",
                      "18", "19", "20", "31", "32", "33", "34", "35", "36", "41")
    return not ai.startswith(fixed_prefixes)
