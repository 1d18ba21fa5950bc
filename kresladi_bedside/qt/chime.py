"""A single chime when a window opens (the next bag may now be thawed): information, not an
alarm, so it plays once and is never looped or silenced. The sound is `tones`' "chime"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QUrl

from ..paths import MissingResourceError, resource


class Chime:
    """Plays `resources/sounds/chime.wav` once per `ring()`; counts the rings (the record of
    what was sounded, and what tests read). Without a sound device it only counts."""

    def __init__(self, parent: QObject | None = None) -> None:
        self.rung = 0
        self._effect: Any = None
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError:
            return
        if not QMediaDevices.audioOutputs():
            return
        try:
            effect = QSoundEffect(parent)
            effect.setSource(QUrl.fromLocalFile(str(resource("sounds", "chime.wav"))))
        except MissingResourceError:
            return
        self._effect = effect

    def ring(self) -> None:
        self.rung += 1
        if self._effect is not None:
            self._effect.play()
