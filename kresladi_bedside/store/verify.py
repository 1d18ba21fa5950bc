"""Walk every procedure's hash chain and report the first broken row.

Run at start, before printing and before sync. A broken chain is reported, never repaired: the
caller shows a blocking alarm naming the procedure and the row.

Rows are walked in storage order (`pos`), so rows put back in another order are found too. For each
row, in this order: its own hash must match its columns (else the row was altered), its seq must be
the next one (else rows are missing or reordered), its prev_hash must be the previous row's hash
(else a row was replaced). Finally the chain's last row must be the head the store recorded
(else rows were removed from the end).

Then the seals (seals.py): every row after the log's `legacy_until` must carry a valid seal made
with this workstation's key for exactly its position, id, procedure, seq and hash, the seals must
form one unbroken chain, and no seal may be left without its row. A forger who rewrites rows and
recomputes the SHA-256 hashes is found here (`unsealed`, `seal_mismatch`, `removed`). Without the
key (`Store.key_state`) the seals cannot be checked: the report says so and is not ok.

`verify(store, procedure_ids)` checks only those chains, their heads and their own rows' seals (not
the seal chain's continuity): start-up runs that before first paint for the unfinished procedures,
then the full `verify(store)` in the background.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from . import seals as _seals
from .anchors import anchor_breaks
from .db import Store
from .errors import StorageError, storage_error_from
from .rows import COLUMNS, EventRow
from .schema import GENESIS_HASH

Problem = Literal["hash_mismatch", "missing_seq", "reordered", "wrong_prev_hash", "truncated",
                  "head_missing", "database_damaged", "unsealed", "seal_mismatch", "removed",
                  "seal_chain", "anchor_mismatch", "delivery_unsealed",
                  "withheld_without_cause", "outbox_missing", "held_back", "undelivered"]
LOG = "(log)"  # a break that belongs to no one procedure (the seal chain itself)


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
        if self.seq == 0:  # about the procedure as a whole (anchors.py)
            return f"procedure {self.procedure_id}: {self.problem.replace('_', ' ')} — " \
                   f"{self.detail}"
        return (f"procedure {self.procedure_id}, seq {self.seq} ({where}): "
                f"{self.problem.replace('_', ' ')} — {self.detail}")


@dataclass(frozen=True)
class VerifyReport:
    procedures: int
    events: int
    integrity: str  # PRAGMA integrity_check's answer ("ok" when the file is sound)
    breaks: tuple[Break, ...]  # the first break of each broken procedure, in storage order
    key_problem: str | None = None  # the seals could not be checked (key missing or another)
    legacy_events: int = 0  # written before the log had a key: covered by the plain chain only
    full: bool = True  # False: only some chains were checked (start-up's quick pass)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.breaks and self.key_problem is None

    @property
    def first(self) -> Break | None:
        return self.breaks[0] if self.breaks else None

    @property
    def broken_procedures(self) -> tuple[str, ...]:
        return tuple(b.procedure_id for b in self.breaks)

    def summary(self) -> str:
        legacy = (f"; {self.legacy_events} events from before the keyed chain (plain SHA-256 "
                  "only)" if self.legacy_events else "")
        if self.ok:
            return (f"ok: {self.procedures} procedures, {self.events} events, every chain "
                    f"intact and sealed{legacy}")
        if not self.breaks and self.integrity == "ok":
            return (f"NOT CHECKED: {self.procedures} procedures, {self.events} events: the hash "
                    f"chains hold, but the seals could not be checked: {self.key_problem}")
        lines = [f"BROKEN: {len(self.breaks)} of {self.procedures} procedures"]
        if self.key_problem is not None:
            lines.append(f"seals not checked: {self.key_problem}")
        if self.integrity != "ok":
            lines.append(f"database integrity check: {self.integrity}")
        lines.extend(b.describe() for b in self.breaks)
        return "\n".join(lines)


def verify(store: Store, procedure_ids: Iterable[str] | None = None) -> VerifyReport:
    only = None if procedure_ids is None else set(procedure_ids)
    # One read transaction: the rows, heads and seals of one moment. Read statement by
    # statement, a commit by another process in between (a sign-in's event) showed a chain
    # longer than its head: a damaged log that was not (issue 26, 12 processes at once).
    with store.reading():
        return _verify(store, only)


def _verify(store: Store, only: set[str] | None) -> VerifyReport:
    try:
        integrity = "ok" if only is not None else "; ".join(
            str(r[0]) for r in store.conn.execute("PRAGMA integrity_check").fetchall()
        )
        chains: dict[str, list[tuple[int, EventRow]]] = defaultdict(list)
        count = 0
        sql = f"SELECT pos, {', '.join(COLUMNS)} FROM events"
        params: list[str] = []
        if only is not None:
            sql += f" WHERE procedure_id IN ({', '.join('?' for _ in only)})"
            params = sorted(only)
        for pos, *values in store.conn.execute(sql + " ORDER BY pos", params):
            row = EventRow(*values)
            chains[row.procedure_id].append((pos, row))
            count += 1
        heads = {r[0]: (r[1], r[2]) for r in
                 store.conn.execute("SELECT procedure_id, seq, hash FROM chain_heads")
                 if only is None or r[0] in only}
        meta = _seals.read_meta(store.conn)
        seals = _seals.all_seals(store.conn, only)
    except sqlite3.Error as exc:
        raise storage_error_from(exc, store.path, "the log could not be verified") from exc
    breaks: list[Break] = []
    for procedure_id in sorted(set(chains) | set(heads)):
        found = _check_chain(procedure_id, chains.get(procedure_id, []), heads.get(procedure_id))
        if found is not None:
            breaks.append(found)
    key_problem = store.key_problem() if store.key_state != "ok" else None
    legacy_until = _legacy_until(store, meta)
    legacy = sum(1 for rows in chains.values() for pos, _ in rows if pos <= legacy_until)
    if key_problem is None and store.key is not None:
        if legacy_until < 0:
            key_problem = "the log's key record is missing or altered: its seals cannot be trusted"
        else:
            broken = {b.procedure_id for b in breaks}
            for found in _check_seals(store, chains, seals, legacy_until, full=only is None):
                if found.procedure_id not in broken:
                    breaks.append(found)
                    broken.add(found.procedure_id)
    if only is None:
        broken = {b.procedure_id for b in breaks}
        for anchor in anchor_breaks(store, max(legacy_until, 0)):
            if anchor.procedure_id not in broken:
                breaks.append(Break(anchor.procedure_id, 0, None, None,
                                    anchor.problem,  # type: ignore[arg-type]
                                    anchor.detail))
                broken.add(anchor.procedure_id)
    if key_problem is not None and not chains and not heads:
        key_problem = None  # an empty log: nothing to seal
    # Rows missing from the end of a chain have no position: they sort after every stored row.
    breaks.sort(key=lambda b: (b.pos is None, b.pos or 0))
    return VerifyReport(len(set(chains) | set(heads)), count, integrity, tuple(breaks),
                        key_problem, legacy, only is None)


def _legacy_until(store: Store, meta: dict[str, tuple[str, str]]) -> int:
    """Position up to which rows predate the key; -1 when the record is missing or forged."""
    found = meta.get(_seals.META_LEGACY_UNTIL)
    if found is None or store.key is None:
        return -1
    value, mac = found
    if not store.key.check(_seals.meta_text(_seals.META_LEGACY_UNTIL, value), mac):
        return -1
    try:
        return int(value)
    except ValueError:
        return -1


def _check_seals(store: Store, chains: dict[str, list[tuple[int, EventRow]]],
                 seals: dict[int, _seals.Seal], legacy_until: int, *, full: bool) -> list[Break]:
    """Each row's seal; with `full`, also the seal chain's continuity and seals left over."""
    key = store.key
    assert key is not None
    found: list[Break] = []
    rows_at: dict[int, EventRow] = {}
    checked: dict[int, bool] = {}  # pos → the seal's MAC is right (each MAC computed once)

    def valid(seal: _seals.Seal) -> bool:
        known = checked.get(seal.pos)
        if known is None:
            known = checked[seal.pos] = seal.valid(key)
        return known

    for procedure_id, rows in chains.items():
        for pos, row in rows:
            rows_at[pos] = row
            if pos <= legacy_until:
                continue
            seal = seals.get(pos)
            if seal is None:
                found.append(Break(procedure_id, row.seq, pos, row.id, "unsealed",
                                   "the row carries no seal of this workstation's key: it was "
                                   "written around the program"))
                break
            if (seal.event_id, seal.procedure_id, seal.seq, seal.hash) != (
                    row.id, row.procedure_id, row.seq, row.hash) or not valid(seal):
                found.append(Break(procedure_id, row.seq, pos, row.id, "seal_mismatch",
                                   "the row is not the one this workstation sealed at this "
                                   "position: altered, re-hashed or moved"))
                break
    if not full:
        return found
    prev = _seals.GENESIS_MAC
    for pos, seal in seals.items():
        if pos not in rows_at:
            found.append(Break(seal.procedure_id, seal.seq, pos, seal.event_id, "removed",
                               "this workstation sealed an event here that is no longer in the "
                               "log: rows were deleted"))
        if seal.prev_mac != prev or not valid(seal):
            found.append(Break(seal.procedure_id, seal.seq, pos, seal.event_id, "seal_chain",
                               "the seal chain is broken before this row: sealed rows were "
                               "removed or seals were forged"))
            break
        prev = seal.mac
    return found


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
