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

Holding keys must never reorder what the person did (issue 25, domain.md "Input order"):
- a mouse press (or touch, wheel, a window losing focus) releases the held keys first, so "15"
  typed and *Log flush* clicked at once logs 15, not 1;
- a key's release is held with it and replayed after its press (a quick Space still ticks a box);
- a replayed key that opens a modal dialog (Enter on a button) does not leave the filter open: only
  the replayed events themselves pass, so the dialog's scans are still read as scans, and keys
  still waiting in the replay follow the focus into the dialog.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from ..config import ScannerConfig
from ..scanning.burst import DEFAULT_HOLD_MS, BurstClassifier, Decision, Key, Replay, key_kind

# Pressed alone, these change the next key; a scanner sends Shift and Ctrl inside its burst.
MODIFIER_KEYS = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt,
                           Qt.Key.Key_AltGr, Qt.Key.Key_Meta, Qt.Key.Key_CapsLock,
                           Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L,
                           Qt.Key.Key_Hyper_R, Qt.Key.Key_NumLock})


# Pointer input that means the person has moved on from typing: held keys go first.
POINTER_EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
                            QEvent.Type.TouchBegin, QEvent.Type.Wheel,
                            QEvent.Type.TabletPress})


def _copy(event: QKeyEvent) -> QKeyEvent:
    return QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(),
                     event.isAutoRepeat(), event.count())


def _same(a: QEvent, b: QEvent) -> bool:
    return bool(shiboken6.getCppPointer(a)[0] == shiboken6.getCppPointer(b)[0])


class _Held:
    """A swallowed key press: a copy of the event, the widget it was going to, and the key
    releases that arrived while it was the last key held (replayed after it, in order)."""

    def __init__(self, receiver: QObject, event: QKeyEvent) -> None:
        self.receiver = receiver
        self.event = _copy(event)
        self.after: list[tuple[QObject, QKeyEvent]] = []


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
        # replayed events being delivered, with their widget: Qt hands a key a widget ignores
        # to its parents as a copy, which passes too (a dialog opened meanwhile is not a parent)
        self._in_flight: list[tuple[QObject, QKeyEvent]] = []
        self._queue: deque[tuple[QObject, QKeyEvent]] = deque()  # replayed, not yet delivered
        self._last_held: _Held | None = None
        self._target: QObject | None = None  # where the replay's keys go now (focus follows)
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
            self.release_held()
            self._app = None

    # -- the filter -------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Key events reach the window first and the focused widget second; act once, on the
        # widget. A replayed event passes straight through, and only that event: a dialog it
        # opens runs its own event loop, whose keys are filtered as any others.
        kind_of_event = event.type()
        if not obj.isWidgetType() or self._replayed(obj, event):
            return False
        if kind_of_event in POINTER_EVENTS:
            self.release_held()  # the keys typed before this click happen before it
            return False
        if kind_of_event == QEvent.Type.KeyRelease:
            return self._hold_release(obj, event)
        if kind_of_event != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if self._queue:
            self._deliver()  # a dialog opened mid-replay: the keys typed before come first
        kind = key_kind(event.text(), modifier_only=event.key() in MODIFIER_KEYS,
                        suffix=self.classifier.suffix)
        if kind == "modifier":
            return False  # Shift / Ctrl of a scanner's burst or of typing: holds nothing back
        if kind == "passes":
            # never from a scanner's payload: let anything held go first, in order
            self.release_held()
            return False
        text = event.text()
        t = self._key_time(event)
        held = _Held(obj, event)
        self._last_held = held
        self._apply(self.classifier.feed(Key(text, t, held)))
        self._arm_timer()
        return True  # held (or already replayed, or part of a scan)

    def _replayed(self, obj: QObject, event: QEvent) -> bool:
        """The replayed event itself, or the copy Qt hands to a parent of its widget."""
        if not self._in_flight or not isinstance(event, QKeyEvent):
            return False
        for target, sent in self._in_flight:
            if obj is target:
                if _same(event, sent):
                    return True
            elif (sent.type() == event.type() and sent.key() == event.key()
                  and isinstance(obj, QWidget) and isinstance(target, QWidget)
                  and obj.isAncestorOf(target)):
                return True
        return False

    def release_held(self) -> None:
        """Deliver every held key now, as typing, in order (before a click, a focus change)."""
        self._apply(self.classifier.flush())
        self._timer.stop()

    def _hold_release(self, obj: QObject, event: QEvent) -> bool:
        """A key's release goes after its press: held behind the last held key while any is
        held (dropped with it if the keys were a scan), else delivered at once."""
        if not self.classifier.holding or self._last_held is None or \
                not isinstance(event, QKeyEvent) or event.key() in MODIFIER_KEYS:
            return False
        self._last_held.after.append((obj, _copy(event)))
        return True

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
            decisions = self.classifier.tick(self._now_ms())
        finally:
            self._in_timeout = False
        # Applied once the guard is down: a replayed key may open a modal dialog (Space on a
        # button whose step asks for a signed reason) and return only when it closes. Under
        # the guard, the dialog's own held keys were never let go by this timer: a reason typed
        # quickly there was lost (issue 25, item 8).
        self._arm_timer()
        self._apply(decisions)
        self._arm_timer()

    def _apply(self, decisions: list[Decision]) -> None:
        for decision in decisions:
            if isinstance(decision, Replay):
                self._replay(decision)
            else:
                self.scanned.emit(decision.scan)

    def _replay(self, replay: Replay) -> None:
        """Each key (and its release) to the widget it was going to; but once a replayed key
        (Enter in a dialog, Tab) has moved focus away from that widget, the keys typed after it
        follow the focus, as they would have without the hold."""
        for key in replay.keys:
            held: _Held = key.token
            self._queue.append((held.receiver, held.event))
            self._queue.extend(held.after)
        self._last_held = None
        self._deliver()

    def _deliver(self) -> None:
        """Send the queued replayed events. Re-entrant: a key that opens a modal dialog returns
        only when the dialog closes; meanwhile the dialog's first key press drains the rest
        (into the dialog, where the focus now is) before it is itself filtered."""
        while self._queue:
            receiver, event = self._queue.popleft()
            target = receiver
            if self._target is not None and shiboken6.isValid(self._target):
                target = self._target
            if not shiboken6.isValid(target):
                continue
            before = QApplication.focusWidget()
            self._in_flight.append((target, event))
            try:
                QApplication.sendEvent(target, event)
            finally:
                self._in_flight.pop()
            now = QApplication.focusWidget()
            if now is not None and now is not before and now is not target:
                self._target = now  # focus moved: the rest follows it
        self._target = None
