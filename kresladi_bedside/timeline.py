"""One timeline that every limit of a procedure is judged on.

The rule (README, *The timeline*):
1. Within one boot, the time between two instants is the difference of their monotonic readings
   (the wall clock may be set forward or back meanwhile: it does not count).
2. Across a restart of the machine (a new boot id) the monotonic clock starts again and the time
   the machine was down is not measured. The timeline resumes at the last trusted instant plus the
   monotonic time since the restart: that is the **lower bound** of every span crossing it, used
   for the waits (24 h after conditioning, 1 h between bags), which therefore never get shorter.
3. The **upper estimate** adds the downtime the wall clock shows, when the wall clock did not go
   back (its new reading is not before the last trusted instant); it is used for the upper limits
   (5 min thaw, 30 min to the end of infusion, 2 h between bags, 48 h after conditioning). When
   the wall clock went back across the restart the downtime is **unknown**: an upper limit that
   spans it is judged as passed (a signed deviation), unless the nurse attests the real time.
4. A nurse may attest the real time (signed): from that instant the timeline is anchored on it;
   an attested time earlier than the lower bound is refused (elapsed time never shrinks).
No span is ever negative. Times a person types (conditioning end, back-up confirmed at…) are
placed by their wall time on the timeline's first instant.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .clock import Instant


@dataclass(frozen=True)
class Segment:
    """The instants recorded in one boot: positions within it come from the monotonic clock."""

    boot_id: str | None
    first: Instant
    last: Instant
    base_low: float  # timeline seconds of `first`, downtime before it counted as 0
    base_high: float | None  # with the wall clock's downtime; None: unknown (went back)
    gap_low: float = 0.0  # the downtime before this segment: at least…
    gap_high: float | None = 0.0  # …and at most (None: unknown)
    attested: bool = False

    def offset(self, at: Instant) -> float:
        assert at.mono is not None and self.first.mono is not None
        return at.mono - self.first.mono

    @property
    def duration(self) -> float:
        return self.offset(self.last)


@dataclass(frozen=True)
class Span:
    """Elapsed time between two instants: at least `low`, at most `high` (None: unknown)."""

    low: float
    high: float | None

    @property
    def exact(self) -> bool:
        return self.high is not None and self.high - self.low < 1e-6

    @property
    def known(self) -> bool:
        return self.high is not None

    def best(self) -> float:
        """The value to show and record: the upper estimate when there is one (never below the
        lower bound), else the lower bound."""
        return self.low if self.high is None else max(self.high, self.low)


def _in_boot(at: Instant) -> bool:
    return at.mono is not None and at.boot_id is not None


@dataclass(frozen=True)
class Timeline:
    segments: tuple[Segment, ...] = ()

    @property
    def anchor(self) -> Instant | None:
        return self.segments[0].first if self.segments else None

    def _segment(self, at: Instant) -> Segment | None:
        if not _in_boot(at):
            return None
        for seg in reversed(self.segments):
            if seg.boot_id == at.boot_id:
                return seg
        return None

    def add(self, at: Instant) -> Timeline:
        """The timeline with `at` recorded (every event's instant is folded in, in order)."""
        if not _in_boot(at):
            return self
        if not self.segments:
            return Timeline((Segment(at.boot_id, at, at, 0.0, 0.0),))
        current = self.segments[-1]
        if current.boot_id == at.boot_id:
            assert at.mono is not None and current.last.mono is not None
            if at.mono >= current.last.mono:
                return Timeline((*self.segments[:-1], replace(current, last=at)))
            return self
        if self._segment(at) is not None:
            return self  # an instant of an earlier boot (replayed out of order): nothing new
        gap = (at.wall - current.last.wall).total_seconds()
        gap_high = gap if gap >= 0 else None
        end_low = current.base_low + current.duration
        base_high = (None if current.base_high is None or gap_high is None
                     else current.base_high + current.duration + gap_high)
        return Timeline((*self.segments, Segment(at.boot_id, at, at, end_low, base_high,
                                                 0.0, gap_high)))

    def attest(self, at: Instant, real: datetime) -> Timeline:
        """The nurse attests that `at` was `real` (a wall time with its offset): the segment of
        `at` is placed there. The caller checks first that it is not before the lower bound."""
        timeline = self.add(at)
        seg = timeline._segment(at)
        anchor = timeline.anchor
        if seg is None or anchor is None:
            return timeline
        base = (real - anchor.wall).total_seconds() - seg.offset(at)
        index = timeline.segments.index(seg)
        if index == 0:
            return timeline  # the first boot is the anchor itself: nothing to place
        prev = timeline.segments[index - 1]
        gap_high = base - (prev.base_low + prev.duration)
        gap_low = (base - (prev.base_high + prev.duration) if prev.base_high is not None
                   else 0.0)
        placed = replace(seg, base_low=base, base_high=base, gap_low=max(gap_low, 0.0),
                         gap_high=max(gap_high, 0.0), attested=True)
        return Timeline((*timeline.segments[:index], placed, *timeline.segments[index + 1:]))

    # ------------------------------------------------------------------------------ reading
    def position(self, at: Instant) -> tuple[float, float | None]:
        """Seconds from the anchor to `at`: (lower bound, upper estimate or None)."""
        anchor = self.anchor
        seg = self._segment(at)
        if anchor is None:
            return 0.0, 0.0
        if seg is None:
            if _in_boot(at):  # a boot the timeline has not recorded yet (a first command)
                return self.add(at).position(at)
            wall = (at.wall - anchor.wall).total_seconds()  # a typed time: its wall time
            return wall, wall
        offset = seg.offset(at)
        return seg.base_low + offset, None if seg.base_high is None else seg.base_high + offset

    def span(self, start: Instant, end: Instant) -> Span:
        """The elapsed time from `start` to `end` (never negative)."""
        timeline = self.add(end) if _in_boot(end) else self
        a, b = timeline._segment(start), timeline._segment(end)
        if a is not None and b is not None and a is b:
            d = max(b.offset(end) - a.offset(start), 0.0)
            return Span(d, d)
        if a is not None and b is not None:
            i, j = timeline.segments.index(a), timeline.segments.index(b)
            if i > j:
                return Span(0.0, 0.0)
            within = (a.duration - a.offset(start)) + sum(
                s.duration for s in timeline.segments[i + 1:j]) + b.offset(end)
            gaps = timeline.segments[i + 1:j + 1]
            low = within + sum(s.gap_low for s in gaps)
            highs = [s.gap_high for s in gaps]
            high = None if any(h is None for h in highs) else within + sum(
                h for h in highs if h is not None)
            return Span(max(low, 0.0), None if high is None else max(high, low, 0.0))
        s_low, s_high = timeline.position(start)
        e_low, e_high = timeline.position(end)
        low = e_low - (s_high if s_high is not None else s_low)
        high = None if e_high is None else e_high - s_low
        return Span(max(low, 0.0), None if high is None else max(high, low, 0.0))

    def wall(self, at: Instant) -> tuple[datetime, datetime | None]:
        """The real time at `at` as the timeline knows it: (at least, at most or None)."""
        anchor = self.anchor
        if anchor is None:
            return at.wall, at.wall
        low, high = self.position(at)
        return (anchor.wall + timedelta(seconds=low),
                None if high is None else anchor.wall + timedelta(seconds=high))

    def restarts_since(self, start: Instant) -> int:
        """How many restarts lie between `start` and the last recorded instant."""
        seg = self._segment(start)
        if seg is None:
            return 0
        return len(self.segments) - 1 - self.segments.index(seg)
