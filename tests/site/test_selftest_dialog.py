"""The window's menu shows the same self-test report as the command line, and runs the checks
off the GUI thread: a camera that hangs for its timeout does not stop the countdowns."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from kresladi_bedside import selftest
from kresladi_bedside.config import SiteConfig
from kresladi_bedside.qt.selftest_qt import show_self_test
from kresladi_bedside.selftest import CheckResult


def _check_database(config: SiteConfig) -> CheckResult:
    return CheckResult("database", "pass", f"would open {config.database}")


def _check_sound(config: SiteConfig) -> CheckResult:
    return CheckResult("sound", "fail", "no audio output device")


def _window(qtbot, tmp_path: Path) -> QWidget:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    window.site_config = SiteConfig(database=tmp_path / "p.db")  # type: ignore[attr-defined]
    return window


def test_the_dialog_shows_the_command_line_report(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, tmp_path)
    checks = [_check_database, _check_sound]
    dialog = show_self_test(window, checks=checks)
    with qtbot.waitSignal(dialog.finished_run, timeout=10_000):
        pass
    expected = selftest.format_report(selftest.run_self_test(window.site_config, checks))
    assert dialog.report.toPlainText() == expected
    assert f"would open {tmp_path / 'p.db'}" in expected  # the window's configuration was used
    assert dialog.verdict.text().startswith("Self-test FAILED")
    checks.remove(_check_sound)  # "Run again" after fixing the sound
    with qtbot.waitSignal(dialog.finished_run, timeout=10_000):
        dialog.run()
    assert dialog.verdict.text() == "Self-test PASSED"


def test_a_hanging_camera_check_does_not_stop_the_gui_timers(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    gui_thread = threading.current_thread()
    ran_on: list[threading.Thread] = []

    def check_camera(config: SiteConfig) -> CheckResult:
        ran_on.append(threading.current_thread())
        release.wait(10)  # a camera that does not answer until its timeout
        return CheckResult("camera", "fail", "camera delivered 0 of 3 frames")

    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)  # the window's countdown tick, faster
    window = _window(qtbot, tmp_path)
    dialog = show_self_test(window, checks=[check_camera])
    assert dialog.running and dialog.verdict.text() == "Self-test running…"
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5_000)  # the GUI thread keeps ticking
    assert dialog.running and not dialog.again.isEnabled()
    with qtbot.waitSignal(dialog.finished_run, timeout=10_000):
        release.set()
    timer.stop()
    assert ran_on and ran_on[0] is not gui_thread
    assert dialog.verdict.text().startswith("Self-test FAILED")
    assert "0 of 3 frames" in dialog.report.toPlainText()


def test_a_crash_of_the_run_itself_is_reported_on_the_gui_thread(
        qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: object, **kwargs: object) -> list[CheckResult]:
        raise MemoryError("out of memory")  # not a check's failure: the runner's own

    monkeypatch.setattr("kresladi_bedside.qt.selftest_qt.run_self_test", broken)
    window = _window(qtbot, tmp_path)
    dialog = show_self_test(window, checks=[_check_database])
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert dialog.verdict.text() == "Self-test FAILED: it could not run"
    assert "MemoryError: out of memory" in dialog.report.toPlainText()
    assert dialog.again.isEnabled()
