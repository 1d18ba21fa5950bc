"""The camera path: sources, the newest-frame slot, the pipeline, and the Qt capture thread."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QObject, QThread, Slot

from kresladi_bedside.qt.camera import CameraScanner
from kresladi_bedside.scanning.capture import (
    FrameResult,
    LatestFrame,
    ScanPipeline,
    SourceError,
    open_source,
)
from kresladi_bedside.scanning.decoders import make_decoder
from kresladi_bedside.scanning.raw import RawScan
from kresladi_bedside.scanning.testimages import (
    GS1_DATAMATRIX,
    ISBT_CODE128,
    ISBT_DATAMATRIX,
    QR_WRISTBAND,
    frame_for,
    write_video,
)

# Wristband, the bag's DataMatrix, the bag's Code 128 DIN, the GS1 label, then the wristband again.
SEGMENTS = [
    (None, 3),
    (QR_WRISTBAND, 8),
    (None, 5),
    (ISBT_DATAMATRIX, 7),
    (ISBT_CODE128, 6),  # straight after the DataMatrix: no empty frame between them
    (None, 4),
    (GS1_DATAMATRIX, 5),
    (None, 5),
    (QR_WRISTBAND, 4),
    (None, 2),
]


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    path = tmp_path_factory.mktemp("video") / "labels.avi"
    shown = write_video(str(path), SEGMENTS, fps=30.0)
    return path, shown


def test_video_through_the_pipeline_gives_each_appearance_once_in_order(video) -> None:
    path, shown = video
    got: list[RawScan] = []
    frames: list[FrameResult] = []
    stats = ScanPipeline(
        open_source(path), make_decoder(), on_scan=got.append, on_frame=frames.append
    ).run()
    assert [s.payload for s in got] == [a.spec.payload for a in shown]
    # Read in the very frame each label first appears in (every frame is decoded from a file).
    assert [s.frame for s in got] == [a.first_frame for a in shown]
    assert stats.decoded == stats.grabbed == sum(n for _, n in SEGMENTS)
    assert stats.dropped == 0
    # Frames still carry every code with its position while the label stays in view.
    in_view = [f for f in frames if f.codes]
    assert len(in_view) == sum(n for spec, n in SEGMENTS if spec is not None)
    assert all(c.position is not None for f in in_view for c in f.codes)


def test_folder_of_images_is_the_same_path(tmp_path: Path) -> None:
    for i, (spec, condition) in enumerate([(ISBT_CODE128, "rot45"), (QR_WRISTBAND, "upright")]):
        cv2.imwrite(str(tmp_path / f"frame_{i:03d}.png"), frame_for(spec, condition))
    (tmp_path / "notes.txt").write_text("not an image")
    got: list[RawScan] = []
    ScanPipeline(open_source(tmp_path), make_decoder(), on_scan=got.append).run()
    assert [(s.payload, s.frame) for s in got] == [
        (ISBT_CODE128.payload, 0),
        (QR_WRISTBAND.payload, 1),
    ]


@pytest.mark.parametrize(("spec", "message"), [
    ("/no/such/file.avi", "no such camera, file or folder"),
    ("99", "cannot open camera 99"),
])
def test_unreadable_sources_are_named(spec: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        open_source(spec)


def test_empty_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="holds no images"):
        open_source(tmp_path)


def test_latest_frame_keeps_only_the_newest() -> None:
    slot = LatestFrame()
    for i in range(5):
        slot.put(i, np.zeros((2, 2), np.uint8))
    index, _ = slot.take()
    assert index == 4
    assert slot.dropped == 4
    slot.close()
    assert slot.take() is None


def test_latest_frame_waits_when_lossless() -> None:
    slot = LatestFrame()
    slot.put(0, np.zeros((1, 1), np.uint8))
    putter = threading.Thread(target=slot.put, args=(1, np.zeros((1, 1), np.uint8)),
                              kwargs={"wait": True})
    putter.start()
    putter.join(0.1)
    assert putter.is_alive()  # blocked until the decoder takes frame 0
    assert slot.take()[0] == 0
    putter.join(2.0)
    assert slot.take()[0] == 1
    assert slot.dropped == 0


class Receiver(QObject):
    """Lives in the GUI thread; records where each slot ran."""

    def __init__(self) -> None:
        super().__init__()
        self.scans: list[RawScan] = []
        self.frames = 0
        self.errors: list[str] = []
        self.threads: set[object] = set()

    @Slot(object)
    def on_scan(self, scan: RawScan) -> None:
        self.threads.add(QThread.currentThread())
        self.scans.append(scan)

    @Slot(object)
    def on_frame(self, result: FrameResult) -> None:
        self.frames += 1

    @Slot(str)
    def on_error(self, message: str) -> None:
        self.errors.append(message)


def test_video_through_the_qt_capture_thread(qtbot, video) -> None:
    path, shown = video
    scanner = CameraScanner(str(path))
    receiver = Receiver()
    scanner.scanned.connect(receiver.on_scan)
    scanner.frameDecoded.connect(receiver.on_frame)
    scanner.failed.connect(receiver.on_error)
    with qtbot.waitSignal(scanner.finished, timeout=20_000):
        scanner.start()
    qtbot.waitUntil(lambda: receiver.frames == sum(n for _, n in SEGMENTS), timeout=5_000)
    assert receiver.errors == []
    assert [s.payload for s in receiver.scans] == [a.spec.payload for a in shown]
    assert receiver.threads == {QThread.currentThread()}  # delivered in the GUI thread
    assert scanner.stop()


def test_camera_failure_is_a_signal_not_a_crash(qtbot, tmp_path: Path) -> None:
    scanner = CameraScanner(str(tmp_path / "missing.avi"))
    with qtbot.waitSignal(scanner.failed, timeout=5_000) as blocker:
        scanner.start()
    assert "no such camera, file or folder" in blocker.args[0]
    assert scanner.stop()


def test_stop_ends_a_realtime_run_early(qtbot, video) -> None:
    path, _ = video
    scanner = CameraScanner(str(path), realtime=True)
    scanner.start()
    qtbot.waitUntil(lambda: (scanner.stats() or None) is not None, timeout=5_000)
    assert scanner.stop(wait_ms=3_000)
    assert not scanner.isRunning()
    # Played at 30 frames a second, the 1.6 s video was cut short.
    assert scanner.stats().grabbed < sum(n for _, n in SEGMENTS)


def test_camera_from_config(qtbot, video) -> None:
    from kresladi_bedside.config import CameraConfig
    from kresladi_bedside.scanning.decoders import BackendError

    with pytest.raises(ValueError, match="camera is off"):
        CameraScanner.from_config(CameraConfig())
    with pytest.raises(BackendError, match="unknown decoding backend"):
        CameraScanner.from_config(CameraConfig(source="0", backend="zbar"))
    scanner = CameraScanner.from_config(CameraConfig(source=str(video[0]), backend="pyzbar"))
    assert scanner.decoder.name == "pyzbar"
