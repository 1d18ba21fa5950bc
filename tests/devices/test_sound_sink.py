"""The alarm tones played into a real sound device (finding 17's devices): a private
PulseAudio with a null sink; the window's player (QtMultimedia) plays into it and the sink's
monitor is recorded and measured: loud while an alarm sounds, at the alarm's pitch, silent when
silenced. The self-test passes the sound check on such a workstation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kresladi_bedside.qt.tones import PATTERNS

from .servers import SoundSink, dominant_hz, duration, onset, rms

CHILD = Path(__file__).with_name("sound_child.py")


def play(sink: SoundSink, plan: list[list], wav: Path) -> dict:
    with sink.record(wav):
        done = subprocess.run([sys.executable, str(CHILD), json.dumps(plan)],
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **sink.env()},
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[0])


def test_the_alarm_sounds_into_the_device_at_its_pitch_and_stops(sound_sink: SoundSink,
                                                                 tmp_path: Path) -> None:
    wav = tmp_path / "alarm.wav"
    state = play(sound_sink, [["alarm", 3.0], [None, 2.0]], wav)
    assert state == {"available": True, "problem": ""}
    start = onset(wav)
    assert start is not None, "the alarm never reached the sound device"
    loud = rms(wav, start + 0.1, start + 2.5)
    end = duration(wav)  # the player stopped 2 s before its process ended
    quiet = rms(wav, end - 1.6, end - 0.4)
    assert loud > 0.05, f"the alarm is too quiet on the device (RMS {loud:.4f})"
    assert quiet < 0.002, f"the alarm went on after it was stopped (RMS {quiet:.4f})"
    alarm_part = tmp_path / "alarm_part.wav"
    subprocess.run(["sox", str(wav), str(alarm_part), "trim", f"{start:.2f}", "0.5"],
                   check=True)
    assert abs(dominant_hz(alarm_part) - PATTERNS["alarm"][0]) < 15


def test_the_warning_is_a_different_tone(sound_sink: SoundSink, tmp_path: Path) -> None:
    wav = tmp_path / "warning.wav"
    play(sound_sink, [["warning", 3.0]], wav)
    start = onset(wav)
    assert start is not None, "the warning never reached the sound device"
    part = tmp_path / "part.wav"
    subprocess.run(["sox", str(wav), str(part), "trim", f"{start:.2f}", "0.8"], check=True)
    assert rms(part) > 0.03
    assert abs(dominant_hz(part) - PATTERNS["warning"][0]) < 15


def test_sox_agrees_the_recording_has_sound(sound_sink: SoundSink, tmp_path: Path) -> None:
    wav = tmp_path / "technical.wav"
    play(sound_sink, [["technical", 2.5]], wav)
    stats = subprocess.run(["sox", str(wav), "-n", "stats"], capture_output=True, text=True,
                           check=True).stderr
    peak = float(next(line.split()[-1] for line in stats.splitlines()
                      if line.startswith("Pk lev dB")))
    assert peak > -12.0, stats  # the tones are generated at 0.45 of full scale (-7 dB)


def test_self_test_passes_sound_on_a_workstation_with_a_device(sound_sink: SoundSink) -> None:
    code = ("from kresladi_bedside.config import SiteConfig\n"
            "from kresladi_bedside.selftest import check_sound\n"
            "from kresladi_bedside.qt.selftest_qt import QT_DEVICES\n"
            "r = check_sound(SiteConfig(), QT_DEVICES)\nprint(r.status, '|', r.detail)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **sound_sink.env()},
                          timeout=120)
    assert done.returncode == 0, done.stderr
    status, detail = done.stdout.strip().splitlines()[-1].split(" | ", 1)
    assert status == "pass", detail
