"""One sender per log: a pass holds an exclusive `flock` on the log file itself while it sends.

Two `sync` processes (or the window and a `sync` run by cron) on one log used to post the same
procedure at once; Medplum then answers one of the racing conditional writes with a transient
`400 Resource ID did not match resolved ID`. The lock is taken on the **file** (its inode), not
on its name, so a second path to the same log (a symlink, a hard link, a bind mount, `..` in the
path) meets the same lock. It is released when the pass ends or the process dies (the kernel
drops `flock` locks with the last descriptor), so a killed sender never leaves it stuck.
SQLite's own locks are POSIX record locks, independent of `flock` on Linux: they do not meet.
Where `fcntl` does not exist (Windows) the pass runs unlocked, as before.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]


@contextlib.contextmanager
def sender_lock(path: Path | str | None) -> Iterator[bool]:
    """Yields True when this process is the log's one sender now, False when another holds
    it (the caller sends nothing this pass)."""
    if path is None or fcntl is None or not Path(path).exists():
        yield True
        return
    fd = os.open(str(path), os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
