"""The record printed to a real print queue (finding 17's printing part): a private CUPS with
the cups-pdf printer as the default destination; what comes out of the queue is read back with
pdftotext. With no queue, printing refuses with a reason and writes no file anywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .servers import PrintQueue, page_images, pages_alike

CHILD = Path(__file__).with_name("print_child.py")


def run_child(env: dict[str, str], db: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, str(CHILD), str(db), *args],
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_record_printed_to_the_default_queue_comes_out_of_it(print_queue: PrintQueue,
                                                                 tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    answer = run_child({**print_queue.env(), "HOME": str(home)}, tmp_path / "r.db")
    assert answer["queue"] == print_queue.name and answer["pages"] >= 2
    (pdf,) = print_queue.printed()
    # What the queue printed is the record: page for page the same picture as the record the
    # program would save, and the saved record reads as the patient's.
    reference = Path(answer["reference"])
    text = subprocess.run(["pdftotext", "-layout", str(reference), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "00417356" in text and f"Page {answer['pages']} of {answer['pages']}" in text
    printed, expected = page_images(pdf), page_images(reference)
    assert len(printed) == len(expected) == answer["pages"]
    for n, got in enumerate(printed):
        assert (got < 0.5).mean() > 0.005, f"printed page {n + 1} is blank"
        # measured: ~0.02 from its own page (resampling through PostScript), ~0.1 from others
        distances = [pages_alike(got, want) for want in expected]
        assert distances[n] < 0.05, f"printed page {n + 1} is not the record's: {distances}"
        assert min(range(len(expected)), key=distances.__getitem__) == n
    assert list(home.rglob("*.pdf")) == []  # printed, not saved somewhere instead


def test_a_configured_printer_that_is_missing_is_named(print_queue: PrintQueue,
                                                       tmp_path: Path) -> None:
    answer = run_child(print_queue.env(), tmp_path / "r.db", "ward_7_printer")
    assert "ward_7_printer" in answer["refused"] and print_queue.name in answer["refused"]


def test_with_no_print_queue_nothing_is_written_and_the_reason_is_given(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    answer = run_child({"CUPS_SERVER": str(tmp_path / "no-cups.sock"), "HOME": str(home)},
                       tmp_path / "r.db")
    assert answer["refused"] == "no printer is set up on this workstation"
    assert list(home.rglob("*")) == [] or not list(home.rglob("*.pdf"))


def test_self_test_passes_the_printer_on_a_workstation_with_a_queue(print_queue: PrintQueue,
                                                                   tmp_path: Path) -> None:
    code = ("from kresladi_bedside.config import SiteConfig\n"
            "from kresladi_bedside.selftest import check_printer\n"
            "from kresladi_bedside.qt.selftest_qt import QT_DEVICES\n"
            "r = check_printer(SiteConfig(), QT_DEVICES)\nprint(r.status, '|', r.detail)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                               **print_queue.env()}, timeout=120)
    assert done.returncode == 0, done.stderr
    status, detail = done.stdout.strip().splitlines()[-1].split(" | ", 1)
    assert status == "pass" and print_queue.name in detail
