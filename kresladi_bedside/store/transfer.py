"""Moving a procedure between databases as JSON lines, one stored row per line.

Each line holds every hashed column and the hash; `data` is written as a JSON object, and on import
it is put back in canonical form, which must give back the exported hash: an exported and
re-imported procedure is byte-identical in its events and hashes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from .db import Store
from .rows import COLUMNS, EventRow, canonical_json
from .schema import GENESIS_HASH


class TransferError(ValueError):
    """A file that cannot be imported: names the line and what is wrong."""


def export_lines(store: Store, procedure_id: str) -> Iterator[str]:
    found = False
    for row in store.rows(procedure_id):
        found = True
        record: dict[str, Any] = row.to_dict()
        record["data"] = json.loads(row.data)
        yield canonical_json(record)
    if not found:
        raise KeyError(procedure_id)


def write_export(store: Store, procedure_id: str, out: TextIO) -> int:
    count = 0
    for line in export_lines(store, procedure_id):
        out.write(line + "\n")
        count += 1
    return count


@dataclass(frozen=True)
class ImportResult:
    procedures: tuple[str, ...]
    imported: int
    already_present: int


def parse_lines(lines: Iterable[str]) -> list[EventRow]:
    rows: list[EventRow] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TransferError(f"line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise TransferError(f"line {number}: expected an object, got {type(record).__name__}")
        missing = [c for c in COLUMNS if c not in record]
        if missing:
            raise TransferError(f"line {number}: missing {', '.join(missing)}")
        record = {c: record[c] for c in COLUMNS}
        record["data"] = canonical_json(record["data"])
        row = EventRow.from_mapping(record)
        if row.computed_hash() != row.hash:
            raise TransferError(
                f"line {number} (procedure {row.procedure_id}, seq {row.seq}): the hash does not "
                "match the event: the file was altered"
            )
        rows.append(row)
    return rows


def import_rows(store: Store, rows: list[EventRow], *, outbox: bool = True) -> ImportResult:
    """Add the rows that continue each procedure's chain; rows already present are skipped."""
    by_procedure: dict[str, list[EventRow]] = {}
    for row in rows:
        by_procedure.setdefault(row.procedure_id, []).append(row)
    new: list[EventRow] = []
    present = 0
    for procedure_id, chain in by_procedure.items():
        chain.sort(key=lambda r: r.seq)
        _check_links(procedure_id, chain)
        stored = {r.seq: r for r in store.rows(procedure_id)}
        for row in chain:
            existing = stored.get(row.seq)
            if existing is None:
                new.append(row)
            elif existing == row:
                present += 1
            else:
                raise TransferError(
                    f"procedure {procedure_id}, seq {row.seq}: the database already holds a "
                    "different event there; nothing imported"
                )
        head_seq, head_hash = store.head(procedure_id)
        first_new = next((r for r in chain if r.seq > head_seq), None)
        if first_new is not None and (first_new.seq != head_seq + 1
                                      or first_new.prev_hash != head_hash):
            raise TransferError(
                f"procedure {procedure_id}: the file does not continue the stored chain at seq "
                f"{head_seq + 1}; nothing imported"
            )
    store.insert_rows(new, outbox=outbox)
    return ImportResult(tuple(by_procedure), len(new), present)


def _check_links(procedure_id: str, chain: list[EventRow]) -> None:
    prev = GENESIS_HASH
    for expected, row in enumerate(chain, start=1):
        if row.seq != expected:
            raise TransferError(f"procedure {procedure_id}: seq {expected} is not in the file")
        if row.prev_hash != prev:
            raise TransferError(
                f"procedure {procedure_id}, seq {row.seq}: prev_hash is not the hash of seq "
                f"{row.seq - 1}: the chain is broken"
            )
        prev = row.hash
