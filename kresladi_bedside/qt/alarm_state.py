"""Which alarms are sounding: pure bookkeeping, no Qt, no clinical rule.

The engine decides every level (`Countdown.level`: ok, warning, alarm, waiting). This module
only remembers what the nurse did about each one: acknowledged (logged through the engine) or
silenced for a while. A silenced alarm keeps its colour and sounds again when the silence ends,
until it is acknowledged. Durations come from `clock.elapsed` on recorded instants, never from
counting timer ticks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..clock import Instant, elapsed

SILENCE_SECONDS = 120.0

Sound = Literal["alarm", "warning", "technical"]
# a clinical alarm outranks the program's own trouble; both outrank a warning
_RANK = {"alarm": 3, "technical": 2, "warning": 1}


@dataclass(frozen=True)
class ActiveAlarm:
    key: str  # "thaw:1:alarm" — what the engine's acknowledge_alarm command records
    level: Literal["warning", "alarm", "technical"]
    text: str
    acknowledged: bool
    silenced_for_s: float  # seconds of silence left; 0 when sounding

    @property
    def sounding(self) -> bool:
        return not self.acknowledged and self.silenced_for_s <= 0


def alarm_key(countdown: Any) -> str:
    """The engine's key for the countdown plus its level: acknowledging the warning at 4:00
    does not pre-acknowledge the alarm at 5:00."""
    return f"{countdown.alarm_key}:{countdown.level}"


class AlarmBook:
    def __init__(self, acknowledged: Iterable[str] = ()) -> None:
        self._acknowledged: set[str] = set(acknowledged)
        self._silenced_at: dict[str, Instant] = {}
        self._technical: dict[str, str] = {}  # key -> text; cleared only when the cause is gone

    # -- what the nurse does
    def acknowledge(self, key: str) -> None:
        self._acknowledged.add(key)
        self._silenced_at.pop(key, None)

    def silence(self, keys: Iterable[str], now: Instant) -> None:
        for key in keys:
            self._silenced_at[key] = now

    # -- technical alarms (no audio device, storage failure): raised and cleared by the program
    def raise_technical(self, key: str, text: str) -> None:
        self._technical[key] = text

    def clear_technical(self, key: str) -> None:
        self._technical.pop(key, None)
        self._acknowledged.discard(key)

    # -- what to present
    def active(self, countdowns: Iterable[Any], now: Instant) -> list[ActiveAlarm]:
        out: list[ActiveAlarm] = []
        for key, text in self._technical.items():
            out.append(self._entry(key, "technical", text, now))
        for c in countdowns:
            if c.level in ("warning", "alarm"):
                out.append(self._entry(alarm_key(c), c.level, c.label, now))
        out.sort(key=lambda a: (-_RANK[a.level], a.key))
        return out

    def active_from(self, alarms: Iterable[ActiveAlarm], now: Instant) -> list[ActiveAlarm]:
        """The same alarms re-read after the nurse acted (without new countdowns)."""
        return [self._entry(a.key, a.level, a.text, now) for a in alarms]

    def sound(self, alarms: Iterable[ActiveAlarm]) -> Sound | None:
        """The one sound to play now: the most urgent alarm still sounding, if any."""
        sounding = [a for a in alarms if a.sounding]
        if not sounding:
            return None
        return max(sounding, key=lambda a: _RANK[a.level]).level

    def _entry(self, key: str, level: Any, text: str, now: Instant) -> ActiveAlarm:
        left = 0.0
        since = self._silenced_at.get(key)
        if since is not None:
            left = max(0.0, SILENCE_SECONDS - elapsed(since, now))
        return ActiveAlarm(key, level, text, key in self._acknowledged, left)
