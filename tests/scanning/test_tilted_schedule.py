"""The tilted 1-D search on a stream: only while straight reads keep failing, yet a tilted
label is still read within a few frames and only once while it stays in view."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from kresladi_bedside.scanning.capture import ScanPipeline, TiltedSchedule, open_source
from kresladi_bedside.scanning.decoders import FrameCodes, make_decoder
from kresladi_bedside.scanning.raw import RawScan
from kresladi_bedside.scanning.testimages import (
    ISBT_CODE128,
    QR_WRISTBAND,
    blank_frame,
    frame_for,
)

BLANK, TILTED, QR = 40, 12, 10


@pytest.fixture(scope="module")
def tilted_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tilted") / "tilted.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, (1280, 720))
    frames = ([blank_frame()] * BLANK + [frame_for(ISBT_CODE128, "rot45")] * TILTED
              + [frame_for(QR_WRISTBAND, "upright")] * QR)
    for gray in frames:
        writer.write(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
    writer.release()
    return path


def test_a_tilted_label_on_a_stream_is_read_soon_and_once(tilted_video: Path) -> None:
    got: list[RawScan] = []
    stats = ScanPipeline(open_source(tilted_video), make_decoder("zxing"),
                         on_scan=got.append).run()
    tilted = [s for s in got if s.payload == ISBT_CODE128.payload]
    assert len(tilted) == 1
    assert BLANK <= tilted[0].frame < BLANK + TiltedSchedule().every
    # searched on a fraction of the frames without a 1-D code, and on every tilted-read frame
    without_linear = BLANK + QR + (tilted[0].frame - BLANK)
    assert stats.tilted <= without_linear // TiltedSchedule().every + 2 + TILTED
    assert stats.tilted >= BLANK + TILTED - tilted[0].frame - 1


def test_a_still_image_gets_the_tilted_search_at_once(tmp_path: Path) -> None:
    image = tmp_path / "tilted.png"
    cv2.imwrite(str(image), frame_for(ISBT_CODE128, "rot45"))
    got: list[RawScan] = []
    ScanPipeline(open_source(image), make_decoder("zxing"), on_scan=got.append).run()
    assert [s.payload for s in got] == [ISBT_CODE128.payload]


def test_the_schedule_waits_then_searches_one_frame_in_every() -> None:
    schedule = TiltedSchedule(after=2, every=4)
    miss, straight, tilted_hit = FrameCodes([], False), FrameCodes([], True), \
        FrameCodes([], True, tilted_ran=True)
    due = []
    for _ in range(11):
        due.append(schedule.due())
        schedule.saw(miss)
    assert due == [False, False, True, False, False, False, True, False, False, False, True]
    schedule.saw(tilted_hit)
    assert schedule.due()  # the tilted search is what reads the code: keep it on
    schedule.saw(straight)
    assert not schedule.due()
