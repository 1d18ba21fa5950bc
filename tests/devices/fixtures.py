"""Fixtures for the real devices (see servers.py). Each skips with one line when its tools are
not installed; `make test` installs them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .servers import PrintQueue, SoundSink, XServer


@pytest.fixture(scope="session")
def xserver() -> Iterator[XServer]:
    why = XServer.why_not()
    if why:
        pytest.skip(f"no X server for real key events: {why}")
    server = XServer()
    yield server
    server.stop()


@pytest.fixture
def print_queue() -> Iterator[PrintQueue]:
    why = PrintQueue.why_not()
    if why:
        pytest.skip(f"no print queue: {why}")
    queue = PrintQueue()
    yield queue
    queue.stop()


@pytest.fixture
def sound_sink() -> Iterator[SoundSink]:
    why = SoundSink.why_not()
    if why:
        pytest.skip(f"no sound server: {why}")
    sink = SoundSink()
    yield sink
    sink.stop()
