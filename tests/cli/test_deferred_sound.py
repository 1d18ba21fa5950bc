"""The alarm sounds are set up after the first paint: what was due meanwhile then sounds, and a
workstation without sound still gets its technical alarm, only a moment later."""

from __future__ import annotations

from pathlib import Path

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import SiteConfig
from kresladi_bedside.people import People
from kresladi_bedside.qt.alarms import NO_AUDIO
from kresladi_bedside.qt.app import DeferredSoundPlayer, open_window
from kresladi_bedside.store import open_store


class FakeQtPlayer:
    def __init__(self, available: bool) -> None:
        self.available = available
        self.problem = "" if available else "No sound device: alarms are visual only."
        self.played: list[object] = []

    def play(self, sound: object) -> None:
        self.played.append(sound)


def test_what_was_due_before_the_sound_was_ready_plays_once_it_is(monkeypatch) -> None:
    fake = FakeQtPlayer(True)
    monkeypatch.setattr("kresladi_bedside.qt.app.QtSoundPlayer", lambda parent: fake)
    player = DeferredSoundPlayer()
    player.play("alarm")  # type: ignore[arg-type]
    assert fake.played == []

    class Window:
        alarms = None

    player.start(Window())  # type: ignore[arg-type]
    assert fake.played == ["alarm"]
    player.play(None)
    assert fake.played == ["alarm", None]


@pytest.mark.parametrize("available", [True, False])
def test_no_sound_device_is_still_a_technical_alarm(qtbot, tmp_path: Path, monkeypatch,
                                                     available: bool) -> None:
    monkeypatch.setattr("kresladi_bedside.qt.app.QtSoundPlayer",
                        lambda parent: FakeQtPlayer(available))
    clock = FakeClock()
    store = open_store(tmp_path / "w.db")
    people = People(store, SiteConfig(), clock)
    window, later = open_window(SiteConfig(source=tmp_path / "site.toml"), db=tmp_path / "w.db",
                                training=False, clock=clock, people=people)
    qtbot.addWidget(window)
    keys = lambda: {a.key for a in window.alarms.book.active((), clock.now())}  # noqa: E731
    assert NO_AUDIO not in keys()
    later()
    assert (NO_AUDIO in keys()) is (not available)
    window.close()
    store.close()
