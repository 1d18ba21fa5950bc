"""Run a program until its first window has painted, print `FIRST_PAINT <time.time()>`, exit.

    python tests/bench/first_paint.py kresladi-bedside [ARGS...]   # the real command line
    python tests/bench/first_paint.py bare-qwizard                  # the baseline

With `FIRST_PAINT_OF=BedsideWindow` in the environment only a paint inside a window of that
class counts: the full window, after the start shell's sign-in page (qt/start.py).

Both go through the same wrapper (PySide6's `QApplication.exec` gets an event filter that sees
the first Paint event, lets it finish, then quits), so both pay the same for it. The parent
takes the time before it starts the process: interpreter start-up and every import count.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

PAINT_OF = os.environ.get("FIRST_PAINT_OF", "")


def _counts(watched: QObject) -> bool:
    if not PAINT_OF:
        return True
    window = watched.window() if isinstance(watched, QWidget) else None
    return window is not None and type(window).__name__ == PAINT_OF


class _FirstPaint(QObject):
    seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen and _counts(watched):
            self.seen = True
            # after this paint event has been handled: a posted event, which the loop takes
            # before any zero timer (the program's own work queued for after its first paint,
            # qt/start.py, must not count)
            QApplication.postEvent(self, QEvent(QEvent.Type.User),
                                   Qt.EventPriority.HighEventPriority.value)
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.User:
            self._done()
            return True
        return super().event(event)

    def _done(self) -> None:
        print(f"FIRST_PAINT {time.time()!r}", flush=True)
        QApplication.exit(0)


_exec = QApplication.exec


def _exec_until_first_paint(*_args: object) -> int:
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(_FirstPaint(app))
    return _exec()


QApplication.exec = _exec_until_first_paint  # type: ignore[method-assign]


def bare_qwizard() -> int:
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWizard, QWizardPage

    app = QApplication(sys.argv[:1])
    wizard = QWizard()
    page = QWizardPage()
    page.setTitle("Sign in")
    QVBoxLayout(page).addWidget(QLabel("Scan your badge, then enter your PIN."))
    wizard.addPage(page)
    wizard.show()
    return app.exec()


if __name__ == "__main__":
    if sys.argv[1] == "bare-qwizard":
        sys.exit(bare_qwizard())
    from kresladi_bedside.cli import main

    sys.exit(main(sys.argv[2:]))
