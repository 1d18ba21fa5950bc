"""The strip at the top of every page and of the lock screen: who the patient is, which bag,
and every live countdown in digits large enough to read from across the bed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from .display import Tile, countdown_tile, display_name
from .forms import load_form
from .style import tile_style


def plain_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # labels carry scanned text: never rich text
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
        label.setAccessibleName(name)
    return label


class CountdownTile(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("countdownTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(0)
        self.title = plain_label()
        self.title.setStyleSheet("font-size: 18px; font-weight: bold; background: transparent;"
                                 " color: inherit;")
        self.digits = plain_label()
        self.digits.setWordWrap(False)
        self.digits.setStyleSheet("font-size: 60px; font-weight: bold; background: transparent;"
                                  " font-family: 'DejaVu Sans Mono', monospace;")
        self.caption = plain_label()
        self.caption.setStyleSheet("font-size: 18px; background: transparent;")
        for w in (self.title, self.caption, self.digits):
            layout.addWidget(w)
        self._shown: Tile | None = None

    def show_tile(self, tile: Tile) -> None:
        if tile == self._shown:
            return
        if self._shown is None or tile.level != self._shown.level:
            self.setStyleSheet(f"QFrame#countdownTile {{ {tile_style(tile.level)} }}"
                               f" QLabel {{ color: {_fg(tile.level)}; }}")
        self.title.setText(tile.title)
        self.digits.setText(tile.digits)
        self.caption.setText(tile.caption)
        self.setAccessibleName(f"{tile.title}: {tile.caption} {tile.digits}")
        self._shown = tile


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
        row = self.form.patientLabel.parentWidget().layout()
        row.setSpacing(24)
        for label, stretch in ((self.form.patientLabel, 3), (self.form.idsLabel, 3),
                               (self.form.bagLabel, 1), (self.form.userLabel, 1)):
            label.setWordWrap(False)
            _set_stretch(row, label, stretch)
        self.form.recordBanner.setVisible(False)
        self._tiles_layout: QHBoxLayout = QHBoxLayout()
        self._tiles_layout.setContentsMargins(0, 0, 0, 0)
        self.form.countdownBox.layout().addLayout(self._tiles_layout)
        self.tiles: dict[str, CountdownTile] = {}
        self._no_countdown = plain_label("No clock running.", "noCountdownLabel")
        self._tiles_layout.addWidget(self._no_countdown)
        self._tiles_layout.addStretch(1)

    def show_patient(self, state: Any, bag: int | None) -> None:
        if (state.order, bag) == getattr(self, "_patient_shown", None):
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

    def hide_patient(self) -> None:
        """The lock screen: nobody walking past reads who the patient is."""
        self._patient_shown = ("hidden", None)
        self.form.patientLabel.setText("Screen locked")
        self.form.idsLabel.setText("")
        self.form.bagLabel.setText("")

    def show_user(self, name: str | None) -> None:
        self.form.userLabel.setText(f"Signed in: {name}" if name else "Not signed in")

    def show_countdowns(self, countdowns: Sequence[Any]) -> None:
        keys = [f"{c.id}:{c.bag}" for c in countdowns]
        for key in list(self.tiles):
            if key not in keys:
                tile = self.tiles.pop(key)
                self._tiles_layout.removeWidget(tile)
                tile.hide()  # deleteLater alone left stale digits painted until the next loop
                tile.setParent(None)
                tile.deleteLater()
        for i, (key, c) in enumerate(zip(keys, countdowns, strict=True)):
            tile = self.tiles.get(key)
            if tile is None:
                tile = self.tiles[key] = CountdownTile()
                self._tiles_layout.insertWidget(i, tile)
            tile.show_tile(countdown_tile(c))
        self._no_countdown.setVisible(not countdowns)

    def show_not_recorded(self, text: str | None) -> None:
        self.form.recordBanner.setVisible(bool(text))
        self.form.recordBanner.setText(text or "")
