"""Seals: one keyed (HMAC-SHA-256) chain over every event of this workstation's log.

The events' own `hash`/`prev_hash` chain (rows.py) stays plain SHA-256 and per procedure, so an
exported procedure keeps its hashes on any workstation. The seals are local and keyed:

    seals(pos, event_id, procedure_id, seq, hash, prev_mac, mac)
    mac = HMAC(key, "seal|pos|event_id|procedure_id|seq|hash|prev_mac")

one per event, written in the event's transaction, `pos` the event's storage position and
`prev_mac` the previous seal's mac (GENESIS_MAC for the first). Without the key nobody can write a
seal, so verify finds: a row altered and re-hashed (its hash is not the sealed one), rows
reordered (pos is sealed), a row added around the program (no seal), a row or a whole procedure
removed (its seal is left over, or the seal chain has a gap where its seals were). What seals
cannot show alone: the newest events cut off together with their seals (every prefix of the log is
sealed). That is what the anchored heads are for (`verify --head`, sync's delivered heads).

`store_meta` holds the key's id and `legacy_until`: events at or before that position were written
before this log had a key (an upgraded log) and are covered by the plain chain only. Both rows are
sealed too, so neither can be moved or deleted without the key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass

from .key import WorkstationKey

GENESIS_MAC = "0" * 64
META_KEY_ID = "key_id"
META_LEGACY_UNTIL = "legacy_until"


def seal_text(pos: int, event_id: str, procedure_id: str, seq: int, hash_: str,
              prev_mac: str) -> str:
    return f"seal|{pos}|{event_id}|{procedure_id}|{seq}|{hash_}|{prev_mac}"


def meta_text(name: str, value: str) -> str:
    return f"meta|{name}|{value}"


@dataclass(frozen=True)
class Seal:
    pos: int
    event_id: str
    procedure_id: str
    seq: int
    hash: str
    prev_mac: str
    mac: str

    def valid(self, key: WorkstationKey) -> bool:
        return key.check(seal_text(self.pos, self.event_id, self.procedure_id, self.seq,
                                   self.hash, self.prev_mac), self.mac)


def last_mac(conn: sqlite3.Connection) -> str:
    found = conn.execute("SELECT mac FROM seals ORDER BY pos DESC LIMIT 1").fetchone()
    return GENESIS_MAC if found is None else str(found[0])


def write_seal(conn: sqlite3.Connection, key: WorkstationKey, pos: int, event_id: str,
               procedure_id: str, seq: int, hash_: str, prev_mac: str) -> str:
    mac = key.mac(seal_text(pos, event_id, procedure_id, seq, hash_, prev_mac))
    conn.execute(
        "INSERT INTO seals (pos, event_id, procedure_id, seq, hash, prev_mac, mac)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", (pos, event_id, procedure_id, seq, hash_, prev_mac, mac))
    return mac


def read_meta(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """name -> (value, mac); empty for a log that never met a key (or has no meta table)."""
    try:
        return {str(r[0]): (str(r[1]), str(r[2])) for r in
                conn.execute("SELECT name, value, mac FROM store_meta")}
    except sqlite3.OperationalError:
        return {}


def write_meta(conn: sqlite3.Connection, key: WorkstationKey, name: str, value: str) -> None:
    conn.execute("INSERT INTO store_meta (name, value, mac) VALUES (?, ?, ?)",
                 (name, value, key.mac(meta_text(name, value))))


def adopt(conn: sqlite3.Connection, key: WorkstationKey) -> None:
    """First meeting of a log and a key (inside a write transaction): record the key's id and
    where the keyed chain starts. Events already there stay covered by the plain chain only."""
    top = conn.execute("SELECT coalesce(max(pos), 0) FROM events").fetchone()[0]
    write_meta(conn, key, META_KEY_ID, key.key_id)
    write_meta(conn, key, META_LEGACY_UNTIL, str(int(top)))


def all_seals(conn: sqlite3.Connection, procedure_ids: Collection[str] | None = None
              ) -> dict[int, Seal]:
    """pos -> seal; with `procedure_ids`, only the seals at those procedures' events'
    positions (whatever the seal itself says), through the events' index: what start-up's check
    of the unfinished chains needs, without reading every seal of every past procedure."""
    sql = "SELECT pos, event_id, procedure_id, seq, hash, prev_mac, mac FROM seals ORDER BY pos"
    params: list[str] = []
    if procedure_ids is not None:
        params = sorted(procedure_ids)
        sql = ("SELECT s.pos, s.event_id, s.procedure_id, s.seq, s.hash, s.prev_mac, s.mac "
               "FROM events e JOIN seals s ON s.pos = e.pos "
               f"WHERE e.procedure_id IN ({', '.join('?' for _ in params)})")
    try:
        return {int(r[0]): Seal(int(r[0]), *r[1:]) for r in conn.execute(sql, params)}
    except sqlite3.OperationalError:
        return {}
