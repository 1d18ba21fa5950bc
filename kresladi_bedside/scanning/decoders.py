"""Decoding backends: turn one camera frame into the codes it holds.

zxing-cpp is the primary backend: it reads every label kind (Code 128, DataMatrix, QR), keeps GS
and reports the AIM symbology identifier, which is how GS1 and ISBT 128 are told apart. pyzbar
(ZBar) is the secondary one: it needs the system library and reads no DataMatrix. Both fall back
to `deskew` for 1-D codes tilted beyond what a line scanner reads.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np

from .deskew import decode_tilted
from .raw import Point, Position, RawScan

BACKENDS: tuple[str, ...] = ("zxing", "pyzbar")
DEFAULT_BACKEND = "zxing"
PYZBAR_MISSING = "pyzbar backend unavailable: libzbar0 not installed"


class BackendError(ValueError):
    """A decoding backend that does not exist or cannot run on this machine."""


class BackendUnavailableError(BackendError):
    pass


class Decoder(Protocol):
    name: str

    def decode(self, frame: np.ndarray) -> list[RawScan]:
        """Every code found in a BGR or grayscale frame, each with its position."""
        ...


def to_gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return frame
    if frame.ndim == 3 and frame.shape[2] == 3:
        return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    raise BackendError(f"not an image: array of shape {frame.shape}")


def _bytes_to_text(data: bytes) -> str:
    # Scanners deliver bytes; UTF-8 for wristband names, Latin-1 so no byte is ever lost.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


@dataclass(frozen=True)
class FrameCodes:
    """What one frame gave: the codes, whether a 1-D code was among them (read straight or
    tilted), and whether the tilted search ran (the pipeline schedules it from these)."""

    codes: list[RawScan]
    linear: bool
    tilted_ran: bool = False


class _Backend:
    """The straight pass, then (when asked and nothing 1-D was read) the tilted search."""

    name: str
    _deskew: bool
    _all: list[Any]
    _linear: list[Any]

    def _read_with_kind(self, gray: np.ndarray, kinds: Sequence[Any]
                        ) -> list[tuple[RawScan, bool]]:
        raise NotImplementedError

    def _read(self, gray: np.ndarray, kinds: Sequence[Any]) -> list[RawScan]:
        return [scan for scan, _ in self._read_with_kind(gray, kinds)]

    def decode(self, frame: np.ndarray) -> list[RawScan]:
        return self.decode_frame(frame).codes

    def decode_frame(self, frame: np.ndarray, *, tilted: bool = True) -> FrameCodes:
        """`tilted=False` skips the tilted search: it costs about as much as the straight pass,
        so on a stream of frames the pipeline runs it only while straight reads keep failing
        (see capture.TiltedSchedule). A label carries one 1-D code in view at a time: once one
        is read straight, the search is not needed for that frame."""
        gray = to_gray(frame)
        found = self._read_with_kind(gray, self._all)
        scans = [scan for scan, _ in found]
        linear = any(is_linear for _, is_linear in found)
        if linear or not (tilted and self._deskew):
            return FrameCodes(scans, linear)
        known = {s.payload for s in scans}
        extra = [s for s in decode_tilted(gray, lambda crop: self._read(crop, self._linear))
                 if s.payload not in known]
        return FrameCodes(scans + extra, bool(extra), tilted_ran=True)


class ZxingDecoder(_Backend):
    name = "zxing"

    def __init__(self, *, deskew: bool = True) -> None:
        import zxingcpp

        self._z = zxingcpp
        fmt = zxingcpp.BarcodeFormat
        # Only the three symbologies labels use: all formats costs twice the time per frame.
        self._all = [fmt.Code128, fmt.DataMatrix, fmt.QRCode]
        self._linear = [fmt.Code128]
        self._deskew = deskew

    def _read_with_kind(
        self, gray: np.ndarray, formats: Sequence[Any]
    ) -> list[tuple[RawScan, bool]]:
        found = self._z.read_barcodes(
            # a list of formats works at run time; the stub names only BarcodeFormats
            gray, formats=list(formats),  # type: ignore[arg-type]
            text_mode=self._z.TextMode.Plain
        )
        return [(
            RawScan(
                payload=_bytes_to_text(bytes(b.bytes)),
                source="camera",
                symbology=b.symbology_identifier or None,
                position=_zxing_position(b.position),
            ), b.format == self._z.BarcodeFormat.Code128)
            for b in found
        ]


def _zxing_position(p: Any) -> Position:
    corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    return tuple((int(c.x), int(c.y)) for c in corners)  # type: ignore[return-value]


class PyzbarDecoder(_Backend):
    name = "pyzbar"

    def __init__(self, *, deskew: bool = True) -> None:
        try:
            from pyzbar import pyzbar
        except ImportError as e:  # pyzbar raises ImportError when ctypes cannot find libzbar
            raise BackendUnavailableError(PYZBAR_MISSING) from e
        self._pyzbar = pyzbar
        self._all = [pyzbar.ZBarSymbol.CODE128, pyzbar.ZBarSymbol.QRCODE]
        self._linear = [pyzbar.ZBarSymbol.CODE128]
        self._deskew = deskew

    def _read_with_kind(
        self, gray: np.ndarray, symbols: Sequence[Any]
    ) -> list[tuple[RawScan, bool]]:
        found = self._pyzbar.decode(gray, symbols=list(symbols))
        # ZBar gives no AIM identifier; labels.parse tells ISBT 128 from GS1 by content.
        return [
            (RawScan(
                payload=_bytes_to_text(d.data),
                source="camera",
                symbology=None,
                position=_quad([(int(p.x), int(p.y)) for p in d.polygon]),
            ), d.type == "CODE128")
            for d in found
        ]


def _quad(points: list[Point]) -> Position:
    """Four corners from ZBar's polygon (which can have any number of points)."""
    if len(points) == 4:
        return tuple(points)  # type: ignore[return-value]
    box = cv2.boxPoints(cv2.minAreaRect(np.array(points, dtype=np.float32)))
    return tuple((int(x), int(y)) for x, y in box)  # type: ignore[return-value]


def make_decoder(backend: str = DEFAULT_BACKEND, *, deskew: bool = True) -> Decoder:
    """The decoder a site configured (`CameraConfig.backend`)."""
    if backend == "zxing":
        return ZxingDecoder(deskew=deskew)
    if backend == "pyzbar":
        return PyzbarDecoder(deskew=deskew)
    choices = ", ".join(BACKENDS)
    raise BackendError(f"unknown decoding backend {backend!r} (choose one of: {choices})")


# --- image files: refused by their header before any pixel is decoded --------------------------

# A label photo is a few megapixels; a file claiming more is refused before decoding, since a
# 32000 x 32000 PNG of a few kilobytes decodes to a gigabyte (issue 15). OpenCV's own limit is the
# same figure for any format the header reader below does not know: set in the package's
# __init__, because OpenCV reads it once, when cv2 is loaded (issue 26).
MAX_IMAGE_PIXELS = 40_000_000
# What a file is, told by its first bytes, never by its name (a PNG renamed .mp4 or without a
# suffix went to the video reader, past the header check: issue 26).
IMAGE_MAGIC: tuple[bytes, ...] = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a",
                                  b"BM", b"II*\x00", b"MM\x00*", b"P5", b"P6", b"P4", b"P2",
                                  b"P3")


def is_image_file(path: str | os.PathLike[str]) -> bool:
    """The file's content says it is a still image (PNG, JPEG, GIF, BMP, TIFF, WebP, PNM)."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return head.startswith(IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


class ImageTooLargeError(ValueError):
    """An image file whose header claims more pixels than a label photo can have."""


def image_size(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(width, height) from a PNG, JPEG, GIF or BMP header; None for other formats."""
    with open(path, "rb") as f:
        head = f.read(32)
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            return struct.unpack(">II", head[16:24])
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return struct.unpack("<HH", head[6:10])
        if head.startswith(b"BM") and len(head) >= 26:
            width, height = struct.unpack("<ii", head[18:26])
            return abs(width), abs(height)
        if head.startswith(b"\xff\xd8"):
            return _jpeg_size(f)
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            return _tiff_size(f, "<" if head[:2] == b"II" else ">")
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _webp_size(head)
    return None


def _tiff_size(f: Any, order: str) -> tuple[int, int] | None:
    """ImageWidth (256) and ImageLength (257) of the first IFD."""
    f.seek(4)
    (offset,) = struct.unpack(order + "I", f.read(4))
    f.seek(offset)
    (count,) = struct.unpack(order + "H", f.read(2))
    found: dict[int, int] = {}
    for _ in range(min(count, 4096)):
        entry = f.read(12)
        if len(entry) < 12:
            break
        tag, kind = struct.unpack(order + "HH", entry[:4])
        if tag in (256, 257):
            value = struct.unpack(order + ("H" if kind == 3 else "I"),
                                  entry[8:10] if kind == 3 else entry[8:12])[0]
            found[tag] = value
    if 256 in found and 257 in found:
        return found[256], found[257]
    return None


def _webp_size(head: bytes) -> tuple[int, int] | None:
    """VP8X (extended) canvas size: 24-bit width and height minus one."""
    if head[12:16] == b"VP8X" and len(head) >= 30:
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    return None


def _jpeg_size(f: Any) -> tuple[int, int] | None:
    f.seek(2)
    for _ in range(10_000):  # markers before the frame header; a bounded walk
        marker = f.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        kind = marker[1]
        if kind in (0xD8, 0x01) or 0xD0 <= kind <= 0xD7:
            continue
        length_bytes = f.read(2)
        if len(length_bytes) < 2:
            return None
        (length,) = struct.unpack(">H", length_bytes)
        if 0xC0 <= kind <= 0xCF and kind not in (0xC4, 0xC8, 0xCC):
            data = f.read(5)
            if len(data) < 5:
                return None
            height, width = struct.unpack(">HH", data[1:5])
            return width, height
        f.seek(length - 2, 1)
    return None


def check_image_file(path: str | os.PathLike[str],
                     max_pixels: int = MAX_IMAGE_PIXELS) -> None:
    """Raise ImageTooLargeError when the header claims more than `max_pixels` pixels."""
    try:
        size = image_size(path)
    except (OSError, struct.error):
        return  # unreadable here: the decoder's own error names it
    if size is not None and size[0] * size[1] > max_pixels:
        raise ImageTooLargeError(
            f"image {os.fspath(path)!r} claims {size[0]} x {size[1]} pixels, more than a label "
            f"photo can have ({max_pixels:,} pixels at most): not decoded")
