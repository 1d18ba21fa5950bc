"""Quitting while a product clock runs: asked, with the clock named, and "keep working" the
default (Enter and Escape both keep the window). A slip of Ctrl+Q mid-thaw must not put a
sign-in between the nurse and "thaw complete"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from ..record.times import duration
from .display import countdown_tile
from .lock import running_clocks


def clock_line(c: Any, now: Any = None) -> str:
    """A running clock in words, as the header's tile counts it (down): "Thaw, bag 1: 4 min
    56 s left of 5 min 00 s (until 08:12:30)". Words, not "4:56", in a sentence that is read
    once, not watched."""
    tile = countdown_tile(c, now)
    when = f" ({tile.when})" if tile.when else ""
    if c.remaining_s < 0:
        return f"{c.label}: OVER by {duration(-c.remaining_s)}{when}"
    limit = f" of {duration(c.limit_s)}" if c.id == "thaw" and c.limit_s else ""
    return f"{c.label}: {duration(c.remaining_s)} left{limit}{when}"


def quit_question(countdowns: Sequence[Any], now: Any = None) -> str | None:
    """The question to ask before quitting, or None when no product clock runs."""
    running = running_clocks(countdowns)
    if not running:
        return None
    lines = [clock_line(c, now) for c in running]
    return ("A clock is running:\n" + "\n".join(lines) + "\n\nThe clock goes on whether or not "
            "this program is open. Quit anyway? (You will have to sign in again.)")


def may_quit(parent: QWidget, countdowns: Sequence[Any], now: Any = None) -> bool:
    question = quit_question(countdowns, now)
    if question is None:
        return True
    box = QMessageBox(QMessageBox.Icon.Warning, "Quit while a clock runs?", question,
                      QMessageBox.StandardButton.NoButton, parent)
    keep = box.addButton("&Keep working", QMessageBox.ButtonRole.RejectRole)
    quit_ = box.addButton("&Quit anyway", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.setAccessibleName("Quit while a clock runs")
    box.exec()
    return box.clickedButton() is quit_
