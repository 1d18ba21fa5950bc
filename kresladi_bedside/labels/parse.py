"""One entry point from a scanner's (or a nurse's) payload to a typed `Scan`.

Barcode data is untrusted: it is capped in length, refused if it holds control or invisible
formatting characters other than GS, and every failure is a `LabelError` a nurse can act on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

from ..config import IdentityConfig
from .conventions import DEFAULT_CONVENTIONS, LabelConventions, gs1_kind, isbt_kind
from .errors import LabelError
from .gs1 import GS, gs1_check_digit, parse_gs1
from .isbt128 import ShelfLife, parse_isbt128, parse_typed_din
from .model import SOURCES, LabelKind, Scan, Source
from .site_formats import read_site_formats

# AIM symbology identifiers (ISO/IEC 15424) whose data is a GS1 element string.
GS1_SYMBOLOGIES: frozenset[str] = frozenset({"]C1", "]d2", "]Q3", "]e0", "]J1"})
_AIM_RE = re.compile(r"\][A-Za-z][0-9A-Za-z]")
# EAN/UPC (ISO/IEC 15424: ]E0 EAN-13/UPC-A/UPC-E, ]E3 with an add-on, ]E4 EAN-8; ]E1/]E2 an
# add-on alone): a product's GTIN, never a wristband or badge whatever its digits.
# ]I1: ITF with its check digit, as on cartons: 14 digits are a GTIN-14.
_EAN_SYMBOLOGIES: dict[str, tuple[int, ...]] = {"]E0": (8, 12, 13), "]E3": (15, 18),
                                                "]E4": (8,), "]I1": (14,)}
_GS1_START_RE = re.compile(r"(01|17|10|21|8017|8018)[0-9]")
# A typed DIN (keyboard entry, ST-001 §7.5): the check alphabet has no lower case, so a DIN typed
# in lower case is the same DIN.
_DIN_START_RE = re.compile(r"=?[A-NP-Z1-9][A-NP-Z0-9]{2}[0-9]{10}", re.IGNORECASE)


def parse(payload: bytes | str, source: Source, symbology: str | None = None, *,
          config: IdentityConfig | None = None, typed_reason: str | None = None,
          conventions: LabelConventions | None = None,
          typed_kind: str | None = None, now: datetime | None = None,
          shelf_life_days: int | None = None) -> Scan:
    """Read a payload into a typed scan, or raise `LabelError` saying why it cannot be used.

    `symbology` is the AIM identifier when the decoder reports it; one at the start of the
    payload (a wedge scanner set to send it) takes its place. A typed entry needs a reason.
    A printed ISBT 128 expiry later than `now` (default: the wall clock) plus the product's
    longest shelf life (`shelf_life_days`: the caller's product profile's
    `longest_shelf_life_days`; None: no bound, as for a badge) is refused as a misread.
    """
    cfg = config or IdentityConfig()
    conv = conventions or DEFAULT_CONVENTIONS
    if source not in SOURCES:
        raise LabelError(f"Unknown scan source {source!r}: expected one of {', '.join(SOURCES)}.",
                         code="source")
    if source == "typed" and not (typed_reason and typed_reason.strip()):
        raise LabelError("A typed entry needs a reason (why the label could not be scanned).",
                         code="typed_reason")
    raw = _text(payload, cfg.max_payload_chars)
    body = raw
    m = _AIM_RE.match(body)
    if m is not None:
        symbology = m.group(0)
        body = body[m.end():]
    if symbology is not None and not _AIM_RE.fullmatch(symbology):
        raise LabelError(f"Unknown symbology identifier {symbology!r}.", code="symbology")
    if not body.strip(GS + " "):
        raise LabelError("The scan is empty: nothing was read from the label.", code="empty")

    def shelf() -> ShelfLife | None:  # asked only by an ISBT 128 payload
        if shelf_life_days is None:
            return None
        return ShelfLife((now or datetime.now(UTC)).astimezone(UTC).date(), shelf_life_days)

    kind, identifiers, structures = _read(body, source, symbology, cfg, conv, shelf)
    if source == "typed" and typed_kind is not None and kind == "bag":
        if typed_kind not in ("bag", "cassette"):
            raise LabelError(f"A typed DIN is on a bag or a cassette label, not a "
                             f"{typed_kind!r}.", code="typed_kind")
        kind = typed_kind  # type: ignore[assignment]
    return Scan(kind=kind, identifiers=identifiers, source=source, raw=raw, symbology=symbology,
                typed_reason=typed_reason.strip() if typed_reason else None,
                structures=tuple(structures))


def _read(body: str, source: Source, symbology: str | None, cfg: IdentityConfig,
          conv: LabelConventions,
          shelf: Callable[[], ShelfLife | None]
          ) -> tuple[LabelKind, dict[str, str], list[str]]:
    if re.match(r"(?i)https?://", body):
        raise LabelError(f"This code is a web address ('{_preview(body)}', such as a GS1 Digital "
                         "Link), not a label this program reads: scan the label's other code.",
                         code="web_address")
    if symbology in GS1_SYMBOLOGIES or body.startswith(GS):
        return _gs1(body, conv)
    if symbology is not None and (symbology[:2] == "]E" or symbology == "]I1"):
        return _ean(body, symbology)
    if source == "typed" and _DIN_START_RE.match(body.replace(" ", "")):
        msg = parse_typed_din(body)
        return "bag", msg.identifiers, msg.structures
    if body[0] in "=&":
        isbt = parse_isbt128(body, shelf_life=shelf())
        return isbt_kind(isbt.layout, isbt.identifiers, conv), isbt.identifiers, isbt.structures
    site = read_site_formats(body, cfg)
    if site is not None:
        return site.kind, site.identifiers, [site.structure]
    # Without a symbology identifier, GS1 is recognised by its shape; with one (]C0, ]Q1…) the
    # scanner has said it is not GS1.
    if symbology is None and (GS in body or _GS1_START_RE.match(body)):
        return _gs1(body, conv)
    raise LabelError(f"This code ('{_preview(body)}') is not a label this program knows: "
                     "not ISBT 128, not GS1, not a configured wristband or badge format.",
                     code="unknown_structure")


def _ean(body: str, symbology: str) -> tuple[LabelKind, dict[str, str], list[str]]:
    """An EAN/UPC (or ITF-14) symbol: the GTIN of a trade item (check digit verified), of no
    label kind."""
    lengths = _EAN_SYMBOLOGIES.get(symbology, ())
    if not body.isascii() or not body.isdigit() or len(body) not in lengths:
        raise LabelError(f"This EAN/UPC code ({symbology}, '{_preview(body)}') is not a product "
                         "number: it is not a wristband, badge or product label.",
                         code="ean_malformed")
    number = body[:13] if symbology == "]E3" else body
    if gs1_check_digit(number[:-1]) != number[-1]:
        raise LabelError(f"The EAN/UPC number {number} has a wrong check digit: it was "
                         "misread. Scan it again.", code="gs1_check")
    return "unknown", {"gtin": number.zfill(14)}, ["ean"]


def _gs1(body: str, conv: LabelConventions) -> tuple[LabelKind, dict[str, str], list[str]]:
    msg = parse_gs1(body, kind_ai=conv.gs1_kind_ai, kind_values=tuple(conv.gs1_kind_values))
    kind = gs1_kind(msg.values, conv)
    ids = dict(msg.identifiers)
    if kind in ("bag", "cassette") and "serial" in ids:
        ids["bag_id"] = ids["serial"]  # the serial is the bag identifier on the sheet
    return kind, ids, msg.structures


def _text(payload: bytes | str, cap: int) -> str:
    if isinstance(payload, bytes | bytearray):
        if len(payload) > cap * 4:  # even 4-byte characters could not fit: do not decode
            raise _too_long(len(payload), cap)
        try:
            text = bytes(payload).decode("utf-8")
        except UnicodeDecodeError:
            text = bytes(payload).decode("latin-1")  # scanners without UTF-8 send Latin-1
    elif isinstance(payload, str):
        text = payload
    else:
        raise LabelError(f"A scan must be text or bytes, not {type(payload).__name__}.",
                         code="type")
    if len(text) > cap:
        raise _too_long(len(text), cap)
    # The scanner's Enter suffix is not part of the label.
    text = text.removesuffix("\n").removesuffix("\r")
    for i, ch in enumerate(text):
        if ch == GS:
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            raise LabelError(
                f"The scan holds a hidden character (U+{ord(ch):04X}) at position {i + 1}: "
                "the label or the scanner settings are wrong. Scan again or report it.",
                code="control_character")
    return text


def _too_long(n: int, cap: int) -> LabelError:
    return LabelError(f"The scan is too long ({n} characters; a label holds at most {cap}). "
                      "Something other than a label was read.", code="too_long")


def _preview(text: str, n: int = 40) -> str:
    shown = text.replace(GS, "<GS>")
    return shown if len(shown) <= n else shown[:n] + "…"
