"""The human-readable `text` every resource we write carries (dom-6): what a clinician opening
the record in any EHR viewer reads."""

from __future__ import annotations

import html
from collections.abc import Sequence

XHTML = "http://www.w3.org/1999/xhtml"


def narrative(lines: Sequence[str]) -> dict[str, str]:
    """Escaped, one paragraph per line (empty lines left out)."""
    body = "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines if line)
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{body}</div>'}
