"""Reading a log on read-only media (a copy on a write-protected stick, an archive mount): verify,
export, record, the user list and the sync status must work, and write nothing.

Before issue 15 each of them failed with StorageIOError. The medium here is a real read-only
file system (a tmpfs remounted read-only), so SQLite meets exactly what it would on such media."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from forgelog import ADMIN_PIN, FINISHED, administered_log, read_only_medium

from kresladi_bedside.cli import main


@pytest.fixture
def medium(tmp_path: Path) -> Iterator[Path]:
    source = administered_log(tmp_path / "source" / "procedures.db")

    def fill(mount: Path) -> None:
        shutil.copy(source, mount / "procedures.db")

    with read_only_medium(tmp_path / "medium", fill) as mount:
        with pytest.raises(OSError):
            (mount / "probe").write_text("x")
        yield mount / "procedures.db"


def cli(db: Path, *argv: str, stdin: str = "") -> int:
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return main(["--db", str(db), *argv])
    finally:
        sys.stdin = old


def test_reading_commands_work_on_read_only_media(medium: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]):
    before = sorted(p.name for p in medium.parent.iterdir())
    assert cli(medium, "verify") == 0
    assert "every chain intact and sealed" in capsys.readouterr().out
    out = tmp_path / "export.jsonl"
    assert cli(medium, "export", FINISHED, "-o", str(out)) == 0
    assert len(out.read_text().splitlines()) > 30
    assert cli(medium, "users", "list", "--as", "A10001", stdin=ADMIN_PIN + "\n") == 0
    assert "A10001" in capsys.readouterr().out
    assert cli(medium, "sync", "--status") in (0, 1)  # 1: a finished procedure is waiting
    assert "waiting: 1" in capsys.readouterr().out
    assert cli(medium, "record", FINISHED, "--pdf", str(tmp_path / "r.pdf")) == 0
    assert (tmp_path / "r.pdf").stat().st_size > 1000
    assert sorted(p.name for p in medium.parent.iterdir()) == before


def test_writing_on_read_only_media_is_refused_with_a_message(medium: Path,
                                                             capsys: pytest.CaptureFixture[str]):
    assert cli(medium, "users", "add", "--name", "X", "--badge", "N1234", "--roles", "nurse",
               "--as", "A10001", stdin=ADMIN_PIN + "\n") == 2
    assert "read-only" in capsys.readouterr().err
