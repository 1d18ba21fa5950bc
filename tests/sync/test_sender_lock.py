"""One sender per log (sync/sender_lock.py): the lock is on the file, so another path to the same
log meets it, another process meets it, and a killed holder leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kresladi_bedside.sync.sender_lock import sender_lock

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock is POSIX")


def test_a_second_path_to_the_same_log_meets_the_lock(tmp_path: Path) -> None:
    log = tmp_path / "log.db"
    log.write_bytes(b"x")
    (tmp_path / "alias.db").symlink_to(log)
    os.link(log, tmp_path / "hard.db")
    with sender_lock(log) as first:
        assert first
        with sender_lock(tmp_path / "alias.db") as second:
            assert not second
        (tmp_path / "sub").mkdir()
        with sender_lock(tmp_path / "sub" / ".." / "hard.db") as third:
            assert not third
    with sender_lock(tmp_path / "alias.db") as again:
        assert again  # released at the end of the pass


def test_another_process_holding_it_refuses_then_its_death_frees_it(tmp_path: Path) -> None:
    log = tmp_path / "log.db"
    log.write_bytes(b"x")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from kresladi_bedside.sync.sender_lock import sender_lock\n"
        f"with sender_lock({str(log)!r}) as ok:\n"
        "    print(ok, flush=True)\n"
        "    time.sleep(60)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        with sender_lock(log) as mine:
            assert not mine
    finally:
        holder.kill()  # as kill -9: no clean-up code runs
        holder.wait(10)
    deadline = time.monotonic() + 5
    while True:
        with sender_lock(log) as mine:
            if mine:
                break
        assert time.monotonic() < deadline, "the dead holder's lock was not released"
        time.sleep(0.05)
