"""Printing and PDF rendering off the GUI thread (qt/print_jobs.py): the GUI keeps running while
a record is made and painted, the status bar says what runs, a deadline is announced, a failure
is shown with its reason, and one job runs at a time."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from kresladi_bedside.qt.print_jobs import PrintJobs


def _message_boxes() -> list[str]:
    return [w.text() for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "printMessage" and w.isVisible()]


def test_the_gui_runs_while_a_job_paints_and_the_end_is_said(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    jobs = PrintJobs(window)
    release = threading.Event()
    ticks: list[int] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)

    def slow() -> int:
        assert release.wait(10)
        return 3

    assert jobs.run("Printing the record on pdf", slow, lambda n: f"{n} page(s) sent.")
    assert jobs.busy == "Printing the record on pdf"
    assert window.statusBar().currentMessage() == "Printing the record on pdf…"
    # the event loop goes on while the job waits (the countdowns would too)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5000)
    assert jobs.busy is not None
    assert not jobs.run("Saving the record", lambda: 1, str)  # one at a time, said
    qtbot.waitUntil(lambda: any("Still working on: Printing" in t for t in _message_boxes()))
    release.set()
    qtbot.waitUntil(lambda: jobs.busy is None, timeout=5000)
    assert jobs.last is not None and jobs.last.pages == 3 and jobs.last.error is None
    assert window.statusBar().currentMessage() == "3 page(s) sent."


def test_a_failure_is_shown_with_its_reason(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    jobs = PrintJobs(window)

    def broken() -> int:
        raise OSError("the printer 'ward-3' cannot be opened")

    jobs.run("Printing the record on ward-3", broken, str)
    qtbot.waitUntil(lambda: jobs.busy is None, timeout=5000)
    assert jobs.last is not None and jobs.last.error == "the printer 'ward-3' cannot be opened"
    assert window.statusBar().currentMessage().startswith(
        "Printing the record on ward-3: FAILED — the printer 'ward-3' cannot be opened")
    qtbot.waitUntil(lambda: any("failed: the printer 'ward-3'" in t for t in _message_boxes()))


def test_a_job_past_its_deadline_is_announced_and_frees_the_printer(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    jobs = PrintJobs(window, deadline_s=0.2)
    release = threading.Event()
    jobs.run("Printing the record on ward-3", lambda: int(release.wait(10)) * 2, str)
    qtbot.waitUntil(lambda: "not finished after 0.2 s" in window.statusBar().currentMessage(),
                    timeout=5000)
    assert jobs.busy is None  # saving as PDF is possible meanwhile
    assert any("the record can also be saved as a PDF" in t for t in _message_boxes())
    release.set()
    qtbot.waitUntil(lambda: jobs.last is not None, timeout=5000)
    assert jobs.last is not None and jobs.last.late and jobs.last.pages == 2
    assert window.statusBar().currentMessage() == "2 (after its deadline)"
