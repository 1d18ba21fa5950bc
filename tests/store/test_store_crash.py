"""SIGKILL at random points, inside commits too: nothing acknowledged is ever lost.

A forking child (store_script.py) drives the scripted two-bag procedure through the engine and the
store; the test kills each worker at a random command, sometimes the instant it starts writing,
sometimes a little later. After every kill the log must be sound and the procedure must come back
at the step and with the countdowns the live program had.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
import store_script
from store_script import START

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine.state import fold
from kresladi_bedside.store import open_store, verify
from kresladi_bedside.store.recovery import rebuild, unfinished_procedures

KILLS = 60
LINE_TIMEOUT_S = 60.0  # generous: a loaded 2-core machine can stall a child for many seconds
SCRIPT = Path(store_script.__file__)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash child forks")


def comparable(events):
    return [(e.type, dict(e.data), e.user, e.at) for e in events]


# Every record the child writes (store_script.emit): anything else on a line is a protocol fault,
# reported at once with the raw text instead of being waited on.
RECORD = re.compile(r"pid \d+|writing \d+|ack \d+( [\w-]+)*|done|error .*|reaped \d+")


class ProtocolError(AssertionError):
    """A line that is not one whole record: the harness's framing failed."""


class ChildStalled(Exception):
    """The forker went quiet: a fault of this harness's pipes (the worker neither raised nor
    hung: either would have printed), so the run is restarted rather than counted."""


MAX_STALLS = 3


class Child:
    def __init__(self, stderr: Path) -> None:
        self.stderr = stderr
        self.last = ""
        self.proc = subprocess.Popen(
            [sys.executable, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=stderr.open("w"), text=True, bufsize=1,
        )

    def line(self) -> str:
        # A worker that dies of a bug would leave us waiting for ever: stop the forker instead,
        # after asking it (SIGUSR1, faulthandler) where it is.
        watchdog = threading.Timer(LINE_TIMEOUT_S, self._give_up)
        watchdog.start()
        try:
            text = self.proc.stdout.readline()
        finally:
            watchdog.cancel()
        if not text:
            raise ChildStalled(f"the crash child stopped talking after {self.last!r}: "
                               f"{self.stderr.read_text()[-3000:]}")
        if not text.endswith("\n") or not RECORD.fullmatch(text[:-1]):
            raise ProtocolError(f"not one whole record: {text!r} (after {self.last!r})")
        self.last = text[:-1]
        return self.last

    def _give_up(self) -> None:
        self.proc.send_signal(signal.SIGUSR1)
        time.sleep(1)
        self.proc.kill()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def run_and_kill(child: Child, db: Path, procedure_id: str, target: int,
                 delay_s: float) -> tuple[list[str], str, bool]:
    """Start a worker, kill it at command `target`.

    Returns the acknowledged event ids, the worker's last line and whether it was killed."""
    child.proc.stdin.write(f"run {db} {procedure_id}\n")
    child.proc.stdin.flush()
    pid = int(child.line().split()[1])
    acked: list[str] = []
    last, killed = "", False
    while True:
        last = child.line()
        kind, *rest = last.split()
        if kind == "ack":
            acked.extend(rest[1:])
        if kind == "writing" and int(rest[0]) == target:
            if delay_s:
                time.sleep(delay_s)
            os.kill(pid, signal.SIGKILL)
            killed = True
            break
        if kind == "done":
            break
        assert kind != "error", f"the worker failed: {last}\n{child.stderr.read_text()[-3000:]}"
    child.proc.stdin.write("reap\n")
    child.proc.stdin.flush()
    # Drain what the worker wrote before it died, up to the forker's word that it is gone.
    while not (line := child.line()).startswith("reaped"):
        kind, *rest = line.split()
        if kind == "ack":
            acked.extend(rest[1:])
        last = line
    return acked, last, killed and last != "done"


def test_sigkill_at_random_points_loses_nothing_acknowledged(tmp_path):
    rng = random.Random(os.environ.get("CRASH_SEED", "kresladi"))
    reference = store_script.reference("ref")
    steps = store_script.script()
    db = tmp_path / "crash.db"
    child = Child(tmp_path / "child.stderr")
    inside_commit = kills = runs = landed_unacked = 0
    stalls: list[str] = []
    try:
        while kills < KILLS:
            procedure_id = f"crash-{runs:03d}"
            target = rng.randrange(len(steps))
            delay = 0.0 if rng.random() < 0.5 else rng.uniform(0, 0.01)
            try:
                acked, final, killed = run_and_kill(child, db, procedure_id, target, delay)
            except ChildStalled as stalled:
                stalls.append(str(stalled))
                assert len(stalls) <= MAX_STALLS, "\n\n".join(stalls)
                child.proc.kill()
                child = Child(tmp_path / f"child-{len(stalls)}.stderr")
                runs += 1
                continue
            landed_unacked += check_after_kill(db, procedure_id, acked, reference)
            runs += 1
            if killed:  # else it finished first (a late kill point): checked, not counted
                kills += 1
                inside_commit += final.startswith("writing")
    finally:
        child.close()
    print(f"{runs} runs, {kills} kills, {inside_commit} between 'writing' and 'ack' "
          f"(inside the commit), {landed_unacked} whose last commit landed unacknowledged, "
          f"{len(stalls)} harness stalls restarted")
    for stalled in stalls:
        print(stalled)
    assert inside_commit >= KILLS // 10, "too few kills landed inside a commit to mean anything"


def check_after_kill(db: Path, procedure_id: str, acked: list[str], reference) -> bool:
    """Returns whether the store holds more than was acknowledged (a commit that landed)."""
    with open_store(db) as store:
        report = verify(store)
        assert report.integrity == "ok"
        assert report.ok, report.summary()
        stored = store.events(procedure_id)
        stored_ids = [e.id for e in stored]
        assert stored_ids[: len(acked)] == acked, "an acknowledged event is missing"
        # The stored events are exactly what the live program had after some whole command:
        # the acknowledged ones, or those plus the one whose commit landed just before the kill.
        counts = [n for n, (events, _, _) in enumerate(reference)
                  if comparable(events) == comparable(stored)]
        assert counts, "the stored events are not the events of a whole number of commands"
        _, live, live_clock = reference[counts[-1]]
        if not stored:  # killed before the first commit: no trace, nothing to resume
            assert procedure_id not in store.procedure_ids()
            return False
        finished = live.state.outcome is not None
        assert (procedure_id in unfinished_procedures(store)) is not finished
        clock = FakeClock(START)
        clock.set(live_clock.now().wall)
        back = rebuild(store, procedure_id, store_script.load_profile(), clock)
        assert back.clock_change is None  # same boot, clocks in step: nothing to note
        recovered = back.procedure
        assert recovered.state == fold(with_ids_of(reference[counts[-1]][0], stored))
        for later in (0.0, 37.5, 150.0):  # the restart took a while
            now = live_clock.now().plus(later)
            assert recovered.step(now) == live.step(now)
            expected = {(c.id, c.bag): c for c in live.countdowns(now)}
            got = {(c.id, c.bag): c for c in recovered.countdowns(now)}
            assert got.keys() == expected.keys()
            for key, countdown in got.items():
                assert abs(countdown.remaining_s - expected[key].remaining_s) <= 1.0
                assert countdown.level == expected[key].level
            check_thaw_countdown(stored, recovered.countdowns(now), now)
    return len(stored) > len(acked)


def with_ids_of(live_events, stored_events):
    """The live run's events under the ids the stored run gave them (ids are random)."""
    return [replace(live, id=stored.id, procedure_id=stored.procedure_id)
            for live, stored in zip(live_events, stored_events, strict=True)]


def check_thaw_countdown(stored, countdowns, now) -> None:
    """Independently of the engine: a running thaw has 5 min minus the time since it started."""
    started = {e.data["bag"]: e.at for e in stored if e.type == "thaw_started"}
    completed = {e.data["bag"] for e in stored if e.type == "thaw_completed"}
    for bag, at in started.items():
        if bag in completed:
            continue
        thaw = next(c for c in countdowns if c.id == "thaw" and c.bag == bag)
        expected = 300 - (now.wall - at.wall).total_seconds()
        assert abs(thaw.remaining_s - expected) <= 1.0
