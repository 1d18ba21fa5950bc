"""A bedside window driven like a nurse would: wedge scans as key events through the real
application filter, a fake clock, the real engine, verifier, store and people (real argon2id,
cheap parameters), with the training nurse and witness."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget, QWizard

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import PeopleConfig, ScannerConfig, SiteConfig
from kresladi_bedside.people import People
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.dialogs import WitnessDialog
from kresladi_bedside.qt.session import Session
from kresladi_bedside.qt.signin import TRAINING_NURSE, TRAINING_WITNESS, seed_training_users
from kresladi_bedside.qt.wedge import WedgeFilter
from kresladi_bedside.qt.window import BedsideWindow
from kresladi_bedside.store import open_store

START = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)

# The window remembers whether it was maximised (QSettings): never in the tester's own config.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="kresladi-qt-settings-")


class SilentPlayer:
    """Records what would sound; the test machine has no audio device."""

    available = True
    problem = ""

    def __init__(self) -> None:
        self.played: list[str | None] = []

    def play(self, sound: str | None) -> None:
        if not self.played or self.played[-1] != sound:
            self.played.append(sound)


def cheap_hasher() -> PasswordHasher:
    # still argon2id; production parameters (~0.6 s a hash) would make the suite slow
    return PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


class Bedside:
    def __init__(self, qtbot, clock: FakeClock, store, procedure=None,
                 people_config: PeopleConfig | None = None,
                 site: SiteConfig | None = None, shown: bool = True,
                 training: bool = True) -> None:
        self.qtbot = qtbot
        self.clock = clock
        self.store = store
        self.people = People(store, people_config or PeopleConfig(), clock,
                             hasher=cheap_hasher())
        seed_training_users(self.people)
        self.session = Session(load_profile(), clock, store=store, training=training,
                               procedure=procedure)
        self.player = SilentPlayer()
        self.window = BedsideWindow(self.session, people=self.people, player=self.player,
                                    tick_ms=60_000, site=site)
        qtbot.addWidget(self.window)
        if shown:  # (not: the X harness shows it as the program does, tests/x11/harness.py)
            self.window.show()
        self._ms = 0.0
        self.wedge = WedgeFilter(ScannerConfig(), clock_ms=self._key_ms, parent=self.window)
        self.wedge.install(QApplication.instance())
        self.wedge.scanned.connect(self.window.scans.receive_raw)
        # The training witness stands by: any witness dialog is answered with their badge scan
        # and PIN (set `witness_pin` to None to leave dialogs to the test).
        self.witness_pin: str | None = TRAINING_WITNESS.pin
        self.next_presses = 0
        self.witnessed = 0
        self._witness_timer = QTimer(self.window)
        self._witness_timer.setInterval(5)
        self._witness_timer.timeout.connect(self._answer_witness)
        self._witness_timer.start()

    def _answer_witness(self) -> None:
        dialog = QApplication.activeModalWidget()
        if self.witness_pin is None or not isinstance(dialog, WitnessDialog) or \
                dialog.property("answered"):
            return
        dialog.setProperty("answered", True)
        self.witnessed += 1
        self.scan(TRAINING_WITNESS.payload())
        dialog.form.pinEdit.setText(self.witness_pin)
        dialog.form.signButton.click()

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
        for ch in payload + "\r":
            key = Qt.Key.Key_Return if ch == "\r" else Qt.Key.Key_A
            mods = Qt.KeyboardModifier.ControlModifier if ch == "\x1d" else \
                Qt.KeyboardModifier.NoModifier
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                # focus may move (or its widget close) at the Enter, as on a real keyboard
                target = QApplication.focusWidget() or self.window
                QApplication.sendEvent(target, QKeyEvent(kind, key, mods, ch))
        return self.window.scans.last_text

    def next(self) -> None:
        """The window shows the engine's step. A recorded step moves on by itself; Next is
        pressed only where the page still waits for the nurse (and is counted as such)."""
        wizard = self.window.wizard
        if wizard.currentId() != self.window.page_id_for(self.session.step()):
            self.next_presses += 1
            wizard.button(QWizard.WizardButton.NextButton).click()
        assert wizard.currentId() == self.window.page_id_for(self.session.step()), (
            f"{type(self.page).__name__} is not the engine's step {self.session.step()}: "
            f"{self.page.form.messageLabel.text()!r}")

    def advance(self, seconds: float, *, active: bool = True) -> None:
        """Time passes. `active`: the nurse works meanwhile (a key press each minute, through
        the application's event filter), so the idle lock does not fall; else nobody touches
        anything."""
        while seconds > 0:
            step = min(seconds, 60.0) if active else seconds
            if active:
                self.press_a_key()
            self.clock.advance(step)
            self.window.tick()
            seconds -= step

    def press_a_key(self) -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(self.window, QKeyEvent(kind, Qt.Key.Key_Shift,
                                                          Qt.KeyboardModifier.NoModifier))

    def sign_in(self, payload: str = TRAINING_NURSE.payload(),
                pin: str = TRAINING_NURSE.pin) -> None:
        """Scan the badge (wedge), type the PIN, press Sign in."""
        self.scan(payload)
        self.page.form.pinEdit.setText(pin)
        self.page.form.signInButton.click()

    def gates(self, conditioning_hours_ago: float = 30) -> None:
        g = self.page
        g.attest.set_all()
        g.form.backupSpin.setValue(2.4)
        g.form.storageSpin.setValue(-180)
        ended = (self.clock.now().local() - timedelta(hours=conditioning_hours_ago))
        g.set_conditioning_end(ended)
        g.set_order_instants(began=ended - timedelta(days=4),
                             stored=ended - timedelta(days=10),
                             confirmed=ended - timedelta(days=9))
        g.form.recordButton.click()

    def when_dialog(self, kind: type, act: Callable[[Any], None]) -> list:
        """Answer the next modal dialog of `kind` with `act(dialog)`; the dialogs seen are
        returned (the list fills once it opened)."""
        seen: list = []

        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, kind):
                QTimer.singleShot(10, answer)
                return
            seen.append(dialog)
            act(dialog)

        QTimer.singleShot(0, answer)
        return seen

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
            if dialog.pin_needed:
                dialog.form.pinEdit.setText(TRAINING_NURSE.pin)
            dialog.form.signButton.click()

        QTimer.singleShot(0, answer)
        return seen


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def bedside(qtbot, clock, tmp_path) -> Callable[..., Bedside]:
    made: list[Bedside] = []
    opened = []

    def make(store=None, procedure=None, people_config: PeopleConfig | None = None,
             site: SiteConfig | None = None) -> Bedside:
        if store is None:
            store = open_store(tmp_path / f"window{len(made)}.db")
            opened.append(store)
        b = Bedside(qtbot, clock, store, procedure, people_config, site)
        made.append(b)
        return b

    yield make
    for b in made:
        b._witness_timer.stop()
        b.wedge.uninstall()
        b.window.close()
    for store in opened:
        store.close()


def visible_texts(widget: QWidget) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "procedures.db"
