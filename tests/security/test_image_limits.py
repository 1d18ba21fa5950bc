"""Image limits that hold (issue 26, finding 9): OpenCV's pixel limit set before cv2 is loaded,
and a file's type told by its content, not its name."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from test_image_bombs import png_header_only

from kresladi_bedside.cli import main


@pytest.mark.parametrize("name", ["bomb.mp4", "bomb", "bomb.avi"])
def test_a_png_bomb_under_another_name_is_refused_by_its_header(tmp_path: Path, capsys, name):
    bomb = png_header_only(tmp_path / "x.png", 32000, 32000)
    renamed = tmp_path / name
    shutil.move(bomb, renamed)
    assert main(["decode", str(renamed)]) == 1
    err = capsys.readouterr().err
    assert "32000 x 32000 pixels" in err and "not decoded" in err


def tiff_header(path: Path, width: int, height: int) -> Path:
    entries = [(256, 4, 1, width), (257, 4, 1, height)]
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", *e) for e in entries) + struct.pack("<I", 0)
    path.write_bytes(b"II*\x00" + struct.pack("<I", 8) + ifd)
    return path


def test_a_tiff_claiming_900_megapixels_is_refused_by_its_header(tmp_path: Path, capsys):
    assert main(["decode", str(tiff_header(tmp_path / "label", 30000, 30000))]) == 1
    assert "30000 x 30000 pixels" in capsys.readouterr().err


def test_opencv_refuses_more_than_40_megapixels_in_the_programs_own_process(tmp_path: Path):
    """A format whose size the header reader does not know (WebP, plain VP8): OpenCV's own
    limit must hold, so it must be set before our modules import cv2."""
    image = tmp_path / "big.webp"
    assert cv2.imwrite(str(image), np.zeros((6000, 7000), np.uint8))  # 42 MP
    env = {k: v for k, v in os.environ.items() if k != "OPENCV_IO_MAX_IMAGE_PIXELS"}
    code = ("import kresladi_bedside.scanning.capture, cv2, sys\n"
            f"try:\n    frame = cv2.imread({str(image)!r})\n"
            "except cv2.error:\n    frame = None  # refused: over the limit\n"
            "sys.exit(0 if frame is None else 5)")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, "OpenCV decoded a 42-megapixel image: its limit was not set"
