"""Opening the procedure database and appending to it.

`open_store(path)` sets WAL and `synchronous=FULL` and checks that both stuck (a log that can lose
an acknowledged event is refused), then applies pending migrations. `Store.append(events)` writes
events and their outbox rows in one transaction and returns only after COMMIT, i.e. after fsync.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import platformdirs
import sqlite_utils

from ..config import SiteConfig
from ..engine.model import Event
from .errors import StorageError, StorageIOError, storage_error_from
from .migrations import migrate
from .rows import COLUMNS, EventRow, row_for
from .schema import GENESIS_HASH

APP_NAME = "kresladi-bedside"
DB_FILENAME = "procedures.db"
DEFAULT_BUSY_TIMEOUT_MS = 5000
_SYNCHRONOUS_FULL = 2


def default_database_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def database_path(db_arg: str | Path | None, config: SiteConfig | None = None) -> Path:
    """`--db PATH` first, then the site configuration, then the user data directory."""
    if db_arg:
        return Path(db_arg)
    if config is not None and config.database is not None:
        return Path(config.database)
    return default_database_path()


class Store:
    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path
        self.conn: sqlite3.Connection = db.conn

    # ----------------------------------------------------------------------------- writing
    def append(self, events: Sequence[Event]) -> list[EventRow]:
        """Append events (chained per procedure) and their outbox rows atomically."""
        if not events:
            return []
        return self._write([], events)

    def insert_rows(self, rows: Sequence[EventRow], *, outbox: bool = True) -> None:
        """Insert already-hashed rows (an import) exactly as they are, in one transaction.

        The rows must continue each procedure's chain here; `transfer.import_lines` checks that.
        """
        if rows:
            self._write(rows, [], outbox=outbox)

    def _write(self, rows: Sequence[EventRow], events: Sequence[Event], *,
               outbox: bool = True) -> list[EventRow]:
        written: list[EventRow] = []
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                heads: dict[str, tuple[int, str]] = {}
                for row in rows:
                    self._insert(row, outbox)
                    written.append(row)
                for event in events:
                    seq, prev = heads.get(event.procedure_id) or self.head(event.procedure_id)
                    row = row_for(event, seq + 1, prev)
                    self._insert(row, outbox)
                    heads[event.procedure_id] = (row.seq, row.hash)
                    written.append(row)
                self.conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        except sqlite3.Error as exc:
            raise storage_error_from(exc, self.path, "the event was not recorded") from exc
        return written

    def _insert(self, row: EventRow, outbox: bool) -> None:
        placeholders = ", ".join("?" for _ in COLUMNS)
        self.conn.execute(
            f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({placeholders})",
            [getattr(row, name) for name in COLUMNS],
        )
        if outbox:
            self.conn.execute(
                "INSERT INTO outbox (event_id, procedure_id, seq, created_at) VALUES (?, ?, ?, ?)",
                (row.id, row.procedure_id, row.seq, row.wall_utc),
            )

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            # SQLite may already have rolled back by itself (e.g. after a full disk).
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    # ----------------------------------------------------------------------------- reading
    def head(self, procedure_id: str) -> tuple[int, str]:
        """The last (seq, hash) of a procedure's chain; (0, GENESIS_HASH) before its first row."""
        found = self.conn.execute(
            "SELECT seq, hash FROM chain_heads WHERE procedure_id = ?", (procedure_id,)
        ).fetchone()
        return (0, GENESIS_HASH) if found is None else (int(found[0]), str(found[1]))

    def heads(self) -> dict[str, tuple[int, str]]:
        """Every chain's last (seq, hash): what derived caches (the product ledger) key on."""
        try:
            return {str(r[0]): (int(r[1]), str(r[2])) for r in self.conn.execute(
                "SELECT procedure_id, seq, hash FROM chain_heads")}
        except sqlite3.Error as exc:
            raise storage_error_from(exc, self.path, "the log could not be read") from exc

    def rows_after(self, procedure_id: str, seq: int) -> list[EventRow]:
        """A procedure's rows after `seq`, in chain order (for caches that continue a fold)."""
        sql = (f"SELECT {', '.join(COLUMNS)} FROM events WHERE procedure_id = ? AND seq > ? "
               "ORDER BY seq")
        try:
            return [EventRow(*values) for values in self.conn.execute(sql, (procedure_id, seq))]
        except sqlite3.Error as exc:
            raise storage_error_from(exc, self.path, "the log could not be read") from exc

    def rows(self, procedure_id: str | None = None) -> Iterator[EventRow]:
        """Stored rows in storage (append) order."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM events"
        params: tuple[str, ...] = ()
        if procedure_id is not None:
            sql += " WHERE procedure_id = ?"
            params = (procedure_id,)
        try:
            cursor = self.conn.execute(sql + " ORDER BY pos", params)
            for values in cursor:
                yield EventRow(*values)
        except sqlite3.Error as exc:
            raise storage_error_from(exc, self.path, "the log could not be read") from exc

    def events(self, procedure_id: str) -> list[Event]:
        return [row.to_event() for row in self.rows(procedure_id)]

    def procedure_ids(self) -> list[str]:
        """Every procedure in the log, oldest first."""
        return [r[0] for r in self.conn.execute(
            "SELECT procedure_id FROM events GROUP BY procedure_id ORDER BY min(pos)"
        )]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: str | Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Store:
    """Open (creating if needed) the procedure log at `path`, durable or not at all."""
    path = Path(path)
    if str(path) == ":memory:":
        raise StorageError("the procedure log must be a file: WAL cannot be set in memory", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageIOError(f"the database folder cannot be created ({exc})", path) from exc
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=busy_timeout_ms / 1000)
    except sqlite3.Error as exc:
        raise storage_error_from(exc, path, "the database cannot be opened") from exc
    try:
        _set_durability(conn, path, busy_timeout_ms)
        db = sqlite_utils.Database(conn)
        migrate(db)
    except sqlite3.Error as exc:
        conn.close()
        raise storage_error_from(exc, path, "the database cannot be prepared") from exc
    except BaseException:
        conn.close()
        raise
    return Store(db, path)


def _set_durability(conn: sqlite3.Connection, path: Path, busy_timeout_ms: int) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise StorageError(f"write-ahead logging (WAL) could not be set: journal mode is {mode!r}",
                           path)
    conn.execute("PRAGMA synchronous = FULL")
    level = conn.execute("PRAGMA synchronous").fetchone()[0]
    if int(level) != _SYNCHRONOUS_FULL:
        raise StorageError(f"synchronous=FULL could not be set: it is {level}", path)
    conn.execute("PRAGMA foreign_keys = ON")
