"""The camera in the window: capture and decoding in a worker QThread, results as signals.

    scanner = CameraScanner("0")                 # or a video file, or a folder of images
    scanner.scanned.connect(page.on_scan)        # RawScan(source="camera"), once per appearance
    scanner.frameDecoded.connect(view.on_frame)  # FrameResult: image + code positions to draw
    scanner.failed.connect(page.on_camera_error) # str: the camera or file could not be read
    scanner.start(); ...; scanner.stop()

Connect the signals to `@Slot` methods of objects living in the GUI thread: connected to a lambda
or a plain function, a PySide6 slot runs in the worker thread instead. The signals are queued, so
a slow receiver never slows the capture, and decoding never blocks the window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal

from ..config import CameraConfig
from ..scanning.capture import FrameResult, PipelineStats, ScanPipeline, open_source
from ..scanning.decoders import DEFAULT_BACKEND, Decoder, make_decoder
from ..scanning.raw import RawScan


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
        try:
            # Opened here, not in the GUI thread: a camera can take a second to open.
            source = open_source(owner.source)
            self.pipeline = ScanPipeline(
                source,
                owner.decoder,
                realtime=owner.realtime,
                hold_frames=owner.hold_frames,
                on_scan=owner.scanned.emit,
                on_frame=owner.frameDecoded.emit,
            )
            if self._stopping:
                self.pipeline.stop()
            self.pipeline.run()
        except Exception as e:  # the window shows it; the nurse can still scan another way
            owner.failed.emit(str(e))


class CameraScanner(QObject):
    scanned = Signal(object)  # RawScan
    frameDecoded = Signal(object)  # FrameResult
    failed = Signal(str)
    finished = Signal()

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
        self._thread: _CaptureThread | None = None

    @classmethod
    def from_config(cls, config: CameraConfig, parent: QObject | None = None) -> CameraScanner:
        if config.source is None:
            raise ValueError("the camera is off in the site configuration (camera.source)")
        return cls(config.source, backend=config.backend, parent=parent)

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


__all__ = ["CameraScanner", "FrameResult", "RawScan"]
