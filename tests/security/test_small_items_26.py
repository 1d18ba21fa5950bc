"""The smaller doors of issue 26 (finding 12): a 25-hour utc_offset_s imported, escape sequences
in ids echoed raw, tracebacks from simulate, a huge line read from a pipe before the PIN."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from forgelog import read_only_medium
from test_import_attacks import import_, rechained, snapshot, write

from kresladi_bedside.cli import main

ESC = "\x1b]0;pwned\x07\x1b[2J"


def test_a_25_hour_utc_offset_is_refused_at_import(target, exported, tmp_path, capsys):
    records = [dict(r) for r in exported]
    records[3]["utc_offset_s"] = 25 * 3600
    assert import_(target, write(tmp_path, rechained(records))) == 1
    err = capsys.readouterr().err
    assert "line 4: utc_offset_s 90000 is not a time zone's offset" in err
    assert snapshot(target) == []


def test_escape_sequences_in_ids_are_never_echoed_raw(target, exported, tmp_path, capsys):
    bad = [dict(r, procedure_id=f"p{ESC}", id=f"{r['id']}-x") for r in exported]
    bad[2]["data"] = {"order": "not an order"}
    import_(target, write(tmp_path, rechained(bad)))
    main(["--db", str(target), "export", f"p{ESC}"])
    out = capsys.readouterr()
    assert "\x1b" not in out.err + out.out
    assert "<U+001B>" in out.err


def test_simulate_without_a_key_or_on_read_only_media_says_so_in_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    from forgelog import run_script

    db = tmp_path / "procedures.db"
    run_script(db, "p1", steps=2)
    monkeypatch.setenv("KRESLADI_KEY_FILE", str(tmp_path / "gone" / "workstation.key"))
    assert main(["simulate", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "simulate: the log cannot be written" in err and "missing" in err
    assert "Traceback" not in err
    monkeypatch.undo()

    def fill(mount: Path) -> None:
        (mount / "procedures.db").write_bytes(db.read_bytes())

    with read_only_medium(tmp_path / "ro", fill) as mount:
        assert main(["simulate", "--db", str(mount / "procedures.db")]) == 2
    err = capsys.readouterr().err
    assert "simulate: the log cannot be written" in err and "read-only" in err
    assert "Traceback" not in err


def test_import_asks_the_pin_before_reading_a_file(target, tmp_path):
    """A pipe that never ends: the PIN is asked (and refused) before a byte of it is read."""
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    opened = threading.Event()

    def writer() -> None:
        try:
            with open(fifo, "wb") as out:
                opened.set()
                out.write(b"x" * (1 << 20))
        except (BrokenPipeError, OSError):
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    done = subprocess.run([sys.executable, "-m", "kresladi_bedside", "--db", str(target),
                           "import", str(fifo), "--as", "A10001"],
                          input="00000000\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "not right" in done.stderr
    assert not opened.is_set()  # nobody opened the pipe to read it
    with open(fifo, "rb"):
        pass  # let the writer finish
    thread.join(timeout=5)


def test_import_reads_at_most_the_size_limit_from_a_pipe(target, tmp_path, capsys,
                                                         monkeypatch: pytest.MonkeyPatch):
    from kresladi_bedside.store import transfer

    monkeypatch.setattr(transfer, "MAX_FILE_BYTES", 4096)
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    sent = [0]

    def writer() -> None:
        try:
            with open(fifo, "wb") as out:
                for _ in range(1000):  # 64 MB, one line, if anyone read it all
                    out.write(b"x" * 65536)
                    sent[0] += 65536
        except (BrokenPipeError, OSError):
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    monkeypatch.setattr("sys.stdin", io.StringIO("40172958\n"))
    assert main(["--db", str(target), "import", str(fifo), "--as", "A10001"]) == 1
    assert "more than an import takes" in capsys.readouterr().err
    thread.join(timeout=10)
    assert sent[0] < 1 << 20  # the writer was stopped long before 64 MB
