"""A label held in front of the camera is in thirty frames a second: it is one scan, not thirty."""

from __future__ import annotations

from collections.abc import Iterable

from .raw import RawScan


class ConsecutiveDedupe:
    """Passes a payload on the first decoded frame it appears in, then not again while it stays.

    A payload counts as still there if it was read in one of the last `hold_frames` decoded
    frames: a single blurred frame while the nurse's hand moves must not turn one label into two
    scans. Once absent for longer, showing it again is a new scan (the nurse scanning it again).
    """

    def __init__(self, hold_frames: int = 3) -> None:
        if hold_frames < 1:
            raise ValueError(f"hold_frames must be at least 1, got {hold_frames}")
        self._hold = hold_frames
        self._count = 0  # decoded frames so far
        self._last_seen: dict[str, int] = {}

    def fresh(self, scans: Iterable[RawScan]) -> list[RawScan]:
        """The scans of one decoded frame that are new; call once per decoded frame."""
        self._count += 1
        out: list[RawScan] = []
        for scan in scans:
            last = self._last_seen.get(scan.payload)
            if (last is None or self._count - last > self._hold) and scan not in out:
                out.append(scan)
            self._last_seen[scan.payload] = self._count
        # Forget what has left the view so the table stays small over a long shift.
        self._last_seen = {
            p: n for p, n in self._last_seen.items() if self._count - n <= self._hold
        }
        return out
