"""The window's alarms: what the header's alarm bar does with a silence or an acknowledgement
(recorded through the engine while a procedure is open), the chime when a waiting window
opens, and the program's own technical alarms (a log that cannot be written, a scanner gone).

`AlarmPresenter` (qt/alarms.py) paints and sounds; this adds what a bedside window owes the
record. The window calls `update` with the clocks the header computed, and tells it of storage
failures (`not_recorded`, `recorded`) and scanner failures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from ..clock import Instant
from ..engine import Countdown
from .alarm_state import SILENCE_SECONDS, ActiveAlarm
from .alarms import AlarmPresenter, SoundPlayer
from .display import opened_windows
from .header import Header
from .session import Result, Session

STORAGE_ALARM = "not_recorded"
Submit = Callable[..., Result]


class WindowAlarms(AlarmPresenter):
    def __init__(self, window: QWidget, header: Header, player: SoundPlayer, session: Session,
                 submit: Submit, is_locked: Callable[[], bool], chime: Any,
                 repaint: Callable[[], None]) -> None:
        super().__init__(header, player, self._acknowledged, session.clock.now,
                         silenced=self._silenced_now)
        self._window = window
        self._header = header
        self._session = session
        self._submit = submit
        self._is_locked = is_locked
        self._repaint = repaint  # the window's tick: the banner and alarm bar at once
        self.chime = chime
        self._levels: dict[str, str] = {}
        self.not_recorded_box: QMessageBox | None = None
        self.seed(tuple(key for key, _ in session.state.alarms_acknowledged))

    def update(self, countdowns: Sequence[Countdown], now: Instant) -> None:
        super().update(countdowns, now)
        if opened_windows(self._levels, countdowns):
            self.chime.ring()
        self._levels = {c.alarm_key: c.level for c in countdowns}

    def reset(self) -> None:
        """A new procedure: nothing acknowledged, no window waiting."""
        self.seed(())
        self._levels = {}

    # ------------------------------------------------------------------ recorded answers
    def _acknowledged(self, alarm: ActiveAlarm) -> bool:
        """Recorded while a procedure is open (at the lock screen too, where the alarm is
        answered without a PIN and the record says so). With no procedure open only the
        program's own (technical) alarms exist, and there is no record to write to."""
        if not self._session.state.active:
            return alarm.level == "technical"
        recorded = self._submit("acknowledge_alarm", self._args(alarm)).accepted
        # The program's own alarm (a log that cannot be written, no sound device) must not
        # sound for ever because its acknowledgement could not be recorded either.
        return recorded or alarm.level == "technical"

    def _silenced_now(self, alarms: list[ActiveAlarm]) -> None:
        if not self._session.state.active:
            return
        for alarm in alarms:
            self._submit("silence_alarm", self._args(alarm, seconds=SILENCE_SECONDS))

    def _args(self, alarm: ActiveAlarm, **more: Any) -> dict[str, Any]:
        """An alarm command's arguments; answered at the lock screen, the record says so."""
        args: dict[str, Any] = {"alarm": alarm.key, **more}
        if self._is_locked():
            args["screen"] = "lock"
        return args

    # ------------------------------------------------------------------ the program's own
    @Slot(str, str)
    def not_recorded(self, command: str, error: str) -> None:
        text = (f"NOT RECORDED: '{command}' was not saved, so it is not done. {error} "
                "Call technical support; the procedure cannot continue until the log works.")
        self._header.show_not_recorded(text)
        self.raise_technical(STORAGE_ALARM, "Procedure log: NOT RECORDED")
        if self.not_recorded_box is None:
            box = QMessageBox(QMessageBox.Icon.Critical, "NOT RECORDED", text,
                              QMessageBox.StandardButton.Ok, self._window)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setWindowModality(Qt.WindowModality.WindowModal)
            box.setAccessibleName("Not recorded alarm")
            box.finished.connect(self._not_recorded_closed)
            self.not_recorded_box = box
            box.open()
        else:
            self.not_recorded_box.setText(text)
        self._repaint()

    def _not_recorded_closed(self) -> None:
        self.not_recorded_box = None

    @Slot()
    def recorded(self) -> None:
        if self._header.form.recordBanner.isVisible():
            self._header.show_not_recorded(None)
            self.clear_technical(STORAGE_ALARM)

    @Slot(str)
    def scanner_failed(self, why: str) -> None:
        self.raise_technical("scanner", f"Scanner: {why}")
        self._repaint()
