"""Any change to the stored log is found, with the position of the first bad row."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kresladi_bedside.store import VerifyReport, open_store, verify
from kresladi_bedside.store.rows import COLUMNS

PROCEDURES = {"proc-a": 6, "proc-b": 4}
TOTAL = sum(PROCEDURES.values())


@pytest.fixture(scope="module")
def template(tmp_path_factory, hand_events) -> Path:
    path = tmp_path_factory.mktemp("tamper") / "template.db"
    with open_store(path) as store:
        a, b = (hand_events(p, n) for p, n in PROCEDURES.items())
        # interleaved, so storage order and chain order differ
        for batch in ([a[0]], [b[0]], a[1:3], [b[1], a[3]], b[2:], a[4:]):
            store.append(batch)
        assert verify(store).ok
    return path  # closed: WAL checkpointed into the file


class Raw:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None)

    def execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)


@contextmanager
def tampered(template: Path) -> Iterator[Raw]:
    """A copy of the log opened raw, triggers dropped: what someone editing the file could do."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "copy.db"
        shutil.copy(template, path)
        raw = Raw(path)
        for trigger in ("events_no_update", "events_no_delete", "events_head"):
            raw.execute(f"DROP TRIGGER {trigger}")
        yield raw
        raw.conn.close()


def report_of(conn: Raw) -> VerifyReport:
    with open_store(conn.path) as store:
        return verify(store)


def row_at(conn: Raw, pos: int) -> dict:
    cursor = conn.execute(f"SELECT pos, {', '.join(COLUMNS)} FROM events WHERE pos = ?", (pos,))
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def changed(value: object, index: int, char: str) -> object:
    """`value` with one character of its stored text replaced (digits for numbers)."""
    if value is None:
        return char
    text = repr(value) if isinstance(value, float) else str(value)
    i = index % len(text)
    if isinstance(value, int | float):
        char = str(ord(char) % 10)
    assume(text[i] != char)
    new = text[:i] + char + text[i + 1:]
    if isinstance(value, int):
        return int(new)
    if isinstance(value, float):
        return float(new)
    return new


def test_the_untouched_template_verifies(template):
    with tampered(template) as conn:
        report = report_of(conn)
    assert report.ok and report.events == TOTAL and report.procedures == 2


@settings(max_examples=150, deadline=None)
@given(pos=st.integers(1, TOTAL), column=st.sampled_from(COLUMNS), index=st.integers(0, 200),
       char=st.characters(codec="utf-8", exclude_categories=("Cs",)))
def test_changing_any_byte_of_any_event_is_found_at_that_row(template, pos, column, index, char):
    with tampered(template) as conn:
        before = row_at(conn, pos)
        try:
            new = changed(before[column], index, char)
            conn.execute(f"UPDATE events SET {column} = ? WHERE pos = ?", (new, pos))
        except sqlite3.IntegrityError:
            assume(False)  # e.g. a seq that already exists: SQLite itself refuses it
        report = report_of(conn)
    assert not report.ok
    assert report.first is not None
    assert report.first.pos == pos
    assert report.first.event_id == (new if column == "id" else before["id"])
    assert report.first.problem == "hash_mismatch"


@pytest.mark.parametrize("pos", range(1, TOTAL + 1))
def test_deleting_any_row_is_found_as_its_missing_seq(template, pos):
    with tampered(template) as conn:
        gone = row_at(conn, pos)
        conn.execute("DELETE FROM events WHERE pos = ?", (pos,))
        report = report_of(conn)
    assert not report.ok
    first = report.first
    assert (first.procedure_id, first.seq) == (gone["procedure_id"], gone["seq"])
    last_of_chain = gone["seq"] == PROCEDURES[gone["procedure_id"]]
    assert first.problem == ("truncated" if last_of_chain else "missing_seq")


def test_deleting_a_whole_procedure_is_found(template):
    with tampered(template) as conn:
        conn.execute("DELETE FROM events WHERE procedure_id = 'proc-b'")
        report = report_of(conn)
    assert report.broken_procedures == ("proc-b",)
    assert report.first.problem == "truncated"


def chain_positions(conn: Raw, procedure_id: str) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT pos FROM events WHERE procedure_id = ? ORDER BY pos", (procedure_id,))]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_reordering_rows_is_found_at_the_first_moved_row(template, data):
    procedure_id = data.draw(st.sampled_from(sorted(PROCEDURES)))
    with tampered(template) as conn:
        positions = chain_positions(conn, procedure_id)
        i, j = sorted(data.draw(st.lists(st.sampled_from(positions), min_size=2, max_size=2,
                                         unique=True)))
        expected_seq = row_at(conn, i)["seq"]
        conn.execute("UPDATE events SET pos = -1 WHERE pos = ?", (i,))
        conn.execute("UPDATE events SET pos = ? WHERE pos = ?", (i, j))
        conn.execute("UPDATE events SET pos = ? WHERE pos = -1", (j,))
        report = report_of(conn)
    assert not report.ok
    assert (report.first.procedure_id, report.first.pos) == (procedure_id, i)
    assert report.first.seq == expected_seq
    assert report.first.problem == "reordered"


def test_a_forged_row_with_a_valid_hash_is_found_by_its_link(template):
    """Someone who recomputes the row's hash still breaks the link to its neighbour."""
    from kresladi_bedside.store.rows import EventRow

    with tampered(template) as conn:
        positions = chain_positions(conn, "proc-a")
        victim = row_at(conn, positions[2])
        forged = EventRow.from_mapping({**victim, "data": '{"items":{"forged":true}}',
                                        "hash": ""})
        forged = EventRow.from_mapping({**forged.to_dict(), "hash": forged.computed_hash()})
        conn.execute("UPDATE events SET data = ?, hash = ? WHERE pos = ?",
                     (forged.data, forged.hash, positions[2]))
        report = report_of(conn)
    assert report.first.pos == positions[3]
    assert report.first.problem == "wrong_prev_hash"
