"""Consistent forgery by someone who knows the scheme (SHA-256 over the public columns) but not the
workstation key: every rewrite with recomputed hashes must fail `verify`.

Each of these passed `verify` before the keyed chain (issue 15)."""

from __future__ import annotations

import json
import sqlite3

from forgelog import FINISHED, OTHER, drop_triggers

from kresladi_bedside.store import open_store, verify
from kresladi_bedside.store.rows import COLUMNS, EventRow, canonical_json

SELECT = f"SELECT pos, {', '.join(COLUMNS)} FROM events"


def rows_of(conn: sqlite3.Connection, procedure_id: str) -> list[tuple[int, EventRow]]:
    return [(r[0], EventRow(*r[1:])) for r in
            conn.execute(SELECT + " WHERE procedure_id = ? ORDER BY seq", (procedure_id,))]


def rewrite(conn: sqlite3.Connection, procedure_id: str,
            chain: list[EventRow], positions: list[int] | None = None) -> None:
    """Replace a procedure's rows by `chain`, re-numbered and re-hashed into a valid SHA-256
    chain, and move its chain head: exactly what the old `verify` accepted."""
    old = rows_of(conn, procedure_id)
    positions = positions or [pos for pos, _ in old]
    conn.execute("DELETE FROM events WHERE procedure_id = ?", (procedure_id,))
    prev = "0" * 64
    for seq, (pos, row) in enumerate(zip(positions, chain, strict=False), start=1):
        fields = {**row.hashed_fields(), "seq": seq, "prev_hash": prev}
        new = EventRow(**fields, hash=EventRow(**fields, hash="").computed_hash())
        conn.execute(f"INSERT INTO events (pos, {', '.join(COLUMNS)}) VALUES "
                     f"(?, {', '.join('?' for _ in COLUMNS)})",
                     [pos, *(getattr(new, c) for c in COLUMNS)])
        prev = new.hash
    conn.execute("UPDATE chain_heads SET seq = ?, hash = ? WHERE procedure_id = ?",
                 (len(chain), prev, procedure_id))


def report(conn: sqlite3.Connection):
    with open_store(conn.path) as store:  # type: ignore[attr-defined]
        return verify(store)


def test_the_untouched_log_verifies(raw):
    found = report(raw)
    assert found.ok, found.summary()


def test_tamper_without_rehash_is_found(raw):
    drop_triggers(raw)
    raw.execute("UPDATE events SET data = replace(data, '4.5', '45') "
                "WHERE procedure_id = ? AND type = 'flush_logged'", (FINISHED,))
    found = report(raw)
    assert FINISHED in found.broken_procedures


def test_flush_volume_forged_with_recomputed_hashes_is_found(raw):
    drop_triggers(raw)
    chain = [row for _, row in rows_of(raw, FINISHED)]
    flush = next(i for i, r in enumerate(chain) if r.type == "flush_logged")
    data = json.loads(chain[flush].data)
    assert data["volume_ml"] == 4.5
    data["volume_ml"] = 45
    chain[flush] = EventRow(**{**chain[flush].to_dict(), "data": canonical_json(data)})
    rewrite(raw, FINISHED, chain)
    found = report(raw)
    assert not found.ok
    assert found.first is not None and found.first.procedure_id == FINISHED
    assert found.first.problem == "seal_mismatch"


def test_reordered_rows_with_recomputed_hashes_are_found(raw):
    drop_triggers(raw)
    chain = [row for _, row in rows_of(raw, FINISHED)]
    chain[3], chain[4] = chain[4], chain[3]
    rewrite(raw, FINISHED, chain)
    assert FINISHED in report(raw).broken_procedures


def test_finished_procedure_cut_back_to_unfinished_is_found(raw):
    drop_triggers(raw)
    chain = [row for _, row in rows_of(raw, FINISHED)]
    assert chain[-1].type == "procedure_completed"
    rewrite(raw, FINISHED, chain[:-3])
    found = report(raw)
    assert FINISHED in found.broken_procedures
    assert any(b.problem == "removed" for b in found.breaks)


def test_a_whole_procedure_deleted_is_found(raw):
    drop_triggers(raw)
    raw.execute("DELETE FROM events WHERE procedure_id = ?", (FINISHED,))
    raw.execute("DELETE FROM outbox WHERE procedure_id = ?", (FINISHED,))
    raw.execute("DELETE FROM chain_heads WHERE procedure_id = ?", (FINISHED,))
    found = report(raw)
    assert not found.ok
    assert FINISHED in found.broken_procedures


def test_a_whole_procedure_deleted_with_its_seals_is_found(raw):
    drop_triggers(raw)
    for table in ("events", "outbox", "chain_heads", "seals"):
        raw.execute(f"DELETE FROM {table} WHERE procedure_id = ?", (FINISHED,))
    found = report(raw)
    assert not found.ok
    assert any(b.problem == "seal_chain" for b in found.breaks)


def test_forged_procedure_stopped_is_found(raw):
    """Cut the completed end off and append a well-formed, correctly hashed stop instead."""
    drop_triggers(raw)
    chain = [row for _, row in rows_of(raw, OTHER)]
    last = chain[-1]
    stop = EventRow(**{**last.to_dict(), "id": "forged-stop", "type": "procedure_stopped",
                       "data": canonical_json({"reason": "bag compromised"})})
    rewrite(raw, OTHER, [*chain[:-1], stop])
    found = report(raw)
    assert OTHER in found.broken_procedures


def test_a_forged_row_appended_through_the_triggers_is_found(raw):
    """No trigger dropped: a plain INSERT continuing the chain correctly."""
    (_, last), = rows_of(raw, OTHER)[-1:]
    fields = {**last.hashed_fields(), "id": "forged", "seq": last.seq + 1,
              "type": "procedure_stopped", "data": "{}", "prev_hash": last.hash}
    row = EventRow(**fields, hash=EventRow(**fields, hash="").computed_hash())
    raw.execute(f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES "
                f"({', '.join('?' for _ in COLUMNS)})", [getattr(row, c) for c in COLUMNS])
    found = report(raw)
    assert found.first is not None and found.first.problem == "unsealed"


def test_deleting_every_seal_and_the_key_record_is_found(raw):
    drop_triggers(raw)
    raw.execute("DELETE FROM seals")
    raw.execute("DELETE FROM store_meta")
    with open_store(raw.path, read_only=True) as store:  # type: ignore[attr-defined]
        found = verify(store)
    assert not found.ok
    assert "key" in found.summary()
