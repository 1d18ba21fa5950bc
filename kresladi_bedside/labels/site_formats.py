"""Wristband and badge formats: each site's, configured as regular expressions with named groups,
and the built-in ones used when a site configures none.

Built in (see README, section labels):
- `KEY:VALUE|KEY:VALUE…` (a QR code): keys MRN, NAME, DOB (YYYY-MM-DD or YYYYMMDD), GSRN for a
  wristband; BADGE, NAME for a badge. Other keys (ROOM…) are ignored: never an identifier.
- a bare MRN of 5–12 digits (optionally after the letters MRN) on a linear wristband code;
- a bare badge number: one letter and 4–9 digits.

A site pattern is untrusted work: a pattern with nested repetition (`([A-Z]+ ?)+`) backtracks
exponentially, and one 32-character scan froze the window for minutes (issue 15). So `config
check` refuses nested repetition (`pattern_hazard`), and every site pattern runs with the `regex`
engine and a time limit (`MATCH_TIMEOUT_S`), wherever it runs: a scan that hits the limit is
refused with a message, never waited out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from ..config import IdentityConfig, LabelFormat
from ..patterns import MATCH_TIMEOUT_S
from .errors import LabelError
from .model import LabelKind

TYPE_CHECKING = False
if TYPE_CHECKING:
    import regex

# Group names a site pattern may use; any other group is ignored.
IDENTIFIER_GROUPS: tuple[str, ...] = ("mrn", "name", "dob", "gsrn", "patient_id", "coi",
                                      "badge", "staff_gsrn")

BUILTIN_WRISTBAND: tuple[LabelFormat, ...] = (
    LabelFormat(r"(?:MRN)?(?P<mrn>[0-9]{5,12})"),
)
BUILTIN_BADGE: tuple[LabelFormat, ...] = (
    LabelFormat(r"(?P<badge>[A-Z][0-9]{4,9})"),
)
_KV_KEYS: dict[str, str] = {"MRN": "mrn", "NAME": "name", "DOB": "dob", "GSRN": "gsrn",
                            "BADGE": "badge", "STAFF_GSRN": "staff_gsrn"}
_KV_PART = re.compile(r"[A-Za-z_]{1,20}:[^|]*")


@dataclass(frozen=True)
class SiteRead:
    kind: LabelKind
    identifiers: dict[str, str]
    structure: str


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> regex.Pattern[str]:
    import regex  # on the first site-format match, not at import (45 ms before the first paint)

    try:
        return regex.compile(pattern, regex.VERSION0)
    except (regex.error, re.error) as exc:
        raise LabelError(f"The site label format '{pattern}' is not a valid pattern ({exc}); "
                         "ask the site administrator to fix the configuration.",
                         code="site_format") from None


def _iso_dob(text: str, fmt: str) -> str:
    try:
        return datetime.strptime(text.strip(), fmt).date().isoformat()
    except ValueError:
        raise LabelError(f"The date of birth '{text}' on this label is not a date.",
                         code="bad_date") from None


def _from_groups(groups: Mapping[str, str | None], dob_format: str) -> dict[str, str]:
    ids = {k: v.strip() for k, v in groups.items() if k in IDENTIFIER_GROUPS and v and v.strip()}
    if "dob" in ids:
        ids["dob"] = _iso_dob(ids["dob"], dob_format)
    return ids


def read_key_values(text: str) -> SiteRead | None:
    """The built-in `KEY:VALUE|…` QR form; None when the text is not in that form."""
    if not all(_KV_PART.fullmatch(part) for part in text.split("|")):
        return None
    ids: dict[str, str] = {}
    for part in text.split("|"):
        key, _, value = part.partition(":")
        canonical = _KV_KEYS.get(key.strip().upper())
        value = value.strip()
        if canonical is None or not value:
            continue
        if canonical in ids and ids[canonical] != value:
            raise LabelError(f"This code holds two different {key.upper()} values.",
                             code="conflicting_values")
        ids[canonical] = value
    if "dob" in ids:
        fmt = "%Y%m%d" if re.fullmatch(r"[0-9]{8}", ids["dob"]) else "%Y-%m-%d"
        ids["dob"] = _iso_dob(ids["dob"], fmt)
    if "mrn" in ids and "badge" in ids:
        raise LabelError("This code holds both an MRN and a BADGE: it is neither a wristband "
                         "nor a badge.", code="ambiguous_kind")
    if "mrn" in ids or "gsrn" in ids:
        return SiteRead("wristband", ids, "key_values")
    if "badge" in ids or "staff_gsrn" in ids:
        return SiteRead("badge", ids, "key_values")
    return None


def read_site_formats(text: str, config: IdentityConfig) -> SiteRead | None:
    """The site's wristband then badge formats (or the built-in ones where the site has none),
    then the KEY:VALUE form; None when nothing matches."""
    wristbands = config.wristband_formats or BUILTIN_WRISTBAND
    badges = config.badge_formats or BUILTIN_BADGE
    for kind, formats in (("wristband", wristbands), ("badge", badges)):
        for i, fmt in enumerate(formats):
            try:
                m = _compiled(fmt.pattern).fullmatch(text, timeout=MATCH_TIMEOUT_S)
            except TimeoutError:
                raise LabelError(f"The site {kind} format took too long on this scan and was "
                                 "stopped; ask the site administrator to check the "
                                 "configuration (kresladi-bedside config check).",
                                 code="site_format_timeout") from None
            if m is not None:
                ids = _from_groups(m.groupdict(), fmt.dob_format)
                if ids:
                    return SiteRead(kind, ids, f"{kind}_format_{i + 1}")  # type: ignore[arg-type]
    return read_key_values(text)
