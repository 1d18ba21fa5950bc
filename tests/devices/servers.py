"""Real devices for tests, each started privately so that many tests can run at once: an X
server (Xvfb, its display number chosen by the server), a print queue (a private cupsd on a unix
socket with a cups-pdf printer whose output folder is the test's own), and a sound server (a
private PulseAudio with a null sink, recorded from its monitor).

Every server runs in a temporary folder, is reached through environment variables that the
clients read (DISPLAY, CUPS_SERVER, PULSE_SERVER), and is stopped by its own process id. When a
tool is missing (not installed: `make system-deps` installs them as root) the `why_not` function
of each says so in one line, and the fixtures skip with it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
# cups-pdf reads its settings from a fixed folder: per queue, cups-pdf-<queue>.conf, where the
# queue is the device URI's path (cups-pdf:/<queue>). That is how each test gets its own folder.
CUPS_PDF_CONF_DIR = Path("/etc/cups")


def _missing(*tools: str) -> str | None:
    absent = [t for t in tools if shutil.which(t) is None]
    return f"not installed: {', '.join(absent)} (make system-deps installs them as root)" \
        if absent else None


def _stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def _wait_for(what: str, ready: object, proc: subprocess.Popen[bytes], log: Path,
              timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():  # type: ignore[operator]
            return
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    _stop(proc)
    raise RuntimeError(f"{what} did not start (exit {proc.poll()}):\n{text}")


# ---------------------------------------------------------------------------------- X server
class XServer:
    """Xvfb on a display number it picks itself (-displayfd): no clash with parallel tests.
    `window_manager`: openbox runs on it (a desktop session); without, it is a kiosk session
    where nothing manages focus or stacking and the program must activate itself."""

    def __init__(self, width: int = 1920, height: int = 1080,
                 window_manager: bool = False) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="kb-xvfb-"))
        read_fd, write_fd = os.pipe()
        log = (self.dir / "xvfb.log").open("wb")
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
             "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,), stdout=log, stderr=log, start_new_session=True)
        os.close(write_fd)
        number = b""
        with os.fdopen(read_fd, "rb") as pipe:
            deadline = time.monotonic() + 20
            while not number.endswith(b"\n") and time.monotonic() < deadline:
                chunk = pipe.read(1)
                if not chunk:
                    break
                number += chunk
        if not number.strip():
            _stop(self.proc)
            raise RuntimeError("Xvfb did not report a display: "
                               + (self.dir / "xvfb.log").read_text(errors="replace")[-1000:])
        self.display = f":{number.decode().strip()}"
        self.wm: subprocess.Popen[bytes] | None = None
        if window_manager:
            self.wm = subprocess.Popen(
                ["openbox", "--sm-disable"], env=self.env(), stdout=log, stderr=log,
                start_new_session=True)
            _wait_for("openbox", self._wm_running, self.wm, self.dir / "xvfb.log")

    def _wm_running(self) -> bool:
        """openbox is up once it has set _NET_SUPPORTING_WM_CHECK on the root window."""
        done = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=self.env(),
                              capture_output=True, text=True, timeout=10)
        return "window id" in done.stdout

    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}

    def xdotool(self, *args: str) -> str:
        if args[:1] == ("mousemove",) and "--sync" in args:
            return self._move_pointer([a for a in args if a != "--sync"])
        done = subprocess.run(["xdotool", *args], env=self.env(), capture_output=True,
                              text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"xdotool {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def _move_pointer(self, args: list[str]) -> str:
        """`mousemove --sync X Y`, waiting for the pointer to be there as the X server reports
        it: xdotool's own --sync waits for a motion it never sees on Xvfb and gives up after
        15 s (measured: every call took 15.2 s), which made each X test wait 15 s a move."""
        out = self.xdotool(*args)
        x, y = args[-2:]
        deadline = time.monotonic() + 10
        while True:
            at = dict(line.split("=", 1) for line in
                      self.xdotool("getmouselocation", "--shell").split())
            if (at.get("X"), at.get("Y")) == (x, y):
                return out
            if time.monotonic() > deadline:
                raise RuntimeError(f"xdotool mousemove {x} {y}: the pointer is at "
                                   f"{at.get('X')},{at.get('Y')}")
            time.sleep(0.01)

    def stop(self) -> None:
        _stop(self.wm)
        _stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)

    @staticmethod
    def why_not() -> str | None:
        return _missing("Xvfb", "xdotool")

    @staticmethod
    def why_not_wm() -> str | None:
        return _missing("Xvfb", "xdotool", "openbox", "xprop")


# ---------------------------------------------------------------------------------- print queue
class PrintQueue:
    """A private cupsd (unix socket only) with one cups-pdf queue, the default destination.
    What is printed to it comes out as a PDF in `self.out`, through CUPS's own filters."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="kb-cups-"))
        self.name = f"kb_test_{os.getpid()}_{self.dir.name.rsplit('-', 1)[-1]}"
        self.socket = self.dir / "cups.sock"
        self.out = self.dir / "out"
        etc, spool, log = self.dir / "etc", self.dir / "spool", self.dir / "log"
        for d in (etc / "ppd", spool / "tmp", self.dir / "cache", self.dir / "state", log,
                  self.out, self.dir / "cups-pdf-spool"):
            d.mkdir(parents=True, exist_ok=True)
        # cupsd runs its filters as user lp: the tree must be readable, its own dirs writable
        for d in (self.dir, etc, etc / "ppd", log, self.dir / "state"):
            d.chmod(0o755)
        for d in (spool, spool / "tmp", self.dir / "cache", self.out, self.dir / "cups-pdf-spool"):
            d.chmod(0o777)
        (etc / "cupsd.conf").write_text(
            f"Listen {self.socket}\nLogLevel info\nWebInterface No\nBrowsing No\n"
            "DefaultAuthType None\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
        (etc / "cups-files.conf").write_text(
            f"ServerRoot {etc}\nRequestRoot {spool}\nTempDir {spool / 'tmp'}\n"
            f"CacheDir {self.dir / 'cache'}\nStateDir {self.dir / 'state'}\n"
            f"ErrorLog {log / 'error_log'}\nAccessLog {log / 'access_log'}\n"
            f"PageLog {log / 'page_log'}\nSystemGroup root\n")
        for f in Path("/etc/cups").glob("raw.*"):
            shutil.copy(f, etc / f.name)
        self.conf = CUPS_PDF_CONF_DIR / f"cups-pdf-{self.name}.conf"
        self.conf.write_text(f"Out {self.out}\nLabel 1\nSpool {self.dir / 'cups-pdf-spool'}\n"
                             f"Log {log}\nAnonDirName {self.out}\nUserUMask 0022\n")
        stdout = (log / "cupsd.out").open("wb")
        self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            ["cupsd", "-f", "-c", str(etc / "cupsd.conf"), "-s", str(etc / "cups-files.conf")],
            stdout=stdout, stderr=stdout, start_new_session=True)
        _wait_for("cupsd", self.socket.exists, self.proc, log / "error_log")
        # CUPS's filters turn the program's PDF into PostScript for the cups-pdf driver, which
        # Ghostscript writes back as PDF: a real print path. (Glyphs come out of it without
        # their character codes, so a print is read back by its pictures, see `pages_alike`.)
        self.lp("lpadmin", "-p", self.name, "-E", "-v", f"cups-pdf:/{self.name}",
                "-P", str(CUPS_PDF_PPD))
        self.lp("lpadmin", "-d", self.name)

    def env(self) -> dict[str, str]:
        return {"CUPS_SERVER": str(self.socket)}

    def lp(self, *args: str) -> str:
        done = subprocess.run(list(args), env={**os.environ, **self.env()},
                              capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def printed(self, timeout: float = 60.0, count: int = 1) -> list[Path]:
        """The PDFs the queue has produced, once `count` are complete (jobs done)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pdfs = sorted(self.out.glob("*.pdf"))
            if len(pdfs) >= count and not self.lp("lpstat", "-o").strip():
                return pdfs
            time.sleep(0.2)
        raise AssertionError(f"nothing printed to {self.name} within {timeout:g} s; jobs: "
                             f"{self.lp('lpstat', '-W', 'all', '-o')!r}; log: "
                             f"{(self.dir / 'log' / 'error_log').read_text()[-1500:]}")

    def stop(self) -> None:
        _stop(self.proc)
        self.proc = None
        with contextlib.suppress(OSError):
            self.conf.unlink()
        shutil.rmtree(self.dir, ignore_errors=True)

    @staticmethod
    def why_not() -> str | None:
        missing = _missing("cupsd", "lpadmin", "lpstat", "pdftotext")
        if missing:
            return missing
        if not CUPS_PDF_BACKEND.exists() or not CUPS_PDF_PPD.exists():
            return "not installed: printer-driver-cups-pdf (make system-deps installs it)"
        if os.geteuid() != 0:
            return "a private cupsd runs the cups-pdf backend only as root (CI runs as root)"
        if not os.access(CUPS_PDF_CONF_DIR, os.W_OK):
            return f"cannot write the cups-pdf queue settings in {CUPS_PDF_CONF_DIR}"
        return None


# ---------------------------------------------------------------------------------- sound
class SoundSink:
    """A private PulseAudio with one null sink (the default): what plays into it is recorded
    from its monitor by `record()`."""

    SINK = "kb_test_sink"

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="kb-pulse-"))
        runtime = self.dir / "run"
        for d in (runtime, self.dir / "home", self.dir / "state", self.dir / "config"):
            d.mkdir(mode=0o700)
        self.socket = runtime / "native"
        self._env = {"PULSE_SERVER": f"unix:{self.socket}", "PULSE_RUNTIME_PATH": str(runtime),
                     "PULSE_STATE_PATH": str(self.dir / "state"),
                     "PULSE_CONFIG_PATH": str(self.dir / "config"),
                     "XDG_RUNTIME_DIR": str(runtime)}
        log = self.dir / "pulse.log"
        env = {**os.environ, **self._env, "HOME": str(self.dir / "home")}
        env.pop("DISPLAY", None)  # no X11 bell or cookie modules
        self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=false",
             "--disallow-exit", "--disable-shm", f"--log-target=file:{log}",
             "-L", f"module-native-protocol-unix socket={self.socket} auth-anonymous=1",
             "-L", f"module-null-sink sink_name={self.SINK} rate=48000 channels=2",
             "-L", "module-always-sink"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        _wait_for("pulseaudio", self._answers, self.proc, log)

    def _answers(self) -> bool:
        if not self.socket.exists():
            return False
        return subprocess.run(["pactl", "info"], env={**os.environ, **self._env},
                              capture_output=True, timeout=10).returncode == 0

    def env(self) -> dict[str, str]:
        return dict(self._env)

    @contextlib.contextmanager
    def record(self, path: Path) -> Iterator[Path]:
        """Record the sink's monitor into the WAV file `path` while the block runs."""
        rec = subprocess.Popen(
            ["parecord", "-d", f"{self.SINK}.monitor", "--file-format=wav", "--rate=16000",
             "--channels=1", "--format=s16le", str(path)],
            env={**os.environ, **self._env}, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, start_new_session=True)
        try:
            time.sleep(0.3)  # the stream is connected before anything plays
            yield path
        finally:
            rec.send_signal(signal.SIGINT)  # parecord finishes the WAV header on SIGINT
            try:
                rec.wait(timeout=5)
            except subprocess.TimeoutExpired:
                rec.kill()
                rec.wait(timeout=5)

    def stop(self) -> None:
        _stop(self.proc)
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    @staticmethod
    def why_not() -> str | None:
        return _missing("pulseaudio", "pactl", "parecord")


def rms(path: Path, start_s: float = 0.0, end_s: float | None = None) -> float:
    """Root-mean-square level (0..1) of a 16-bit WAV recording, over [start_s, end_s)."""
    import numpy as np

    with wave.open(str(path), "rb") as w:
        rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
        frames = w.readframes(w.getnframes())
    assert width == 2, f"expected 16-bit samples, got {8 * width}-bit"
    data = np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768.0
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    lo = int(start_s * rate)
    hi = len(data) if end_s is None else int(end_s * rate)
    part = data[lo:hi]
    return float(np.sqrt(np.mean(part ** 2))) if len(part) else 0.0


def dominant_hz(path: Path) -> float:
    """The strongest frequency in a recording (which tone played)."""
    import numpy as np

    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
    spectrum = np.abs(np.fft.rfft(data))
    freqs = np.fft.rfftfreq(len(data), 1 / rate)
    return float(freqs[int(np.argmax(spectrum[1:])) + 1])


def page_images(pdf: Path, dpi: int = 40) -> list[Any]:
    """Every page of a PDF rendered in grey (poppler's pdftoppm), as numpy arrays 0..1."""
    import numpy as np

    out = Path(tempfile.mkdtemp(prefix="kb-pages-"))
    try:
        subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(out / "p")],
                       check=True, capture_output=True, timeout=120)
        pages = []
        for f in sorted(out.glob("p-*.pgm")):
            data = f.read_bytes()
            # binary PGM: "P5\n<w> <h>\n255\n" then the bytes
            header, _, rest = data.partition(b"\n255\n")
            w, h = (int(v) for v in header.split()[1:3])
            pages.append(np.frombuffer(rest[: w * h], dtype=np.uint8).reshape(h, w) / 255.0)
        return pages
    finally:
        shutil.rmtree(out, ignore_errors=True)


def pages_alike(a: Any, b: Any) -> float:
    """How far apart two renderings of a page are: the mean absolute difference in grey after
    a light blur (0 = the same picture; the printed copy differs by resampling only)."""
    import numpy as np

    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])

    def blur(x: Any) -> Any:
        x = x[:h, :w]
        return (x + np.roll(x, 1, 0) + np.roll(x, -1, 0) + np.roll(x, 1, 1) + np.roll(x, -1, 1)) / 5

    return float(np.mean(np.abs(blur(a) - blur(b))))


def onset(path: Path, threshold: float = 0.01) -> float | None:
    """When sound starts in a recording (seconds), or None: the first 50 ms over `threshold`
    RMS. The player starts when its process has started, which a busy machine delays."""
    import numpy as np

    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
    data /= 32768.0
    step = int(0.05 * rate)
    for start in range(0, max(len(data) - step, 0), step):
        if np.sqrt(np.mean(data[start:start + step] ** 2)) > threshold:
            return start / rate
    return None


def duration(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()
