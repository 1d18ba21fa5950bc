"""A bedside window driven like a nurse would: wedge scans as key events through the real
application filter, a fake clock, the real engine, verifier and (where asked) store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import ScannerConfig
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.session import Session
from kresladi_bedside.qt.wedge import WedgeFilter
from kresladi_bedside.qt.window import BedsideWindow

START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


class SilentPlayer:
    """Records what would sound; the test machine has no audio device."""

    available = True
    problem = ""

    def __init__(self) -> None:
        self.played: list[str | None] = []

    def play(self, sound: str | None) -> None:
        if not self.played or self.played[-1] != sound:
            self.played.append(sound)


class Bedside:
    def __init__(self, qtbot, clock: FakeClock, store=None, procedure=None) -> None:
        self.qtbot = qtbot
        self.clock = clock
        self.session = Session(load_profile(), clock, store=store, training=True,
                               procedure=procedure)
        self.player = SilentPlayer()
        self.window = BedsideWindow(self.session, player=self.player, tick_ms=60_000)
        qtbot.addWidget(self.window)
        self.window.show()
        self._ms = 0.0
        self.wedge = WedgeFilter(ScannerConfig(), clock_ms=self._key_ms, parent=self.window)
        self.wedge.install(QApplication.instance())
        self.wedge.scanned.connect(self.window.receive_raw)

    def _key_ms(self) -> float:
        self._ms += 2.0  # a scanner types a key every ~2 ms
        return self._ms

    def close(self) -> None:
        self.wedge.uninstall()
        self.window.close()

    # ---------------------------------------------------------------- nurse actions
    @property
    def page(self):
        return self.window.current_page()

    def scan(self, payload: str) -> str:
        """Type the payload into whatever has focus, as a wedge scanner does, then Enter."""
        target = QApplication.focusWidget() or self.window
        for ch in payload + "\r":
            key = Qt.Key.Key_Return if ch == "\r" else Qt.Key.Key_A
            mods = Qt.KeyboardModifier.ControlModifier if ch == "\x1d" else \
                Qt.KeyboardModifier.NoModifier
            QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, mods, ch))
            QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key, mods, ch))
        return self.window.last_scan_text

    def next(self) -> None:
        before = self.window.wizard.currentId()
        self.window.wizard.button(QWizard.WizardButton.NextButton).click()
        assert self.window.wizard.currentId() != before, (
            f"Next did not move from {type(self.page).__name__}: "
            f"{self.page.form.messageLabel.text()!r}")

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.window.tick()

    def sign_in(self, badge: str = "N40217") -> None:
        self.page.form.badgeEdit.setText(badge)
        self.page.form.pinEdit.setText("2468")
        self.page.form.signInButton.click()

    def gates(self, conditioning_hours_ago: float = 30) -> None:
        g = self.page
        g.attest.set_all()
        g.form.backupCheck.setChecked(True)
        g.form.backupSpin.setValue(2.4)
        g.form.storageSpin.setValue(-180)
        ended = (self.clock.now().local() - timedelta(hours=conditioning_hours_ago))
        g.form.conditioningEdit.setDateTime(QDateTime(ended.replace(tzinfo=None)))
        g.form.recordButton.click()

    def sign_deviation_when_asked(self, reason: str = "Bag slow to thaw, ice at ports") -> list:
        """Answer the next deviation dialog (it is modal) with a reason and a signature."""
        seen: list[str] = []

        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None or not hasattr(dialog, "deviation"):
                QTimer.singleShot(10, answer)
                return
            seen.append(dialog.form.ruleLabel.text())
            dialog.form.reasonEdit.setPlainText(reason)
            dialog.form.badgeEdit.setText("C11873")
            dialog.form.pinEdit.setText("1357")
            dialog.form.signButton.click()

        QTimer.singleShot(0, answer)
        return seen


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def bedside(qtbot, clock) -> Callable[..., Bedside]:
    made: list[Bedside] = []

    def make(store=None, procedure=None) -> Bedside:
        b = Bedside(qtbot, clock, store, procedure)
        made.append(b)
        return b

    yield make
    for b in made:
        b.wedge.uninstall()


def visible_texts(widget: QWidget) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "procedures.db"
