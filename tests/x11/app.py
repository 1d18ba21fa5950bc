"""The test's side of the harness: start the window on the X server, ask it things, and type
into it with xdotool at scanner speed or at human speed (Shift and Ctrl as a keyboard sends
them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from devices.servers import SoundSink, XServer

HARNESS = Path(__file__).with_name("harness.py")
GS = "\x1d"
# xdotool key names for the characters `xdotool type` cannot send as a keyboard would
# (Tab and Enter go within `xdotool type` itself, as "\t" and "\r": one stream, no gap)
KEY_NAMES = {GS: "ctrl+bracketright"}


class BedsideX:
    def __init__(self, xserver: XServer, db: Path, sound: SoundSink | None = None,
                 no_device: bool = False, as_started: bool = False,
                 left_smaller: bool = False, program: bool = False,
                 system_clock: bool = False, sync_url: str = "") -> None:
        self.x = xserver
        env = {**xserver.env(), "KB_HARNESS_DB": str(db), "PYTHONUNBUFFERED": "1",
               "KB_HARNESS_SOUND": "1" if sound else "0",
               "KB_HARNESS_NO_DEVICE": "1" if no_device else "0",
               "KB_HARNESS_AS_STARTED": "1" if as_started else "0",
               "KB_HARNESS_LEFT_SMALLER": "1" if left_smaller else "0",
               "KB_HARNESS_PROGRAM": "1" if program else "0",
               "KB_HARNESS_SYSTEM_CLOCK": "1" if system_clock else "0",
               "KB_HARNESS_SYNC_URL": sync_url}  # a hospital server (harness.py `_site`)
        if sound is not None:
            env.update(sound.env())
        else:
            env["PULSE_SERVER"] = "unix:/nonexistent"  # no sound device: the technical alarm
        self.stderr = db.with_suffix(".stderr")
        self.proc = subprocess.Popen(
            [sys.executable, str(HARNESS)], env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.stderr.open("wb"), text=True, bufsize=1)
        self.window_id = int(self._answer(timeout=60))
        if as_started:  # the test looks at what the program did by itself
            self.wait_until("win.isVisible()")
            return
        self.wait_until("win.isVisible() and win.isActiveWindow() or nav is not None")
        self.x.xdotool("windowfocus", "--sync", str(self.window_id))
        self.wait_until("win.isActiveWindow()")

    # -------------------------------------------------------------------- talking to it
    def _answer(self, timeout: float = 60.0) -> Any:
        assert self.proc.stdout is not None
        import select

        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise AssertionError(f"the window did not answer in {timeout:g} s\n{self.log()}")
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the window's process ended\n{self.log()}")
        answer = json.loads(line)
        if not answer["ok"]:
            raise AssertionError(f"in the window's process:\n{answer['error']}")
        return answer["value"]

    def log(self) -> str:
        return self.stderr.read_text(errors="replace")[-3000:] if self.stderr.exists() else ""

    def _send(self, request: dict[str, str]) -> Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def run(self, code: str) -> None:
        self._send({"exec": code})

    def eval(self, expr: str) -> Any:
        return self._send({"eval": expr})

    def wait_until(self, expr: str, timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = self.eval(expr)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"never true: {expr}")
            time.sleep(0.05)

    def settle(self, seconds: float = 0.4) -> None:
        """Let held keys go (the wedge holds a key at most 0.1 s) and the window catch up."""
        time.sleep(seconds)
        self.eval("1")

    # -------------------------------------------------------------------- real keys
    def ensure_focus(self) -> None:
        """With no window manager, X focus falls back to the root when a dialog closes: give
        it to the window a nurse would be looking at (the open dialog, else the main window)."""
        # (always: after a dialog closes Qt may still think its parent active while X has
        # given the focus to the root window)
        top = "(QApplication.activeModalWidget() or QApplication.activePopupWidget() or win)"
        for _ in range(3):  # a dialog may be closing while we look: look again
            wid = self.eval(f"int({top}.winId())")
            try:
                self.x.xdotool("windowfocus", "--sync", str(wid))
                break
            except RuntimeError:
                time.sleep(0.2)
        if not self.eval(f"{top}.isActiveWindow()"):
            # X already had the focus there (no FocusIn comes): let Qt ask for it itself
            self.run(f"{top}.activateWindow()")
        self.wait_until(f"{top}.isActiveWindow()")

    def type(self, text: str, delay_ms: int) -> None:
        """Type `text` with real X key events, `delay_ms` between keys: `xdotool type` presses
        Shift for capitals and symbols as a keyboard (and a scanner) does; GS is Ctrl+]."""
        # One xdotool call per run of characters (`type` takes every argument after it as text)
        # and one per GS: a few ms between calls, as a scanner's USB stream has its own stalls.
        runs: list[list[str]] = []
        chunk = ""
        for ch in text:
            if ch in KEY_NAMES:
                if chunk:
                    runs.append(["type", "--delay", str(delay_ms), "--", chunk])
                    chunk = ""
                runs.append(["key", "--delay", str(delay_ms), KEY_NAMES[ch]])
            else:
                chunk += ch
        if chunk:
            runs.append(["type", "--delay", str(delay_ms), "--", chunk])
        self.ensure_focus()
        for args in runs:
            self.x.xdotool(*args)
            if delay_ms > 20:
                time.sleep(delay_ms / 1000)

    def scan(self, payload: str, suffix: str = "\r") -> None:
        """A USB scanner: the payload at ~1 ms a key, then its suffix."""
        self.type(payload + suffix, 1)

    def click(self, widget: str) -> None:
        """A real mouse click (X pointer events) at the middle of the widget `widget` names."""
        x, y = self._centre(widget)
        self.x.xdotool("mousemove", "--sync", str(x), str(y))
        self.x.xdotool("click", "1")

    def type_then_click(self, text: str, widget: str, delay_ms: int) -> None:
        """Type `text` and click `widget` straight after the last key, as a nurse does who
        types a number with the pointer already on the button: the click follows the last key
        by the few ms it takes to start xdotool again (the wedge holds a key up to 100 ms)."""
        x, y = self._centre(widget)
        self.ensure_focus()
        self.x.xdotool("mousemove", "--sync", str(x), str(y))
        self.x.xdotool("type", "--delay", str(delay_ms), "--", text)
        self.x.xdotool("click", "1")

    def _centre(self, widget: str) -> tuple[int, int]:
        x, y = self.eval(f"(lambda w: (w.mapToGlobal(w.rect().center()).x(), "
                         f"w.mapToGlobal(w.rect().center()).y()))({widget})")
        return int(x), int(y)

    def key(self, *names: str) -> None:
        self.ensure_focus()
        self.x.xdotool("key", "--delay", "80", *names)

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.fixture
def bedside_x(xserver: XServer, tmp_path: Path) -> Iterator[Callable[..., BedsideX]]:
    made: list[BedsideX] = []

    def make(sound: SoundSink | None = None, no_device: bool = False) -> BedsideX:
        b = BedsideX(xserver, tmp_path / f"x{len(made)}.db", sound, no_device)
        made.append(b)
        return b

    yield make
    for b in made:
        b.close()


@pytest.fixture
def bedside_xx(any_xserver: XServer, tmp_path: Path) -> Iterator[Callable[..., BedsideX]]:
    """As `bedside_x`, once under a window manager and once without (a kiosk session)."""
    made: list[BedsideX] = []

    def make(sound: SoundSink | None = None, no_device: bool = False,
             as_started: bool = False) -> BedsideX:
        b = BedsideX(any_xserver, tmp_path / f"x{len(made)}.db", sound, no_device, as_started)
        made.append(b)
        return b

    yield make
    for b in made:
        b.close()


def human_delay() -> int:
    """A quick typist: 60–120 ms a key (the guide's measured ~60 ms)."""
    return int(os.environ.get("KB_HUMAN_DELAY_MS", "70"))
