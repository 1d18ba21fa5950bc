"""Fixtures for the real devices (see servers.py). Each skips with one line when its tools are
not installed; `make test` installs them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .servers import PrintQueue, SoundSink, XServer


def _started(device: type[XServer | PrintQueue | SoundSink], missing: str) -> Iterator[object]:
    """The device started for the test and stopped after it; skipped, saying why, if absent."""
    why = device.why_not()
    if why:
        pytest.skip(f"{missing}: {why}")
    started = device()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def xserver() -> Iterator[object]:
    yield from _started(XServer, "no X server for real key events")


@pytest.fixture(scope="session")
def wm_xserver() -> Iterator[object]:
    """An X server with a window manager (openbox): a desktop session."""
    why = XServer.why_not_wm()
    if why:
        pytest.skip(f"no X server with a window manager: {why}")
    started = XServer(window_manager=True)
    yield started
    started.stop()


@pytest.fixture(params=["window-manager", "kiosk"])
def any_xserver(request: pytest.FixtureRequest) -> object:
    """The test runs twice: under a window manager, and bare (a kiosk session, no manager)."""
    return request.getfixturevalue("wm_xserver" if request.param == "window-manager"
                                   else "xserver")


@pytest.fixture
def print_queue() -> Iterator[object]:
    yield from _started(PrintQueue, "no print queue")


@pytest.fixture
def sound_sink() -> Iterator[object]:
    yield from _started(SoundSink, "no sound server")
