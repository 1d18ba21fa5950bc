"""Serial (USB CDC) scanners in the window: raw bytes, whatever has focus, whatever the layout.

    serial = SerialScanner(site.scanner)          # raises SerialPortError naming the port
    serial.scanned.connect(page.on_scan)          # RawScan(source="serial")
    serial.failed.connect(page.on_scanner_error)  # str
    serial.start(); ...; serial.stop()

pyserial reads in its own thread; the signals are queued to receivers in the GUI thread (connect
them to `@Slot` methods of GUI objects, not to lambdas, or they run in the reader's thread).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..config import ScannerConfig
from ..scanning.serial_reader import SerialReader


class SerialScanner(QObject):
    scanned = Signal(object)  # RawScan
    failed = Signal(str)

    def __init__(self, config: ScannerConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader = SerialReader.from_config(
            config, on_scan=self.scanned.emit, on_error=self.failed.emit
        )

    def start(self) -> None:
        self._reader.start()

    def stop(self) -> None:
        self._reader.stop()
