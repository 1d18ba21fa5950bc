"""Issue 25 (leftover of items 10 and 11): in a kiosk session (Xvfb, no window manager, as the
README's kiosk session runs) the window fills the screen's available area at 1366×768 and at
1920×1080, whether it was last left maximised or smaller: nothing else would ever move or
resize it, and a smaller window (1280×860) was taller than a 768-line screen, its status bar
and lowest buttons off it. Where the window is, is asked of the X server (xdotool), not Qt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from devices.servers import XServer

from .app import BedsideX
from .test_x11_fit_1366 import walk_primary_buttons

SIZES = [(1366, 768), (1920, 1080)]


@pytest.fixture(scope="module", params=SIZES, ids=["1366x768", "1920x1080"])
def kiosk_screen(request: pytest.FixtureRequest) -> Iterator[XServer]:
    why = XServer.why_not()
    if why:
        pytest.skip(f"no X server: {why}")
    width, height = request.param
    started = XServer(width, height, window_manager=False)
    yield started
    started.stop()


def x_geometry(x: BedsideX) -> tuple[int, int, int, int]:
    """The window's place and size as the X server has them."""
    shell = dict(line.split("=", 1) for line in
                 x.x.xdotool("getwindowgeometry", "--shell", str(x.window_id)).split())
    return int(shell["X"]), int(shell["Y"]), int(shell["WIDTH"]), int(shell["HEIGHT"])


@pytest.mark.parametrize("left_smaller", [True, False], ids=["left-smaller", "maximised"])
def test_the_kiosk_window_fills_the_screen(kiosk_screen: XServer, left_smaller: bool,
                                          tmp_path: Path) -> None:
    width, height = (int(v) for v in kiosk_screen.xdotool("getdisplaygeometry").split())
    x = BedsideX(kiosk_screen, tmp_path / "kiosk.db", as_started=True,
                 left_smaller=left_smaller)
    try:
        x.settle(2.0)  # past the window's own later looks at its frame (300 and 1500 ms)
        assert x_geometry(x) == (0, 0, width, height)
        assert x.eval("win.geometry().getRect()") == [0, 0, width, height]
        problems = walk_primary_buttons(x, (width, height))
        assert x_geometry(x) == (0, 0, width, height), "the window moved or grew on the walk"
        assert problems == [], "\n".join(problems)
    finally:
        x.close()
