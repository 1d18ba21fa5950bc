"""kresladi-bedside: guides an infusion nurse through giving KRESLADI at the bedside."""

import os as _os

__version__ = "0.1.0"

# OpenCV reads its decode limit once, when `cv2` is loaded: set here, in the package's first
# import, it holds before any module of ours imports cv2 (issue 26: set later it did nothing,
# and an 8.5 MB TIFF decoded to 900 megapixels). scanning/decoders.py says why 40 MP.
_os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", "40000000")
