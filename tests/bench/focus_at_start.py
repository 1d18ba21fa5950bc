"""Who has the X keyboard after the bedside starts under a window manager (issue 25, item 11)?

Run by hand (not a test; a start takes seconds), with Xvfb, openbox, xdotool and xprop installed
(`make system-deps`):

    .venv/bin/python tests/bench/focus_at_start.py [--starts 30] [--what program|harness]
                                                  [--settle 2.0] [--no-wm]

`program` starts the real command line (`python -m kresladi_bedside --training`, a fresh log and
fresh settings each time): the sign-in shell paints, then the full window takes its place
(qt/start.py). `harness` starts tests/x11/harness.py as the X tests do with `as_started=True`.
Each start runs on the same X server and openbox (as the tests' session-wide server), the pointer
moved first as a person's hand would (openbox judges focus stealing by the last user input).
Once the full window is on screen and `--settle` seconds have passed, it reads `xdotool
getwindowfocus` (what X sends keys to) and compares it with the window: when it is not ours, it
says which window has the keyboard (its name and class, from xprop). openbox runs with
--debug-focus; its log is kept (path printed) to read its decisions.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from devices.servers import XServer  # noqa: E402

SHELL_TITLE = "KRESLADI bedside — TRAINING"  # the start shell's (qt/start.py); the window's differs


def x(server: XServer, *args: str) -> str:
    done = subprocess.run(list(args), env=server.env(), capture_output=True, text=True,
                          timeout=30)
    return done.stdout.strip()


def describe(server: XServer, wid: str) -> str:
    if not wid or wid == "0":
        return "none"
    name = x(server, "xdotool", "getwindowname", wid)
    props = x(server, "xprop", "-id", wid, "WM_CLASS", "_NET_WM_NAME")
    props = " ".join(line.split("=", 1)[-1].strip() for line in props.splitlines())
    root = x(server, "xprop", "-root", "_NET_SUPPORTING_WM_CHECK").split()[-1]
    openbox = " (openbox's own _NET_SUPPORTING_WM_CHECK window)" if \
        root.startswith("0x") and int(root, 16) == int(wid) else ""
    return f"{int(wid):#x} {name!r} {props}{openbox}"


def visible_windows(server: XServer, pid: int) -> list[str]:
    return x(server, "xdotool", "search", "--onlyvisible", "--pid", str(pid)).split()


def start_program(server: XServer, work: Path) -> tuple[subprocess.Popen[bytes], str | None]:
    env = {**server.env(), "XDG_CONFIG_HOME": str(work / "config"),
           "XDG_DATA_HOME": str(work / "data"), "XDG_STATE_HOME": str(work / "state"),
           "PULSE_SERVER": "unix:/nonexistent"}
    proc = subprocess.Popen([sys.executable, "-m", "kresladi_bedside", "--training",
                             "--db", str(work / "log.db")], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=(work / "stderr").open("wb"))
    return proc, None


def start_harness(server: XServer, work: Path) -> tuple[subprocess.Popen[bytes], str | None]:
    env = {**server.env(), "KB_HARNESS_DB": str(work / "log.db"), "PYTHONUNBUFFERED": "1",
           "KB_HARNESS_AS_STARTED": "1", "PULSE_SERVER": "unix:/nonexistent",
           "XDG_CONFIG_HOME": str(work / "config")}
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests/x11/harness.py")], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=(work / "stderr").open("wb"))
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, str(json.loads(line)["value"])


def one_start(server: XServer, what: str, settle: float, work: Path) -> tuple[bool, str, float]:
    """(X focus on our window?, who has it, seconds from launch to the window shown)."""
    x(server, "xdotool", "mousemove", "960", "540")  # a hand on the mouse before the start
    x(server, "xdotool", "mousemove", "970", "545")
    t0 = time.monotonic()
    proc, wid = (start_program if what == "program" else start_harness)(server, work)
    try:
        deadline = t0 + 90
        while True:
            if wid is not None:  # the harness said which: wait for it to be mapped
                if "IsViewable" in x(server, "xwininfo", "-id", wid):
                    break
                if time.monotonic() > t0 + 30:  # Qt shows it, X never mapped it
                    focus = x(server, "xdotool", "getwindowfocus", "-f")
                    return False, (describe(server, focus) + "; our window NEVER MAPPED in 30 s "
                                   "though Qt showed it"), time.monotonic() - t0
            else:
                shown = visible_windows(server, proc.pid)
                full = [w for w in shown if x(server, "xdotool", "getwindowname", w)
                        not in ("", SHELL_TITLE)]
                if len(shown) == 1 and full:
                    wid = full[0]
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"no window (exit {proc.poll()}): "
                                   + (work / "stderr").read_text(errors="replace")[-1500:])
            time.sleep(0.05)
        up = time.monotonic() - t0
        time.sleep(settle)
        focus = x(server, "xdotool", "getwindowfocus", "-f")
        ours = focus.isdigit() and int(focus) == int(wid)
        if ours:
            return True, "ours", up
        parent = x(server, "xwininfo", "-id", wid, "-tree")
        framed = "Parent window id: 0x" in parent and "(the root window)" not in \
            parent.split("Parent window id:")[1].splitlines()[0]
        return False, (describe(server, focus) + ("" if framed else
                       "; our window NOT managed by openbox (mapped on the root, no frame)")), up
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


class Desktop:
    """Xvfb with openbox (unless a kiosk), openbox's focus decisions logged (--debug-focus)."""

    def __init__(self, wm: bool, log: Path, debug: str = "--debug-focus") -> None:
        self.server = XServer(window_manager=False)
        self.wm: subprocess.Popen[bytes] | None = None
        if wm:
            self.wm = subprocess.Popen(["openbox", "--sm-disable", debug],
                                       env=self.server.env(), stdout=log.open("ab"),
                                       stderr=subprocess.STDOUT, start_new_session=True)
            while "window id" not in x(self.server, "xprop", "-root",
                                       "_NET_SUPPORTING_WM_CHECK"):
                time.sleep(0.05)

    def stop(self) -> None:
        if self.wm is not None:
            self.wm.terminate()
            self.wm.wait(timeout=10)
        self.server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=30)
    parser.add_argument("--what", choices=("program", "harness"), default="program")
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--no-wm", action="store_true", help="a kiosk session: no openbox")
    parser.add_argument("--fresh", action="store_true",
                        help="a new X server and openbox for each start (the program is then "
                             "openbox's first client, as in the first X test of a session)")
    parser.add_argument("--debug-all", action="store_true",
                        help="openbox --debug (all its decisions, managing windows included)")
    args = parser.parse_args()
    why = XServer.why_not() if args.no_wm else XServer.why_not_wm()
    if why:
        print(why)
        return 2
    log = Path(tempfile.mkstemp(prefix="kb-openbox-focus-", suffix=".log")[1])
    desktop = None
    ok = 0
    others: Counter[str] = Counter()
    ups: list[float] = []
    try:
        for i in range(args.starts):
            if desktop is None:
                desktop = Desktop(not args.no_wm, log,
                                  "--debug" if args.debug_all else "--debug-focus")
            with tempfile.TemporaryDirectory(prefix="kb-focus-") as folder:
                ours, who, up = one_start(desktop.server, args.what, args.settle, Path(folder))
            if args.fresh:
                desktop.stop()
                desktop = None
            ok += ours
            ups.append(up)
            if not ours:  # counted without the window's id (each X server numbers its own)
                others[who.split(" ", 1)[1]] += 1
            print(f"start {i + 1:2d}: window shown after {up:4.1f} s; X focus: {who}",
                  flush=True)
    finally:
        if desktop is not None:
            desktop.stop()
    ups.sort()
    print(f"\n{args.what}, {'kiosk' if args.no_wm else 'openbox'}"
          f"{', fresh each start' if args.fresh else ''}: X keyboard focus on our window after "
          f"start in {ok}/{args.starts} starts ({100 * ok / args.starts:.0f} %); "
          f"median start {ups[len(ups) // 2]:.1f} s")
    for who, n in others.most_common():
        print(f"  {n:2d}× focus on {who}")
    if not args.no_wm:
        print(f"openbox {'--debug' if args.debug_all else '--debug-focus'} log: {log}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
