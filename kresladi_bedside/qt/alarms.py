"""Presenting alarms: colour in the header, a sound, silence for 2 minutes, acknowledgement
logged through the engine. Levels come from the engine; the bookkeeping is `alarm_state`.

The alarm never takes the keyboard: its buttons take no focus (Tab and Space from a field never
reach them), and it has its own keys, F9 to silence and F10 to acknowledge, that work on every
page, in dialogs and on the lock screen without moving focus. Every silence and acknowledgement
goes to the window's callbacks, which record it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QKeySequence, QShortcut

from ..clock import Instant
from ..paths import MissingResourceError, resource
from .alarm_state import ActiveAlarm, AlarmBook, Sound
from .header_form import show_alarm_row
from .style import tile_style

NO_AUDIO = "no_audio"
SILENCE_KEY = "F9"
ACKNOWLEDGE_KEY = "F10"


class SoundPlayer(Protocol):
    available: bool
    problem: str

    def play(self, sound: Sound | None) -> None: ...


class QtSoundPlayer:
    """QSoundEffect, looping the sound until told otherwise. A machine without QtMultimedia's
    libraries or without an audio output is reported through `available`, never by crashing."""

    def __init__(self, parent: QObject | None = None) -> None:
        self.available = False
        self.problem = ""
        self.playing: Sound | None = None
        self._effects: dict[str, Any] = {}
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # e.g. libpulse missing: QtMultimedia will not load
            self.problem = f"No sound: QtMultimedia cannot load ({exc})."
            return
        if not QMediaDevices.audioOutputs():
            self.problem = "No sound device: alarms are visual only."
            return
        try:
            for name in ("alarm", "warning", "technical"):
                effect = QSoundEffect(parent)
                effect.setSource(QUrl.fromLocalFile(str(resource("sounds", f"{name}.wav"))))
                effect.setLoopCount(QSoundEffect.Loop.Infinite.value)
                self._effects[name] = effect
        except MissingResourceError as exc:
            self.problem = f"Alarm sound missing: {exc}"
            return
        self.available = True

    def play(self, sound: Sound | None) -> None:
        if sound == self.playing:
            return
        for effect in self._effects.values():
            effect.stop()
        if sound is not None and sound in self._effects:
            self._effects[sound].play()
        self.playing = sound


class AlarmPresenter(QObject):
    def __init__(self, header: Any, player: SoundPlayer,
                 acknowledge: Callable[[ActiveAlarm], bool],
                 now: Callable[[], Instant],
                 silenced: Callable[[list[ActiveAlarm]], None] | None = None) -> None:
        super().__init__()
        self.header = header
        self.player = player
        self.book = AlarmBook()
        self._acknowledge = acknowledge
        self._silenced = silenced
        self._now = now
        self.current: list[ActiveAlarm] = []
        self._shown: tuple[tuple[str, str, bool, int], ...] | None = None
        if not player.available:
            self.book.raise_technical(NO_AUDIO, player.problem)
        form = header.form
        for button, key, text in ((form.silenceButton, SILENCE_KEY, "Silence 2 min"),
                                  (form.acknowledgeButton, ACKNOWLEDGE_KEY, "Acknowledge")):
            # A click works; the keyboard never lands here (a space typed in a note must not
            # silence an alarm): the alarm's own key does it from anywhere.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setText(f"{text} ({key})")
            shortcut = QShortcut(QKeySequence(key), header)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(self.silence if button is form.silenceButton
                                       else self.acknowledge)
        form.silenceButton.clicked.connect(self.silence)
        form.acknowledgeButton.clicked.connect(self.acknowledge)

    def seed(self, acknowledged: Sequence[str]) -> None:
        """Alarms acknowledged before a restart stay acknowledged (the engine's record)."""
        for key in acknowledged:
            self.book.acknowledge(key)

    def update(self, countdowns: Sequence[Any], now: Instant) -> None:
        self.current = self.book.active(countdowns, now)
        self.player.play(self.book.sound(self.current))
        self._show()

    def silence(self) -> None:
        now = self._now()
        quietened = [a for a in self.current if a.sounding]
        if not quietened:
            return  # nothing sounding: nothing to silence, nothing to record
        if self._silenced is not None:
            self._silenced(quietened)
        self.book.silence([a.key for a in quietened], now)
        self.current = self.book.active_from(self.current, now)
        self.player.play(self.book.sound(self.current))
        self._show()

    def acknowledge(self) -> None:
        for alarm in self.current:
            if not alarm.acknowledged and self._acknowledge(alarm):
                self.book.acknowledge(alarm.key)
        now = self._now()
        self.current = self.book.active_from(self.current, now)
        self.player.play(self.book.sound(self.current))
        self._show()

    def raise_technical(self, key: str, text: str) -> None:
        self.book.raise_technical(key, text)

    def clear_technical(self, key: str) -> None:
        self.book.clear_technical(key)

    def _show(self) -> None:
        # restyling every second is the costliest thing a tick could do: only on a change
        shown = tuple((a.key, a.text, a.acknowledged, int(a.silenced_for_s))
                      for a in self.current)
        if shown == self._shown:
            return
        self._shown = shown
        form = self.header.form
        if not self.current:
            form.alarmLabel.setText("")
            form.alarmLabel.setStyleSheet("")
            show_alarm_row(form, False)
            return
        top = self.current[0]
        lines = []
        for a in self.current:
            state = ("acknowledged" if a.acknowledged else
                     f"silenced {int(a.silenced_for_s) // 60}:{int(a.silenced_for_s) % 60:02d}"
                     if a.silenced_for_s > 0 else "SOUNDING")
            lines.append(f"{a.level.upper()}: {a.text} ({state})")
        form.alarmLabel.setText("\n".join(lines))
        form.alarmLabel.setStyleSheet(tile_style(top.level) + "font-size: 20px; "
                                      "font-weight: bold; padding: 4px;")
        open_ = [a for a in self.current if not a.acknowledged]
        show_alarm_row(form, True)
        form.alarmLabel.setVisible(True)
        form.silenceButton.setVisible(any(a.sounding for a in open_))
        form.acknowledgeButton.setVisible(bool(open_))
