from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """User and system configuration, data and log directories under tmp_path (platformdirs
    follows the XDG variables on Linux), and no KRESLADI_CONFIG from the environment."""
    dirs = {name: tmp_path / name for name in ("user_config", "system_config", "data", "state")}
    monkeypatch.setenv("XDG_CONFIG_HOME", str(dirs["user_config"]))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(dirs["system_config"]))
    monkeypatch.setenv("XDG_DATA_HOME", str(dirs["data"]))
    monkeypatch.setenv("XDG_STATE_HOME", str(dirs["state"]))
    monkeypatch.delenv("KRESLADI_CONFIG", raising=False)
    return dirs


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def write() -> Callable[[Path, str], Path]:
    """Write a text file, creating its folders; returns its path."""
    return _write
