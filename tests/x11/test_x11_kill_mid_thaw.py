"""Issue 25, item 7, on a real X display: the window's process killed (SIGKILL: nothing of the
program runs after it) while bag 1 thaws, then the program started again on the same log as a
workstation starts it (qt/app.py: the log recovered, the open procedure reopened). The thaw's
countdown carries on from the instant the thaw started — the time the program was away counted,
exactly (same boot: the monotonic clock) — and the record, saved as a PDF by the restarted
window, says the program ended without a quit and started again, not "was not restarted"."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from devices.servers import XServer

from kresladi_bedside.qt.signin import TRAINING_NURSE

from .app import BedsideX, human_delay

THAW_TILE = "next(t for t in win.header.tiles.values() if t.title.text() == 'Thaw, bag 1')"


def seconds(clock_text: str) -> int:
    minutes, secs = clock_text.lstrip("≈").split(":")
    return int(minutes) * 60 + int(secs)


def test_killed_mid_thaw_the_restarted_program_resumes_the_countdown_and_prints_the_kill(
        xserver: XServer, tmp_path: Path) -> None:
    db = tmp_path / "ward.db"
    first = BedsideX(xserver, db, system_clock=True)
    try:
        first.run("nav.thaw_started(b)")
        started = first.eval("b.window.session.state.bag(1).thaw_started.wall.timestamp()")
        first.wait_until(f"{THAW_TILE}.digits.text() == '4:59'", timeout=5)
        first.proc.send_signal(signal.SIGKILL)
        first.proc.wait(timeout=10)
    finally:
        first.close()
    time.sleep(3.0)  # away: the thaw goes on in the water bath

    again = BedsideX(xserver, db, program=True)
    try:
        again.wait_until("win.session.step().name == 'thaw'", timeout=20)
        again.wait_until(f"{THAW_TILE}.isVisible()", timeout=10)
        shown = again.eval(f"{THAW_TILE}.digits.text()")
        elapsed = time.time() - started
        assert not shown.startswith("≈"), "same boot: the time away is known exactly"
        assert abs(seconds(shown) - (300 - elapsed)) <= 2, (shown, elapsed)
        assert elapsed >= 4  # the countdown counted the time the program was away
        time.sleep(2.2)
        later = again.eval(f"{THAW_TILE}.digits.text()")
        assert seconds(later) <= seconds(shown) - 2, (shown, later)  # it runs on
        # the nurse signs in again (badge scanned, PIN typed): the thaw page, THAW COMPLETE
        again.scan(TRAINING_NURSE.payload())
        again.wait_until("focus() == 'PIN<QLineEdit>'")
        again.type(TRAINING_NURSE.pin + "\r", human_delay())
        again.wait_until("type(b.page).__name__ == 'ThawPage'", timeout=10)
        assert again.eval("b.page.form.completeButton.isVisible()")
        events = again.eval("[e.type for e in win.session.procedure.events]")
        assert events[-1] == "program_started", events
        pdf = tmp_path / "record.pdf"
        again.run(f"win.save_record({str(pdf)!r})")
        again.wait_until(f"__import__('os').path.getsize({str(pdf)!r}) > 0 if "
                         f"__import__('os').path.exists({str(pdf)!r}) else False", timeout=60)
        again.wait_until("win.records.jobs.last is not None", timeout=60)
    finally:
        again.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "UNCLEAN END" in flat
    assert "ended without a quit (killed, crashed or power lost)" in flat
    assert "started again on workstation" in flat and "(exact, monotonic clock)" in flat
    assert "was not restarted" not in flat
