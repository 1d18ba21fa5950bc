"""The keyboard-wedge filter with real Qt key events and a clock the test controls."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from kresladi_bedside.config import ScannerConfig
from kresladi_bedside.qt.wedge import WedgeFilter
from kresladi_bedside.scanning.raw import RawScan

GS = "\x1d"
KEYS = {"\r": Qt.Key.Key_Return, GS: Qt.Key.Key_BracketRight, "\t": Qt.Key.Key_Tab}


class FakeMs:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Scans(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[RawScan] = []

    @Slot(object)
    def on_scan(self, scan: RawScan) -> None:
        self.got.append(scan)


def press(widget: QWidget, ch: str) -> None:
    """A key press as the platform delivers it (GS is Ctrl+], as a scanner types it)."""
    if ch in KEYS:
        key = KEYS[ch]
    elif ch.isalnum():
        key = Qt.Key(ord(ch.upper()))
    else:
        key = Qt.Key(ord(ch))
    mods = Qt.KeyboardModifier.ControlModifier if ch == GS else Qt.KeyboardModifier.NoModifier
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, mods, ch))


def type_text(widget: QWidget, clock: FakeMs, text: str, gap_ms: float) -> None:
    for ch in text:
        press(widget, ch)
        clock.t += gap_ms


@pytest.fixture
def bench(qtbot):
    form = QWidget()
    layout = QVBoxLayout(form)
    field = QLineEdit()
    layout.addWidget(field)
    qtbot.addWidget(form)
    form.show()
    field.setFocus()
    clock = FakeMs()
    wedge = WedgeFilter(ScannerConfig(), clock_ms=clock)
    scans = Scans()
    wedge.scanned.connect(scans.on_scan)
    wedge.install()
    yield field, clock, wedge, scans
    wedge.uninstall()


def test_2ms_burst_with_gs_is_one_scan_with_gs_kept_and_nothing_in_the_field(bench, qtbot):
    field, clock, _, scans = bench
    entered: list[str] = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    type_text(field, clock, f"]d2010950600013437610KR26A0417{GS}21W123426100001\r", 2.0)
    assert [(s.payload, s.symbology, s.source) for s in scans.got] == [
        (f"010950600013437610KR26A0417{GS}21W123426100001", "]d2", "wedge")
    ]
    clock.t += 500
    qtbot.wait(150)  # any held key would have been replayed by now
    assert field.text() == ""
    assert entered == []  # the scanner's Enter did not submit the form either


def test_60ms_typing_is_not_a_scan_and_reaches_the_field(bench, qtbot):
    field, clock, _, scans = bench
    entered: list[str] = []
    field.returnPressed.connect(lambda: entered.append(field.text()))
    type_text(field, clock, "00417356\r", 60.0)
    qtbot.waitUntil(lambda: entered == ["00417356"], timeout=2_000)
    assert scans.got == []
    assert field.text() == "00417356"


def test_typing_without_enter_appears_after_the_hold(bench, qtbot):
    field, clock, _, scans = bench
    type_text(field, clock, "RIVERA", 150.0)
    clock.t += 200
    qtbot.waitUntil(lambda: field.text() == "RIVERA", timeout=2_000)
    assert scans.got == []


def test_typing_then_a_scan_keeps_the_typing_and_takes_the_scan(bench, qtbot):
    field, clock, _, scans = bench
    type_text(field, clock, "ab", 80.0)
    type_text(field, clock, "=W12342610000100\r", 2.0)
    assert [s.payload for s in scans.got] == ["=W12342610000100"]
    clock.t += 500
    qtbot.waitUntil(lambda: field.text() == "ab", timeout=2_000)
    qtbot.wait(150)
    assert field.text() == "ab"


def test_a_non_text_key_lets_held_keys_go_first(bench, qtbot):
    field, clock, _, _ = bench
    type_text(field, clock, "ab", 80.0)
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        left = QKeyEvent(kind, Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(field, left)
    type_text(field, clock, "c", 80.0)
    clock.t += 500
    qtbot.waitUntil(lambda: field.text() == "acb", timeout=2_000)


def test_uninstalled_filter_leaves_keys_alone(bench):
    field, clock, wedge, scans = bench
    wedge.uninstall()
    type_text(field, clock, "=W12342610000100\r", 2.0)
    assert field.text() == "=W12342610000100"
    assert scans.got == []
