"""Frames in, scans out: the camera pipeline without Qt.

A source is a camera index, a video file, a single image or a folder of images; all of them
produce numbered frames through the same `FrameSource` interface and go through the same loop,
which is how tests, training mode and `kresladi-bedside decode` exercise the camera path.

The loop runs in two threads. A grabber reads frames as fast as the source gives them and keeps
only the newest in a one-frame slot; the decode thread (the Qt worker's) takes whatever is newest
when it is ready, so decoding never falls behind the camera and stale frames are dropped. For
files and folders, `realtime=False` makes the grabber wait for each frame to be taken instead:
every frame is decoded, and results do not depend on the machine's speed.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from .decoders import Decoder, FrameCodes, ImageTooLargeError, check_image_file, is_image_file
from .dedupe import ConsecutiveDedupe
from .raw import RawScan

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm"})
FOLDER_FPS = 10.0  # a folder of stills played "in real time" shows each for a tenth of a second


class SourceError(OSError):
    """A camera, file or folder that cannot be read as frames."""


class FrameSource(Protocol):
    name: str
    live: bool  # a camera: frames come at the camera's pace and cannot be waited for
    fps: float  # nominal frames per second (for pacing files in real time)
    stream: bool  # frames follow each other (camera, video), not unrelated stills

    def read(self) -> np.ndarray | None:
        """The next frame (BGR or grayscale), or None at the end."""
        ...

    def close(self) -> None: ...


class VideoCaptureSource:
    """A camera index or a video file, through `cv2.VideoCapture`."""

    def __init__(self, target: int | str) -> None:
        self.name = str(target)
        self.live = isinstance(target, int)
        self.stream = True
        self._cap = cv2.VideoCapture(target)
        if not self._cap.isOpened():
            what = f"camera {target}" if self.live else f"video file {target!r}"
            raise SourceError(f"cannot open {what}")
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        self.fps = fps if fps and fps > 0 else 30.0

    def read(self) -> np.ndarray | None:
        ok, frame = self._cap.read()
        return frame if ok else None

    def close(self) -> None:
        self._cap.release()


class ImageFilesSource:
    """A single image, or every image in a folder in name order."""

    def __init__(self, paths: list[Path], name: str) -> None:
        self.name = name
        self.live = False
        self.stream = False
        self.fps = FOLDER_FPS
        self._paths: Iterator[Path] = iter(paths)

    def read(self) -> np.ndarray | None:
        for path in self._paths:
            try:  # refused by its header before decoding (decoders.check_image_file, issue 15)
                check_image_file(path)
                frame = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            except (ImageTooLargeError, cv2.error) as exc:
                raise SourceError(str(exc).strip().splitlines()[-1]) from None
            if frame is None:
                raise SourceError(f"cannot read image {str(path)!r}")
            return frame
        return None

    def close(self) -> None:
        self._paths = iter(())


def open_source(spec: str | int | Path) -> FrameSource:
    """Open a camera index (`0` or "0"), a video file, an image file or a folder of images."""
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        return VideoCaptureSource(int(spec))
    path = Path(spec)
    if path.is_dir():
        images = sorted(p for p in path.iterdir()
                        if p.suffix.lower() in IMAGE_SUFFIXES or is_image_file(p))
        if not images:
            raise SourceError(f"folder {str(path)!r} holds no images")
        return ImageFilesSource(images, str(path))
    if not path.exists():
        raise SourceError(f"no such camera, file or folder: {str(spec)!r}")
    if path.suffix.lower() in IMAGE_SUFFIXES or is_image_file(path):
        return ImageFilesSource([path], str(path))  # the header check first, whatever its name
    return VideoCaptureSource(str(path))


WORKER_NICE = 10


def yield_cpu_to_the_window() -> None:
    """Lower the calling thread's CPU priority (Linux: per-thread nice). Decoding can always drop
    a frame; the window's timers and countdowns must not wait for a core behind it."""
    if sys.platform.startswith("linux"):
        try:
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, max(os.getpriority(os.PRIO_PROCESS, tid),
                                                     WORKER_NICE))
        except OSError:  # not permitted: run at the normal priority
            pass


class LatestFrame:
    """A one-frame slot between the grabber and the decoder."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item: tuple[int, np.ndarray] | None = None
        self._closed = False
        self.dropped = 0

    def put(self, index: int, frame: np.ndarray, *, wait: bool = False) -> None:
        with self._cond:
            if wait:
                self._cond.wait_for(lambda: self._item is None or self._closed)
            if self._item is not None:
                self.dropped += 1  # the decoder was busy: this older frame is never decoded
            self._item = (index, frame)
            self._cond.notify_all()

    def take(self) -> tuple[int, np.ndarray] | None:
        """The newest frame, waiting for one; None once closed and empty."""
        with self._cond:
            self._cond.wait_for(lambda: self._item is not None or self._closed)
            item, self._item = self._item, None
            self._cond.notify_all()
            return item

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


@dataclass(frozen=True)
class FrameResult:
    """One decoded frame: every code in it (with position, for drawing) and the new scans."""

    index: int
    image: np.ndarray
    codes: list[RawScan]
    new: list[RawScan]
    decode_ms: float


@dataclass
class PipelineStats:
    grabbed: int = 0
    decoded: int = 0
    dropped: int = 0
    tilted: int = 0  # frames the tilted search ran on
    decode_ms: list[float] = field(default_factory=list)


class TiltedSchedule:
    """When a stream's frame gets the tilted 1-D search, which costs about as much again as
    the straight pass: only once straight reads have failed `after` frames in a row, then on
    one frame in `every` while they keep failing, and on every frame while the tilted search is
    what reads the code (so a label held tilted stays in view for the dedupe). Measured on the
    bench video: the search on every frame without a straight 1-D read made the pipeline 1.23×
    the bare decoder. A still (an image file) is searched at once: there is no next frame."""

    def __init__(self, *, after: int = 2, every: int = 4) -> None:
        self.after = after
        self.every = every
        self.failed = 0  # frames in a row without a 1-D read
        self.tilted_reads = False

    def due(self) -> bool:
        if self.tilted_reads:
            return True
        return self.failed >= self.after and (self.failed - self.after) % self.every == 0

    def saw(self, result: FrameCodes) -> None:
        self.tilted_reads = result.tilted_ran and result.linear
        self.failed = 0 if result.linear else self.failed + 1


class ScanPipeline:
    def __init__(
        self,
        source: FrameSource,
        decoder: Decoder,
        *,
        realtime: bool | None = None,
        hold_frames: int = 3,
        on_scan: Callable[[RawScan], None] = lambda scan: None,
        on_frame: Callable[[FrameResult], None] = lambda result: None,
    ) -> None:
        self.source = source
        self.decoder = decoder
        # A camera cannot wait; a file is lossless unless asked to play at its own pace.
        self.realtime = source.live if realtime is None else (realtime or source.live)
        self._dedupe = ConsecutiveDedupe(hold_frames)
        self._on_scan = on_scan
        self._on_frame = on_frame
        self._slot = LatestFrame()
        self._stop = threading.Event()
        self._grab_error: BaseException | None = None
        self._tilted = TiltedSchedule() if getattr(source, "stream", True) else None
        self.stats = PipelineStats()

    def stop(self) -> None:
        """Ask `run` to return soon (from any thread)."""
        self._stop.set()
        self._slot.close()

    def run(self) -> PipelineStats:
        """Decode until the source ends or `stop()`; call from the thread that should decode."""
        grabber = threading.Thread(target=self._grab, name=f"grab {self.source.name}", daemon=True)
        grabber.start()
        try:
            while not self._stop.is_set():
                item = self._slot.take()
                if item is None:
                    break
                self._decode(*item)
        finally:
            self.stop()
            grabber.join(timeout=2.0)
            self.source.close()
        self.stats.dropped = self._slot.dropped
        if self._grab_error is not None:
            raise self._grab_error
        return self.stats

    def _grab(self) -> None:
        if self.realtime:
            yield_cpu_to_the_window()
        pace = self.realtime and not self.source.live
        period = 1.0 / self.source.fps
        start = time.perf_counter()
        index = 0
        try:
            while not self._stop.is_set():
                frame = self.source.read()
                if frame is None:
                    break
                if pace:  # play a file at its own frame rate, as a camera would deliver it
                    delay = start + index * period - time.perf_counter()
                    if delay > 0:
                        time.sleep(delay)
                self._slot.put(index, frame, wait=not self.realtime)
                self.stats.grabbed += 1
                index += 1
        except BaseException as e:  # handed to the decode thread, which reports it
            self._grab_error = e
        finally:
            self._slot.close()

    def _decode(self, index: int, frame: np.ndarray) -> None:
        t0 = time.perf_counter()
        decode_frame = getattr(self.decoder, "decode_frame", None)
        if decode_frame is None:  # a decoder without the straight/tilted split
            found = self.decoder.decode(frame)
        else:
            result: FrameCodes = decode_frame(
                frame, tilted=self._tilted is None or self._tilted.due())
            if self._tilted is not None:
                self._tilted.saw(result)
            self.stats.tilted += result.tilted_ran
            found = result.codes
        codes = [_in_frame(c, index) for c in found]
        ms = (time.perf_counter() - t0) * 1000.0
        new = self._dedupe.fresh(codes)
        self.stats.decoded += 1
        self.stats.decode_ms.append(ms)
        self._on_frame(FrameResult(index, frame, codes, new, ms))
        for scan in new:
            self._on_scan(scan)


def _in_frame(scan: RawScan, index: int) -> RawScan:
    return RawScan(scan.payload, "camera", scan.symbology, scan.position, index)
