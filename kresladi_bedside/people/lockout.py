"""Badge lockout, worked out from the badge's own history in the people log (pure).

PIN checks (`pin_checked`, written before each check) are counted back from the newest event
until the badge's owner last proved the PIN, an administrator reset the PIN, or an earlier lock
ran out. When the count reaches
`max_failed` a `badge_locked` event is written; the badge stays locked for `lock_seconds` from
that event, measured with `clock.elapsed` (monotonic within a boot).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: the thread lock below still serialises this process
    fcntl = None  # type: ignore[assignment]

from ..clock import Instant, elapsed
from ..engine.model import Event
from .audit import AUTHENTICATED

FAILED = "authentication_failed"
# Written before each PIN is checked, in the log's own write transaction (People._reserve_check):
# it counts as a failure until the owner proves the PIN (an AUTHENTICATED event follows).
PIN_CHECK = "pin_checked"
LOCKED = "badge_locked"
PIN_RESET = "pin_reset"
_THREADS = threading.RLock()  # threads of one process (flock then serialises processes)


@dataclass(frozen=True)
class BadgeStatus:
    failures: int  # failed attempts in a row, counting towards the next lock
    locked_until: Instant | None = None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def badge_status(history_newest_first: Iterable[Event], now: Instant,
                 lock_seconds: float) -> BadgeStatus:
    failures = 0
    for event in history_newest_first:
        if event.type == LOCKED:
            if elapsed(event.at, now) < lock_seconds:
                return BadgeStatus(failures, event.at.plus(lock_seconds))
            break
        if event.type in AUTHENTICATED or event.type == PIN_RESET:
            break
        if event.type == PIN_CHECK or (event.type == FAILED and event.data.get("counts")
                                       and not event.data.get("counted_by_check")):
            failures += 1  # (a FAILED that counts by itself: written by earlier versions)
    return BadgeStatus(failures)


@contextlib.contextmanager
def pin_gate(db_path: Path) -> Iterator[None]:
    """One PIN check at a time on this workstation, across threads and processes.

    Why: reading the badge's history, checking the PIN (argon2: slow on purpose) and writing the
    failure is not one transaction, so 30 parallel wrong PINs were all checked before any failure
    was counted, and no lock was ever set (issue 15). Inside the gate the count a check reads
    includes every check before it. An exclusive `flock` on `<database>.pinlock` (0600) holds
    between processes and, one open file each, between threads; the kernel drops it when a
    process dies, so a crash never leaves the gate shut.
    """
    lock_path = db_path.with_name(db_path.name + ".pinlock")
    with _THREADS:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the flock
