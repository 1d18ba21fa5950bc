"""When the screen may lock by itself.

The idle lock protects the patient's data on an unattended screen. It must not fall while the
product's own clocks run (a thaw, or the 30 minutes from the start of thaw to the end of the
infusion): the nurse is at the bedside with gloved hands, and a PIN exactly when "thaw complete"
is due costs time the product does not have. So while such a clock runs the window counts the
running clock as activity; once it stops, the ordinary idle time counts from then. Locking by
hand (Ctrl+L) is always possible. The countdowns and the alarm stay on the lock screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# The engine's countdowns (engine.countdowns.Countdown.id) that run to a limit of the product:
# windows that only open or close (between bags, conditioning) do not hold the lock back.
CLOCK_CRITICAL = frozenset({"thaw", "infusion_window"})


def running_clocks(countdowns: Iterable[Any]) -> list[Any]:
    """The product clocks running now (thaw; start of thaw to end of infusion)."""
    return [c for c in countdowns if c.id in CLOCK_CRITICAL]


def idle_lock_held(countdowns: Iterable[Any]) -> bool:
    return bool(running_clocks(countdowns))
