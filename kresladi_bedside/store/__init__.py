"""The procedure log: append-only, hash-chained SQLite (see schema.py for the tables)."""

from .db import Store, database_path, default_database_path, open_store
from .errors import (
    AppendOnlyViolation,
    CorruptDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyError,
    StorageError,
    StorageIOError,
)
from .key import KeyMissingError
from .listener import StoreListener
from .migrations import register_migration
from .rows import EventRow
from .verify import Break, VerifyReport, verify

__all__ = [
    "AppendOnlyViolation", "Break", "CorruptDatabaseError", "DatabaseLockedError", "DiskFullError",
    "EventRow", "KeyMissingError", "ReadOnlyError", "StorageError", "StorageIOError", "Store",
    "StoreListener",
    "VerifyReport", "database_path", "default_database_path", "open_store", "register_migration",
    "verify",
]
