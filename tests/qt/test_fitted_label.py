"""The "✔ Recorded …" note keeps its fixed height and shrinks its text rather than cutting it
(at 1366×768 a third wrapped line was cut: which bag the last label belonged to was lost)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics

from kresladi_bedside.qt.fitted import SMALLEST_PX, FittedLabel

LONG = ("✔ Recorded 08:05 — Bag 1 of 2 — At the bedside: identity again; last: ACCEPTED: "
        "Bag label (bag 1)")


def wrapped_height(label: FittedLabel, px: int) -> int:
    font = QFont(label.font())
    font.setPixelSize(px)
    return QFontMetrics(font).boundingRect(QRect(0, 0, label.contentsRect().width(), 100_000),
                                           int(Qt.TextFlag.TextWordWrap), label.text()).height()


def make(qtbot, width: int) -> FittedLabel:
    label = FittedLabel()
    label.setObjectName("doneLabel")
    qtbot.addWidget(label)
    label.setStyleSheet("")
    font = label.font()
    font.setPixelSize(22)
    font.setBold(True)
    label.setFont(font)
    label.setFixedSize(width, 60)
    label.show()
    return label


def test_a_note_too_long_for_its_box_is_set_smaller_and_fits(qtbot):
    label = make(qtbot, 540)
    label.setText(LONG)
    assert wrapped_height(label, 22) > 60  # the case: cut at the style's size
    px = label.fitted_px()
    assert px is not None and SMALLEST_PX <= px < 22
    assert f"font-size: {px}px" in label.styleSheet()
    assert wrapped_height(label, px) <= 60


def test_a_short_note_and_a_wide_box_keep_the_styles_size(qtbot):
    label = make(qtbot, 540)
    label.setText(LONG)
    label.setText("✔ Recorded 08:05 — Thaw")
    assert label.fitted_px() is None and label.styleSheet() == ""
    wide = make(qtbot, 1800)
    wide.setText(LONG)
    assert wide.fitted_px() is None


def test_narrowing_the_window_refits_the_same_text(qtbot):
    label = make(qtbot, 1800)
    label.setText(LONG)
    assert label.fitted_px() is None
    label.setFixedSize(540, 60)
    qtbot.waitUntil(lambda: label.fitted_px() is not None, timeout=2000)


WITNESSED = ("✔ ACCEPTED: Cassette (bag 1)\nMatched: chain-of-identity id, date of birth, "
             "patient id, DIN, lot, expiry\nWitnessed by ORTIZ, PABLO.")


def framed_box(qtbot, height: int, px: int) -> tuple[object, FittedLabel]:
    """The identity page's scan box: bordered, padded, text at the top (its style from a
    parent, as the application's style sheet gives it)."""
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    parent.setStyleSheet(f"QLabel#box {{ font-size: {px}px; font-weight: bold; border: 4px "
                         "solid #000000; padding: 8px; background: #ffffff; color: #000000; }")
    label = FittedLabel(parent)
    label.setObjectName("box")
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setFixedSize(1332, height)
    qtbot.addWidget(parent)
    parent.show()
    label.setText(WITNESSED)
    return parent, label  # the parent kept: it owns the label


def ink(label: FittedLabel) -> int:
    """Dark pixels inside the border: the text that was drawn."""
    from PySide6.QtGui import QColor

    image = label.grab().toImage()
    return sum(QColor(image.pixel(x, y)).lightness() < 128
               for y in range(6, image.height() - 6) for x in range(6, 700))


def test_a_framed_box_with_its_text_at_the_top_shows_the_last_line_whole(qtbot):
    """QLabel starts the text of a framed, top-aligned label half an 'x' below its contents:
    a fit measured on the whole contents cut the descenders of the last line ("Witnessed by")."""
    _tight, box = framed_box(qtbot, 104, 26)
    px = box.fitted_px()
    assert px is not None and px < 26
    _spare, roomy = framed_box(qtbot, 400, px)  # the same text and size, room to spare
    assert roomy.fitted_px() is None
    assert ink(box) == ink(roomy) > 0
