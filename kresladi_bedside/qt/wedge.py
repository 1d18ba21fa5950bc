"""Keyboard-wedge scanners: an application-wide filter that takes scanner bursts out of the
key stream before any widget sees them.

    wedge = WedgeFilter(site.scanner)
    wedge.install()                          # on the QApplication
    wedge.scanned.connect(page.on_scan)      # RawScan(source="wedge"), GS and AIM prefix read

Every printable key is held back for a moment (at most `hold_ms`, 100 ms) while
`scanning.burst.BurstClassifier` decides: a scanner burst is swallowed and becomes one `scanned`
signal, so it never also lands in a text field; typing is replayed, in order, to the widget it
was going to, so the typed-entry path (which asks for a reason) works as usual. A filter, not a
widget's text: QLineEdit silently discards GS (Ctrl+]), which GS1 and ISBT 128 payloads need.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from ..config import ScannerConfig
from ..scanning.burst import DEFAULT_HOLD_MS, BurstClassifier, Decision, Key, Replay, key_kind

# Pressed alone, these change the next key; a scanner sends Shift and Ctrl inside its burst.
MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt,
                           Qt.Key.Key_AltGr, Qt.Key.Key_Meta, Qt.Key.Key_CapsLock,
                           Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L,
                           Qt.Key.Key_Hyper_R, Qt.Key.Key_NumLock})


class _Held:
    """A swallowed key press: a copy of the event and the widget it was going to."""

    def __init__(self, receiver: QObject, event: QKeyEvent) -> None:
        self.receiver = receiver
        self.event = QKeyEvent(
            event.type(), event.key(), event.modifiers(), event.text(),
            event.isAutoRepeat(), event.count(),
        )


class WedgeFilter(QObject):
    scanned = Signal(object)  # RawScan

    def __init__(
        self,
        config: ScannerConfig | None = None,
        *,
        clock_ms: Callable[[], float] | None = None,
        hold_ms: float = DEFAULT_HOLD_MS,
        parent: QObject | None = None,
    ) -> None:
        """`clock_ms`: the time of each key in ms (tests inject one). By default the event's own
        timestamp, so keys that queued up while the window was busy keep their real spacing."""
        super().__init__(parent)
        self.classifier = BurstClassifier.from_config(config or ScannerConfig(), hold_ms=hold_ms)
        self._clock_ms = clock_ms
        self._replaying = False
        self._in_timeout = False
        self._last_key_ms = 0.0  # the last key's time, in the key clock
        self._last_key_mono = 0.0  # and when it arrived, in monotonic ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_hold_timeout)
        self._app: QCoreApplication | None = None

    def install(self, app: QCoreApplication | None = None) -> None:
        app = app or QApplication.instance()
        if app is None:
            raise RuntimeError("the wedge filter needs the running QApplication")
        self._app = app
        app.installEventFilter(self)

    def uninstall(self) -> None:
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._apply(self.classifier.flush())
            self._app = None

    # -- the filter -------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Key events reach the window first and the focused widget second; act once, on the
        # widget. Replayed keys pass straight through.
        if self._replaying or event.type() != QEvent.Type.KeyPress or not obj.isWidgetType():
            return False
        if not isinstance(event, QKeyEvent):  # PySide hands a key press over as a QKeyEvent
            return False
        kind = key_kind(event.text(), modifier_only=event.key() in MODIFIER_KEYS,
                        suffix=self.classifier.suffix)
        if kind == "modifier":
            return False  # Shift / Ctrl of a scanner's burst or of typing: holds nothing back
        if kind == "passes":
            # never from a scanner's payload: let anything held go first, in order
            self._apply(self.classifier.flush())
            return False
        text = event.text()
        t = self._key_time(event)
        self._apply(self.classifier.feed(Key(text, t, _Held(obj, event))))
        self._arm_timer()
        return True  # held (or already replayed, or part of a scan)

    def _key_time(self, event: QKeyEvent) -> float:
        mono = time.monotonic() * 1000.0
        t = self._clock_ms() if self._clock_ms else float(event.timestamp()) or mono
        self._last_key_ms, self._last_key_mono = t, mono
        return t

    def _now_ms(self) -> float:
        if self._clock_ms is not None:
            return self._clock_ms()
        return self._last_key_ms + (time.monotonic() * 1000.0 - self._last_key_mono)

    def _arm_timer(self) -> None:
        deadline = self.classifier.deadline_ms()
        if deadline is None:
            self._timer.stop()
        else:
            self._timer.start(max(1, int(deadline - self._now_ms()) + 1))

    @Slot()
    def _on_hold_timeout(self) -> None:
        if self._in_timeout:
            return
        self._in_timeout = True
        try:
            # Keys may be waiting in the queue because this program was busy (a tick, a busy
            # machine): read them first, so a burst is judged by its keys' own timestamps and
            # not by when the program got round to them.
            QApplication.processEvents()
            self._apply(self.classifier.tick(self._now_ms()))
        finally:
            self._in_timeout = False
        self._arm_timer()

    def _apply(self, decisions: list[Decision]) -> None:
        for decision in decisions:
            if isinstance(decision, Replay):
                self._replay(decision)
            else:
                self.scanned.emit(decision.scan)

    def _replay(self, replay: Replay) -> None:
        """Each key to the widget it was going to; but once a replayed key (Enter in a dialog,
        Tab) has moved focus away from that widget, the keys typed after it follow the focus,
        as they would have without the hold."""
        self._replaying = True
        moved: dict[int, QObject] = {}
        try:
            for key in replay.keys:
                held: _Held = key.token
                target = moved.get(id(held.receiver), held.receiver)
                if not shiboken6.isValid(target):
                    continue
                QApplication.sendEvent(target, held.event)
                now = QApplication.focusWidget()
                if now is not None and now is not target:
                    moved[id(held.receiver)] = now
        finally:
            self._replaying = False
