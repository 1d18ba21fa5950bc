"""When the window's next tick is due (issue 25, item 12): at the instant the next digit of a
countdown on screen changes, not a second after whenever the program happened to start.

Each countdown counts from its own recorded start, so its digits change at that start's fraction
of a second: the tick is re-armed, every time, for the nearest such boundary among the clocks
shown (a precise timer: Qt's default coarse timer may fire 5 % late, 50 ms a second). A warning
or an alarm is a boundary too (they fall on whole seconds of the same clocks).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

DIGIT_MS = 1000  # the countdowns show whole seconds
LATE_MS = 2  # aim just after the boundary: a tick a hair early would show the old digit


def ms_to_next_digit(countdowns: Sequence[Any], period_ms: int = DIGIT_MS) -> int:
    """Milliseconds until the next whole second of any countdown's elapsed time (at most
    `period_ms`; a tick of another period than the digit's is not aligned: tests use a minute
    for "only when told")."""
    if period_ms != DIGIT_MS or not countdowns:
        return period_ms
    to_next = min(1.0 - math.fmod(float(c.elapsed_s), 1.0) for c in countdowns)
    if to_next <= 0.0:
        to_next += 1.0
    return max(1, min(period_ms, math.ceil(round(to_next * 1000.0, 3)) + LATE_MS))
