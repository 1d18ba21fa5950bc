"""The ledger's cache table in the procedure database.

`ledger_facts` holds, per finished procedure chain, the folded `ProcedureFacts` and the chain head
(seq, hash) they were folded up to. It is derived data: never a source of truth, rebuilt from the
events whenever the head differs (or the row is missing), and safe to delete.
"""

from __future__ import annotations

import sqlite3

from ..store.migrations import register_migration


@register_migration(350, "ledger_facts")
def _ledger_facts(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE ledger_facts (
        procedure_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        facts TEXT NOT NULL
    )""")
