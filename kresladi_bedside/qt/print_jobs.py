"""Printing and PDF rendering off the GUI thread (qt/background.py), so a slow printer, a large
record or a long chain check never freezes the countdowns: what runs is said in the status bar,
the print actions say "busy" until it ends, a deadline says when it takes too long, and a
failure is shown with what went wrong. Nothing here decides what is printed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox

from .background import run_in_background

DEADLINE_S = 60.0  # a record to a CUPS queue or a PDF takes seconds; a minute is a problem


@dataclass(frozen=True)
class JobResult:
    what: str
    pages: int = 0
    error: str | None = None
    late: bool = False  # finished after its deadline was announced


class PrintJobs:
    """One print or save at a time, off the GUI thread, always answered on it."""

    def __init__(self, window: QMainWindow, deadline_s: float = DEADLINE_S) -> None:
        self.window = window
        self.deadline_s = deadline_s
        self.busy: str | None = None  # what is running, as the status bar says it
        self.last: JobResult | None = None
        self._serial = 0
        self._late: set[int] = set()

    def run(self, what: str, op: Callable[[], int], done_text: Callable[[int], str]) -> bool:
        """Run `op` (returns the pages written) off the GUI thread; False when another job
        still runs (the person is told which)."""
        if self.busy is not None:
            self._tell("Print", f"Still working on: {self.busy}. Wait for it to finish.")
            return False
        self._serial += 1
        serial = self._serial
        self.busy = what
        self.window.statusBar().showMessage(f"{what}…")
        # the window as the timer's context: a closed window takes its deadline with it
        QTimer.singleShot(round(self.deadline_s * 1000), self.window,
                          lambda: self._deadline(serial))
        run_in_background(op, owner=self.window,
                          success=lambda pages: self._done(serial, what, pages, done_text),
                          failure=lambda exc: self._failed(serial, what, exc))
        return True

    def _deadline(self, serial: int) -> None:
        if serial != self._serial or self.busy is None:
            return  # finished in time
        self._late.add(serial)
        what, self.busy = self.busy, None  # a hung printer must not block saving as PDF
        text = (f"{what}: not finished after {self.deadline_s:g} s. Check the printer (paper, "
                "queue, network); the record can also be saved as a PDF. You will be told if "
                "it finishes.")
        self.window.statusBar().showMessage(text)
        self._tell("Print", text)

    def _done(self, serial: int, what: str, pages: int, done_text: Callable[[int], str]) -> None:
        late = serial in self._late
        self._finish(serial)
        self.last = JobResult(what, pages, late=late)
        text = done_text(pages) if pages else f"{what}: nothing was printed."
        self.window.statusBar().showMessage(text + (" (after its deadline)" if late else ""),
                                            15_000)

    def _failed(self, serial: int, what: str, exc: Exception) -> None:
        self._finish(serial)
        self.last = JobResult(what, error=str(exc) or type(exc).__name__)
        self.window.statusBar().showMessage(f"{what}: FAILED — {self.last.error}", 30_000)
        self._tell("Print", f"{what} failed: {self.last.error}")

    def _finish(self, serial: int) -> None:
        self._late.discard(serial)
        if serial == self._serial:
            self.busy = None

    def _tell(self, title: str, text: str) -> None:
        """A message that does not stop the event loop (countdowns keep running)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self.window)
        box.setObjectName("printMessage")
        box.open()
