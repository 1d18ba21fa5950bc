"""Per-procedure delivery bookkeeping on the store's outbox (the rules are in schema.py).

Every function takes the `Store` and runs its writes in one transaction of its own. Times are UTC
ISO text written by `stamp`, so they compare as text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from ..store import Store
from ..store.anchors import seal_delivery
from ..store.migrations import migrate
from . import schema  # noqa: F401  (registers the sync migration)

FINISHED_TYPES = ("procedure_completed", "procedure_stopped")


def stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def ensure_schema(store: Store) -> None:
    """Apply the sync migration to a store opened before this package was imported."""
    migrate(store.conn)


@contextlib.contextmanager
def _transaction(store: Store) -> Iterator[None]:
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise
    store.conn.execute("COMMIT")


BLOCKED_PREFIX = "the server refused the token"  # transport's blocked answers start so


@dataclass(frozen=True)
class Pending:
    """A finished procedure with events the server has not acknowledged."""

    procedure_id: str
    attempts: int
    next_attempt_at: str | None
    parked_reason: str | None
    last_error: str | None

    def due(self, now: datetime) -> bool:
        return self.parked_reason is None and (
            self.next_attempt_at is None or self.next_attempt_at <= stamp(now))


@dataclass(frozen=True)
class Parked:
    procedure_id: str
    reason: str


@dataclass(frozen=True)
class OutboxSummary:
    waiting: int  # finished, undelivered, not parked
    parked: tuple[Parked, ...]
    in_progress: int  # not finished yet: not due
    withheld: int  # training (or no patient): never sent
    delivered: int  # procedures whose every event the server has
    last_success: str | None  # UTC ISO of the last 2xx
    # why sending is blocked, as the last failed attempt recorded it (the server refused the
    # token: 401/403), when a waiting procedure's last error says so; else None
    blocked: str | None = None


_PENDING_SQL = f"""
    SELECT o.procedure_id, max(o.attempts), max(o.next_attempt_at), max(o.parked_reason),
           max(o.last_error)
    FROM outbox o
    WHERE o.delivered_at IS NULL
      AND o.procedure_id NOT IN (SELECT procedure_id FROM sync_withheld)
      AND EXISTS (SELECT 1 FROM events e WHERE e.procedure_id = o.procedure_id
                  AND e.type IN {FINISHED_TYPES!r})
    GROUP BY o.procedure_id
    ORDER BY min(o.rowid)
"""


def pending(store: Store) -> list[Pending]:
    """Finished, not withheld procedures with undelivered events, oldest first."""
    return [Pending(r[0], int(r[1] or 0), r[2], r[3], r[4])
            for r in store.conn.execute(_PENDING_SQL)]


def withhold_training(store: Store, now: datetime) -> int:
    """Mark every training procedure as never to be sent; returns how many were new."""
    with _transaction(store):
        cursor = store.conn.execute(
            """INSERT INTO sync_withheld (procedure_id, reason, at)
               SELECT DISTINCT e.procedure_id, 'training: never leaves this workstation', ?
               FROM events e
               WHERE e.type = 'procedure_opened' AND json_extract(e.data, '$.training') = 1
                 AND e.procedure_id NOT IN (SELECT procedure_id FROM sync_withheld)""",
            (stamp(now),))
        return cursor.rowcount


def withhold(store: Store, procedure_id: str, reason: str, now: datetime) -> None:
    with _transaction(store):
        store.conn.execute(
            "INSERT OR REPLACE INTO sync_withheld (procedure_id, reason, at) VALUES (?, ?, ?)",
            (procedure_id, reason, stamp(now)))


def mark_delivered(store: Store, procedure_id: str, head_seq: int, head_hash: str,
                   now: datetime, http_status: int, base_url: str) -> None:
    """The server answered 2xx for the Bundle built from events up to `head_seq`."""
    at = stamp(now)
    with _transaction(store):
        store.conn.execute(
            """UPDATE outbox SET delivered_at = ?, last_error = NULL, next_attempt_at = NULL
               WHERE procedure_id = ? AND seq <= ? AND delivered_at IS NULL""",
            (at, procedure_id, head_seq))
        store.conn.execute(
            """INSERT OR REPLACE INTO sync_deliveries
               (procedure_id, head_seq, head_hash, delivered_at, http_status, base_url)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (procedure_id, head_seq, head_hash, at, http_status, base_url))
        # The workstation key vouches for the delivery, so `verify` can tell it from an UPDATE.
        seal_delivery(store, procedure_id, head_seq, head_hash)
        store.conn.execute("DELETE FROM sync_progress WHERE procedure_id = ?", (procedure_id,))


def progress(store: Store, procedure_id: str, head_hash: str) -> tuple[int, int | None]:
    """(leading entries stored, Bundle size that fitted) of the record built up to `head_hash`;
    (0, None) when none is kept or it was for other events (a correction since)."""
    row = store.conn.execute("SELECT head_hash, stored, chunk FROM sync_progress "
                             "WHERE procedure_id = ?", (procedure_id,)).fetchone()
    if row is None or row[0] != head_hash:
        return 0, None
    return int(row[1]), int(row[2])


def save_progress(store: Store, procedure_id: str, head_hash: str, stored: int,
                  chunk: int) -> None:
    with _transaction(store):
        store.conn.execute("INSERT OR REPLACE INTO sync_progress (procedure_id, head_hash, "
                           "stored, chunk) VALUES (?, ?, ?, ?)",
                           (procedure_id, head_hash, stored, chunk))


def record_failure(store: Store, procedure_id: str, attempts: int, next_attempt_at: datetime,
                   error: str) -> None:
    with _transaction(store):
        store.conn.execute(
            """UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?
               WHERE procedure_id = ? AND delivered_at IS NULL""",
            (attempts, stamp(next_attempt_at), error, procedure_id))


def park(store: Store, procedure_id: str, reason: str) -> None:
    """Stop trying: a person (IT) must look. The reason is shown to them as is."""
    with _transaction(store):
        store.conn.execute(
            """UPDATE outbox SET parked_reason = ?, last_error = ?
               WHERE procedure_id = ? AND delivered_at IS NULL""",
            (reason, reason, procedure_id))


def unpark(store: Store, procedure_id: str | None = None) -> int:
    """Let parked procedures (one, or all) be tried again from a fresh backoff; returns how many."""
    where = "parked_reason IS NOT NULL AND delivered_at IS NULL"
    params: tuple[str, ...] = ()
    if procedure_id is not None:
        where += " AND procedure_id = ?"
        params = (procedure_id,)
    with _transaction(store):
        count = store.conn.execute(
            f"SELECT count(DISTINCT procedure_id) FROM outbox WHERE {where}", params
        ).fetchone()[0]
        store.conn.execute(
            f"""UPDATE outbox SET parked_reason = NULL, attempts = 0, next_attempt_at = NULL
                WHERE {where}""", params)
    return int(count)


def summary(store: Store) -> OutboxSummary:
    items = pending(store)
    parked = tuple(Parked(p.procedure_id, p.parked_reason) for p in items
                   if p.parked_reason is not None)
    in_progress = store.conn.execute(
        f"""SELECT count(DISTINCT o.procedure_id) FROM outbox o
            WHERE o.delivered_at IS NULL
              AND o.procedure_id NOT IN (SELECT procedure_id FROM sync_withheld)
              AND NOT EXISTS (SELECT 1 FROM events e WHERE e.procedure_id = o.procedure_id
                              AND e.type IN {FINISHED_TYPES!r})""").fetchone()[0]
    withheld = store.conn.execute("SELECT count(*) FROM sync_withheld").fetchone()[0]
    delivered = store.conn.execute(
        """SELECT count(DISTINCT procedure_id) FROM outbox
           WHERE procedure_id NOT IN (SELECT procedure_id FROM outbox WHERE delivered_at IS NULL)
        """).fetchone()[0]
    last = store.conn.execute("SELECT max(delivered_at) FROM sync_deliveries").fetchone()[0]
    blocked = next((p.last_error for p in items if p.parked_reason is None and p.last_error
                    and p.last_error.startswith(BLOCKED_PREFIX)), None)
    return OutboxSummary(len(items) - len(parked), parked, int(in_progress), int(withheld),
                         int(delivered), last, blocked)
