"""The alarm sounds, generated rather than recorded so their pattern is reviewable as code.

Patterns follow the spirit of IEC 60601-1-8: a medium-priority warning is three pulses, a
high-priority alarm is two bursts of five faster, higher pulses. The WAV files in
`resources/sounds/` are the output of `write_all()`; a test checks they still match.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 16000

# name -> (frequency Hz, pulse length s, gap s, pulses per burst, bursts, pause between bursts s)
PATTERNS: dict[str, tuple[float, float, float, int, int, float]] = {
    "warning": (660.0, 0.20, 0.12, 3, 1, 0.0),
    "alarm": (880.0, 0.12, 0.06, 5, 2, 0.35),
    "technical": (520.0, 0.30, 0.20, 2, 1, 0.0),
    # information, not an alarm: one soft, low pulse when a window opens (bag 2 may be thawed)
    "chime": (440.0, 0.45, 0.0, 1, 1, 0.0),
}


def samples(name: str) -> bytes:
    freq, pulse, gap, pulses, bursts, pause = PATTERNS[name]
    out = bytearray()
    for burst in range(bursts):
        for _ in range(pulses):
            n = int(pulse * RATE)
            for i in range(n):
                # 5 ms ramps: a square start clicks and sounds harsher than it is
                ramp = min(1.0, i / (0.005 * RATE), (n - i) / (0.005 * RATE))
                value = 0.45 * ramp * math.sin(2 * math.pi * freq * i / RATE)
                out += struct.pack("<h", int(value * 32767))
            out += b"\x00\x00" * int(gap * RATE)
        if burst < bursts - 1:
            out += b"\x00\x00" * int(pause * RATE)
    return bytes(out)


def write(name: str, folder: Path) -> Path:
    path = folder / f"{name}.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples(name))
    return path


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write(name, folder) for name in PATTERNS]


if __name__ == "__main__":
    from ..paths import resources_dir

    for p in write_all(resources_dir() / "sounds"):
        print(p)
