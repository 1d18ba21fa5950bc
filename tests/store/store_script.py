"""A scripted two-bag procedure, the same in the crash child and in the test that checks it.

Run as a program (`python store_script.py`) it reads `run DB PROCEDURE_ID` lines on stdin and
for each forks a worker (so the imports are paid once for many kills) that drives the script
through the engine into the store, reporting: `pid P`, then `writing N` when command N
reaches the store and `ack N id…` once the store has committed its events, then `done`. The crash
test kills the worker with SIGKILL anywhere in there, then sends `reap`; the forker reaps it and
reports `reaped P`.

Every record is ONE `os.write` of the whole line, newline included (`emit`). `print` is not: with
PYTHONUNBUFFERED=1 it writes the text and the newline separately, and a SIGKILL between the two
left a half line that the forker's next record stuck to ("writing 7reaped 21961"), so the test
waited out its watchdog (issue 15). A pipe write of at most PIPE_BUF bytes is atomic: a record is
there whole or not at all.
"""

from __future__ import annotations

import faulthandler
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Event, Procedure
from kresladi_bedside.labels.model import Scan
from kresladi_bedside.profile import load_profile

START = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
NURSE = "u-nurse"
PATIENT = {"mrn": "MRN0042117", "name": "RIVERA^MATEO", "dob": "2024-05-01",
           "coi": "CH1234567890"}
DINS = ("W123426000101", "W123426000102")
LINE_OK = {"central_access": True, "no_inline_filter": True, "no_pump": True,
           "tubing_primed": True}

Step = tuple[float, str, dict[str, Any]]  # seconds to advance first, command, args
PIPE_BUF = 4096  # POSIX guarantees at least 512; Linux has 4096


def emit(record: str) -> None:
    """One protocol record, written whole in a single system call (see the module docstring)."""
    data = (record + "\n").encode("utf-8")
    if len(data) > PIPE_BUF:
        raise ValueError(f"record of {len(data)} bytes cannot be written atomically")
    written = os.write(1, data)
    if written != len(data):
        raise OSError(f"short write of a protocol record ({written} of {len(data)} bytes)")


def _scan(kind: str, **ids: str) -> dict[str, Any]:
    return {"scan": Scan(kind, ids, "wedge", f"{kind}:{sorted(ids.items())}").to_dict()}


def _order() -> dict[str, Any]:
    expiry = (START + timedelta(days=200)).isoformat()
    return {"order": {
        "patient": dict(PATIENT), "weight_kg": 7.4, "sheet_bag_count": 2,
        "bags": [{"bag_id": DINS[i], "lot": lot, "expiry": expiry, "cd34_per_kg": 1.6e6,
                  "volume_ml": 18.0} for i, lot in enumerate(("LOT-A", "LOT-B"))],
    }}


def _bag(number: int) -> list[Step]:
    din = DINS[number - 1]
    return [
        (30, "inspect_bag", {"bag": number, "intact": True}),
        (20, "start_thaw", {"bag": number, "method": "water_bath",
                            "attest": {"sterile_overbag": True}}),
        (240, "complete_thaw", {"bag": number, "attest": {"no_visible_ice": True}}),
        (15, "scan", _scan("wristband", mrn=PATIENT["mrn"], dob=PATIENT["dob"])),
        (10, "scan", _scan("bag", din=din, coi=PATIENT["coi"], mrn=PATIENT["mrn"])),
        (20, "check_line", {"bag": number, "items": LINE_OK}),
        (5, "start_infusion", {"bag": number}),
        (420, "end_infusion", {"bag": number, "attest": {"entire_contents": True}}),
        (60, "log_flush", {"bag": number, "volume_ml": 4.5}),
    ]


def script() -> list[Step]:
    conditioning_end = (START - timedelta(hours=30)).isoformat()
    steps: list[Step] = [
        (0, "open", {"training": False}),
        (5, "prepare_order", _order()),
        (5, "confirm_backup", {"available": True, "cd34_per_kg": 3e6,
                               "confirmed_at": (START - timedelta(days=9)).isoformat()}),
        (5, "record_conditioning_end", {
            "at": conditioning_end,
            "conditioning_start": (START - timedelta(days=5)).isoformat()}),
        (5, "confirm_storage", {"temperature_c": -170,
                                "stored_at": (START - timedelta(days=10)).isoformat()}),
        (5, "attest", {"items": {"hsct_appropriate": True, "ustekinumab": "not given"}}),
        (10, "scan", _scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"])),
        (10, "scan", _scan("shipper", mrn=PATIENT["mrn"], coi=PATIENT["coi"])),
    ]
    for din in DINS:
        steps.append((10, "scan", _scan("cassette", din=din, coi=PATIENT["coi"],
                                        mrn=PATIENT["mrn"])))
    steps.append((10, "scan", _scan("bag", din=DINS[0], coi=PATIENT["coi"],
                                    mrn=PATIENT["mrn"])))  # bag 2 stays in LN2
    steps += _bag(1)
    # Into the 1–2 h window: bag 2 out of its cassette, its label against the cassette's, the
    # wristband scanned again first (the real verifier takes a wristband at most 10 min old).
    steps.append((3620, "scan", _scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"])))
    # its storage until now confirmed before it leaves its cassette (§2.2)
    steps.append((5, "confirm_bag_storage", {"bag": 2, "kept_frozen": True}))
    steps.append((10, "scan", _scan("bag", din=DINS[1], coi=PATIENT["coi"],
                                    mrn=PATIENT["mrn"])))
    steps.append((10, "inspect_bag", {"bag": 2, "intact": True}))
    steps += _bag(2)[1:]
    steps.append((30, "acknowledge_post_infusion", {"attest": {
        "monitoring": True, "irradiate_blood_products": True, "never_donate": True}}))
    return steps


def new_procedure(procedure_id: str, clock: FakeClock) -> Procedure:
    # The program's own label verifier: an exported copy of this procedure is decided again by
    # it at import (store/rejudge.py), as a real workstation's would be.
    return Procedure(load_profile(), clock, None, procedure_id)


def run(procedure: Procedure, clock: FakeClock, steps: Sequence[Step]) -> None:
    """Drive `steps`; each must be accepted (the script is a correct procedure)."""
    for advance, name, args in steps:
        clock.advance(advance)
        outcome = procedure.handle(Command(name, args, user=NURSE))
        if not outcome.accepted:
            raise AssertionError(f"scripted {name} refused: {outcome.rejection}")


def reference(procedure_id: str) -> list[tuple[list[Event], Procedure, FakeClock]]:
    """After each number of commands (0…N): the events so far, the live procedure, its clock."""
    steps = script()
    out = []
    for count in range(len(steps) + 1):
        clock = FakeClock(START)
        procedure = new_procedure(procedure_id, clock)
        run(procedure, clock, steps[:count])
        out.append((list(procedure.events), procedure, clock))
    return out


def drive(db: str, procedure_id: str) -> None:
    from kresladi_bedside.store import StoreListener, open_store

    emit(f"pid {os.getpid()}")
    store = open_store(db)
    clock = FakeClock(START)
    procedure = new_procedure(procedure_id, clock)
    listener = StoreListener(store)
    current = [0]

    def write(events: Sequence[Event]) -> None:
        emit(f"writing {current[0]}")
        listener(events)

    procedure.subscribe(write)
    for number, step in enumerate(script()):
        current[0] = number
        before = len(procedure.events)
        run(procedure, clock, [step])
        ids = " ".join(e.id for e in procedure.events[before:])
        emit(f"ack {number} {ids}")
    emit("done")


def main() -> int:
    import kresladi_bedside.store  # noqa: F401  (imported before forking: paid once)

    faulthandler.register(signal.SIGUSR1)  # the test asks where the forker is if it goes quiet

    for line in sys.stdin:
        command, db, procedure_id = line.split()
        if command != "run":
            raise SystemExit(f"unknown command {command!r}")
        pid = os.fork()
        if pid == 0:
            # A worker stalled this long dumps where it is to stderr, which the test shows.
            faulthandler.dump_traceback_later(45, exit=True)
            status = 1
            try:
                drive(db, procedure_id)
                status = 0
            except BaseException as exc:  # os._exit below would swallow the traceback
                traceback.print_exc()
                emit(f"error {type(exc).__name__}: {exc}".replace("\n", " ")[:PIPE_BUF - 1])
            finally:
                sys.stderr.flush()
                os._exit(status)
        # Reap only when told: until then a finished worker stays a zombie, so its pid cannot
        # be reused by another process before the test's SIGKILL reaches it.
        if sys.stdin.readline().strip() != "reap":
            raise SystemExit("expected 'reap'")
        os.waitpid(pid, 0)
        emit(f"reaped {pid}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
