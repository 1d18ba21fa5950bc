"""The store's own tables: the event log, the chain heads and the outbox.

Chain: one hash chain per procedure. A procedure's first row has `prev_hash` = GENESIS_HASH; every
later row carries the previous row's `hash`. Per procedure (not global) so that a procedure exported
from one workstation and imported into another keeps byte-identical rows and hashes.
`chain_heads` (kept by a trigger) records each procedure's last seq and hash, so that deleting the
last row of a chain is detected too.

Outbox (for sync, #9): one row per event, written in the same transaction as the event.
  event_id (the event's id), procedure_id, seq, created_at (UTC ISO),
  delivered_at (NULL until the server has it), attempts (0), next_attempt_at (NULL = now),
  parked_reason (NULL; set when a person must look), last_error.
The outbox is not part of the chain: sync may update it freely.

Migrations use plain SQL (`db.execute`): sqlite-utils' table helpers commit on their own, which
would end the migration's transaction early.
"""

from __future__ import annotations

import sqlite_utils

from .migrations import register_migration

GENESIS_HASH = "0" * 64


@register_migration(1, "store_events")
def _events(db: sqlite_utils.Database) -> None:
    statements = [
        """CREATE TABLE events (
            pos INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            procedure_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            type TEXT NOT NULL,
            data TEXT NOT NULL,
            user TEXT NOT NULL,
            wall_utc TEXT NOT NULL,
            utc_offset_s INTEGER NOT NULL,
            mono REAL,
            boot_id TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            corrects TEXT,
            UNIQUE (procedure_id, seq)
        )""",
        "CREATE INDEX events_type ON events (procedure_id, type)",
        """CREATE TABLE chain_heads (
            procedure_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL
        )""",
        """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
           BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END""",
        """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
           BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END""",
        """CREATE TRIGGER events_head AFTER INSERT ON events
           BEGIN
             INSERT INTO chain_heads (procedure_id, seq, hash)
             VALUES (NEW.procedure_id, NEW.seq, NEW.hash)
             ON CONFLICT (procedure_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
           END""",
        """CREATE TABLE outbox (
            event_id TEXT PRIMARY KEY REFERENCES events (id),
            procedure_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            delivered_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            parked_reason TEXT,
            last_error TEXT
        )""",
        "CREATE INDEX outbox_pending ON outbox (delivered_at, procedure_id, seq)",
    ]
    for sql in statements:
        db.execute(sql)
