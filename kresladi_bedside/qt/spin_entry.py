"""Spin boxes that start blank (issue 25, item 8). A clinical number starts at the minimum shown
as a blank special text ("enter the temperature"), never at a plausible value. Clicked into, Qt
puts the cursor inside that text, and digits typed there make no number, so they were ignored
until Ctrl+A. A click into a blank spin box selects its text, so the first digit replaces it, as
Tab into it already does."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit


def _blank(spin: QAbstractSpinBox) -> bool:
    special = spin.specialValueText()
    return bool(special) and spin.text() == special


class BlankSpinSelect(QObject):
    """Application-wide: a click released in a blank spin box's entry selects it all."""

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(watched, QLineEdit):
            spin = watched.parent()
            if isinstance(spin, QAbstractSpinBox) and _blank(spin):
                watched.selectAll()
        return False
