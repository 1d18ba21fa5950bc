"""Run in its own process (PULSE_SERVER set before QtMultimedia starts): the window's alarm
player plays each sound the test names for the seconds it names, then stops."""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from kresladi_bedside.qt.alarms import QtSoundPlayer


def wait(seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def main(plan: list[list]) -> None:
    app = QApplication(sys.argv[:1])  # noqa: F841 - QtMultimedia needs the application
    player = QtSoundPlayer()
    print(json.dumps({"available": player.available, "problem": player.problem}), flush=True)
    for sound, seconds in plan:
        player.play(sound)
        wait(seconds)
    player.play(None)
    wait(0.3)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
