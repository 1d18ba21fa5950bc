"""Make the committed binary assets: the self-test label image and the application icons.

Run once by hand (`.venv/bin/python packaging/make_assets.py`) and commit the output; the program
and the build only read the files. The label's payloads are in `resources/selftest/label.toml`,
which the self-test compares each decoder's reading against.
"""

from __future__ import annotations

import struct
import tomllib
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

ROOT = Path(__file__).resolve().parent.parent
SELFTEST = ROOT / "resources" / "selftest"
ICONS = ROOT / "resources" / "icons"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def make_label() -> Path:
    spec = tomllib.loads((SELFTEST / "label.toml").read_text(encoding="utf-8"))
    tiles = []
    for code in spec["codes"]:
        barcode = zxingcpp.create_barcode(code["text"], zxingcpp.BarcodeFormat.__members__[
            code["format"]])
        tiles.append(np.array(zxingcpp.write_barcode_to_image(barcode, scale=code["scale"])))
    # side by side on white, as on a label: both decoders get the same picture
    height = max(t.shape[0] for t in tiles) + 40
    canvas = np.full((height, sum(t.shape[1] for t in tiles) + 40 * (len(tiles) + 1)), 255,
                     np.uint8)
    x = 40
    for tile in tiles:
        y = (height - tile.shape[0]) // 2
        canvas[y:y + tile.shape[0], x:x + tile.shape[1]] = tile
        x += tile.shape[1] + 40
    out = SELFTEST / spec["image"]
    cv2.imwrite(str(out), canvas, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    return out


def draw_icon(size: int) -> np.ndarray:
    """A teal rounded square with a white drop over a cross: infusion, at the bedside."""
    big = 1024
    img = np.zeros((big, big, 4), np.uint8)
    teal = (128, 120, 0, 255)  # BGRA
    white = (255, 255, 255, 255)
    r = 180
    cv2.rectangle(img, (r, 40), (big - r, big - 40), teal, -1)
    cv2.rectangle(img, (40, r), (big - 40, big - r), teal, -1)
    for cx, cy in ((r, r), (big - r, r), (r, big - r), (big - r, big - r)):
        cv2.circle(img, (cx, cy), r - 40, teal, -1, cv2.LINE_AA)
    cv2.circle(img, (512, 600), 230, white, -1, cv2.LINE_AA)
    cv2.fillPoly(img, [np.array([[512, 150], [305, 500], [719, 500]])], white, cv2.LINE_AA)
    cv2.rectangle(img, (472, 470), (552, 730), teal, -1)
    cv2.rectangle(img, (382, 560), (642, 640), teal, -1)
    return cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA)


def write_ico(pngs: dict[int, bytes], out: Path) -> None:
    """A Windows .ico holding PNG images (Vista and later read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    out.write_bytes(header + entries + blobs)


def make_icons() -> list[Path]:
    pngs: dict[int, bytes] = {}
    written = []
    for size in ICON_SIZES:
        ok, data = cv2.imencode(".png", draw_icon(size), [cv2.IMWRITE_PNG_COMPRESSION, 9])
        assert ok
        pngs[size] = data.tobytes()
        if size in (48, 256):
            path = ICONS / f"kresladi-bedside-{size}.png"
            path.write_bytes(pngs[size])
            written.append(path)
    ico = ICONS / "kresladi-bedside.ico"
    write_ico(pngs, ico)
    written.append(ico)
    return written


if __name__ == "__main__":
    print(make_label())
    for path in make_icons():
        print(path)
