"""Keyboard-wedge scanners type: tell a scanner burst from a person typing, by timing alone.

A scanner types its payload at 1–2 ms a key and ends with a configured suffix (Enter by default);
a fast typist manages about 60 ms a key. A burst is a scan when it has at least `min_chars`
characters before the suffix and the MEDIAN gap between keys is under `max_median_gap_ms` (the
median, so one stall in the USB stream does not turn a scan into typing).

The classifier holds each key until it knows which it is: the Qt filter swallows held keys and
replays them to the focused widget when they turn out to be typing, so a scan never also lands
in a text field and typing is never lost. Times are milliseconds from any monotonic origin; keys
carry an opaque `token` (the Qt filter's copy of the key event) that comes back in `Replay`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from typing import Any, Literal

from ..config import ScannerConfig
from .raw import RawScan, split_aim

# The longest a key is held back from a text field when nothing says it is part of a scan.
DEFAULT_HOLD_MS = 100.0
# The longest stall inside a burst already under way (two or more fast keys held): a USB stream,
# or a busy workstation reading it, can pause mid-label; typing never waits this long because a
# typist's keys are released as soon as they look like typing.
DEFAULT_STALL_MS = 300.0


@dataclass(frozen=True)
class Key:
    text: str  # one character as typed (GS arrives as "\x1d" from Ctrl+])
    t_ms: float
    token: Any = None


@dataclass(frozen=True)
class Replay:
    """Keys that were typing: deliver them, in order, to where they were going."""

    keys: tuple[Key, ...]


@dataclass(frozen=True)
class Burst:
    """Keys that were a scanner: swallow them; `scan` is what the scanner sent."""

    keys: tuple[Key, ...]
    scan: RawScan


Decision = Replay | Burst

KeyKind = Literal["modifier", "held", "passes"]


def key_kind(text: str, *, modifier_only: bool, suffix: str = "\r") -> KeyKind:
    """What the filter does with one key press, before any timing.

    - "modifier": Shift, Ctrl, Alt, AltGr, Meta, Caps Lock pressed alone. A scanner presses
      Shift for every capital and symbol and Ctrl for GS (Ctrl+]) exactly as a keyboard does:
      these are part of a burst, never the end of one. They pass to the widget untouched and
      leave the held keys held.
    - "held": one character (GS included), or the configured suffix: held while the classifier
      decides. Auto-repeat included: X marks a key pressed again within the same millisecond as
      a repeat, which is exactly how a scanner types the "00" of an ISBT 128 code; a key really
      held down repeats at typing speed and is released as typing.
    - "passes": anything else (arrows, F-keys, input-method text, and Tab or Enter when they are
      not the suffix). Held keys go first, then this one, at once: a typist's Tab moves focus
      before the next key is read, so that key lands in the next field.
    """
    if modifier_only:
        return "modifier"
    if len(text) != 1:
        return "passes"
    if text in "\t\r\n" and not (suffix and text == suffix[0]):
        return "passes"
    return "held"


class BurstClassifier:
    def __init__(
        self,
        *,
        suffix: str = "\r",
        min_chars: int = 6,
        max_median_gap_ms: float = 30.0,
        hold_ms: float = DEFAULT_HOLD_MS,
        stall_ms: float = DEFAULT_STALL_MS,
    ) -> None:
        if min_chars < 1:
            raise ValueError(f"min_chars must be at least 1, got {min_chars}")
        if max_median_gap_ms <= 0 or hold_ms <= max_median_gap_ms:
            raise ValueError(
                f"need 0 < max_median_gap_ms < hold_ms, got {max_median_gap_ms} and {hold_ms}"
            )
        self.suffix = suffix
        self.min_chars = min_chars
        self.max_gap = max_median_gap_ms
        self.hold_ms = hold_ms
        self.stall_ms = max(stall_ms, hold_ms)
        self._held: list[Key] = []

    @classmethod
    def from_config(
        cls, config: ScannerConfig, *, hold_ms: float = DEFAULT_HOLD_MS
    ) -> BurstClassifier:
        return cls(
            suffix=config.suffix,
            min_chars=config.min_burst_chars,
            max_median_gap_ms=config.max_median_gap_ms,
            hold_ms=hold_ms,
        )

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def deadline_ms(self) -> float | None:
        """When the held keys must be released if no other key comes (for the caller's timer)."""
        return self._held[-1].t_ms + self._wait_ms() if self._held else None

    def _wait_ms(self) -> float:
        gaps = _gaps(self._held)
        return self.stall_ms if gaps and median(gaps) < self.max_gap else self.hold_ms

    def feed(self, key: Key) -> list[Decision]:
        """One key press. Returns what to do with the keys decided so far (often nothing yet)."""
        decisions: list[Decision] = []
        if self._held and key.t_ms - self._held[-1].t_ms > self._wait_ms():
            decisions.append(self._release())  # the timer was late: that was typing
        self._held.append(key)
        if self.suffix and self._ends_with_suffix():
            decisions.extend(self._decide_at_suffix())
        elif self._clearly_typing():
            decisions.append(self._release_typed_head())
        return decisions

    def tick(self, now_ms: float) -> list[Decision]:
        """Time passes with no key: release held keys once they have waited `hold_ms`."""
        deadline = self.deadline_ms()
        if deadline is None or now_ms < deadline:
            return []
        if not self.suffix and self._is_burst(self._held):  # a scanner set to send no suffix
            return [self._take_burst(self._held)]
        return [self._release()]

    def flush(self) -> list[Decision]:
        """Release whatever is held as typing (focus changed, window closing)."""
        return [self._release()] if self._held else []

    # -- the steps --------------------------------------------------------------------------

    def _ends_with_suffix(self) -> bool:
        n = len(self.suffix)
        return len(self._held) >= n and "".join(k.text for k in self._held[-n:]) == self.suffix

    def _decide_at_suffix(self) -> list[Decision]:
        body = self._held[: -len(self.suffix)]
        # Keys typed just before a scan (a slow gap after them) are not part of it.
        start = 0
        while start < len(body) - 1 and body[start + 1].t_ms - body[start].t_ms >= 2 * self.max_gap:
            start += 1
        if self._is_burst(body[start:]):
            typed = tuple(self._held[:start])
            burst = self._take_burst(self._held[start:])
            return ([Replay(typed)] if typed else []) + [burst]
        return [self._release()]

    def _is_burst(self, keys: list[Key]) -> bool:
        payload_keys = keys[: len(keys) - len(self.suffix)] if self._ends_in(keys) else keys
        if len(payload_keys) < self.min_chars:
            return False
        return median(_gaps(keys)) < self.max_gap

    def _ends_in(self, keys: list[Key]) -> bool:
        n = len(self.suffix)
        return bool(n) and "".join(k.text for k in keys[-n:]) == self.suffix

    def _clearly_typing(self) -> bool:
        # Three gaps with a slow median: release early so a typist's characters appear as they
        # type, not at the end of the word (three, so one stall early in a burst is forgiven).
        gaps = _gaps(self._held)
        return len(gaps) >= 3 and median(gaps) >= self.max_gap

    def _release_typed_head(self) -> Replay:
        """Release the keys up to the last slow gap; what follows it may be a burst starting."""
        gaps = _gaps(self._held)
        last_slow = max(i for i, gap in enumerate(gaps) if gap >= self.max_gap)
        head, self._held = tuple(self._held[: last_slow + 1]), self._held[last_slow + 1 :]
        return Replay(head)

    def _take_burst(self, keys: list[Key]) -> Burst:
        text = "".join(k.text for k in keys)
        if self._ends_in(keys):
            text = text[: -len(self.suffix)]
        symbology, payload = split_aim(text)
        self._held = []
        return Burst(tuple(keys), RawScan(payload=payload, source="wedge", symbology=symbology))

    def _release(self) -> Replay:
        keys, self._held = tuple(self._held), []
        return Replay(keys)


def _gaps(keys: list[Key]) -> list[float]:
    return [b.t_ms - a.t_ms for a, b in pairwise(keys)]
