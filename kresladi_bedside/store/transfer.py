"""Moving a procedure between databases as JSON lines, one stored row per line.

Each line holds every hashed column and the hash; `data` is written as a JSON object, and on import
it is put back in canonical form, which must give back the exported hash: an exported and
re-imported procedure is byte-identical in its events and hashes.

An import is untrusted input (issue 15): every column must have exactly the type it is stored and
hashed with (a float stays a float: `mono` 5 is refused rather than stored as 5.0 under a hash of
5), `data` must be a JSON object, the file and its lines have size limits, and every malformed line
gets a message naming the line and the column. Pseudo-logs (the people log) are never imported: a
forged `pin_reset` could lift another workstation's badge lock.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .db import Store
from .rows import COLUMNS, EventRow, canonical_json
from .schema import GENESIS_HASH
from .signing import (
    SignatureError,
    Signer,
    SigningKey,
    check_signed,
    signing_key_path,
    workstation_signing_key,
)

if TYPE_CHECKING:
    from ..engine.door import DoorGuard
    from ..engine.identity import IdentityVerifier
    from ..engine.model import Event
    from ..engine.state import State
    from ..profile import Profile

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_LINES = 100_000  # ~1,400 two-bag procedures
MAX_LINE_CHARS = 256 * 1024
MAX_TEXT_CHARS = 200  # ids, types, users, boot ids
MAX_UTC_OFFSET_S = 18 * 3600  # ISO 8601's widest offset (real zones: −12 h to +14 h)
NEVER_IMPORTED = frozenset({"people"})  # people.audit.PEOPLE_LOG: this workstation's own

_TEXT = (str,)
_COLUMN_TYPES: dict[str, tuple[tuple[type, ...], bool, str]] = {
    # column: (accepted JSON types, may be null, words)
    "id": (_TEXT, False, "a string"),
    "procedure_id": (_TEXT, False, "a string"),
    "seq": ((int,), False, "a whole number"),
    "type": (_TEXT, False, "a string"),
    "data": ((dict,), False, "a JSON object"),
    "user": (_TEXT, False, "a string"),
    "wall_utc": (_TEXT, False, "an ISO date and time"),
    "utc_offset_s": ((int,), False, "a whole number of seconds"),
    "mono": ((float,), True, "a decimal number (like 12.0) or null"),
    "boot_id": (_TEXT, True, "a string or null"),
    "prev_hash": (_TEXT, False, "64 hexadecimal digits"),
    "corrects": (_TEXT, True, "a string or null"),
    "hash": (_TEXT, False, "64 hexadecimal digits"),
}


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


def write_export(store: Store, procedure_id: str, out: TextIO,
                 key: SigningKey | None = None) -> int:
    """Write the procedure's lines and, last, this workstation's signature over them (the
    signing key is read, or made, before anything is written)."""
    key = key or workstation_signing_key(signing_key_path(store.key.path if store.key else None))
    lines = list(export_lines(store, procedure_id))
    for line in lines:
        out.write(line + "\n")
    out.write(key.signature_line(lines) + "\n")
    return len(lines)


@dataclass(frozen=True)
class ImportResult:
    procedures: tuple[str, ...]
    imported: int
    already_present: int


def read_signed_file(path: str, enrolled: Mapping[str, tuple[str, str]],
                     own: SigningKey | None) -> tuple[list[EventRow], Signer]:
    """The rows of an exported file and the workstation that signed it; every limit, the
    signature, every type and hash checked (TransferError otherwise, naming what is wrong).

    Never more than MAX_FILE_BYTES is read, also from a pipe or a device whose size the file
    system does not know (a 1.5 GB line from a pipe was read whole before, issue 26)."""
    try:
        with open(path, "rb") as source:
            data = source.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise TransferError(f"{path}: cannot be read ({exc.strerror})") from exc
    if len(data) > MAX_FILE_BYTES:
        raise TransferError(f"{path}: more than an import takes ({MAX_FILE_BYTES} bytes): "
                            "split it by procedure")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TransferError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) > MAX_LINES + 1:  # the signature is one line more
        raise TransferError(f"more than {MAX_LINES} lines: split the file by procedure")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise TransferError(f"line {number}: longer than {MAX_LINE_CHARS} characters")
    try:
        content, signer = check_signed(lines, enrolled, own)
    except SignatureError as exc:
        raise TransferError(f"{path}: {exc}") from None
    return parse_lines(content), signer


def parse_lines(lines: Iterable[str]) -> list[EventRow]:
    rows: list[EventRow] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if number > MAX_LINES:
            raise TransferError(f"more than {MAX_LINES} lines: split the file by procedure")
        if len(line) > MAX_LINE_CHARS:
            raise TransferError(f"line {number}: longer than {MAX_LINE_CHARS} characters")
        if not line.strip():
            continue
        row = _parse_line(number, line)
        if row.id in seen:
            raise TransferError(f"line {number}: event id {row.id!r} appears twice in the file "
                                f"(first on line {seen[row.id]})")
        seen[row.id] = number
        rows.append(row)
    return rows


def _parse_line(number: int, line: str) -> EventRow:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise TransferError(f"line {number}: not JSON ({exc.msg}, column {exc.colno})") from exc
    except RecursionError:
        raise TransferError(f"line {number}: nested too deeply to be an event") from None
    if not isinstance(record, dict):
        raise TransferError(f"line {number}: expected an object, got {type(record).__name__}")
    missing = [c for c in COLUMNS if c not in record]
    if missing:
        raise TransferError(f"line {number}: missing {', '.join(missing)}")
    extra = sorted(set(record) - set(COLUMNS))
    if extra:
        raise TransferError(f"line {number}: unknown column(s) {', '.join(extra)}")
    for column, (accepted, nullable, words) in _COLUMN_TYPES.items():
        value = record[column]
        if value is None and nullable:
            continue
        if isinstance(value, bool) or not isinstance(value, accepted):
            raise TransferError(f"line {number}: {column} must be {words}, got "
                                f"{type(value).__name__} {str(value)[:40]!r}")
        if isinstance(value, str) and column not in ("data",) and (
                len(value) > (64 if column.endswith("hash") else MAX_TEXT_CHARS)):
            raise TransferError(f"line {number}: {column} is too long")
    for column in ("prev_hash", "hash"):
        if len(record[column]) != 64 or any(c not in "0123456789abcdef" for c in record[column]):
            raise TransferError(f"line {number}: {column} must be 64 lowercase hexadecimal "
                                "digits")
    if record["seq"] < 1:
        raise TransferError(f"line {number}: seq must be 1 or more")
    if abs(record["utc_offset_s"]) > MAX_UTC_OFFSET_S:
        # no zone on Earth is further than 14 h from UTC; 25 h was imported, then crashed
        # `record` (issue 26)
        raise TransferError(f"line {number}: utc_offset_s {record['utc_offset_s']} is not a "
                            f"time zone's offset (at most ±{MAX_UTC_OFFSET_S // 3600} h)")
    if record["procedure_id"] in NEVER_IMPORTED:
        raise TransferError(f"line {number}: the {record['procedure_id']!r} log belongs to the "
                            "workstation that wrote it and is never imported")
    try:
        datetime.fromisoformat(record["wall_utc"])
    except ValueError:
        raise TransferError(f"line {number}: wall_utc is not an ISO date and time") from None
    try:
        record["data"] = canonical_json(record["data"])
    except (ValueError, RecursionError) as exc:
        raise TransferError(f"line {number}: data cannot be stored ({exc})") from None
    row = EventRow.from_mapping(record)
    try:
        computed = row.computed_hash()
    except (ValueError, RecursionError):
        computed = ""
    if computed != row.hash:
        raise TransferError(
            f"line {number} (procedure {row.procedure_id}, seq {row.seq}): the hash does not "
            "match the event: the file was altered"
        )
    return row


def import_rows(store: Store, rows: list[EventRow], *, outbox: bool = True,
                then: Sequence[Event] = ()) -> ImportResult:
    """Add the rows that continue each procedure's chain; rows already present are skipped.
    `then`: events of this workstation appended after them in the same transaction (a
    take-over: the import and the event that says so are one act)."""
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
    for row in new:
        clash = store.conn.execute("SELECT procedure_id, seq FROM events WHERE id = ?",
                                   (row.id,)).fetchone()
        if clash is not None:
            raise TransferError(f"procedure {row.procedure_id}, seq {row.seq}: its event id "
                                f"{row.id!r} is already procedure {clash[0]}'s seq {clash[1]}; "
                                "nothing imported")
    store.insert_rows(new, outbox=outbox, then=then)
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


def rehearse(store: Store, rows: list[EventRow], profile: Profile,
             verifier: IdentityVerifier | None = None,
             guards: Iterable[DoorGuard[State]] = ()) -> None:
    """The import tried first in a scratch store: the chains as they would be after it, verified,
    then every command of every procedure decided again by the engine with this workstation's
    profile and identity verifier (store/rejudge.py). Anything wrong raises TransferError and the
    real log is never touched (a row cannot be removed once it is in)."""
    from ..clock import SystemClock
    from ..engine import Procedure
    from .db import open_store
    from .rejudge import Misjudged, redecide
    from .verify import verify

    procedures = sorted({row.procedure_id for row in rows})
    with (tempfile.TemporaryDirectory(prefix="kresladi-import-") as folder,
          open_store(Path(folder) / "scratch.db", key=store.key) as scratch):
        existing = [r for pid in procedures for r in store.rows(pid)]
        import_rows(scratch, existing)
        import_rows(scratch, rows)
        report = verify(scratch)
        if not report.ok:
            raise TransferError(f"the log would not verify after this import: "
                                f"{report.summary()}; nothing imported")
        for procedure_id in procedures:
            events = scratch.events(procedure_id)
            try:
                Procedure.rebuild(profile, SystemClock(), events)  # a payload it cannot read
                redecide(events, profile, verifier, guards)
            except Misjudged as exc:
                raise TransferError(f"procedure {procedure_id}: the engine would have refused "
                                    f"it: {exc}; nothing imported") from None
            except Exception as exc:  # any replay failure refuses the whole import
                raise TransferError(
                    f"procedure {procedure_id}: the engine cannot replay it "
                    f"({type(exc).__name__}: {str(exc)[:200]}); nothing imported") from None
