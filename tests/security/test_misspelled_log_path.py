"""A misspelled database path never silently starts the window on a new, empty log."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.qt import app, start
from kresladi_bedside.store import open_store


def test_a_chosen_path_without_a_log_is_asked_about(tmp_path: Path) -> None:
    missing = tmp_path / "procedure-lgo.db"
    assert app.asks_before_creating(str(missing), SiteConfig()) == missing
    assert app.asks_before_creating(None, SiteConfig(database=missing)) == missing


def test_an_existing_log_or_the_default_path_is_not_asked_about(tmp_path: Path) -> None:
    existing = tmp_path / "procedures.db"
    open_store(existing).close()
    assert app.asks_before_creating(str(existing), SiteConfig()) is None
    assert app.asks_before_creating(None, SiteConfig()) is None


def test_answering_no_starts_nothing_and_creates_nothing(qapp, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def say_no(*args: object, **_kw: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", say_no)
    site = tmp_path / "site.toml"  # a live workstation: a site file, not training
    site.write_text('site_name = "Test Children\'s"\n', encoding="utf-8")
    missing = tmp_path / "typo" / "procedures.db"
    assert start.run(config_path=str(site), db=str(missing), training=False, speed=None) == 3
    assert len(asked) == 1 and str(missing) in asked[0]
    assert not missing.exists() and not missing.parent.exists()
