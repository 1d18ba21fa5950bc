"""Fitting a 1366×768 screen. A label of fixed height whose text is made smaller, never cut, when
it wraps past that height (the "✔ Recorded …" note: its box keeps its height so that nothing
below it moves, and a cut third line hid which bag the last label belonged to). The rows of a
form's primary buttons taken out of its scroll area (`pin_rows`), a dialog's size kept
inside the screen (`fit_to_screen`), and the main window shown on the screen's area
(`show_on_screen`), with or without a window manager."""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QVBoxLayout, QWidget

SMALLEST_PX = 14  # below this a nurse cannot read it from the trolley: cut rather than shrink


class FittedLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:  # as QUiLoader makes one
        super().__init__(parent)
        self.setWordWrap(True)
        self._fitted_px: int | None = None
        self._own_font: QFont | None = None  # the style's font, kept while a smaller one is set

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def fitted_px(self) -> int | None:
        """The pixel size chosen for the current text and width (None: the style's own)."""
        return self._fitted_px

    def _fit(self) -> None:
        room = self._text_rect()
        chosen = fitting_px(self.text(), self._style_font(), room.width(), room.height())
        if chosen != self._fitted_px:
            self._fitted_px = chosen
            # A widget's own style sheet outranks the application's: the size set here wins
            # over the #doneLabel rule, and clearing it gives the rule back.
            self.setStyleSheet("" if chosen is None else f"font-size: {chosen}px;")

    def _text_rect(self) -> QRect:
        """Where QLabel lays its text out: the contents less its margin and, on the edges the
        text is aligned to, its indent (half an 'x' for a label with a frame and no indent set,
        as QLabel reckons it: a bordered label aligned to the top starts its text that far
        down, and a fit measured on the whole contents lost its last line's descenders)."""
        m = self.margin()
        rect = self.contentsRect().adjusted(m, m, -m, -m)
        indent = self.indent()
        if indent < 0 and self.frameWidth() > 0:
            indent = self.fontMetrics().horizontalAdvance("x") // 2 - m
        if indent > 0:
            align = self.alignment()
            rect.adjust(indent if align & Qt.AlignmentFlag.AlignLeft else 0,
                        indent if align & Qt.AlignmentFlag.AlignTop else 0,
                        -indent if align & Qt.AlignmentFlag.AlignRight else 0,
                        -indent if align & Qt.AlignmentFlag.AlignBottom else 0)
        return rect

    def _style_font(self) -> QFont:
        if self._fitted_px is None or self._own_font is None:
            self._own_font = QFont(self.font())
        return self._own_font


def fitting_px(text: str, font: QFont, width: int, height: int) -> int | None:
    """The largest pixel size, from the font's own down to SMALLEST_PX, at which `text` wrapped
    to `width` fits `height`; None when the font's own size fits (or nothing can be measured)."""
    if not text or width <= 0 or height <= 0:
        return None
    own = font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 4 / 3)
    for px in range(own, SMALLEST_PX - 1, -1):
        trial = QFont(font)
        trial.setPixelSize(px)
        box = QFontMetrics(trial).boundingRect(QRect(0, 0, width, 100_000),
                                               int(Qt.TextFlag.TextWordWrap), text)
        if box.height() <= height:
            return None if px == own else px
    return SMALLEST_PX


def pin_rows(form: QWidget, targets: list[QWidget]) -> QVBoxLayout | None:
    """Take the items of the form's column that are, or hold, `targets` (a button's row, a
    box) out of it, into a column of their own in the targets' order (a row holding two of
    them moves once), to be laid out below the form's scroll area: a short screen scrolls
    the form, never its primary buttons."""
    if not targets:
        return None
    column = form.layout()
    assert isinstance(column, QBoxLayout), f"{form.objectName()} has no column layout"
    bar = QVBoxLayout()
    margins = column.contentsMargins()  # the form's own side margins: nothing shifts sideways
    bar.setContentsMargins(margins.left(), 4, margins.right(), 0)
    for target in targets:
        for i in range(column.count()):
            item = column.itemAt(i)
            if item is None:
                continue
            row = item.layout()
            if item.widget() is target:
                column.takeAt(i)
                bar.addWidget(target)
                break
            if row is not None and _holds(row, target):
                column.takeAt(i)
                bar.addLayout(row)
                break
    return bar


def _holds(layout: Any, widget: QWidget) -> bool:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is not None and (item.widget() is widget or (
                item.layout() is not None and _holds(item.layout(), widget))):
            return True
    return False


SCREEN_MARGIN_PX = 48  # a window manager's title bar and frame, and a little of the page behind


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to `width` × `height`, less where the screen is smaller (a 1366×768 bedside
    screen): a dialog never opens taller than the screen, its buttons below the fold."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() - SCREEN_MARGIN_PX)
        height = min(height, room.height() - SCREEN_MARGIN_PX)
    window.resize(width, height)


def keep_frame_on_screen(window: QWidget) -> None:
    """A window manager adds its frame (the title bar) outside the client: a client sized to
    the whole screen that the manager did not maximise (openbox, measured) had its bottom — the
    status bar — 25 px below a 768-line screen. Moved and shrunk so the frame fits the
    screen's available area. With no window manager the frame is the client: nothing moves
    (show() gave it the screen's area already)."""
    screen = window.screen()
    if screen is None or window.isFullScreen() or not window.isVisible() or \
            QGuiApplication.platformName() in ("offscreen", "minimal"):  # no real screen
        return
    room = screen.availableGeometry()
    frame, client = window.frameGeometry(), window.geometry()
    if frame == client or room.contains(frame):  # no manager's frame, or it fits
        return
    window.setGeometry(room.adjusted(client.left() - frame.left(), client.top() - frame.top(),
                                     client.right() - frame.right(),
                                     client.bottom() - frame.bottom()))


def show_on_screen(window: QWidget, maximised: bool) -> None:
    """Show the main window maximised, or as the smaller window the nurse last left it. With
    no window manager (a kiosk session) nothing maximises, moves or resizes a window: it is
    given the screen's whole available area whatever was saved (a smaller window at 1280×860
    was taller than a 768-line screen, its status bar and lowest buttons off it)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry() if screen is not None else None
    if room is not None and (maximised or not window_manager_running()):
        window.setGeometry(room)  # a display without a window manager ignores "maximised"
    elif room is not None:  # a smaller window is never larger than the screen
        window.resize(min(window.width(), room.width()), min(window.height(), room.height()))
    if maximised:
        window.showMaximized()
    else:
        window.showNormal()


def window_manager_running() -> bool:
    """Whether a window manager manages this X display: an EWMH manager (openbox, xfwm4,
    mutter, kwin…) names its check window on the root window (_NET_SUPPORTING_WM_CHECK).
    Anywhere but X (Wayland, Windows, the test platforms) the system places windows: True."""
    if QGuiApplication.platformName() != "xcb":
        return True
    app = QGuiApplication.instance()
    native = app.nativeInterface() if isinstance(app, QGuiApplication) else None
    display = getattr(native, "display", None)
    name = ctypes.util.find_library("X11")
    if display is None or name is None:
        return True  # cannot look: as a desktop (the saved size, kept inside the screen)
    return _root_names_a_manager(ctypes.CDLL(name), int(display()))


def _root_names_a_manager(xlib: Any, display: int) -> bool:
    """Read _NET_SUPPORTING_WM_CHECK on the default root window, on Qt's own X connection."""
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    xlib.XDefaultRootWindow.restype = ctypes.c_ulong
    xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    xlib.XGetWindowProperty.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long,
        ctypes.c_int, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p)]
    xlib.XFree.argtypes = [ctypes.c_void_p]
    atom = xlib.XInternAtom(display, b"_NET_SUPPORTING_WM_CHECK", 1)  # only if it exists
    if not atom:
        return False  # no manager ever ran on this display
    kind, fmt = ctypes.c_ulong(), ctypes.c_int()
    count, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
    xa_window = 33  # the property's type: a window id
    status = xlib.XGetWindowProperty(display, xlib.XDefaultRootWindow(display), atom, 0, 1, 0,
                                     xa_window, ctypes.byref(kind), ctypes.byref(fmt),
                                     ctypes.byref(count), ctypes.byref(after),
                                     ctypes.byref(data))
    if data.value:
        xlib.XFree(data)
    return status == 0 and count.value > 0
