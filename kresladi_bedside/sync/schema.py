"""Sync's own tables (migration block 200–299).

How delivery is tracked. The store writes one outbox row per event (store/schema.py); sync keeps
its per-procedure state on those rows, so "what is still waiting" is always "which finished
procedures have outbox rows with `delivered_at` NULL":

- delivered: after a 2xx answer, every outbox row of the procedure up to the seq that was sent
  gets `delivered_at`; one `sync_deliveries` row records the head (seq and hash) that the server
  received. Events appended later (a correction) have new, undelivered outbox rows, so the
  procedure is sent again, whole; `ifNoneExist` lets the server keep what it already has.
- retrying: `attempts`, `next_attempt_at` and `last_error` on the undelivered rows.
- parked: `parked_reason` on the undelivered rows (a person must look; never retried until
  `sync --unpark`).
- withheld: training procedures get a `sync_withheld` row and never leave the machine.
"""

from __future__ import annotations

import sqlite3

from ..store.migrations import register_migration


@register_migration(200, "sync_deliveries")
def _deliveries(db: sqlite3.Connection) -> None:
    statements = [
        """CREATE TABLE sync_deliveries (
            procedure_id TEXT NOT NULL,
            head_seq INTEGER NOT NULL,
            head_hash TEXT NOT NULL,
            delivered_at TEXT NOT NULL,
            http_status INTEGER NOT NULL,
            base_url TEXT NOT NULL,
            PRIMARY KEY (procedure_id, head_seq)
        )""",
        """CREATE TABLE sync_withheld (
            procedure_id TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        )""",
    ]
    for sql in statements:
        db.execute(sql)


@register_migration(201, "sync_progress")
def _progress(db: sqlite3.Connection) -> None:
    """Delivery in parts (issue 24): how many leading entries of a procedure's record, built from
    the events up to `head_hash`, the server verifiably holds, and the Bundle size that last
    fitted the server's quota; a pass resumes there. Dropped when the procedure is delivered."""
    db.execute("""CREATE TABLE sync_progress (
        procedure_id TEXT PRIMARY KEY,
        head_hash TEXT NOT NULL,
        stored INTEGER NOT NULL,
        chunk INTEGER NOT NULL
    )""")
