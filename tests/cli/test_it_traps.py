"""Issue 25, item 13: what IT reads — `users add --help` names every role (pharmacy included),
and the window's title carries the site's name."""

from __future__ import annotations

import subprocess
import sys

from kresladi_bedside.people import ROLES


def test_users_add_help_lists_every_role() -> None:
    done = subprocess.run([sys.executable, "-m", "kresladi_bedside", "users", "add", "--help"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for role in ROLES:
        assert role in done.stdout, role
    assert "pharmacy" in done.stdout


def test_the_window_title_names_the_site(qtbot, tmp_path) -> None:
    from kresladi_bedside.clock import FakeClock
    from kresladi_bedside.config import SiteConfig
    from kresladi_bedside.people import People
    from kresladi_bedside.profile import load_profile
    from kresladi_bedside.qt.session import Session
    from kresladi_bedside.qt.window import BedsideWindow
    from kresladi_bedside.store import open_store

    store = open_store(tmp_path / "t.db")
    clock = FakeClock()
    site = SiteConfig(site_name="Ward 7B, bed 3")
    window = BedsideWindow(Session(load_profile(), clock, store=store), site=site,
                           people=People(store, site.people, clock), tick_ms=60_000)
    qtbot.addWidget(window)
    assert "Ward 7B, bed 3" in window.windowTitle()
