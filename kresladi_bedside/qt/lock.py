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


def menu_actions(menubar: Any) -> list[Any]:
    """Every action of the window's menus (their shortcuts included: Ctrl+P, Ctrl+Q…)."""
    found: list[Any] = []
    for top in menubar.actions():
        menu = top.menu()
        found.append(top)
        if menu is not None:
            found += [a for a in menu.actions() if not a.isSeparator()]
    return found


def lock_menus(menubar: Any) -> list[Any]:
    """The lock screen allows nothing but unlocking (issue 25, item 4): every menu action off,
    so no shortcut prints the record, quits or signs out without a PIN. Returns the actions
    that were on, for `unlock_menus`. The alarm keys (F9, F10) are not menu actions: they stay."""
    was_on = [a for a in menu_actions(menubar) if a.isEnabled()]
    for action in was_on:
        action.setEnabled(False)
    menubar.setEnabled(False)
    return was_on


def unlock_menus(menubar: Any, was_on: Iterable[Any]) -> None:
    menubar.setEnabled(True)
    for action in was_on:
        action.setEnabled(True)


def is_product_label(payload: str, source: Any, symbology: str | None, config: Any) -> bool:
    """True when the scan reads as one of the product's or patient's labels (a wristband, a
    shipper, a cassette, a bag): anything else may be someone's badge."""
    from ..labels.errors import LabelError
    from ..labels.parse import parse

    try:
        return parse(payload, source, symbology, config=config).kind != "badge"
    except LabelError:
        return False
