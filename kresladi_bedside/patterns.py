"""How long a site's regular expression may take: the check `config check` runs on every site
label format (`pattern_hazard`) and the time limit every match runs under (`MATCH_TIMEOUT_S`).

Below the configuration and the labels package, which both use it (labels/site_formats.py says
why: a pattern with nested repetition froze the window for minutes on one scan).
"""

from __future__ import annotations

import re

MATCH_TIMEOUT_S = 0.05  # a wristband format matches in microseconds; this is a runaway
# Probes for config check: long runs of what site patterns usually repeat, then a character that
# makes the whole match fail at the end (which is what makes a bad pattern backtrack).
_PROBES: tuple[str, ...] = tuple(
    run * 40 + tail for run in ("A", "A ", "1", "a", "A1", "-") for tail in ("!", "\x00", "")
)


def pattern_hazard(pattern: str) -> str | None:
    """Why `pattern` could hang a scan (None: it cannot, as far as checked)."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]  # stdlib 3.11+

        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return None  # the caller reports the syntax error itself
    if _nested_repeat(tree, inside=False):
        return ("repeats a group that itself repeats (like '(A+ ?)+'): such a pattern can take "
                "minutes on one scan; write it without nested repetition (e.g. '[A-Z ]+')")
    import regex  # here, not at import: 45 ms of the window's first paint, which matches nothing

    try:
        compiled = regex.compile(pattern, regex.VERSION0)
    except (regex.error, re.error):
        return None
    for probe in _PROBES:
        try:
            compiled.fullmatch(probe, timeout=MATCH_TIMEOUT_S * 4)
        except TimeoutError:
            return ("takes too long on a plain input (backtracking): simplify the pattern "
                    "(no nested or overlapping repetition)")
    return None


def _nested_repeat(items: object, *, inside: bool) -> bool:
    for op, av in items:  # type: ignore[attr-defined]
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _low, high, sub = av
            repeats = high is None or high > 1 or str(high) == "MAXREPEAT"
            if repeats and inside:
                return True
            if _nested_repeat(sub, inside=inside or repeats):
                return True
        elif name == "SUBPATTERN":
            if _nested_repeat(av[-1], inside=inside):
                return True
        elif name == "BRANCH":
            if any(_nested_repeat(branch, inside=inside) for branch in av[1]):
                return True
        elif name in ("ASSERT", "ASSERT_NOT") and _nested_repeat(av[1], inside=inside):
            return True
    return False
