"""Instants and clocks.

Every recorded instant carries the UTC wall time, the local offset, a monotonic reading and the
boot it was taken in. Within one boot, durations come from the monotonic readings, so a wall-clock
change in the middle of a thaw does not move its countdown; across boots (a crash, a reboot) the
monotonic reading means nothing and durations fall back to the wall clock.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Instant:
    wall: datetime  # aware, UTC
    utc_offset_s: int = 0  # the workstation's local offset at that instant
    mono: float | None = None  # time.monotonic() reading; None for instants typed by a person
    boot_id: str | None = None

    def __post_init__(self) -> None:
        if self.wall.tzinfo is None:
            raise ValueError("Instant.wall must be timezone-aware")
        if self.wall.utcoffset() != timedelta(0):
            object.__setattr__(self, "wall", self.wall.astimezone(UTC))

    @classmethod
    def from_wall(cls, wall: datetime) -> Instant:
        """An instant known only by its wall time (e.g. conditioning end typed by a nurse)."""
        if wall.tzinfo is None:
            raise ValueError("a wall time must carry its UTC offset")
        offset = wall.utcoffset()
        assert offset is not None  # an aware datetime has one
        return cls(wall=wall.astimezone(UTC), utc_offset_s=int(offset.total_seconds()))

    def local(self) -> datetime:
        return self.wall.astimezone(_tz(self.utc_offset_s))

    def plus(self, seconds: float) -> Instant:
        mono = None if self.mono is None else self.mono + seconds
        return replace(self, wall=self.wall + timedelta(seconds=seconds), mono=mono)

    def to_dict(self) -> dict[str, Any]:
        return {
            "wall": self.wall.isoformat(timespec="microseconds"),
            "utc_offset_s": self.utc_offset_s,
            "mono": self.mono,
            "boot_id": self.boot_id,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Instant:
        return cls(
            wall=datetime.fromisoformat(d["wall"]),
            utc_offset_s=int(d.get("utc_offset_s", 0)),
            mono=d.get("mono"),
            boot_id=d.get("boot_id"),
        )


def elapsed(start: Instant, end: Instant) -> float:
    """Seconds from start to end: monotonic within one boot, wall clock otherwise."""
    if (
        start.mono is not None
        and end.mono is not None
        and start.boot_id is not None
        and start.boot_id == end.boot_id
    ):
        return end.mono - start.mono
    return (end.wall - start.wall).total_seconds()


def _tz(offset_s: int) -> tzinfo:
    from datetime import timezone

    return timezone(timedelta(seconds=offset_s))


class Clock(Protocol):
    def now(self) -> Instant: ...


@cache
def boot_id() -> str:
    """The kernel's boot identifier; a per-process stand-in where the OS gives none."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        # Windows: boot time from the tick count is good enough to tell boots apart.
        return f"boot-{round(time.time() - time.monotonic())}" if hasattr(time, "monotonic") else (
            uuid.uuid4().hex
        )


def _monotonic() -> float:
    """Seconds on a clock that never jumps and, unlike time.monotonic() on Linux, keeps counting
    while the machine sleeps: a thaw that spans a suspended laptop must not lose those minutes."""
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is not None:
        return time.clock_gettime(boottime)
    return time.monotonic()  # Windows: counts sleep already


class SystemClock:
    def now(self) -> Instant:
        mono = _monotonic()
        wall = datetime.now(UTC)
        offset = datetime.now().astimezone().utcoffset() or timedelta(0)
        return Instant(wall, int(offset.total_seconds()), mono, boot_id())


class FakeClock:
    """A clock for tests, simulations and training: time moves only when told to."""

    def __init__(
        self,
        start: datetime | None = None,
        *,
        utc_offset_s: int = 0,
        boot: str = "fake-boot",
    ) -> None:
        self._wall = (start or datetime(2026, 1, 1, 8, 0, tzinfo=UTC)).astimezone(UTC)
        self._mono = 1000.0
        self._offset = utc_offset_s
        self._boot = boot

    def now(self) -> Instant:
        return Instant(self._wall, self._offset, self._mono, self._boot)

    def advance(self, seconds: float) -> Instant:
        self._wall += timedelta(seconds=seconds)
        self._mono += seconds
        return self.now()

    def set(self, wall: datetime) -> Instant:
        """Jump to a wall time, moving the monotonic reading by the same amount."""
        return self.advance((wall.astimezone(UTC) - self._wall).total_seconds())

    def jump(self, seconds: float) -> Instant:
        """The wall clock is set forward (or back) while the program runs: the monotonic
        reading does not move."""
        self._wall += timedelta(seconds=seconds)
        return self.now()

    def set_utc_offset(self, utc_offset_s: int) -> Instant:
        """The local offset changes (a DST change, or the workstation's zone): the instant and
        the monotonic reading do not move, only how local time reads."""
        self._offset = utc_offset_s
        return self.now()

    def reboot(self, *, boot: str, wall_jump_s: float = 0.0) -> Instant:
        """Simulate a restart: a new boot id, a fresh monotonic base, the wall clock moved."""
        self._boot = boot
        self._mono = 50.0
        self._wall += timedelta(seconds=wall_jump_s)
        return self.now()


class ScaledClock:
    """Training mode: time runs `speed` times faster than the real clock, from the start."""

    def __init__(self, base: Clock, speed: float) -> None:
        self._base = base
        self._speed = speed
        self._real0 = base.now()  # the real instant the current speed took effect
        self._scaled0 = self._real0  # the training instant it was then

    def now(self) -> Instant:
        real = self._base.now()
        gone = elapsed(self._real0, real) * self._speed
        return replace(self._scaled0.plus(gone), boot_id=real.boot_id)

    @property
    def speed(self) -> float:
        return self._speed

    def set_speed(self, speed: float) -> None:
        """Change the speed from now on: the training time already gone stays (no jump)."""
        self._scaled0 = self.now()
        self._real0 = self._base.now()
        self._speed = speed
