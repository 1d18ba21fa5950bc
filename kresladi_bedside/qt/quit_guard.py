"""Quitting while a product clock runs: asked, with the clock named, and "keep working" the
default (Enter and Escape both keep the window). A slip of Ctrl+Q mid-thaw must not put a
sign-in between the nurse and "thaw complete"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from .display import clock_text
from .lock import running_clocks


def quit_question(countdowns: Sequence[Any]) -> str | None:
    """The question to ask before quitting, or None when no product clock runs."""
    running = running_clocks(countdowns)
    if not running:
        return None
    lines = [f"{c.label}: {clock_text(max(c.remaining_s, 0))} left" if c.remaining_s > 0
             else f"{c.label}: OVER by {clock_text(-c.remaining_s)}" for c in running]
    return ("A clock is running:\n" + "\n".join(lines) + "\n\nThe clock goes on whether or not "
            "this program is open. Quit anyway? (You will have to sign in again.)")


def may_quit(parent: QWidget, countdowns: Sequence[Any]) -> bool:
    question = quit_question(countdowns)
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
