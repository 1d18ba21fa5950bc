"""Opening the procedure database and appending to it.

`open_store(path)` sets WAL and `synchronous=FULL` and checks that both stuck (a log that can lose
an acknowledged event is refused), then applies pending migrations. `Store.append(events)` writes
events, their seals (seals.py) and their outbox rows in one transaction and returns only after
COMMIT, i.e. after fsync. The file (and its -wal, -shm, which SQLite gives the same mode) is 0600.

`open_store(path, read_only=True)` is for reading a log (verify, export, record, lists, status): it
never creates, migrates or writes, and works on read-only media. `create=False` refuses a path
where no log exists instead of silently starting an empty one (a misspelled `--db`).
"""

from __future__ import annotations

import contextlib
import operator
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import platformdirs

from ..config import SiteConfig
from ..engine.model import Event
from . import seals as _seals
from .errors import ReadOnlyError, StorageError, StorageIOError, storage_error_from
from .key import KeyMissingError, WorkstationKey, create_key, read_key
from .migrations import migrate
from .rows import COLUMNS, EventRow, row_for
from .schema import GENESIS_HASH

TYPE_CHECKING = False  # sqlite-utils only when `Store.db` is used (see Store)
if TYPE_CHECKING:
    import sqlite_utils

# What the store knows about its key: "ok" (sealing and checking), "missing" (the log is sealed
# but this workstation has no key file), "another" (the key file is not the one that sealed this
# log), "tampered" (the log has no key record although it was keyed: its seals are there, or this
# workstation has a key and the log has events), "none" (a read-only look at a log that never met
# a key on a workstation that has none).
KeyState = str

APP_NAME = "kresladi-bedside"
DB_FILENAME = "procedures.db"
DEFAULT_BUSY_TIMEOUT_MS = 5000
KEY_RECORD_MISSING = "KEY RECORD MISSING"
_SYNCHRONOUS_FULL = 2


# After this long without a write the WAL is copied back into the database (a PASSIVE checkpoint,
# on a thread and connection of its own), so the automatic checkpoint, which would run inside a
# nurse's commit, rarely has anything to do. The automatic one stays as a safety net, later.
IDLE_CHECKPOINT_S: float | None = 1.0
WAL_AUTOCHECKPOINT_PAGES = 4000

# The hot insert of every event, built once (sqlite3 caches the prepared statement by its text).
_INSERT_EVENT = (f"INSERT INTO events ({', '.join(COLUMNS)}) "
                 f"VALUES ({', '.join('?' for _ in COLUMNS)})")
_INSERT_OUTBOX = ("INSERT INTO outbox (event_id, procedure_id, seq, created_at) "
                  "VALUES (?, ?, ?, ?)")
_row_values = operator.attrgetter(*COLUMNS)


class IdleCheckpointer:
    """A daemon thread that runs `PRAGMA wal_checkpoint(PASSIVE)` once the log has been idle.

    PASSIVE never waits for readers and never blocks a writer: a commit that starts meanwhile
    goes ahead, and the checkpoint copies what it can."""

    def __init__(self, path: Path, idle_s: float) -> None:
        self.path = path
        self.idle_s = idle_s
        self._last = time.monotonic()
        self._pending = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="store-checkpoint", daemon=True)
        self._thread.start()

    def wrote(self) -> None:
        self._last = time.monotonic()
        self._pending = True

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not self._stop.wait(min(self.idle_s, 0.5)):
                if not self._pending or time.monotonic() - self._last < self.idle_s:
                    continue
                self._pending = False
                if conn is None:
                    conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=0)
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error:
            return  # the log's own connection reports storage problems; this is only upkeep
        finally:
            if conn is not None:
                conn.close()


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
    """The log on one connection. `conn` is the plain sqlite3 connection everything in the
    program reads and writes through; `db`, the same connection as a sqlite-utils Database, is
    made on first use: importing sqlite-utils (with click, pluggy, dateutil) took 0.2 s of the
    window's first paint, which needs only SQL."""

    def __init__(self, db: sqlite3.Connection | sqlite_utils.Database, path: Path, *,
                 key: WorkstationKey | None = None, key_state: KeyState = "none",
                 read_only: bool = False) -> None:
        self._db = None if isinstance(db, sqlite3.Connection) else db
        self.path = path
        self.conn: sqlite3.Connection = db if isinstance(db, sqlite3.Connection) else db.conn
        self.key = key
        self.key_state = key_state
        self.read_only = read_only
        # One connection may be shared by threads (check_same_thread=False): one writer at a time.
        self._lock = threading.RLock()
        self._checkpointer: IdleCheckpointer | None = None
        self.idle_checkpoint_s = IDLE_CHECKPOINT_S
        self.cleanup: list[Path] = []  # a private copy made to read a read-only log (removed)

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def key_problem(self) -> str | None:
        """Why this store cannot seal (None when it can): shown by verify and refused on write."""
        where = "the workstation key" if self.key is None else str(self.key.path)
        if self.key_state == "missing":
            return (f"this log is sealed, but {where} is missing: restore workstation.key from "
                    "the workstation's backup (README, store section); nothing can be recorded "
                    "until then")
        if self.key_state == "another":
            return (f"{where} is not the key that sealed this log (another workstation's, or "
                    "replaced): restore the right workstation.key; nothing can be recorded until "
                    "then")
        if self.key_state == "tampered":
            return (KEY_RECORD_MISSING + ": this log was keyed (it carries seals, or this "
                    "workstation has a key) but its key record is gone: it was removed around "
                    "the program. The log is never re-adopted; nothing can be recorded until IT "
                    "has decided (README, store section: 'When the key record is missing')")
        if self.key_state == "none":
            return ("the log carries no seals (written before the keyed chain, or its seals "
                    "were removed); opened once for writing on its own workstation, an older log "
                    "is adopted (README, store section)")
        return None

    def mac(self, text: str) -> str:
        """HMAC of `text` with the workstation key (for rows other packages want covered)."""
        problem = self.key_problem()
        if problem is not None or self.key is None:
            raise KeyMissingError(problem or "no workstation key", self.path)
        return self.key.mac(text)

    def check_mac(self, text: str, mac: str | None) -> bool | None:
        """True/False when the key can tell; None when this store has no usable key."""
        if self.key is None or self.key_state != "ok":
            return None
        return mac is not None and self.key.check(text, mac)

    # ----------------------------------------------------------------------------- writing
    def append(self, events: Sequence[Event]) -> list[EventRow]:
        """Append events (chained per procedure) and their outbox rows atomically."""
        if not events:
            return []
        return self._write([], events)

    def insert_rows(self, rows: Sequence[EventRow], *, outbox: bool = True,
                    then: Sequence[Event] = ()) -> None:
        """Insert already-hashed rows (an import) exactly as they are, then append `then`
        (this workstation's own events, chained after them), in one transaction.

        The rows must continue each procedure's chain here; `transfer.import_lines` checks that.
        """
        if rows or then:
            self._write(rows, then, outbox=outbox)

    def append_decided(self, decide: Callable[[Store], Sequence[Event]]) -> list[EventRow]:
        """Read and append in one write transaction: `decide(store)` reads the log (nobody else
        can write meanwhile, in this process or another) and returns the events to append.
        Used where a decision must not race (the badge lockout)."""
        return self._write([], [], decide=decide)

    def _write(self, rows: Sequence[EventRow], events: Sequence[Event], *,
               outbox: bool = True,
               decide: Callable[[Store], Sequence[Event]] | None = None) -> list[EventRow]:
        if self.read_only:
            raise StorageError("the event was not recorded: the log is open read-only", self.path)
        problem = self.key_problem()
        if problem is not None:
            raise KeyMissingError(f"the event was not recorded: {problem}", self.path)
        written: list[EventRow] = []
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    if decide is not None:
                        events = decide(self)
                    heads: dict[str, tuple[int, str]] = {}
                    prev_mac = _seals.last_mac(self.conn)
                    for row in rows:
                        prev_mac = self._insert(row, outbox, prev_mac)
                        written.append(row)
                    for event in events:
                        seq, prev = heads.get(event.procedure_id) or self.head(event.procedure_id)
                        row = row_for(event, seq + 1, prev)
                        prev_mac = self._insert(row, outbox, prev_mac)
                        heads[event.procedure_id] = (row.seq, row.hash)
                        written.append(row)
                    self.conn.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise
            except sqlite3.Error as exc:
                raise storage_error_from(exc, self.path, "the event was not recorded") from exc
        self._note_write()
        return written

    def _note_write(self) -> None:
        if self.idle_checkpoint_s is None:
            return
        if self._checkpointer is None:
            self._checkpointer = IdleCheckpointer(self.path, self.idle_checkpoint_s)
        self._checkpointer.wrote()

    def _insert(self, row: EventRow, outbox: bool, prev_mac: str) -> str:
        cursor = self.conn.execute(_INSERT_EVENT, _row_values(row))
        assert self.key is not None and cursor.lastrowid is not None
        mac = _seals.write_seal(self.conn, self.key, cursor.lastrowid, row.id, row.procedure_id,
                                row.seq, row.hash, prev_mac)
        if outbox:
            self.conn.execute(_INSERT_OUTBOX, (row.id, row.procedure_id, row.seq, row.wall_utc))
        return mac

    def checkpoint_idle(self) -> None:
        """A PASSIVE checkpoint: copies what it can from the WAL without waiting for readers
        or blocking writers. Call it at an idle moment (between steps) so that the automatic
        checkpoint does not land inside a nurse's commit."""
        if self.read_only:
            return
        with self._lock, contextlib.suppress(sqlite3.Error):
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            # SQLite may already have rolled back by itself (e.g. after a full disk).
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    # ----------------------------------------------------------------------------- reading
    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Reads of one moment (a read transaction), unless already inside one: statement by
        statement, a commit by another process in between shows a chain longer than its head
        (a damaged log that is not)."""
        with self._lock:
            if self.conn.in_transaction:
                yield
                return
            try:
                self.conn.execute("BEGIN")
            except sqlite3.Error as exc:
                raise storage_error_from(exc, self.path, "the log could not be read") from exc
            try:
                yield
            finally:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("COMMIT")

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
        if self._checkpointer is not None:
            self._checkpointer.stop()
        self.conn.close()
        for folder in self.cleanup:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: str | Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
               read_only: bool = False, create: bool = True,
               key: WorkstationKey | None = None, key_path: Path | None = None) -> Store:
    """Open (creating if needed and allowed) the procedure log at `path`, durable or not at all.

    The workstation key is `key`, else read from `key_path` (default: key.default_key_path()); a
    writable open of a log that never met a key creates the key file when there is none."""
    path = Path(path)
    if str(path) == ":memory:":
        raise StorageError("the procedure log must be a file: WAL cannot be set in memory", path)
    if (read_only or not create) and not path.is_file():
        raise StorageIOError("there is no procedure log here: check the path (--db or the site "
                             "file's `database`); nothing was created", path)
    _one_name(path)
    if read_only:
        return _open_read_only(path, busy_timeout_ms, key, key_path)
    if path.exists() and (_on_read_only_media(path) or not os.access(path, os.W_OK)):
        # Found before SQLite, which can open a copy with its -shm "for writing" on read-only
        # media and fail only at the first write (issue 26: `users list` crashed so).
        raise ReadOnlyError("the log is on read-only media (or its file is read-only): it can be "
                            "read (verify, export, record, lists, status) but nothing can be "
                            "recorded", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            # Created by us, 0600, before SQLite opens it: SQLite then gives -wal and -shm the
            # same mode. O_EXCL: a file another process made meanwhile is left as it is.
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise StorageIOError(f"the database folder cannot be created ({exc})", path) from exc
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=busy_timeout_ms / 1000,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise storage_error_from(exc, path, "the database cannot be opened") from exc
    try:
        _set_durability(conn, path, busy_timeout_ms)
        migrate(conn)
        key, state = _meet_key(conn, path, key, key_path)
    except sqlite3.Error as exc:
        conn.close()
        if _on_read_only_media(path):
            raise ReadOnlyError("the log is on read-only media: it can be read (verify, export, "
                                "record, lists, status) but nothing can be recorded", path) \
                from exc
        raise storage_error_from(exc, path, "the database cannot be prepared") from exc
    except BaseException:
        conn.close()
        raise
    return Store(conn, path, key=key, key_state=state)


def _one_name(path: Path) -> None:
    """Refuse a log file with more than one name (hard links). SQLite keeps the write-ahead log
    and its lock (-wal, -shm) per name, so through two names one file is two logs that
    overwrite each other, and two writers are not kept apart (issue 26: 12 processes through
    two names checked 12 PINs). Symbolic links are fine: they resolve to the one name."""
    try:
        links = path.stat().st_nlink
    except OSError:
        return  # not there yet (created below) or unreadable (the open says why)
    if links > 1:
        raise StorageError(f"the log file has {links} names (hard links): SQLite would keep a "
                           "separate write-ahead log for each and lose or mix events. Remove "
                           "the extra links (keep one name), then start again", path)


def _on_read_only_media(path: Path) -> bool:
    try:
        return bool(os.statvfs(path.parent).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _meet_key(conn: sqlite3.Connection, path: Path, key: WorkstationKey | None,
              key_path: Path | None) -> tuple[WorkstationKey | None, KeyState]:
    key = key or read_key(key_path)
    meta = _seals.read_meta(conn)
    if _seals.META_KEY_ID in meta or _once_keyed(conn, meta, key):
        return key, _key_state(meta, key)
    # A log that never met a key: new, or written before the keyed chain (an upgrade) on a
    # workstation that never had a key either.
    key = key or create_key(key_path)
    conn.execute("BEGIN IMMEDIATE")
    try:
        meta = _seals.read_meta(conn)
        if _seals.META_KEY_ID not in meta and not _once_keyed(conn, meta, key, created=True):
            _seals.adopt(conn, key)  # (else another process won, or someone wrote meanwhile)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return _meet_key(conn, path, key, key_path)


def _once_keyed(conn: sqlite3.Connection, meta: dict[str, tuple[str, str]],
                key: WorkstationKey | None, *, created: bool = False) -> bool:
    """Once keyed, always keyed (issue 26): a log without its key record is adopted only when
    nothing says it was ever keyed. It was if it carries a seal or any key record, or if this
    workstation already had a key (`created`: the key was made just now, by this open) and the
    log holds events: a workstation with a key never writes unsealed events, so such a log is
    either one whose key record was deleted or an old log IT must look at first."""
    if meta:
        return True
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seals'"
                    ).fetchone() is not None and \
            conn.execute("SELECT 1 FROM seals LIMIT 1").fetchone() is not None:
        return True
    if key is None or created:
        return False
    return conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None


def _key_state(meta: dict[str, tuple[str, str]], key: WorkstationKey | None) -> KeyState:
    """The state of a log that was keyed (see `KeyState`)."""
    if _seals.META_KEY_ID not in meta or _seals.META_LEGACY_UNTIL not in meta:
        return "tampered"
    if key is None:
        return "missing"
    value, mac = meta[_seals.META_KEY_ID]
    if value != key.key_id or not key.check(_seals.meta_text(_seals.META_KEY_ID, value), mac):
        return "another"
    return "ok"


def _open_read_only(path: Path, busy_timeout_ms: int, key: WorkstationKey | None,
                    key_path: Path | None) -> Store:
    """Read a log without writing a byte, also where the folder or medium is read-only.

    WAL readers need the -shm file beside the log; where it is missing and cannot be made
    (read-only media), opening the file `immutable` would ignore every event still in its -wal
    (issue 26: verify said 51 events "ok" where the log held 54). So a log with a -wal is then
    read from a private copy of the log and its -wal, which SQLite can open as it should; only a
    log without one is opened `immutable` (nothing else may be writing to read-only media)."""
    cleanup: list[Path] = []
    errors: list[sqlite3.Error] = []
    conn = _connect_read_only(path, busy_timeout_ms, "?mode=ro", errors)
    if conn is None:
        wal = Path(f"{path}-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            import shutil
            import tempfile

            folder = Path(tempfile.mkdtemp(prefix="kresladi-read-"))
            cleanup.append(folder)
            try:
                shutil.copy(path, folder / path.name)
                shutil.copy(wal, folder / wal.name)
            except OSError as exc:
                shutil.rmtree(folder, ignore_errors=True)
                raise StorageIOError(f"the log's write-ahead log cannot be read from this "
                                     f"read-only copy, nor copied to read it ({exc})",
                                     path) from exc
            conn = _connect_read_only(folder / path.name, busy_timeout_ms, "?mode=ro", errors)
        else:
            conn = _connect_read_only(path, busy_timeout_ms, "?mode=ro&immutable=1", errors)
    if conn is None:
        for folder in cleanup:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
        raise storage_error_from(errors[-1], path, "the log cannot be read")
    store = _keyed_read_only(conn, path, key, key_path)
    store.cleanup = cleanup
    return store


def _connect_read_only(path: Path, busy_timeout_ms: int, flags: str,
                       errors: list[sqlite3.Error]) -> sqlite3.Connection | None:
    uri = "file:" + urllib.parse.quote(str(path.resolve()))
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(uri + flags, uri=True, isolation_level=None,
                               timeout=busy_timeout_ms / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        _same_settings(conn)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as exc:
        errors.append(exc)
        if conn is not None:
            conn.close()
        return None


def _keyed_read_only(conn: sqlite3.Connection, path: Path, key: WorkstationKey | None,
                     key_path: Path | None) -> Store:
    key = key or read_key(key_path)
    meta = _seals.read_meta(conn)
    try:
        keyed = _once_keyed(conn, meta, key)
    except sqlite3.Error:  # a file without the store's tables
        keyed = bool(meta)
    state: KeyState = _key_state(meta, key) if keyed else "none"
    return Store(conn, path, key=key, key_state=state, read_only=True)


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
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    _same_settings(conn)


def _same_settings(conn: sqlite3.Connection) -> None:
    """What `sqlite_utils.Database(conn)` sets on a connection, set here because the log is
    opened without it: recursive triggers, under which the implicit delete of an INSERT OR
    REPLACE fires the append-only tables' delete guards (tests/store: replace refused)."""
    conn.execute("PRAGMA recursive_triggers = ON")
