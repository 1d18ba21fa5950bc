"""Whether a button was pressed by a person aiming the pointer at it, or by a key.

A press that records an instant nobody can take back (END INFUSION) is asked again when it came
from the keyboard: a Tab held down walks the focus onto the button and the Enter that follows,
Space, or a scanner's Enter suffix, presses it while the person looks elsewhere (issue 25,
item 8). A click aimed at the button, whose text is the attestation itself, is the person's own
act; but not the second half of a double click begun on the page before (the button appears
under the pointer as the page changes)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractButton, QApplication


class PressSource(QObject):
    """Watches one button: `aimed()` says whether its last press was not a key and not a click
    within a double-click's time of the button coming on screen. (A press with no input event
    at all, an accessibility tool's "press" action, counts as aimed.)"""

    def __init__(self, button: QAbstractButton) -> None:
        super().__init__(button)
        self._unaimed = False
        self._shown_at = time.monotonic()
        button.installEventFilter(self)

    def shown(self) -> None:
        """The button has just come under the pointer (its page is now the current one)."""
        self._shown_at = time.monotonic()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress:
            settled = QApplication.doubleClickInterval() / 1000.0
            self._unaimed = time.monotonic() - self._shown_at < settled
        elif kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.Shortcut):
            self._unaimed = True  # Space, Enter, the Alt+letter mnemonic
        return False

    def aimed(self) -> bool:
        """Whether the press being handled now was aimed (read once per press)."""
        unaimed, self._unaimed = self._unaimed, False
        return not unaimed
