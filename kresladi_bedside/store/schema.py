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

import sqlite3

from .migrations import register_migration

GENESIS_HASH = "0" * 64


@register_migration(1, "store_events")
def _events(db: sqlite3.Connection) -> None:
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


def _refuse_replace(table: str, name: str, condition: str) -> str:
    """A BEFORE INSERT trigger that refuses a row clashing with one already stored.

    Why: `INSERT OR REPLACE`, `REPLACE` and an UPSERT resolve a clash by deleting (or updating)
    the stored row, and SQLite fires no DELETE trigger for a REPLACE deletion unless the
    connection set `recursive_triggers`, which an attacker's connection does not. A BEFORE INSERT
    trigger runs before any conflict resolution, on every connection.
    """
    return (f"CREATE TRIGGER {name} BEFORE INSERT ON {table} WHEN EXISTS "
            f"(SELECT 1 FROM {table} WHERE {condition}) "
            f"BEGIN SELECT RAISE(ABORT, '{table} are append-only: a stored row cannot be "
            "replaced'); END")


@register_migration(2, "store_seals")
def _seals(db: sqlite3.Connection) -> None:
    """The keyed chain (seals.py), and triggers that hold against every way to replace a row."""
    statements = [
        """CREATE TABLE seals (
            pos INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL UNIQUE,
            procedure_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            hash TEXT NOT NULL,
            prev_mac TEXT NOT NULL,
            mac TEXT NOT NULL
        )""",
        """CREATE TABLE store_meta (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            mac TEXT NOT NULL
        )""",
        _refuse_replace("events", "events_no_replace",
                        "pos = NEW.pos OR id = NEW.id OR "
                        "(procedure_id = NEW.procedure_id AND seq = NEW.seq)"),
        _refuse_replace("seals", "seals_no_replace", "pos = NEW.pos OR event_id = NEW.event_id"),
        _refuse_replace("store_meta", "store_meta_no_replace", "name = NEW.name"),
        """CREATE TRIGGER seals_no_update BEFORE UPDATE ON seals
           BEGIN SELECT RAISE(ABORT, 'seals are append-only: UPDATE refused'); END""",
        """CREATE TRIGGER seals_no_delete BEFORE DELETE ON seals
           BEGIN SELECT RAISE(ABORT, 'seals are append-only: DELETE refused'); END""",
        """CREATE TRIGGER store_meta_no_update BEFORE UPDATE ON store_meta
           BEGIN SELECT RAISE(ABORT, 'store_meta is append-only: UPDATE refused'); END""",
        """CREATE TRIGGER store_meta_no_delete BEFORE DELETE ON store_meta
           BEGIN SELECT RAISE(ABORT, 'store_meta is append-only: DELETE refused'); END""",
        # chain_heads only moves forward, one event at a time, to the hash stored for that seq:
        # the UPSERT of migration 1 becomes an UPDATE then an INSERT so that a replace guard can
        # refuse every other way in.
        "DROP TRIGGER events_head",
        """CREATE TRIGGER events_head AFTER INSERT ON events
           BEGIN
             UPDATE chain_heads SET seq = NEW.seq, hash = NEW.hash
              WHERE procedure_id = NEW.procedure_id;
             INSERT INTO chain_heads (procedure_id, seq, hash)
             SELECT NEW.procedure_id, NEW.seq, NEW.hash
              WHERE NOT EXISTS (SELECT 1 FROM chain_heads WHERE procedure_id = NEW.procedure_id);
           END""",
        _refuse_replace("chain_heads", "chain_heads_no_replace",
                        "procedure_id = NEW.procedure_id"),
        """CREATE TRIGGER chain_heads_forward BEFORE UPDATE ON chain_heads
           WHEN NEW.procedure_id IS NOT OLD.procedure_id OR NEW.seq IS NOT OLD.seq + 1
             OR NEW.hash IS NOT (SELECT hash FROM events
                                 WHERE procedure_id = NEW.procedure_id AND seq = NEW.seq)
           BEGIN SELECT RAISE(ABORT, 'chain heads only move forward with the log'); END""",
        """CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON chain_heads
           BEGIN SELECT RAISE(ABORT, 'chain heads are append-only: DELETE refused'); END""",
        # sync changes outbox rows (delivered, retried, parked) but never removes one: a removed
        # row would make its procedure look delivered (anchors.py finds it if triggers are gone)
        """CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
           BEGIN SELECT RAISE(ABORT, 'outbox rows are never deleted'); END""",
        _refuse_replace("outbox", "outbox_no_replace", "event_id = NEW.event_id"),
    ]
    for sql in statements:
        db.execute(sql)
