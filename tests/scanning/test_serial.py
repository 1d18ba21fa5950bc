"""Serial scanners: bytes framed at the suffix; a pty pair stands in for the port."""

from __future__ import annotations

import os
import threading

import pytest

from kresladi_bedside.config import ScannerConfig
from kresladi_bedside.scanning.framing import FramingError, SerialFramer
from kresladi_bedside.scanning.raw import RawScan
from kresladi_bedside.scanning.serial_reader import SerialPortError, SerialReader

GS1 = "010950600013437610KR26A0417\x1d21W123426100001"


def test_framing_across_chunks_with_aim_and_gs() -> None:
    f = SerialFramer("\r")
    data = f"]d2{GS1}\r=W12342610000100\r".encode()
    out: list[RawScan] = []
    for i in range(0, len(data), 5):  # bytes arrive in arbitrary pieces
        out += f.feed(data[i : i + 5])
    assert [(s.payload, s.symbology, s.source) for s in out] == [
        (GS1, "]d2", "serial"),
        ("=W12342610000100", None, "serial"),
    ]


def test_cr_lf_scanner_on_a_cr_site_gives_no_stray_linefeed() -> None:
    f = SerialFramer("\r")
    assert [s.payload for s in f.feed(b"ABC123\r\nDEF456\r\n")] == ["ABC123", "DEF456"]


def test_utf8_name_on_a_wristband() -> None:
    f = SerialFramer("\r")
    (scan,) = f.feed("NAME:MUÑOZ^ANA\r".encode())
    assert scan.payload == "NAME:MUÑOZ^ANA"


def test_no_suffix_for_too_long_is_an_error_that_keeps_good_scans() -> None:
    f = SerialFramer("\r", max_bytes=20)
    with pytest.raises(FramingError, match="suffix") as info:
        f.feed(b"GOOD01\r" + b"x" * 30)
    assert [s.payload for s in info.value.scans] == ["GOOD01"]
    assert [s.payload for s in f.feed(b"NEXT02\r")] == ["NEXT02"]  # the junk was dropped


def test_empty_suffix_is_refused() -> None:
    with pytest.raises(FramingError, match="suffix"):
        SerialFramer("")


def test_reader_on_a_pty() -> None:
    controller, device = os.openpty()
    got: list[RawScan] = []
    done = threading.Event()

    def on_scan(scan: RawScan) -> None:
        got.append(scan)
        if len(got) == 2:
            done.set()

    config = ScannerConfig(mode="serial", serial_port=os.ttyname(device), serial_baud=115200)
    reader = SerialReader.from_config(config, on_scan=on_scan)
    reader.start()
    try:
        os.write(controller, f"]C0=W12342610000100\r]d2{GS1[:20]}".encode())
        os.write(controller, f"{GS1[20:]}\r".encode())
        assert done.wait(5.0)
    finally:
        reader.stop()
        os.close(controller)
        os.close(device)
    assert [(s.payload, s.symbology) for s in got] == [
        ("=W12342610000100", "]C0"),
        (GS1, "]d2"),
    ]


def test_missing_port_is_named() -> None:
    with pytest.raises(SerialPortError, match="/dev/ttyNOPE"):
        SerialReader("/dev/ttyNOPE", on_scan=lambda s: None)
    with pytest.raises(SerialPortError, match="serial_port"):
        SerialReader.from_config(ScannerConfig(mode="serial"), on_scan=lambda s: None)


def test_qt_serial_scanner_delivers_in_the_gui_thread(qtbot) -> None:
    from PySide6.QtCore import QObject, QThread, Slot

    from kresladi_bedside.qt.serial import SerialScanner

    class Receiver(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.got: list[tuple[RawScan, object]] = []

        @Slot(object)
        def on_scan(self, scan: RawScan) -> None:
            self.got.append((scan, QThread.currentThread()))

    controller, device = os.openpty()
    scanner = SerialScanner(ScannerConfig(mode="serial", serial_port=os.ttyname(device)))
    receiver = Receiver()
    scanner.scanned.connect(receiver.on_scan)
    scanner.start()
    try:
        os.write(controller, b"]Q1MRN:00417356|NAME:RIVERA^MATEO|DOB:2024-03-15\r")
        qtbot.waitUntil(lambda: len(receiver.got) == 1, timeout=5_000)
    finally:
        scanner.stop()
        os.close(controller)
        os.close(device)
    ((scan, thread),) = receiver.got
    assert scan.payload == "MRN:00417356|NAME:RIVERA^MATEO|DOB:2024-03-15"
    assert scan.symbology == "]Q1"
    assert thread is QThread.currentThread()
