"""Read a serial (USB CDC) scanner with pyserial in a background thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..config import ScannerConfig
from .framing import FramingError, SerialFramer
from .raw import RawScan


class SerialPortError(OSError):
    """The configured serial port cannot be opened or read."""


def _open_port(port: str, baud: int) -> Any:
    import serial

    try:
        # A short timeout so the thread notices `stop()` promptly.
        return serial.Serial(port, baudrate=baud, timeout=0.1)
    except (serial.SerialException, OSError, ValueError) as e:
        raise SerialPortError(f"cannot open the scanner's serial port {port!r}: {e}") from e


class SerialReader:
    """Calls `on_scan(RawScan)` for every scan read from `port`, and `on_error(str)` for bytes
    that could not be framed or a port that failed. Both run in the reader's thread."""

    def __init__(
        self,
        port: str,
        *,
        baud: int = 9600,
        suffix: str = "\r",
        on_scan: Callable[[RawScan], None],
        on_error: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.port = port
        self._framer = SerialFramer(suffix)
        self._on_scan = on_scan
        self._on_error = on_error
        self._serial = _open_port(port, baud)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"serial {port}", daemon=True)

    @classmethod
    def from_config(
        cls,
        config: ScannerConfig,
        *,
        on_scan: Callable[[RawScan], None],
        on_error: Callable[[str], None] = lambda message: None,
    ) -> SerialReader:
        if not config.serial_port:
            raise SerialPortError("scanner mode is 'serial' but no serial_port is configured")
        return cls(config.serial_port, baud=config.serial_baud, suffix=config.suffix,
                   on_scan=on_scan, on_error=on_error)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._serial.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._serial.read(max(1, self._serial.in_waiting))
            except Exception as e:  # pyserial raises SerialException and OSError alike
                self._on_error(f"the scanner's serial port {self.port!r} failed: {e}")
                return
            if not data:
                continue
            try:
                scans = self._framer.feed(data)
            except FramingError as e:
                for scan in e.scans:
                    self._on_scan(scan)
                self._on_error(str(e))
                continue
            for scan in scans:
                self._on_scan(scan)
