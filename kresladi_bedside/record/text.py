"""Text from labels and people, made safe to print.

Everything that reaches the record went through a scanner or a keyboard and is untrusted. The
template escapes it (autoescape); these functions make sure that what is printed is also what
was received: invisible characters become visible, and long unbroken runs get break
opportunities so a 500-character payload wraps instead of pushing the page wider.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup

ZWSP = "\u200b"  # a zero-width space: a line may break here, nothing is printed
RUN_LIMIT = 32  # longer runs without a break opportunity get some (a 32-hex id stays whole)
CHUNK = 16  # ... one every this many characters

# Bidirectional controls can reorder the printed line (an RLO turns "MRN 123" into "321 NRM"):
# they are shown by name, never obeyed.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
_LONG_RUN = re.compile(rf"\S{{{RUN_LIMIT + 1},}}")
NAMED = {"\x1d": "<GS>", "\x1e": "<RS>", "\x04": "<EOT>", "\t": "<TAB>", "\r": "<CR>",
         "\n": "<LF>"}


def visible(text: str) -> str:
    """`text` with every control, format and bidi character replaced by a visible name."""
    if text.isprintable():
        # No Cc, Cf (every bidi control is Cf), Zl or Zp in it: nothing to name. The usual case,
        # checked in C instead of character by character (it was most of the record's HTML time).
        return text
    out = []
    for ch in text:
        if ch in NAMED:
            out.append(NAMED[ch])
        elif ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"<U+{ord(ch):04X}>")
        else:
            out.append(ch)
    return "".join(out)


def breakable(text: str) -> str:
    """`text` with a zero-width space every CHUNK characters inside any run of more than
    RUN_LIMIT characters without a space, so a table cell can wrap it."""
    return _LONG_RUN.sub(lambda m: ZWSP.join(_chunks(m.group(0), CHUNK)), text)


def _chunks(run: str, size: int) -> list[str]:
    return [run[i:i + size] for i in range(0, len(run), size)]


def ml(value: object) -> str:
    """A volume as printed ('20 mL'); '—' for none."""
    return "—" if value is None else f"{float(str(value)):g} mL"


def cells(value: object) -> str:
    """A cell dose as printed ('1,600,000'); '—' for none."""
    return "—" if value is None else f"{float(str(value)):,.0f}"


def printable(value: object) -> str:
    """What the template prints for a value: visible, breakable text; '—' for nothing.

    `Markup` is the output of the template's own macros (already escaped inside): passed on
    as is. No value from the log is ever Markup."""
    if isinstance(value, Markup):
        return value
    if value is None or value == "":
        return "—"
    return breakable(visible(str(value)))
