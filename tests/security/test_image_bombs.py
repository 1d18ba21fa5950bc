"""Image files that claim huge sizes are refused by their header, before decoding: before issue 15
a 65535² PNG header crashed `decode` with an uncaught cv2.error and a 32000² PNG took 2.1 GB."""

from __future__ import annotations

import resource
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from kresladi_bedside.cli import main


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose IHDR claims width x height and whose data is a few bytes of a compressed
    all-zero stream: what a hostile file or a damaged camera export looks like."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    # Rows of zero bytes, compressed hard: a real bomb is small on disk.
    body = zlib.compressobj(9)
    data = body.compress(b"\0" * (width + 1) * min(height, 64)) + body.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data)
                     + chunk(b"IEND", b""))
    return path


@pytest.mark.parametrize("side", [65535, 32000])
def test_a_png_bomb_is_refused_before_decoding(tmp_path: Path, capsys, side: int):
    bomb = png_header_only(tmp_path / f"bomb{side}.png", side, side)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert main(["decode", str(bomb)]) == 1
    err = capsys.readouterr().err
    assert f"{side} x {side} pixels" in err and "not decoded" in err
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, f"decoding grew the process by {grown_mb:.0f} MB"


def test_a_bomb_in_a_folder_stops_only_with_a_message(tmp_path: Path, capsys):
    folder = tmp_path / "frames"
    folder.mkdir()
    png_header_only(folder / "a.png", 40000, 40000)
    assert main(["decode", str(folder)]) == 1
    assert "not decoded" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".bmp"])
def test_header_sizes_are_read_for_common_formats(tmp_path: Path, suffix: str):
    from kresladi_bedside.scanning.decoders import (  # imported here: collects on old code
        image_size,
    )

    path = tmp_path / f"small{suffix}"
    cv2.imwrite(str(path), np.zeros((48, 64), np.uint8))
    assert image_size(path) == (64, 48)


def test_an_ordinary_photo_is_still_decoded(tmp_path: Path, capsys):
    from kresladi_bedside.scanning.decoders import (  # imported here: collects on old code
        MAX_IMAGE_PIXELS,
    )

    path = tmp_path / "plain.png"
    cv2.imwrite(str(path), np.full((480, 640), 255, np.uint8))
    assert MAX_IMAGE_PIXELS > 480 * 640
    assert main(["decode", str(path)]) == 0
