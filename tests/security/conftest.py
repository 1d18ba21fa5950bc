"""Fixtures for the red-team tests (helpers in forgelog.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from forgelog import FINISHED, OTHER, RawConnection, run_script


@pytest.fixture(scope="session")
def finished_log(tmp_path_factory) -> Path:
    """Two finished procedures, the second written after the first."""
    path = tmp_path_factory.mktemp("finished") / "procedures.db"
    run_script(path, FINISHED)
    run_script(path, OTHER)
    return path


@pytest.fixture
def raw(finished_log: Path, tmp_path: Path) -> Iterator[RawConnection]:
    """A copy of the log, opened raw with the triggers left in place."""
    copy = tmp_path / "copy.db"
    shutil.copy(finished_log, copy)
    conn = RawConnection(copy, isolation_level=None)
    conn.path = copy
    yield conn
    conn.close()
