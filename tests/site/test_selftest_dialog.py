"""The window's menu shows the same self-test report as the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from kresladi_bedside import selftest
from kresladi_bedside.config import SiteConfig
from kresladi_bedside.qt.selftest_qt import show_self_test
from kresladi_bedside.selftest import CheckResult


def _check_database(config: SiteConfig) -> CheckResult:
    return CheckResult("database", "pass", f"would open {config.database}")


def _check_sound(config: SiteConfig) -> CheckResult:
    return CheckResult("sound", "fail", "no audio output device")


def test_the_dialog_shows_the_command_line_report(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(selftest, "CHECKS", (_check_database, _check_sound))
    window = QWidget()
    qtbot.addWidget(window)
    window.site_config = SiteConfig(database=tmp_path / "p.db")  # type: ignore[attr-defined]
    dialog = show_self_test(window)
    qtbot.addWidget(dialog)
    expected = selftest.format_report(selftest.run_self_test(window.site_config))
    assert dialog.report.toPlainText() == expected
    assert f"would open {tmp_path / 'p.db'}" in expected  # the window's configuration was used
    assert dialog.verdict.text().startswith("Self-test FAILED")
    monkeypatch.setattr(selftest, "CHECKS", (_check_database,))
    dialog.run()  # "Run again" after fixing the sound
    assert dialog.verdict.text() == "Self-test PASSED"
