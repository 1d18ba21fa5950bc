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


def press_with_modifiers(widget: QWidget, ch: str, *, repeat: bool = False) -> None:
    """As X delivers a keyboard (or a scanner): Shift pressed for capitals and symbols, Ctrl for
    GS, each its own key event with no text; `repeat`: X marked it an auto-repeat (the same key
    again within the same millisecond)."""
    mod_key = None
    if ch == GS:
        mod_key, mods = Qt.Key.Key_Control, Qt.KeyboardModifier.ControlModifier
    elif ch.isupper() or ch in '=&|:<>+#$%^*()_"~{}?!@':
        mod_key, mods = Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier
    else:
        mods = Qt.KeyboardModifier.NoModifier
    if mod_key is not None:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, mod_key, mods, ""))
    key = KEYS.get(ch) or (Qt.Key(ord(ch.upper())) if ch.isalnum() else Qt.Key(ord(ch)))
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, mods, ch, repeat))
    if mod_key is not None:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, mod_key,
                                                 Qt.KeyboardModifier.NoModifier, ""))


def test_shift_and_ctrl_inside_a_burst_keep_it_one_scan(bench, qtbot):
    field, clock, _, scans = bench
    payload = f"=+07102=W12342610000100{GS}MRN:00417356|NAME:RIVERA^MATEO"
    previous = ""
    for ch in payload + "\r":
        press_with_modifiers(field, ch, repeat=ch == previous)  # "00" looks like a repeat to X
        previous = ch
        clock.t += 1.0
    assert [s.payload for s in scans.got] == [payload]
    clock.t += 500
    qtbot.wait(150)
    assert field.text() == ""


def test_tab_typed_quickly_moves_focus_before_the_next_key(qtbot):
    form = QWidget()
    layout = QVBoxLayout(form)
    first, second = QLineEdit(), QLineEdit()
    layout.addWidget(first)
    layout.addWidget(second)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    first.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first, timeout=2_000)
    clock = FakeMs()
    wedge = WedgeFilter(ScannerConfig(), clock_ms=clock)
    wedge.install()
    try:
        for ch in "N40217\t2468":
            press(QApplication.focusWidget(), ch)  # each key goes where focus is when pressed
            clock.t += 40.0  # a quick typist
        clock.t += 500
        qtbot.waitUntil(lambda: second.text() == "2468", timeout=2_000)
        assert first.text() == "N40217"
    finally:
        wedge.uninstall()
