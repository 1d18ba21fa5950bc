"""The strip at the top of every page and of the lock screen: who the patient is, which bag,
and every live countdown in digits large enough to read from across the bed.

The header listens to the procedure itself (`Session.changed`): whoever gave a command, the
patient line and the clocks show its result at once. The window tells it only what the window
alone knows (which bag the page on screen is about, or why the patient is hidden) and ticks its
clocks every second (time, not state)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..clock import Instant
from ..engine import Countdown, Outcome
from .display import Tile, countdown_tile
from .forms import SIGN_IN_FIRST, box_layout
from .header_form import laid_out_header
from .page_views import PatientLine, hidden_line, patient_line
from .style import tile_style

if TYPE_CHECKING:
    from .host import ProcedureModel


def plain_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # labels carry scanned text: never rich text
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
        label.setAccessibleName(name)
    return label


AFTER_THE_LAST_BAG = ("post_infusion", "complete", "stopped")
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

    @property
    def shown(self) -> Tile | None:
        return self._shown

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


def tile_width(tile: Tile, title: bool = False) -> int:
    """The width a tile needs to show its digits and caption whole (its margins and border
    included), and with its title whole too (`title=True`; a long title may be cut, its
    tooltip holds it)."""
    caption = f"{tile.caption} · {tile.when}" if tile.when else tile.caption
    return max(_px_width(tile.digits, DIGITS_PX, bold=True, mono=True),
               _px_width(caption, CAPTION_PX),
               _px_width(tile.title, TITLE_PX, bold=True) if title else 0) + 24 + 6


def _px_width(text: str, px: int, *, bold: bool = False, mono: bool = False) -> int:
    from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication

    font = QFont("DejaVu Sans Mono") if mono else QGuiApplication.font()
    font.setPixelSize(px)
    font.setBold(bold)
    return QFontMetrics(font).horizontalAdvance(text)


def share_tiles(needs: list[int], wants: list[int], room: int) -> list[int]:
    """Widths for tiles that need `needs` (digits and caption whole) and want `wants` (their
    title whole too) in `room` pixels: the wants when all fit (or the room is unknown); else
    the needs first and what is left to the titles (`share` of the shortfalls); else
    `share` of the needs."""
    if room <= 0 or sum(wants) <= room:
        return list(wants)
    if sum(needs) > room:
        return share(needs, room)
    extra = share([w - n for n, w in zip(needs, wants, strict=True)], room - sum(needs))
    return [n + e for n, e in zip(needs, extra, strict=True)]


def share(needs: list[int], room: int) -> list[int]:
    """Widths for `needs` in `room` pixels: each its need when all fit; else those needing
    less than an equal share get their need and the others split the rest equally."""
    if sum(needs) <= room:
        return list(needs)
    widths = [0] * len(needs)
    pending = list(range(len(needs)))
    left = room
    while pending:
        fair = left // len(pending)
        small = [i for i in pending if needs[i] <= fair]
        if not small:
            for i in pending:
                widths[i] = fair
            break
        for i in small:
            widths[i] = needs[i]
            left -= needs[i]
            pending.remove(i)
    return widths


def tile_height() -> int:
    """Three lines (title, digits, caption), the margins and a 3 px border top and bottom."""
    return (_px_line(TITLE_PX, bold=True) + _px_line(DIGITS_PX, bold=True, mono=True)
            + _px_line(CAPTION_PX) + 8 + 6)


def _line_px(label: QLabel) -> int:
    """One line of this label's font size, from its style sheet (fonts are not yet polished)."""
    import re

    sheet = label.styleSheet()
    m = re.search(r"font-size: (\d+)px", sheet)
    return _px_line(int(m.group(1)), bold="bold" in sheet, mono="Mono" in sheet) if m else 28


def _px_line(px: int, *, bold: bool = False, mono: bool = False) -> int:
    """The height of one line at `px` in the font the tile uses, as the font measures it (a
    fixed 1.35 × the size left 20 px empty in each tile: room a 768-line screen lacks)."""
    from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication

    font = QFont("DejaVu Sans Mono") if mono else QGuiApplication.font()
    font.setPixelSize(px)
    font.setBold(bold)
    return QFontMetrics(font).height()


def _fg(level: str) -> str:
    from .style import LEVEL_COLOURS

    return LEVEL_COLOURS.get(level, LEVEL_COLOURS["ok"])[1]


class Header(QWidget):
    def __init__(self, model: ProcedureModel) -> None:
        super().__init__()
        self.model = model
        training = model.training
        self.form = laid_out_header(training)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form.widget)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._tiles_layout: QHBoxLayout = QHBoxLayout()
        self._tiles_layout.setContentsMargins(0, 0, 0, 0)
        box_layout(self.form.countdownBox).addLayout(self._tiles_layout)
        self.tiles: dict[str, CountdownTile] = {}
        self._no_countdown = plain_label("No clock running.", "noCountdownLabel")
        self._no_countdown.setWordWrap(False)  # a wrapped label's height-for-width grew the row
        self._no_countdown.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._no_countdown.setFixedHeight(30)
        self._tiles_layout.addWidget(self._no_countdown)
        self._patient_shown: PatientLine | None = None
        # Hidden until the window says a page may show the patient (sign-in, lock screen).
        self._hidden: str | None = SIGN_IN_FIRST
        self._bag: int | None = None
        self.clocks: tuple[Instant, Sequence[Countdown]] = (model.clock.now(), ())
        model.changed.connect(self.procedure_changed)

    # ------------------------------------------------------------------ listening
    def procedure_changed(self, outcome: Outcome) -> None:
        """Session.changed: the patient line and the clocks as the engine has them now."""
        self._show_line()
        self.update_clocks(self.model.clock.now())

    def update_clocks(self, now: Instant) -> Sequence[Countdown]:
        """The one place the window's clocks are computed: at `now`, shown, and kept in
        `clocks` for the window to hand on (alarms, idle lock) without asking the engine
        again."""
        countdowns = self.model.countdowns(now)
        self.clocks = (now, countdowns)
        self.show_clocks(countdowns, now)
        return countdowns

    def show_clocks(self, countdowns: Sequence[Countdown], now: Instant) -> None:
        """The clocks at `now` (the window's tick passes the countdowns it computed)."""
        state = self.model.state
        # after the last flush no clock starts again: the tile's room goes back to the page
        # (it changes with the page, so nothing moves under the nurse's hand)
        self.show_countdowns(countdowns, now,
                             reserve=state.conditioning_end is not None and state.outcome is None
                             and self.model.step().name not in AFTER_THE_LAST_BAG)

    # ------------------------------------------------------------------ told by the window
    def show_patient(self, bag: int | None) -> None:
        """The patient, and the bag of the page on screen (header and page never disagree)."""
        self._hidden, self._bag = None, bag
        self._show_line()

    def hide_patient(self, why: str = "Screen locked") -> None:
        """The lock screen and the sign-in page: nobody walking past reads who the patient is."""
        self._hidden = why
        self._show_line()

    def _show_line(self) -> None:
        line = (hidden_line(self._hidden) if self._hidden is not None
                else patient_line(self.model.state.order, self._bag))
        if line == self._patient_shown:
            return
        self._patient_shown = line
        self.form.patientLabel.setText(line.patient)
        self.form.idsLabel.setText(line.ids)
        self.form.bagLabel.setText(line.bag)

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
        self._share_width()
        self._no_countdown.setVisible(not countdowns)
        # One line before any clock has started (order, gates), a tile's height from then on.
        height = tile_height() if countdowns or reserve else 34
        if height != self.form.countdownBox.height():
            self.form.countdownBox.setFixedHeight(height)
            # the header's own size hint is cached: without this a shrunk box left the
            # header at its old height, its rows spread over the freed room
            for layout in (box_layout(self.form.widget), self.layout()):
                if layout is not None:
                    layout.invalidate()
            self.form.widget.updateGeometry()
            self.updateGeometry()

    def _share_width(self) -> None:
        """The tiles share the row as each needs (`share`), never equally: a short tile's
        spare room goes to a long caption beside it."""
        tiles = [t for t in self.tiles.values() if t.shown is not None]
        spacing = self._tiles_layout.spacing() * max(len(tiles) - 1, 0)
        room = self.form.countdownBox.width() - spacing
        shown = [t.shown for t in tiles if t.shown is not None]
        widths = share_tiles([tile_width(t) for t in shown],
                             [tile_width(t, title=True) for t in shown], room)
        for tile, width in zip(tiles, widths, strict=True):
            self._tiles_layout.setStretch(self._tiles_layout.indexOf(tile), max(1, width))

    def show_not_recorded(self, text: str | None) -> None:
        self.form.recordBanner.setVisible(bool(text))
        self.form.recordBanner.setText(text or "")
