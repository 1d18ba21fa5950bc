"""Chain heads anchored outside the workstation, and sync's state covered by the keyed chain.

A head hash that left the workstation (printed on a record, delivered to the FHIR server) is an
anchor: the log must still hold that event with that hash, else the procedure was rewritten after
the head left. Seals (seals.py) cannot show the newest events cut off together with their seals;
an anchor can.

- `find_head(store, hash)`: where a printed or delivered head is in the log (`verify --head`).
- `anchor_breaks(store)`: every head sync delivered (`sync_deliveries`) must still be in the log
  with its hash; every outbox row marked delivered must be covered by a delivery sealed with the
  workstation key (`seal_delivery`, called by sync in the same transaction); every withheld
  procedure must really be one that never leaves (training, or no order naming a patient).
  One UPDATE on `outbox` or `sync_withheld` can no longer keep a procedure from the EHR unseen.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from .db import Store

DELIVERY_TABLE = """CREATE TABLE IF NOT EXISTS delivery_seals (
    procedure_id TEXT NOT NULL,
    head_seq INTEGER NOT NULL,
    head_hash TEXT NOT NULL,
    mac TEXT NOT NULL,
    PRIMARY KEY (procedure_id, head_seq)
)"""


def delivery_text(procedure_id: str, head_seq: int, head_hash: str) -> str:
    return f"delivered|{procedure_id}|{head_seq}|{head_hash}"


def seal_delivery(store: Store, procedure_id: str, head_seq: int, head_hash: str) -> None:
    """Inside sync's transaction that marks a delivery: the workstation key vouches for it."""
    store.conn.execute(DELIVERY_TABLE)
    store.conn.execute(
        "INSERT OR IGNORE INTO delivery_seals (procedure_id, head_seq, head_hash, mac) "
        "VALUES (?, ?, ?, ?)",
        (procedure_id, head_seq, head_hash,
         store.mac(delivery_text(procedure_id, head_seq, head_hash))))


@dataclass(frozen=True)
class HeadFound:
    procedure_id: str
    seq: int
    later_events: int  # events of that procedure stored after it (0: it is still the head)


def normalise_head(text: str) -> str:
    """A head as printed (groups of 8, any case) back to 64 hex digits; ValueError if not one."""
    head = "".join(text.split()).lower()
    if len(head) != 64 or any(c not in "0123456789abcdef" for c in head):
        raise ValueError(f"{text!r} is not a chain head: 64 hexadecimal digits are expected")
    return head


def find_head(store: Store, head: str) -> HeadFound | None:
    found = store.conn.execute("SELECT procedure_id, seq FROM events WHERE hash = ?",
                               (head,)).fetchone()
    if found is None:
        return None
    procedure_id, seq = str(found[0]), int(found[1])
    top, _ = store.head(procedure_id)
    return HeadFound(procedure_id, seq, max(0, top - seq))


@dataclass(frozen=True)
class AnchorBreak:
    procedure_id: str
    problem: str  # anchor_mismatch, delivery_unsealed, withheld_without_cause, outbox_missing,
    # held_back, undelivered
    detail: str


def _table_exists(store: Store, name: str) -> bool:
    return store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (name,)).fetchone() is not None


# The longest wait sync ever schedules before the next try (deliver.RetryPolicy.cap_s is 900 s),
# with room for a clock that drifts: a `next_attempt_at` later than this after its row's last
# change was not written by the program (an UPDATE that holds a procedure back for ever).
MAX_RETRY_WAIT = timedelta(hours=2)


def anchor_breaks(store: Store, legacy_until: int) -> list[AnchorBreak]:
    """What sync's tables say that the log does not back (see the module's docstring)."""
    found: list[AnchorBreak] = []
    try:
        found += _held_back(store)
        if _table_exists(store, "delivery_seals"):
            found += _sealed_heads_gone(store)
        if _table_exists(store, "sync_deliveries"):
            found += _delivered_heads(store)
            found += _unsealed_deliveries(store, legacy_until)
        if _table_exists(store, "sync_withheld"):
            found += _withheld_without_cause(store)
        found += _outbox_missing(store, legacy_until)
    except sqlite3.Error:
        return found  # an older or partial schema: nothing more to compare
    return found


def _heads_not_in_log(store: Store, table: Literal["sync_deliveries", "delivery_seals"],
                      column: Literal["delivered_at", "mac"]) -> list[tuple[Any, ...]]:
    """The rows of `table` (procedure, head seq, head hash, `column`) whose head the log does not
    hold with that hash: no event at that seq, or one with another hash."""
    return list(store.conn.execute(
        f"SELECT d.procedure_id, d.head_seq, d.head_hash, d.{column} FROM {table} d "
        "LEFT JOIN events e ON e.procedure_id = d.procedure_id AND e.seq = d.head_seq "
        "WHERE e.hash IS NOT d.head_hash"))


def _delivered_heads(store: Store) -> list[AnchorBreak]:
    found = []
    for pid, seq, head, at in _heads_not_in_log(store, "sync_deliveries", "delivered_at"):
        found.append(AnchorBreak(str(pid), "anchor_mismatch",
                                 f"the head delivered to the server at {at} (seq {seq}, "
                                 f"{str(head)[:16]}…) is not in the log any more: the procedure "
                                 "was changed after it was sent"))
    return found


def _sealed_heads_gone(store: Store) -> list[AnchorBreak]:
    """Every delivery this workstation sealed names a head the log must still hold: a delivered
    procedure cut back afterwards (its delivery row deleted too) is found here."""
    if store.key is None or store.key_state != "ok":
        return []
    found = []
    for pid, seq, head, mac in _heads_not_in_log(store, "delivery_seals", "mac"):
        if store.key.check(delivery_text(str(pid), int(seq), str(head)), str(mac)):
            found.append(AnchorBreak(str(pid), "anchor_mismatch",
                                     f"this workstation delivered the procedure up to seq {seq} "
                                     f"({str(head)[:16]}…), which the log no longer holds: it "
                                     "was cut back or rewritten after it was sent"))
    return found


def _held_back(store: Store) -> list[AnchorBreak]:
    """An undelivered row whose next try is further away than sync ever waits: held back by an
    UPDATE (`next_attempt_at = '9999…'`), so the procedure would never reach the server."""
    found = []
    for pid, when, created in store.conn.execute(
            "SELECT procedure_id, max(next_attempt_at), max(created_at) FROM outbox "
            "WHERE delivered_at IS NULL AND next_attempt_at IS NOT NULL "
            "GROUP BY procedure_id"):
        try:
            due = datetime.fromisoformat(str(when))
            made = datetime.fromisoformat(str(created))
            if due.tzinfo is None or made.tzinfo is None:
                raise ValueError("no zone")
            held = due - max(made, datetime.now(UTC)) > MAX_RETRY_WAIT
        except ValueError:
            held = True  # not a time sync writes
        if held:
            found.append(AnchorBreak(str(pid), "held_back",
                                     f"its next delivery attempt is set to {str(when)[:32]}, "
                                     "later than sync ever waits: it was held back around the "
                                     "program and would never reach the server"))
    return found


def undelivered(store: Store, hours: float, now: datetime | None = None) -> list[AnchorBreak]:
    """Finished procedures not delivered `hours` after they ended (the site's
    `sync.undelivered_alarm_hours`): an IT alarm, whatever the cause (no network, a parked
    procedure, a row held back)."""
    now = now or datetime.now(UTC)
    found = []
    withheld = ("AND e.procedure_id NOT IN (SELECT procedure_id FROM sync_withheld) "
                if _table_exists(store, "sync_withheld") else "")
    try:
        rows = store.conn.execute(
            "SELECT e.procedure_id, max(e.wall_utc) FROM events e WHERE e.type IN "
            "('procedure_completed', 'procedure_stopped') AND EXISTS (SELECT 1 FROM outbox o "
            "WHERE o.procedure_id = e.procedure_id AND o.delivered_at IS NULL) "
            f"{withheld}GROUP BY e.procedure_id").fetchall()
    except sqlite3.Error:
        return []
    for pid, ended in rows:
        try:
            age = now - datetime.fromisoformat(str(ended))
        except (ValueError, TypeError):
            continue
        if age > timedelta(hours=hours):
            found.append(AnchorBreak(str(pid), "undelivered",
                                     f"finished {age.total_seconds() / 3600:.0f} h ago and still "
                                     "not delivered to the hospital's server: the EHR and the "
                                     "other workstations' pre-thaw check do not know its dose "
                                     "(kresladi-bedside sync --status)"))
    return found


def _unsealed_deliveries(store: Store, legacy_until: int) -> list[AnchorBreak]:
    if store.key is None or store.key_state != "ok":
        return []
    sealed: dict[str, list[tuple[int, str]]] = {}
    if _table_exists(store, "delivery_seals"):
        for pid, seq, head, mac in store.conn.execute(
                "SELECT procedure_id, head_seq, head_hash, mac FROM delivery_seals"):
            if store.key.check(delivery_text(str(pid), int(seq), str(head)), str(mac)):
                sealed.setdefault(str(pid), []).append((int(seq), str(head)))
    found = []
    for pid, seq in store.conn.execute(
            "SELECT o.procedure_id, max(o.seq) FROM outbox o JOIN events e ON e.id = o.event_id "
            "WHERE o.delivered_at IS NOT NULL AND e.pos > ? GROUP BY o.procedure_id",
            (legacy_until,)):
        if not any(s >= int(seq) for s, _ in sealed.get(str(pid), [])):
            found.append(AnchorBreak(str(pid), "delivery_unsealed",
                                     f"outbox rows up to seq {seq} are marked delivered, but no "
                                     "delivery sealed by this workstation covers them: they were "
                                     "marked around the program and never reached the server"))
    return found


def _outbox_missing(store: Store, legacy_until: int) -> list[AnchorBreak]:
    """Every sealed event has its outbox row (sync never removes one), except procedures an
    administrator imported with --no-outbox (recorded in the sealed people log)."""
    exempt = {str(pid) for (pid,) in store.conn.execute(
        "SELECT j.value FROM events e, json_each(e.data, '$.procedures') j "
        "WHERE e.procedure_id = 'people' AND e.type = 'log_imported' "
        "AND json_extract(e.data, '$.outbox') = 0")}
    found = []
    for pid, count in store.conn.execute(
            "SELECT e.procedure_id, count(*) FROM events e LEFT JOIN outbox o "
            "ON o.event_id = e.id WHERE o.event_id IS NULL AND e.pos > ? "
            "GROUP BY e.procedure_id", (legacy_until,)):
        if str(pid) not in exempt:
            found.append(AnchorBreak(str(pid), "outbox_missing",
                                     f"{count} event(s) have no outbox row: removed around the "
                                     "program, the procedure would never be sent"))
    return found


def _withheld_without_cause(store: Store) -> list[AnchorBreak]:
    found = []
    for (pid,) in store.conn.execute(
            "SELECT w.procedure_id FROM sync_withheld w WHERE EXISTS ("
            "  SELECT 1 FROM events e WHERE e.procedure_id = w.procedure_id"
            "   AND e.type = 'procedure_opened' AND coalesce(json_extract(e.data, '$.training'),"
            "   0) = 0)"
            " AND EXISTS (SELECT 1 FROM events e WHERE e.procedure_id = w.procedure_id"
            "   AND e.type = 'order_prepared')"):
        found.append(AnchorBreak(str(pid), "withheld_without_cause",
                                 "marked never to be sent, but it is not a training procedure "
                                 "and its order names the patient: it was withheld around the "
                                 "program"))
    return found
