"""The keyboard in a kiosk session (issue 25, item 11): with no window manager, nothing gives a
window the keyboard but the program itself, and Qt runs no shortcut (Ctrl+L, Ctrl+Q, F9/F10 —
even application-wide ones) while it considers no window active.

So the window asks for the keyboard when it is shown (BedsideWindow.show), and again whenever
one of its own windows that could hold the keyboard (a dialog) is hidden and no window of ours
has it a moment later: X hands the focus of a closed window to the root, and nobody hands it
back. (Qt sends no focus-change signal when the focus window goes away, so the hide is watched.)
A focus lost to another program while our windows stay open is left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

SETTLE_MS = 50  # a window manager gives the parent the focus by itself within this


class FocusKeeper(QObject):
    def __init__(self, main: QWidget) -> None:
        super().__init__(main)
        self.main = main
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and isinstance(watched, QWidget) and \
                watched.isWindow() and watched is not self.main:
            QTimer.singleShot(SETTLE_MS, self.give_keyboard)
        return False

    @Slot()
    def give_keyboard(self) -> None:
        """The open dialog (it is what the nurse is answering), else the main window."""
        if QGuiApplication.focusWindow() is not None or not self.main.isVisible() \
                or self.main.isMinimized():
            return
        target = QApplication.activeModalWidget() or self.main
        target.activateWindow()
