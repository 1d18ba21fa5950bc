"""The camera panel on scanning pages: the live preview with each decoded code outlined.

Frames come from the scanning package's capture worker (`qt/camera.py`), which decodes in its
own thread and hands the GUI the newest frame with the corner points of what it read. The panel
only paints; it never decodes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, Qt, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

PREVIEW_WIDTH = 480


class CameraPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Camera preview")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preview = QLabel("Camera off — use the hand scanner.")
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setAccessibleName("Camera preview image")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(44)
        layout.addWidget(self.preview)
        self.frames = 0

    @Slot(QImage, list)
    def show_frame(self, image: QImage, outlines: Sequence[Sequence[tuple[float, float]]]) -> None:
        """Paint the frame scaled to the panel, with every decoded code's outline in green."""
        scale = PREVIEW_WIDTH / max(1, image.width())
        pixmap = QPixmap.fromImage(image).scaledToWidth(
            PREVIEW_WIDTH, Qt.TransformationMode.SmoothTransformation)
        painter = QPainter(pixmap)
        painter.setPen(QPen(QColor("#00d000"), 4))
        for points in outlines:
            painter.drawPolygon(QPolygonF([QPointF(x * scale, y * scale) for x, y in points]))
        painter.end()
        self.preview.setPixmap(pixmap)
        self.preview.setMinimumHeight(pixmap.height())
        self.frames += 1

    def camera_off(self, why: str) -> None:
        self.preview.clear()
        self.preview.setText(why)
