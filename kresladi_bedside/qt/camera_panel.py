"""The camera panel on scanning pages: the live preview with each decoded code outlined.

Frames come from the capture worker (`qt/camera.py`), which decodes, scales, converts and
outlines each frame in its own thread and hands the GUI a ready `CameraPreview`. The panel only
shows it; it never decodes, converts or scales.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from .camera import PREVIEW_WIDTH, CameraPreview

__all__ = ["PREVIEW_WIDTH", "CameraPanel"]


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

    @Slot(object)
    def show_preview(self, preview: CameraPreview) -> None:
        """Show a frame the worker has already scaled and outlined."""
        pixmap = QPixmap.fromImage(preview.image)
        self.preview.setPixmap(pixmap)
        if self.preview.minimumHeight() != pixmap.height():
            self.preview.setMinimumHeight(pixmap.height())
        self.frames += 1

    def camera_off(self, why: str) -> None:
        self.preview.clear()
        self.preview.setText(why)
