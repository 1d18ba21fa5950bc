"""Which commands need a witness: the site's `people.witness_required_for`, read against a command.

Settings (config.WITNESS_STEPS): `identity_initial` (identity scans before thaw),
`identity_bedside` (identity scans at the bedside, before infusion), `typed_identifier` (any scan
typed by hand instead of scanned), `deviation` (any command carrying a deviation).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ..engine.model import Command
from ..engine.state import State


def witness_reasons(state: State, command: Command, required_for: Collection[str]) -> list[str]:
    """The settings that make this command need a witness (empty: none needed)."""
    reasons: list[str] = []
    if command.name == "scan":
        # Scans are allowed at two steps only; before every initial label is accepted it is the
        # identity confirmation before thaw, afterwards the bedside re-confirmation.
        stage = "identity_bedside" if state.identity_stage() == "bedside" else "identity_initial"
        if stage in required_for:
            reasons.append(stage)
        if "typed_identifier" in required_for and _typed(command.args.get("scan")):
            reasons.append("typed_identifier")
    if command.deviation is not None and "deviation" in required_for:
        reasons.append("deviation")
    return reasons


def _typed(scan: object) -> bool:
    return isinstance(scan, Mapping) and scan.get("source", "typed") == "typed"
