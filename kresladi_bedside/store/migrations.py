"""Every schema change of the procedure database, registered in one place.

A migration is a numbered function `fn(db: sqlite3.Connection) -> None`: plain SQL (sqlite-utils'
table helpers commit on their own, and opening the log does not import sqlite-utils: 0.2 s of the
window's first paint). `open_store` applies, in number order, each one not yet recorded in the
`migrations` table, every one in its own transaction, and sets `PRAGMA user_version` to the
highest number applied.

How another package adds its tables (people: `users`; sync: outbox columns…):

    # kresladi_bedside/people/schema.py
    from kresladi_bedside.store.migrations import register_migration

    @register_migration(100, "people_users")
    def _users(db): db.execute("CREATE TABLE users (...)")

then add "kresladi_bedside.people.schema" to `MIGRATION_MODULES` below (explicit, like the CLI's
command list, so a frozen build finds it). Numbers are blocks: store 1–99, people 100–199,
sync 200–299, others 300+. A migration is never edited once released: add a new one.
Applied migrations are recorded by name, so a number added later below an applied one still runs.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

MigrationFn = Callable[[sqlite3.Connection], None]

MIGRATION_MODULES: tuple[str, ...] = (
    "kresladi_bedside.store.schema",
    "kresladi_bedside.people.schema",
    "kresladi_bedside.sync.schema",
    "kresladi_bedside.ledger.schema",
)


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    fn: MigrationFn


_REGISTRY: dict[int, Migration] = {}


def register_migration(number: int, name: str) -> Callable[[MigrationFn], MigrationFn]:
    if number < 1:
        raise MigrationError(f"migration '{name}': numbers start at 1 (got {number})")

    def add(fn: MigrationFn) -> MigrationFn:
        existing = _REGISTRY.get(number)
        if existing is not None and existing.name != name:
            raise MigrationError(
                f"migration number {number} is taken by '{existing.name}' (adding '{name}')"
            )
        if any(m.name == name and m.number != number for m in _REGISTRY.values()):
            raise MigrationError(f"migration name '{name}' is registered twice")
        _REGISTRY[number] = Migration(number, name, fn)
        return fn

    return add


def registered() -> list[Migration]:
    for module in MIGRATION_MODULES:
        importlib.import_module(module)
    return sorted(_REGISTRY.values(), key=lambda m: m.number)


def applied_names(db: sqlite3.Connection) -> set[str]:
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
                  ).fetchone() is None:
        return set()
    return {str(row[0]) for row in db.execute("SELECT name FROM migrations")}


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply pending migrations; returns the names applied now.

    A log that has none yet (a new log) gets them all in one transaction: created whole or not
    at all, with one commit (one fsync under synchronous=FULL) instead of one per migration, which
    was 50-250 ms of a first start's first paint on this disk. An existing log gets each pending
    migration in its own transaction, as before."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations "
        "(number INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)"
    )
    done = applied_names(db)
    pending = [m for m in registered() if m.name not in done]
    batches = [pending] if not done else [[m] for m in pending]
    ran: list[str] = []
    for batch in batches:
        if not batch:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            for migration in batch:
                migration.fn(db)
                db.execute(
                    "INSERT INTO migrations (number, name, applied_at) VALUES (?, ?, ?)",
                    (migration.number, migration.name, datetime.now(UTC).isoformat()),
                )
            top = db.execute("SELECT max(number) FROM migrations").fetchone()[0]
            db.execute(f"PRAGMA user_version = {int(top)}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        ran.extend(m.name for m in batch)
    return ran
