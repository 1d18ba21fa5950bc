"""The self-test's Qt side: which printers and audio outputs this workstation has (facts only:
`kresladi_bedside.selftest` decides what passes), handed to the core as `QT_DEVICES`, and the
report dialog the window's menu opens. The core never imports this module; the command line and
the window pass `devices=QT_DEVICES` to `run_self_test`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLoggingCategory, QUrl, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..config import SiteConfig, load_site_config
from ..selftest import (
    AudioOutputs,
    Check,
    CheckResult,
    Printers,
    format_report,
    passed,
    run_self_test,
)
from .background import run_in_background

_app: QCoreApplication | None = None  # kept alive when the self-test runs without a window


def _ensure_app() -> None:
    # QtMultimedia's device list and sound loading need an application object
    global _app
    if QCoreApplication.instance() is None:
        # run from the command line: the backend probing chatter would bury the report
        QLoggingCategory.setFilterRules("qt.multimedia.*=false")
        _app = QCoreApplication([])


def printers() -> Printers:
    from PySide6.QtPrintSupport import QPrinterInfo

    _ensure_app()
    default = QPrinterInfo.defaultPrinterName() or None
    return Printers(tuple(QPrinterInfo.availablePrinterNames()), default)


def audio_outputs() -> AudioOutputs:
    from PySide6.QtMultimedia import QMediaDevices

    _ensure_app()
    devices = QMediaDevices.audioOutputs()
    default = QMediaDevices.defaultAudioOutput()
    return AudioOutputs(
        tuple(d.description() for d in devices),
        default.description() if not default.isNull() else None,
    )


def sound_loads(path: Path, timeout_s: float = 3.0) -> str | None:
    """None when QSoundEffect decodes the file for the default output; else what went wrong."""
    from PySide6.QtMultimedia import QSoundEffect

    _ensure_app()
    effect = QSoundEffect()
    effect.setSource(QUrl.fromLocalFile(str(path)))
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = effect.status()
        if status == QSoundEffect.Status.Ready:
            return None
        if status == QSoundEffect.Status.Error:
            return f"QSoundEffect could not load {path.name}"
        QCoreApplication.processEvents()
        time.sleep(0.02)
    return f"QSoundEffect did not finish loading {path.name} within {timeout_s:g} s"


class QtDevices:
    """`selftest.Devices` answered by Qt (the module functions above, looked up at call time)."""

    def printers(self) -> Printers:
        return printers()

    def audio_outputs(self) -> AudioOutputs:
        return audio_outputs()

    def sound_loads(self, path: Path) -> str | None:
        return sound_loads(path)


QT_DEVICES = QtDevices()


# --- the report in the window ------------------------------------------------------------------


def show_self_test(parent: QWidget, config: SiteConfig | None = None,
                   checks: Sequence[Check] | None = None) -> SelfTestDialog:
    """The self-test report, from the window's menu: the same checks and words as
    `kresladi-bedside self-test`. Uses the window's `site_config` when it has one."""
    config = config or getattr(parent, "site_config", None) or load_site_config()
    dialog = SelfTestDialog(config, parent, checks)
    dialog.open()
    return dialog


class SelfTestDialog(QDialog):
    """Runs the checks on a pool thread (a camera that does not answer takes its timeout there,
    never on the GUI thread, so the countdowns keep running) and paints the report when they
    are done; a crash of the run itself is shown as the report."""

    finished_run = Signal()

    def __init__(self, config: SiteConfig, parent: QWidget | None = None,
                 checks: Sequence[Check] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("selfTestDialog")
        self.setWindowTitle("Installation self-test")
        self.setAccessibleName("Self-test report")
        self._config = config
        self._checks = checks
        self.running = False
        self.results: list[CheckResult] = []
        self.verdict = QLabel()
        self.verdict.setObjectName("selfTestVerdict")
        self.report = QPlainTextEdit()
        self.report.setObjectName("selfTestReport")
        self.report.setAccessibleName("Self-test report text")
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.again = buttons.addButton("Run again", QDialogButtonBox.ButtonRole.ActionRole)
        self.again.clicked.connect(self.run)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.resize(900, 420)
        self.run()

    @Slot()
    def run(self) -> None:
        if self.running:
            return
        self.running = True
        self.again.setEnabled(False)
        self.verdict.setText("Self-test running…")
        self.verdict.setStyleSheet("font-weight: bold")
        self.report.setPlainText(
            "The checks are running.\nA camera that does not answer takes up to "
            f"{self._config.selftest.camera_timeout_seconds:g} s;\nthe procedure's countdowns "
            "keep running meanwhile.")
        config, checks = self._config, self._checks
        run_in_background(lambda: run_self_test(config, checks, devices=QT_DEVICES),
                          owner=self, success=self._show, failure=self._crashed)

    def _show(self, results: list[CheckResult]) -> None:
        self.results = results
        ok = passed(results)
        self._paint("Self-test PASSED" if ok else "Self-test FAILED: see the lines marked FAIL",
                    ok, format_report(results))

    def _crashed(self, exc: Exception) -> None:
        self.results = []
        self._paint("Self-test FAILED: it could not run", False,
                    f"The self-test itself failed: {type(exc).__name__}: {exc}")

    def _paint(self, verdict: str, ok: bool, report: str) -> None:
        self.running = False
        self.again.setEnabled(True)
        self.verdict.setText(verdict)
        self.verdict.setStyleSheet("font-weight: bold; color: %s" % ("#1b5e20" if ok
                                                                     else "#b71c1c"))
        self.report.setPlainText(report)
        self.finished_run.emit()
