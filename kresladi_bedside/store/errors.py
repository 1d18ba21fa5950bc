"""Typed storage errors: what the window shows as a blocking "not recorded" alarm.

Each names the database file and the cause in words a nurse or a technician can act on.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# SQLite primary result codes (the low byte of the extended code).
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26


class StorageError(Exception):
    """The procedure log could not be written or read; the command was NOT recorded."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = None if path is None else str(path)
        super().__init__(message if path is None else f"{message} (database: {path})")


class DiskFullError(StorageError):
    pass


class ReadOnlyError(StorageError):
    pass


class DatabaseLockedError(StorageError):
    pass


class StorageIOError(StorageError):
    pass


class CorruptDatabaseError(StorageError):
    pass


class AppendOnlyViolation(StorageError):
    """Something tried to change or delete a recorded event."""


def storage_error_from(exc: sqlite3.Error, path: Path | str, action: str) -> StorageError:
    """Map an sqlite3 error to the typed error the caller can show."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    text = str(exc)
    lowered = text.lower()
    if primary == _SQLITE_FULL or "disk is full" in lowered:
        return DiskFullError(f"{action}: the disk is full ({text})", path)
    if primary == _SQLITE_READONLY or "readonly" in lowered:
        return ReadOnlyError(f"{action}: the database file is read-only ({text})", path)
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in lowered:
        return DatabaseLockedError(
            f"{action}: the database is locked by another program ({text})", path
        )
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return CorruptDatabaseError(f"{action}: the database file is damaged ({text})", path)
    if "append-only" in lowered:
        return AppendOnlyViolation(f"{action}: {text}", path)
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN) or "i/o" in lowered or "open" in lowered:
        return StorageIOError(f"{action}: the disk could not be read or written ({text})", path)
    return StorageError(f"{action}: {text}", path)
