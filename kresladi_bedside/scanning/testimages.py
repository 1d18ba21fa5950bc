"""Generated labels and camera frames: for tests, training mode and the benchmark.

Labels are drawn with zxing-cpp's writer (GS1 mode for GS1 codes, so the symbol carries FNC1 and
reads back as `]C1` / `]d2`), then placed in a 1280×720 frame and spoiled the ways a webcam spoils
them: tilted, blurred, low contrast, noisy, small and far away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from ..labels import gs1, isbt128, samples

FRAME_SIZE = (1280, 720)  # width, height
PAPER = 235  # a label on a tray is not pure white


@dataclass(frozen=True)
class LabelSpec:
    name: str
    symbology: str  # "code128" | "datamatrix" | "qr"
    payload: str  # what a decoder must return, GS as \x1d
    gs1_text: str | None = None  # GS1 element string "(01)…(17)…" when the symbol is GS1
    module_px: int = 3  # pixels per module when drawn upright at normal size

    @property
    def linear(self) -> bool:
        return self.symbology == "code128"


def _gs1_text(payload: str) -> str:
    """The element string in the bracketed form zxing-cpp's GS1 writer takes: "(01)…(10)…"."""
    from ..labels.gs1 import parse_gs1

    return "".join(f"({ai}){value}" for ai, value in parse_gs1(payload).values.items())


def _gs1(name: str, symbology: str, payload: str, module_px: int) -> LabelSpec:
    return LabelSpec(name, symbology, payload, gs1_text=_gs1_text(payload), module_px=module_px)


# The sample patient's labels (labels.samples), one of each kind a camera must read.
ISBT_CODE128 = LabelSpec(
    "isbt_code128", "code128", isbt128.encode_din(samples.SAMPLE_BAGS[0].din), module_px=2
)
ISBT_DATAMATRIX = LabelSpec(
    "isbt_datamatrix_compound", "datamatrix", samples.bag_payload(), module_px=5
)
GS1_DATAMATRIX = _gs1("gs1_datamatrix", "datamatrix", samples.gs1_product_payload(), 5)
GS1_128 = _gs1(
    "gs1_128",
    "code128",
    gs1.encode_gs1([("01", "09506000134376"), ("10", samples.SAMPLE_BAGS[0].lot)]),
    2,
)
QR_WRISTBAND = LabelSpec("qr_wristband", "qr", samples.wristband_payload(), module_px=5)

LABELS: tuple[LabelSpec, ...] = (
    ISBT_CODE128,
    ISBT_DATAMATRIX,
    GS1_DATAMATRIX,
    GS1_128,
    QR_WRISTBAND,
)


def render_label(spec: LabelSpec, module_px: int | None = None) -> np.ndarray:
    """The symbol alone (grayscale, black on white, with quiet zones)."""
    import zxingcpp

    fmt = {
        "code128": zxingcpp.BarcodeFormat.Code128,
        "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
        "qr": zxingcpp.BarcodeFormat.QRCode,
    }[spec.symbology]
    if spec.gs1_text is not None:
        barcode = zxingcpp.create_barcode(spec.gs1_text, fmt, gs1=True)
    else:
        barcode = zxingcpp.create_barcode(spec.payload, fmt)
    return np.array(barcode.to_image(scale=module_px or spec.module_px), dtype=np.uint8)


def place(
    symbol: np.ndarray,
    *,
    angle: float = 0.0,
    center: tuple[int, int] | None = None,
    frame_size: tuple[int, int] = FRAME_SIZE,
    background: int = PAPER,
) -> np.ndarray:
    """A frame with the symbol on it, rotated by `angle` degrees about its centre."""
    w, h = frame_size
    cx, cy = center or (w // 2, h // 2)
    frame = np.full((h, w), background, dtype=np.uint8)
    sh, sw = symbol.shape
    # Draw the symbol on its own white card so rotation carries the quiet zone with it.
    diag = int(np.ceil(np.hypot(sw, sh))) + 4
    card: np.ndarray = np.full((diag, diag), background, dtype=np.uint8)
    oy, ox = (diag - sh) // 2, (diag - sw) // 2
    card[oy : oy + sh, ox : ox + sw] = symbol
    if angle:
        m = cv2.getRotationMatrix2D((diag / 2, diag / 2), angle, 1.0)
        card = cv2.warpAffine(card, m, (diag, diag), flags=cv2.INTER_LINEAR,
                              borderValue=background)
    x0, y0 = cx - diag // 2, cy - diag // 2
    fx0, fy0 = max(x0, 0), max(y0, 0)
    fx1, fy1 = min(x0 + diag, w), min(y0 + diag, h)
    frame[fy0:fy1, fx0:fx1] = card[fy0 - y0 : fy1 - y0, fx0 - x0 : fx1 - x0]
    return frame


def blurred(frame: np.ndarray, sigma: float = 1.6) -> np.ndarray:
    return cv2.GaussianBlur(frame, (0, 0), sigma)


def low_contrast(frame: np.ndarray, low: int = 120, high: int = 160) -> np.ndarray:
    scaled = low + frame.astype(np.float32) * ((high - low) / 255.0)
    return scaled.astype(np.uint8)


def noisy(frame: np.ndarray, sigma: float = 30.0, seed: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = frame.astype(np.float32) + rng.normal(0.0, sigma, frame.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def _upright(spec: LabelSpec) -> np.ndarray:
    return place(render_label(spec))


CONDITIONS: dict[str, Callable[[LabelSpec], np.ndarray]] = {
    "upright": _upright,
    "rot15": lambda s: place(render_label(s), angle=15),
    "rot45": lambda s: place(render_label(s), angle=45),
    "rot90": lambda s: place(render_label(s), angle=90),
    "blurred": lambda s: blurred(_upright(s)),
    "low_contrast": lambda s: low_contrast(_upright(s)),
    "noisy": lambda s: noisy(_upright(s)),
    # Far from the camera: one pixel per module (two for 2-D codes), off to one side.
    "small": lambda s: place(
        render_label(s, module_px=1 if s.linear else 2), center=(1000, 520)
    ),
}


def frame_for(spec: LabelSpec, condition: str) -> np.ndarray:
    """A 1280×720 grayscale frame showing `spec` under `condition` (see CONDITIONS)."""
    try:
        make = CONDITIONS[condition]
    except KeyError:
        raise ValueError(
            f"unknown condition {condition!r} (choose one of: {', '.join(CONDITIONS)})"
        ) from None
    return make(spec)


def blank_frame(frame_size: tuple[int, int] = FRAME_SIZE) -> np.ndarray:
    w, h = frame_size
    return np.full((h, w), PAPER, dtype=np.uint8)


@dataclass(frozen=True)
class Appearance:
    spec: LabelSpec
    first_frame: int
    last_frame: int


def write_video(
    path: str,
    segments: list[tuple[LabelSpec | None, int]],
    *,
    fps: float = 30.0,
    frame_size: tuple[int, int] = FRAME_SIZE,
) -> list[Appearance]:
    """Write an MJPG video of `segments` — (label or None for an empty tray, frame count) — and
    return when each label is in view. The label drifts a little from frame to frame, as in a
    hand, so no two frames are identical."""
    writer = cv2.VideoWriter(path, cv2.VideoWriter.fourcc(*"MJPG"), fps, frame_size)
    if not writer.isOpened():
        raise OSError(f"cannot write video {path!r}")
    shown: list[Appearance] = []
    index = 0
    w, h = frame_size
    try:
        for spec, count in segments:
            symbol = render_label(spec) if spec is not None else None
            for i in range(count):
                if symbol is None:
                    gray = blank_frame(frame_size)
                else:
                    gray = place(symbol, center=(w // 2 + 3 * (i % 7), h // 2 + 2 * (i % 5)),
                                 frame_size=frame_size)
                writer.write(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
                index += 1
            if spec is not None:
                shown.append(Appearance(spec, index - count, index - 1))
    finally:
        writer.release()
    return shown
