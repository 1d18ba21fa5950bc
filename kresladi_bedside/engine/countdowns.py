"""Every live countdown at an instant, computed from recorded instants (never from ticks).

Levels: `waiting` (a window not yet open), `ok`, `warning` (the profile's warn point passed),
`alarm` (the limit reached). The window shows them; it decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..clock import Instant
from ..profile import Profile
from .state import State

Level = Literal["waiting", "ok", "warning", "alarm"]


@dataclass(frozen=True)
class Countdown:
    id: str  # thaw | infusion_window | infusion_time | interbag | conditioning
    label: str
    rule: str
    bag: int | None
    level: Level
    elapsed_s: float
    limit_s: float  # the limit (for windows: when it closes)
    remaining_s: float  # limit_s - elapsed_s (negative once over)
    opens_in_s: float | None = None  # windows only: seconds until it opens (<= 0: open)
    closes_in_s: float | None = None  # windows only
    # A restart lies inside the span: `elapsed_s` is the upper estimate (limits) or the lower
    # bound (waits), and the true time may differ; None when the upper estimate is unknown.
    uncertain: bool = False

    @property
    def alarm_key(self) -> str:
        return f"{self.id}:{self.bag}" if self.bag else self.id


def _level(gone: float, warn: float, limit: float, opens: float = 0.0) -> Level:
    if gone < opens:
        return "waiting"
    if gone >= limit:
        return "alarm"
    if gone >= warn:
        return "warning"
    return "ok"


def countdowns(state: State, now: Instant, profile: Profile) -> list[Countdown]:
    if not state.active:
        return []
    found: list[Countdown] = []
    line = state.timeline

    def upper(start: Instant) -> tuple[float, bool]:
        """For an upper limit: the upper estimate (the lower bound when it is unknown)."""
        span = line.span(start, now)
        return span.best(), not span.exact

    bag = state.current_bag()
    if bag is not None and bag.thaw_started is not None:
        gone, unsure = upper(bag.thaw_started)
        if bag.thaw_completed is None:
            rule = profile.rule("thaw_time")
            limit = rule["max_seconds"]
            found.append(Countdown("thaw", f"Thaw, bag {bag.number}", "thaw_time", bag.number,
                                   _level(gone, rule["warn_seconds"], limit), gone, limit,
                                   limit - gone, uncertain=unsure))
        if bag.infusion_ended is None:
            rule = profile.rule("infusion_window")
            limit = rule["max_seconds"]
            warn = rule["warn_seconds"]
            if bag.infusion_started is None:
                # Not started yet: warn while there is still less time left than an infusion
                # usually takes ("usually less than 10 minutes", §2.3).
                warn = min(warn, limit - profile.rule("infusion_time")["usual_seconds"])
            found.append(Countdown("infusion_window",
                                   f"Bag {bag.number}: infusion complete within 30 min of thaw",
                                   "infusion_window", bag.number,
                                   _level(gone, warn, limit), gone, limit,
                                   limit - gone, uncertain=unsure))
        if bag.infusion_started is not None and bag.infusion_ended is None:
            usual = profile.rule("infusion_time")["usual_seconds"]
            running, _ = upper(bag.infusion_started)
            # A cue, never an alarm: the label says the time "will vary".
            found.append(Countdown("infusion_time", f"Bag {bag.number} infusing: usually under "
                                   f"{usual // 60} min", "infusion_time", bag.number,
                                   "warning" if running >= usual else "ok", running, usual,
                                   usual - running))
    # The wait before the next bag counts from the end of the previous bag's flush (the bag is
    # administered completely then) and shows from that instant on. It opens on the lower bound
    # of the timeline and closes on its upper estimate.
    for previous, following in zip(state.bags, state.bags[1:], strict=False):
        done = state.administered_at(previous.number)
        if done is None or following.thaw_started is not None:
            continue
        rule = profile.rule("interbag_window")
        span = line.span(done, now)
        gone, least = span.best(), span.low
        lo, hi = rule["min_seconds"], rule["max_seconds"]
        found.append(Countdown("interbag", f"Thaw bag {following.number}: 1–2 h after bag "
                               f"{previous.number} was administered (end of its flush)",
                               "interbag_window", following.number,
                               _level(gone, rule["warn_seconds"], hi, lo - least + gone),
                               gone, hi, hi - gone, lo - least, hi - gone,
                               uncertain=not span.exact))
    waiting_for_infusion = any(b.infusion_started is None for b in state.bags) or not state.bags
    if state.conditioning_end is not None and waiting_for_infusion:
        rule = profile.rule("conditioning_window")
        span = line.span(state.conditioning_end, now)
        gone, least = span.best(), span.low
        lo, hi = rule["min_hours"] * 3600, rule["max_hours"] * 3600
        warn = hi - rule["warn_before_close_hours"] * 3600
        found.append(Countdown("conditioning", "Infuse 24–48 h after conditioning",
                               "conditioning_window", None, _level(gone, warn, hi,
                                                                   lo - least + gone),
                               gone, hi, hi - gone, lo - least, hi - gone,
                               uncertain=not span.exact))
    return found
