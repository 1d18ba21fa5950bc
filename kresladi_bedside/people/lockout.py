"""Badge lockout, worked out from the badge's own history in the people log (pure).

Failed PIN attempts are counted back from the newest event until the badge's owner last proved
the PIN, an administrator reset the PIN, or an earlier lock ran out. When the count reaches
`max_failed` a `badge_locked` event is written; the badge stays locked for `lock_seconds` from
that event, measured with `clock.elapsed` (monotonic within a boot).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..clock import Instant, elapsed
from ..engine.model import Event
from .audit import AUTHENTICATED

FAILED = "authentication_failed"
LOCKED = "badge_locked"
PIN_RESET = "pin_reset"


@dataclass(frozen=True)
class BadgeStatus:
    failures: int  # failed attempts in a row, counting towards the next lock
    locked_until: Instant | None = None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def badge_status(history_newest_first: Iterable[Event], now: Instant,
                 lock_seconds: float) -> BadgeStatus:
    failures = 0
    for event in history_newest_first:
        if event.type == LOCKED:
            if elapsed(event.at, now) < lock_seconds:
                return BadgeStatus(failures, event.at.plus(lock_seconds))
            break
        if event.type in AUTHENTICATED or event.type == PIN_RESET:
            break
        if event.type == FAILED and event.data.get("counts"):
            failures += 1
    return BadgeStatus(failures)
