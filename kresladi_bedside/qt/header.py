"""The strip at the top of every page and of the lock screen: who the patient is, which bag,
and every live countdown in digits large enough to read from across the bed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from .display import Tile, countdown_tile, display_name
from .forms import box_layout, load_form
from .style import tile_style


def plain_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # labels carry scanned text: never rich text
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
        label.setAccessibleName(name)
    return label


CAPTION_PX = 32  # a caption read from the door, 2 m away (the digits are larger still)
TITLE_PX = 26  # which clock it is: read once, close up
DIGITS_PX = 60


class CountdownTile(QFrame):
    """Title, digits, what the digits count and the time of day they point at. Every line
    keeps its height whatever it says, so nothing moves when a warning appears."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("countdownTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.setSpacing(0)
        self.title = plain_label()
        self.title.setStyleSheet(f"font-size: {TITLE_PX}px; font-weight: bold;"
                                 " background: transparent;")
        self.digits = plain_label()
        self.digits.setWordWrap(False)
        self.digits.setStyleSheet(f"font-size: {DIGITS_PX}px; font-weight: bold; background:"
                                  " transparent; font-family: 'DejaVu Sans Mono', monospace;")
        self.caption = plain_label()
        self.caption.setStyleSheet(f"font-size: {CAPTION_PX}px; background: transparent;")
        for w in (self.title, self.caption, self.digits):
            w.setWordWrap(False)
            # a long title is cut at the tile's edge, never widens the window past the screen
            w.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        for w in (self.title, self.digits, self.caption):
            w.setFixedHeight(_line_px(w))
            layout.addWidget(w)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(tile_height())
        self._shown: Tile | None = None

    def show_tile(self, tile: Tile, full_title: str = "") -> None:
        if tile == self._shown:
            return
        if self._shown is None or tile.level != self._shown.level:
            # the border is always 3 px: a colour change never moves a pixel
            self.setStyleSheet(f"QFrame#countdownTile {{ {tile_style(tile.level)} }}"
                               f" QLabel {{ color: {_fg(tile.level)}; }}")
        self.title.setText(tile.title)
        self.digits.setText(tile.digits)
        # what the digits count and the time of day they point at, on one line
        self.caption.setText(f"{tile.caption} · {tile.when}" if tile.when else tile.caption)
        self.setAccessibleName(f"{full_title or tile.title}: {tile.caption} {tile.digits} "
                               f"{tile.when}")
        self.setToolTip(full_title or tile.title)
        self._shown = tile


def tile_height() -> int:
    """Three lines (title, digits, caption), the margins and a 3 px border top and bottom."""
    return int(TITLE_PX * 1.35) + int(CAPTION_PX * 1.35) + int(DIGITS_PX * 1.35) + 8 + 6


def _line_px(label: QLabel) -> int:
    """One line of this label's font size, from its style sheet (fonts are not yet polished)."""
    import re

    m = re.search(r"font-size: (\d+)px", label.styleSheet())
    return int(int(m.group(1)) * 1.35) if m else 28


def _set_stretch(layout: Any, widget: QWidget, stretch: int) -> None:
    # the row is a nested QHBoxLayout from the form: find the one that holds the widget
    for i in range(layout.count()):
        item = layout.itemAt(i)
        inner = item.layout()
        if inner is not None and inner.indexOf(widget) >= 0:
            inner.setStretch(inner.indexOf(widget), stretch)
            return


def _fg(level: str) -> str:
    from .style import LEVEL_COLOURS

    return LEVEL_COLOURS.get(level, LEVEL_COLOURS["ok"])[1]


class Header(QWidget):
    def __init__(self, training: bool) -> None:
        super().__init__()
        self.form = load_form("header.ui")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form.widget)
        self.form.trainingBanner.setVisible(training)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row = box_layout(self.form.patientLabel.parentWidget() or self.form.widget)
        row.setSpacing(24)
        for label, stretch in ((self.form.patientLabel, 3), (self.form.idsLabel, 3),
                               (self.form.bagLabel, 1), (self.form.userLabel, 1)):
            label.setWordWrap(False)
            _set_stretch(row, label, stretch)
        self.form.recordBanner.setVisible(False)
        # The alarm row keeps its height when no alarm shows: a warning appearing never pushes
        # the page down under the nurse's finger.
        for w in (self.form.alarmLabel, self.form.silenceButton, self.form.acknowledgeButton):
            policy = w.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            w.setSizePolicy(policy)
        self.form.alarmLabel.setFixedHeight(56)
        self._tiles_layout: QHBoxLayout = QHBoxLayout()
        self._tiles_layout.setContentsMargins(0, 0, 0, 0)
        box_layout(self.form.countdownBox).addLayout(self._tiles_layout)
        self.tiles: dict[str, CountdownTile] = {}
        self._no_countdown = plain_label("No clock running.", "noCountdownLabel")
        self._no_countdown.setWordWrap(False)  # a wrapped label's height-for-width grew the row
        self._no_countdown.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._no_countdown.setFixedHeight(30)
        self._tiles_layout.addWidget(self._no_countdown)
        self._patient_shown: Any = None
        box_layout(self.form.countdownBox).setContentsMargins(0, 0, 0, 0)
        self.form.countdownBox.setFixedHeight(34)

    def show_patient(self, state: Any, bag: int | None) -> None:
        if (state.order, bag) == self._patient_shown:
            return
        self._patient_shown = (state.order, bag)
        order = state.order
        if order is None:
            self.form.patientLabel.setText("No patient yet")
            self.form.idsLabel.setText("")
            self.form.bagLabel.setText("")
            return
        p = order.patient
        self.form.patientLabel.setText(display_name(p.name))
        self.form.idsLabel.setText(f"MRN {p.mrn}   DOB {p.dob.isoformat()}")
        n = len(order.bags)
        self.form.bagLabel.setText(f"Bag {bag} of {n}" if bag else f"{n} bag{'s' * (n > 1)}")

    def hide_patient(self, why: str = "Screen locked") -> None:
        """The lock screen and the sign-in page: nobody walking past reads who the patient is."""
        if self._patient_shown == ("hidden", why):
            return
        self._patient_shown = ("hidden", why)
        self.form.patientLabel.setText(why)
        self.form.idsLabel.setText("")
        self.form.bagLabel.setText("")

    def show_user(self, name: str | None) -> None:
        self.form.userLabel.setText(f"Signed in: {name}" if name else "Not signed in")

    def show_countdowns(self, countdowns: Sequence[Any], now: Any = None,
                        reserve: bool = False) -> None:
        """`reserve`: keep a tile's height even with no clock (once clocks have started, so
        the page below never moves between bags or when the last clock ends)."""
        keys = [f"{c.id}:{c.bag}" for c in countdowns]
        for key in list(self.tiles):
            if key not in keys:
                gone = self.tiles.pop(key)
                self._tiles_layout.removeWidget(gone)
                gone.hide()  # deleteLater alone left stale digits painted until the next loop
                gone.setParent(None)
                gone.deleteLater()
        for i, (key, c) in enumerate(zip(keys, countdowns, strict=True)):
            tile = self.tiles.get(key)
            if tile is None:
                tile = self.tiles[key] = CountdownTile()
                self._tiles_layout.insertWidget(i, tile, 1)  # tiles share the full width
            tile.show_tile(countdown_tile(c, now), c.label)
        self._no_countdown.setVisible(not countdowns)
        # One line before any clock has started (order, gates), a tile's height from then on.
        self.form.countdownBox.setFixedHeight(tile_height() if countdowns or reserve else 34)

    def show_not_recorded(self, text: str | None) -> None:
        self.form.recordBanner.setVisible(bool(text))
        self.form.recordBanner.setText(text or "")
