"""A kill -9 and a quit while a procedure is open, on real processes and the real window
(issue 25, item 7: "The workstation was not restarted during the procedure" was printed after a
quit and a kill -9 mid-procedure). The next start detects the unclean end; a quit through the
window is recorded as one; the record lists both, with the time the program was away."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from kresladi_bedside.clock import SystemClock
from kresladi_bedside.config import SiteConfig, SyncConfig
from kresladi_bedside.profile import load_profile
from kresladi_bedside.record import load_record, render_html
from kresladi_bedside.store import open_store
from kresladi_bedside.store.recovery import recover

OPENER = textwrap.dedent("""
    import sys, time
    from kresladi_bedside.clock import SystemClock
    from kresladi_bedside.engine import Command, Procedure
    from kresladi_bedside.profile import load_profile
    from kresladi_bedside.store import StoreListener, open_store
    store = open_store(sys.argv[1])
    proc = Procedure(load_profile(), SystemClock())
    proc.subscribe(StoreListener(store))
    assert proc.handle(Command("open", {"workstation": "BEDSIDE-9"}, user="u-nurse")).accepted
    print(proc.procedure_id, flush=True)
    time.sleep(120)
""")


def test_a_kill_and_a_quit_are_recorded_and_printed(qtbot, tmp_path: Path) -> None:
    from kresladi_bedside.people import People
    from kresladi_bedside.qt.app import build_window

    from .conftest import cheap_hasher

    db = tmp_path / "ward.db"
    child = subprocess.Popen([sys.executable, "-c", OPENER, str(db)], stdout=subprocess.PIPE,
                             text=True)
    assert child.stdout is not None
    pid = child.stdout.readline().strip()
    os.kill(child.pid, signal.SIGKILL)  # kill -9: nothing of the program runs after this
    child.wait(timeout=10)

    site = SiteConfig(sync=SyncConfig(workstation="BEDSIDE-9"))
    clock = SystemClock()
    store = open_store(db)
    people = People(store, site, clock, hasher=cheap_hasher())
    window = build_window(site, db=db, training=False, clock=clock, people=people)
    qtbot.addWidget(window)
    started = window.session.procedure.events[-1]
    assert started.type == "program_started" and started.user == "system"
    assert started.data["previous_end"] == "unclean" and started.data["workstation"] == "BEDSIDE-9"
    assert started.data["away_basis"] == "monotonic" and started.data["away_s"] >= 0
    window.close()  # the program quits with the procedure open
    assert store.events(pid)[-1].type == "program_quit"
    store.close()

    with open_store(db) as again:
        recover(again, load_profile(), clock, workstation="BEDSIDE-9")  # started once more
        view = load_record(again, pid, load_profile(), site)
    assert [r.flag for r in view.restarts] == ["UNCLEAN END", "QUIT"]
    assert "killed, crashed or power lost" in str(view.restarts[0].value)
    assert "(exact, monotonic clock)" in str(view.restarts[0].value)
    assert "The program was quit at" in str(view.restarts[1].value)
    html = render_html(view)
    assert "was not restarted" not in html and "UNCLEAN END" in html
