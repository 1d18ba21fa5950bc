"""Serial scanners send raw bytes, whatever has focus and whatever the keyboard layout: a payload,
then the configured suffix. This cuts the byte stream into payloads."""

from __future__ import annotations

from .raw import RawScan, split_aim

DEFAULT_MAX_BYTES = 4096


class FramingError(ValueError):
    """Bytes that cannot be a scan (e.g. no suffix after far more bytes than any label holds).
    `scans` holds the good scans the same chunk completed before the bad bytes."""

    def __init__(self, message: str, scans: list[RawScan] | None = None) -> None:
        super().__init__(message)
        self.scans = scans or []


def _text(frame: bytes) -> str:
    # UTF-8 for wristband names; Latin-1 so a byte from an oddly configured scanner is never lost.
    try:
        return frame.decode("utf-8")
    except UnicodeDecodeError:
        return frame.decode("latin-1")


class SerialFramer:
    def __init__(self, suffix: str = "\r", *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if not suffix:
            raise FramingError("a serial scanner needs a suffix to mark the end of each scan")
        self._suffix = suffix.encode("latin-1")
        self._max = max_bytes
        self._buffer = b""

    def feed(self, data: bytes) -> list[RawScan]:
        """Bytes as they arrive (any chunking); the scans they complete."""
        self._buffer += data
        *frames, self._buffer = self._buffer.split(self._suffix)
        scans: list[RawScan] = []
        for frame in frames:
            # A scanner set to CR LF while the site says CR leaves a stray LF: not part of a label.
            text = _text(frame).strip("\r\n")
            if text:
                symbology, payload = split_aim(text)
                scans.append(RawScan(payload=payload, source="serial", symbology=symbology))
        if len(self._buffer) > self._max:
            size, self._buffer = len(self._buffer), b""
            raise FramingError(
                f"{size} bytes arrived without the scanner's suffix {self._suffix!r}: "
                "check the scanner's suffix setting matches the site configuration",
                scans,
            )
        return scans
