"""Who is at the keyboard, and the idle lock (pure: every question takes the instant).

The session is *continuous* from an authentication (sign-in, unlock or take-over, each with the
PIN) until it is locked, taken over or ended. Inside it the signed-in user signs without typing
the PIN again; `epoch` numbers these periods so a signature made in one is not valid in the next.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..clock import Instant, elapsed
from .directory import User


@dataclass(frozen=True)
class WorkSession:
    user: User
    authenticated_at: Instant
    last_activity: Instant
    epoch: int
    locked_at: Instant | None = None
    lock_reason: str | None = None  # "idle" | "manual"
    # unlocked by a badge scan alone: the screen is open, but a signature asks the PIN again
    badge_only: bool = False

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    def idle_lock_at(self, idle_seconds: float) -> Instant:
        return self.last_activity.plus(idle_seconds)

    def idle_due(self, now: Instant, idle_seconds: float) -> bool:
        return not self.locked and elapsed(self.last_activity, now) >= idle_seconds

    def touched(self, now: Instant) -> WorkSession:
        return replace(self, last_activity=now)

    def locked_now(self, now: Instant, reason: str) -> WorkSession:
        return replace(self, locked_at=now, lock_reason=reason)
