"""The camera preview is made in the worker and the GUI thread only shows it: a ready, scaled,
outlined image, never more than one waiting for a busy GUI thread."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication

from kresladi_bedside.qt.camera import PREVIEW_WIDTH, CameraPreview, CameraScanner
from kresladi_bedside.qt.camera_panel import CameraPanel
from kresladi_bedside.scanning.testimages import QR_WRISTBAND, write_video


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("preview") / "qr.avi"
    write_video(str(path), [(None, 5), (QR_WRISTBAND, 40)], fps=30.0)
    return path


class Previews(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[CameraPreview] = []

    @Slot(object)
    def on_preview(self, preview: CameraPreview) -> None:
        self.got.append(preview)


def test_a_busy_gui_thread_gets_one_ready_preview_not_a_backlog(qtbot, video: Path) -> None:
    scanner = CameraScanner(str(video))  # lossless: every frame is decoded
    previews = Previews()
    scanner.previewReady.connect(previews.on_preview)
    with qtbot.waitSignal(scanner.finished, timeout=60000):
        scanner.start()
        time.sleep(3.0)  # the GUI thread is busy: nothing is delivered meanwhile
        QApplication.processEvents()
        assert len(previews.got) == 1
    qtbot.waitUntil(lambda: not scanner.isRunning())
    assert scanner.previews_skipped > 0
    image = previews.got[0].image
    assert image.width() == PREVIEW_WIDTH and image.height() == 270  # 1280×720 scaled


def test_the_preview_is_outlined_and_the_panel_only_shows_it(qtbot, video: Path) -> None:
    scanner = CameraScanner(str(video))
    panel = CameraPanel()
    qtbot.addWidget(panel)
    panel.show()
    previews = Previews()
    scanner.previewReady.connect(previews.on_preview)
    scanner.previewReady.connect(panel.show_preview)
    with qtbot.waitSignal(scanner.finished, timeout=60000):
        scanner.start()
    qtbot.waitUntil(lambda: not scanner.isRunning())
    QApplication.processEvents()
    with_code = [p for p in previews.got if p.frame >= 5]
    assert with_code and panel.frames == len(previews.got)
    image = with_code[-1].image
    green = sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
                if (c := image.pixelColor(x, y)).green() > 150 and c.red() < 100
                and c.blue() < 100)
    assert green > 50  # the QR code's outline, drawn by the worker
    assert panel.preview.pixmap().width() == PREVIEW_WIDTH
