"""Walk every procedure's hash chain and report the first broken row.

Run at start, before printing and before sync. A broken chain is reported, never repaired: the
caller shows a blocking alarm naming the procedure and the row.

Rows are walked in storage order (`pos`), so rows put back in another order are found too. For each
row, in this order: its own hash must match its columns (else the row was altered), its seq must be
the next one (else rows are missing or reordered), its prev_hash must be the previous row's hash
(else a row was replaced). Finally the chain's last row must be the head the store recorded
(else rows were removed from the end).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from .db import Store
from .errors import StorageError, storage_error_from
from .rows import COLUMNS, EventRow
from .schema import GENESIS_HASH

Problem = Literal["hash_mismatch", "missing_seq", "reordered", "wrong_prev_hash", "truncated",
                  "head_missing", "database_damaged"]


@dataclass(frozen=True)
class Break:
    procedure_id: str
    seq: int  # the seq expected at the bad position
    pos: int | None  # storage position of the bad row; None when rows are missing at the end
    event_id: str | None
    problem: Problem
    detail: str

    def describe(self) -> str:
        where = f"row {self.pos}" if self.pos is not None else "after the last row"
        return (f"procedure {self.procedure_id}, seq {self.seq} ({where}): "
                f"{self.problem.replace('_', ' ')} — {self.detail}")


@dataclass(frozen=True)
class VerifyReport:
    procedures: int
    events: int
    integrity: str  # PRAGMA integrity_check's answer ("ok" when the file is sound)
    breaks: tuple[Break, ...]  # the first break of each broken procedure, in storage order

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.breaks

    @property
    def first(self) -> Break | None:
        return self.breaks[0] if self.breaks else None

    @property
    def broken_procedures(self) -> tuple[str, ...]:
        return tuple(b.procedure_id for b in self.breaks)

    def summary(self) -> str:
        if self.ok:
            return f"ok: {self.procedures} procedures, {self.events} events, every chain intact"
        lines = [f"BROKEN: {len(self.breaks)} of {self.procedures} procedures"]
        if self.integrity != "ok":
            lines.append(f"database integrity check: {self.integrity}")
        lines.extend(b.describe() for b in self.breaks)
        return "\n".join(lines)


def verify(store: Store) -> VerifyReport:
    try:
        integrity = "; ".join(
            str(r[0]) for r in store.conn.execute("PRAGMA integrity_check").fetchall()
        )
        chains: dict[str, list[tuple[int, EventRow]]] = defaultdict(list)
        count = 0
        sql = f"SELECT pos, {', '.join(COLUMNS)} FROM events ORDER BY pos"
        for pos, *values in store.conn.execute(sql):
            row = EventRow(*values)
            chains[row.procedure_id].append((pos, row))
            count += 1
        heads = {r[0]: (r[1], r[2]) for r in
                 store.conn.execute("SELECT procedure_id, seq, hash FROM chain_heads")}
    except sqlite3.Error as exc:
        raise storage_error_from(exc, store.path, "the log could not be verified") from exc
    breaks: list[Break] = []
    for procedure_id in sorted(set(chains) | set(heads)):
        found = _check_chain(procedure_id, chains.get(procedure_id, []), heads.get(procedure_id))
        if found is not None:
            breaks.append(found)
    # Rows missing from the end of a chain have no position: they sort after every stored row.
    breaks.sort(key=lambda b: (b.pos is None, b.pos or 0))
    return VerifyReport(len(set(chains) | set(heads)), count, integrity, tuple(breaks))


def _check_chain(procedure_id: str, rows: list[tuple[int, EventRow]],
                 head: tuple[int, str] | None) -> Break | None:
    expected_seq, prev = 1, GENESIS_HASH
    seqs_after = [row.seq for _, row in rows]
    for index, (pos, row) in enumerate(rows):
        def broken(problem: Problem, detail: str, pos: int = pos, row: EventRow = row,
                   seq: int = expected_seq) -> Break:
            return Break(procedure_id, seq, pos, row.id, problem, detail)

        try:
            computed = row.computed_hash()
        except StorageError as exc:
            return broken("hash_mismatch", f"a column holds a value that cannot be hashed ({exc})")
        if computed != row.hash:
            return broken("hash_mismatch", "the row's contents do not match its hash: altered")
        if row.seq != expected_seq:
            if expected_seq in seqs_after[index + 1:] or row.seq < expected_seq:
                return broken("reordered", f"seq {row.seq} is stored where seq {expected_seq} "
                                           "belongs")
            return broken("missing_seq", f"seq {expected_seq} is missing (next is {row.seq})")
        if row.prev_hash != prev:
            return broken("wrong_prev_hash",
                          "prev_hash is not the previous row's hash: a row was replaced")
        expected_seq, prev = expected_seq + 1, row.hash
    if head is None:
        first_pos, first = rows[0]
        return Break(procedure_id, 1, first_pos, first.id, "head_missing",
                     "the store has no record of this chain: rows were inserted around the store")
    if (expected_seq - 1, prev) != (int(head[0]), str(head[1])):
        return Break(procedure_id, expected_seq, None, None, "truncated",
                     f"the chain ends at seq {expected_seq - 1} but the store recorded seq "
                     f"{head[0]}: rows were removed")
    return None
