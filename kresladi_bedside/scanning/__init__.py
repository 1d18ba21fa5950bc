"""Scanning: every way a barcode reaches the program, turned into one stream of `RawScan`s.

Pure Python (OpenCV, zxing-cpp, pyzbar, pyserial; no Qt). The Qt side (`kresladi_bedside.qt.wedge`,
`.camera`, `.serial`) is a thin shell around these pieces:

- `decoders`: zxing-cpp (primary, every label kind) and pyzbar (secondary, no DataMatrix);
- `deskew`: find tilted 1-D codes with OpenCV and decode them upright;
- `capture`: frame sources (camera index, video file, folder of images) and the newest-frame-only
  decode loop;
- `dedupe`: the same payload in consecutive frames is one scan;
- `burst`: keyboard-wedge timing — a scanner burst or a person typing;
- `framing` and `serial_reader`: raw bytes from a serial scanner, cut at the suffix;
- `testimages`: generated labels and frames for tests, training and the benchmark.
"""

from .raw import Point, Position, RawScan, split_aim, to_scan

__all__ = ["Point", "Position", "RawScan", "split_aim", "to_scan"]
