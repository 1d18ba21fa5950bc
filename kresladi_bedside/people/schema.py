"""The `users` table (migration 100).

A user row is never deleted (the log points at it: `users_no_delete`); an administrator disables
it instead. The PIN column holds an argon2 hash only: the CHECK refuses anything else, so a clear
PIN cannot be stored even by mistake. Roles are space-separated, sorted.

The history of every change is in the people log (`audit.PEOPLE_LOG`); this table is the current
state the sign-in reads.
"""

from __future__ import annotations

import sqlite3

from ..store.migrations import register_migration


@register_migration(100, "people_users")
def _users(db: sqlite3.Connection) -> None:
    statements = [
        """CREATE TABLE users (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            badge TEXT NOT NULL UNIQUE,
            pin_hash TEXT NOT NULL CHECK (pin_hash LIKE '$argon2%'),
            roles TEXT NOT NULL,
            active INTEGER NOT NULL CHECK (active IN (0, 1)),
            created_at TEXT NOT NULL,
            changed_at TEXT NOT NULL
        )""",
        """CREATE TRIGGER users_no_delete BEFORE DELETE ON users
           BEGIN SELECT RAISE(ABORT, 'users are never deleted: disable them instead'); END""",
    ]
    for sql in statements:
        db.execute(sql)


@register_migration(101, "people_users_no_replace")
def _users_no_replace(db: sqlite3.Connection) -> None:
    """`INSERT OR REPLACE` / `REPLACE` / UPSERT would delete a user row without firing
    `users_no_delete` (store/schema.py `_refuse_replace` explains why): refused before it runs."""
    db.execute(
        "CREATE TRIGGER users_no_replace BEFORE INSERT ON users WHEN EXISTS "
        "(SELECT 1 FROM users WHERE id = NEW.id OR badge = NEW.badge) "
        "BEGIN SELECT RAISE(ABORT, 'users are never replaced: an administrator changes them'); "
        "END")
