"""The self-test's Qt side: which printers and audio outputs this workstation has (facts only:
`kresladi_bedside.selftest` decides what passes), and the report dialog the window's menu opens.
Imported lazily by the self-test so the core never imports PySide6 at module level.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLoggingCategory, Qt, QUrl, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..config import SiteConfig, load_site_config
from ..selftest import format_report, passed, run_self_test

_app: QCoreApplication | None = None  # kept alive when the self-test runs without a window


def _ensure_app() -> None:
    # QtMultimedia's device list and sound loading need an application object
    global _app
    if QCoreApplication.instance() is None:
        # run from the command line: the backend probing chatter would bury the report
        QLoggingCategory.setFilterRules("qt.multimedia.*=false")
        _app = QCoreApplication([])


@dataclass(frozen=True)
class Printers:
    names: tuple[str, ...]
    default: str | None


def printers() -> Printers:
    from PySide6.QtPrintSupport import QPrinterInfo

    _ensure_app()
    default = QPrinterInfo.defaultPrinterName() or None
    return Printers(tuple(QPrinterInfo.availablePrinterNames()), default)


@dataclass(frozen=True)
class AudioOutputs:
    names: tuple[str, ...]
    default: str | None


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


# --- the report in the window ------------------------------------------------------------------


def show_self_test(parent: QWidget, config: SiteConfig | None = None) -> QDialog:
    """The self-test report, from the window's menu: the same checks and words as
    `kresladi-bedside self-test`. Uses the window's `site_config` when it has one."""
    config = config or getattr(parent, "site_config", None) or load_site_config()
    dialog = SelfTestDialog(config, parent)
    dialog.open()
    return dialog


class SelfTestDialog(QDialog):
    def __init__(self, config: SiteConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("selfTestDialog")
        self.setWindowTitle("Installation self-test")
        self._config = config
        self.verdict = QLabel()
        self.verdict.setObjectName("selfTestVerdict")
        self.report = QPlainTextEdit()
        self.report.setObjectName("selfTestReport")
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        again = buttons.addButton("Run again", QDialogButtonBox.ButtonRole.ActionRole)
        again.clicked.connect(self.run)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.resize(900, 420)
        self.run()

    @Slot()
    def run(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            results = run_self_test(self._config)
        finally:
            QApplication.restoreOverrideCursor()
        self.results = results
        ok = passed(results)
        self.verdict.setText("Self-test PASSED" if ok else "Self-test FAILED: see the lines "
                             "marked FAIL")
        self.verdict.setStyleSheet("font-weight: bold; color: %s" % ("#1b5e20" if ok
                                                                     else "#b71c1c"))
        self.report.setPlainText(format_report(results))
