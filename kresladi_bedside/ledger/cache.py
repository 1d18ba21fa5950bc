"""The ledger over a store, kept cheap at the bedside.

`StoreLedger(store)` keeps each chain's `ProcedureFacts` with the chain head (seq, hash) they
were folded up to. `ledger()` compares with the store's heads and folds only what is new: a chain
whose head moved is continued from the cached facts (its first new row must chain onto the cached
hash, else it is folded again from its first event). Finished procedures never change, so their
facts are kept in the `ledger_facts` table and a restart reads them instead of every event; open
ones are folded in memory (a procedure's few dozen events). The cache is derived: a missing,
stale or unreadable row only costs a fold.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass

from ..engine.custody import CustodyBar
from ..store import Store
from .facts import ProcedureFacts, evolve_facts
from .ledger import Ledger

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Cached:
    seq: int
    hash: str
    facts: ProcedureFacts


class StoreLedger:
    """The ledger of every procedure in `store`, refreshed on each question (the engine's
    `Custody`)."""

    def __init__(self, store: Store, *, use_table: bool = True) -> None:
        self.store = store
        self.use_table = use_table
        self._cache: dict[str, _Cached] = {}
        self._ledger: Ledger | None = None
        self.folded_events = 0  # how many events were read and folded (for tests and benches)
        self._seen_position: int | None = -1
        self._loaded = not use_table  # the cache table is read at the first question, not at
        # start-up: opening the window costs nothing

    # ------------------------------------------------------------------ the engine's questions
    def bag_bar(self, identifiers: tuple[str, ...], *, excluding: str | None) -> CustodyBar | None:
        return self.ledger().bag_bar(identifiers, excluding=excluding)

    def patient_bar(self, mrn: str | None, coi: str | None, *,
                    excluding: str | None) -> CustodyBar | None:
        return self.ledger().patient_bar(mrn, coi, excluding=excluding)

    # ------------------------------------------------------------------ refreshing
    def ledger(self) -> Ledger:
        """The ledger as of the store's current heads."""
        # Every append or import adds rows at a higher position: an unchanged last position
        # means nothing changed since the last question (one index lookup, not a scan).
        last = self._last_position()
        if self._ledger is not None and last == self._seen_position:
            return self._ledger
        if not self._loaded:
            self._loaded = True
            self._load_table()
        heads = self.store.heads()
        changed = False
        finished: list[tuple[str, _Cached]] = []
        for pid, (_seq, head_hash) in heads.items():
            cached = self._cache.get(pid)
            if cached is not None and (cached.hash == head_hash
                                       or not cached.facts.is_procedure):
                continue  # unchanged, or a log that is not a procedure (never one later)
            fresh = self._fold(pid, cached)
            self._cache[pid] = fresh
            changed = True
            if fresh.facts.outcome is not None or not fresh.facts.is_procedure:
                finished.append((pid, fresh))
        if changed or self._ledger is None:
            self._ledger = Ledger(c.facts for c in self._cache.values())
        if finished and self.use_table:
            self._save(finished)
        self._seen_position = last
        return self._ledger

    def _last_position(self) -> int | None:
        try:
            row = self.store.conn.execute("SELECT max(pos) FROM events").fetchone()
        except sqlite3.Error:
            return None
        return None if row is None or row[0] is None else int(row[0])

    def _fold(self, pid: str, cached: _Cached | None) -> _Cached:
        start = cached.seq if cached is not None else 0
        rows = self.store.rows_after(pid, start)
        if cached is not None and (not rows or rows[0].prev_hash != cached.hash):
            cached, rows = None, self.store.rows_after(pid, 0)  # the cache was wrong: refold
        facts = cached.facts if cached is not None else ProcedureFacts(pid)
        seq, head_hash = (cached.seq, cached.hash) if cached is not None else (0, "")
        for row in rows:
            facts = evolve_facts(facts, row.to_event())
            seq, head_hash = row.seq, row.hash
            self.folded_events += 1
        return _Cached(seq, head_hash, facts)

    # ------------------------------------------------------------------ the table
    def _load_table(self) -> None:
        try:
            rows = self.store.conn.execute(
                "SELECT procedure_id, seq, hash, facts FROM ledger_facts").fetchall()
        except sqlite3.Error as exc:
            log.warning("ledger cache not read (%s): folding from the events", exc)
            return
        for pid, seq, head_hash, text in rows:
            try:
                facts = ProcedureFacts.from_dict(json.loads(text))
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("ledger cache row for %s unreadable (%s): refolded", pid, exc)
                continue
            self._cache[str(pid)] = _Cached(int(seq), str(head_hash), facts)

    def _save(self, finished: list[tuple[str, _Cached]]) -> None:
        conn = self.store.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT INTO ledger_facts (procedure_id, seq, hash, facts) VALUES (?,?,?,?) "
                    "ON CONFLICT (procedure_id) DO UPDATE SET seq = excluded.seq, "
                    "hash = excluded.hash, facts = excluded.facts",
                    [(pid, c.seq, c.hash, json.dumps(c.facts.to_dict(), sort_keys=True))
                     for pid, c in finished])
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            # Derived data only: the next start folds those procedures again.
            log.warning("ledger cache not written (%s)", exc)
