"""The camera in the window: capture and decoding in a worker QThread, results as signals.

    scanner = CameraScanner("0")                 # or a video file, or a folder of images
    scanner.scanned.connect(page.on_scan)        # RawScan(source="camera"), once per appearance
    scanner.frameDecoded.connect(view.on_frame)  # FrameResult: image + code positions to draw
    scanner.previewReady.connect(panel.show_preview)  # CameraPreview: scaled, outlined, ready
    scanner.failed.connect(page.on_camera_error) # str: the camera or file could not be read
    scanner.start(); ...; scanner.stop()

Connect the signals to `@Slot` methods of objects living in the GUI thread: connected to a lambda
or a plain function, a PySide6 slot runs in the worker thread instead. The signals are queued, so
a slow receiver never slows the capture, and decoding never blocks the window.

The preview is made in the worker too (BGR→RGB, scaled to the panel's width, outlines drawn on
a QImage, which unlike a QPixmap may be painted outside the GUI thread): the GUI thread only
shows a ready image. At most one preview is on its way to the GUI thread at a time; while one
is waiting the worker makes no other, so a busy GUI thread is never handed a backlog. Measured:
converting and smooth-scaling a 720p frame on the GUI thread cost 5.4 ms a frame and pushed a
10 ms timer's p99 lateness to 9 ms.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QObject, QPointF, Qt, QThread, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF

from ..config import CameraConfig
from ..scanning.capture import (
    FrameResult,
    PipelineStats,
    ScanPipeline,
    open_source,
    yield_cpu_to_the_window,
)
from ..scanning.decoders import DEFAULT_BACKEND, Decoder, make_decoder
from ..scanning.raw import RawScan

PREVIEW_WIDTH = 480
OUTLINE = "#00d000"


@dataclass(frozen=True)
class CameraPreview:
    """A frame ready to show: scaled to the panel, every decoded code outlined."""

    image: QImage
    frame: int


def make_preview(image: np.ndarray, outlines: Sequence[Sequence[tuple[float, float]]],
                 frame: int = 0, width: int = PREVIEW_WIDTH) -> CameraPreview:
    """Scale (area-averaged, as smooth as Qt's smooth scaling), convert BGR→RGB and draw the
    outlines; safe in any thread."""
    h, w = image.shape[:2]
    scale = width / max(1, w)
    height = max(1, round(h * scale))
    small = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    if small.ndim == 3:
        small = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
        fmt = QImage.Format.Format_RGB888
    else:
        fmt = QImage.Format.Format_Grayscale8
    small = np.ascontiguousarray(small)
    qimage = QImage(small.data, width, height, small.strides[0], fmt).convertToFormat(
        QImage.Format.Format_RGB32)  # a copy that owns its pixels; RGB32 paints fastest
    painter = QPainter(qimage)
    painter.setPen(QPen(QColor(OUTLINE), 4))
    for points in outlines:
        painter.drawPolygon(QPolygonF([QPointF(x * scale, y * scale) for x, y in points]))
    painter.end()
    return CameraPreview(qimage, frame)


class _CaptureThread(QThread):
    def __init__(self, owner: CameraScanner) -> None:
        super().__init__(owner)
        self._owner = owner
        self.pipeline: ScanPipeline | None = None
        self._stopping = False

    def request_stop(self) -> None:
        self._stopping = True
        if self.pipeline is not None:
            self.pipeline.stop()

    def run(self) -> None:
        owner = self._owner
        if owner.realtime is not False:  # a camera (or a file played as one) beside the window
            yield_cpu_to_the_window()
        try:
            # Opened here, not in the GUI thread: a camera can take a second to open.
            source = open_source(owner.source)
            self.pipeline = ScanPipeline(
                source,
                owner.decoder,
                realtime=owner.realtime,
                hold_frames=owner.hold_frames,
                on_scan=owner.scanned.emit,
                on_frame=owner._on_frame,
            )
            if self._stopping:
                self.pipeline.stop()
            self.pipeline.run()
        except Exception as e:  # the window shows it; the nurse can still scan another way
            owner.failed.emit(str(e))


class CameraScanner(QObject):
    scanned = Signal(object)  # RawScan
    frameDecoded = Signal(object)  # FrameResult
    previewReady = Signal(object)  # CameraPreview, in the GUI thread
    failed = Signal(str)
    finished = Signal()
    _previewMade = Signal(object)  # worker → GUI thread (queued)

    def __init__(
        self,
        source: str | int,
        *,
        backend: str = DEFAULT_BACKEND,
        decoder: Decoder | None = None,
        realtime: bool | None = None,
        hold_frames: int = 3,
        parent: QObject | None = None,
    ) -> None:
        """`realtime`: None plays files as fast as they decode with no frame dropped (tests,
        `decode`); True plays them at their own frame rate dropping what decoding cannot keep up
        with, as a camera does. A camera is always real time. Raises `BackendError` at once for
        an unknown or unavailable backend."""
        super().__init__(parent)
        self.source = source
        self.decoder = decoder or make_decoder(backend)
        self.realtime = realtime
        self.hold_frames = hold_frames
        self.preview_width = PREVIEW_WIDTH  # 0: make no previews
        self.previews_skipped = 0  # frames decoded while the GUI had not shown the last preview
        self._preview_waiting = threading.Event()
        self._previewMade.connect(self._deliver_preview, Qt.ConnectionType.QueuedConnection)
        self._thread: _CaptureThread | None = None

    @classmethod
    def from_config(cls, config: CameraConfig, parent: QObject | None = None) -> CameraScanner:
        if config.source is None:
            raise ValueError("the camera is off in the site configuration (camera.source)")
        return cls(config.source, backend=config.backend, parent=parent)

    def _on_frame(self, result: FrameResult) -> None:
        """In the worker thread, for every decoded frame."""
        self.frameDecoded.emit(result)
        if not self.preview_width:
            return
        if self._preview_waiting.is_set():
            self.previews_skipped += 1
            return
        self._preview_waiting.set()
        outlines = [c.position for c in result.codes if c.position]
        self._previewMade.emit(make_preview(result.image, outlines, result.index,
                                            self.preview_width))

    @Slot(object)
    def _deliver_preview(self, preview: CameraPreview) -> None:
        self._preview_waiting.clear()
        self.previewReady.emit(preview)

    def start(self) -> None:
        if self.isRunning():
            return
        self._thread = _CaptureThread(self)
        self._thread.finished.connect(self.finished)
        self._thread.start()

    def isRunning(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def stop(self, wait_ms: int = 3000) -> bool:
        """Stop capturing; True once the worker has ended."""
        if self._thread is None:
            return True
        self._thread.request_stop()
        return self._thread.wait(wait_ms)

    def stats(self) -> PipelineStats | None:
        pipeline = self._thread.pipeline if self._thread else None
        return pipeline.stats if pipeline else None


__all__ = ["CameraPreview", "CameraScanner", "FrameResult", "RawScan", "make_preview"]
