"""What the self-test asks Qt: which printers and audio outputs this workstation has.

Only facts, no verdicts: `kresladi_bedside.selftest` decides what passes. Imported lazily by the
self-test so the core never imports PySide6 at module level.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLoggingCategory, QUrl

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
