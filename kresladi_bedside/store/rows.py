"""One stored event row: its columns, their canonical form and its hash.

The hash is SHA-256 over canonical JSON (sorted keys, no spaces, UTF-8) of every column except
`pos` (the local storage position) and `hash` itself; `prev_hash` is included, which is what
chains the rows. `data` is hashed as the exact text stored.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from ..clock import Instant
from ..engine.model import Event
from .errors import StorageError

HASHED_COLUMNS: tuple[str, ...] = (
    "id", "procedure_id", "seq", "type", "data", "user",
    "wall_utc", "utc_offset_s", "mono", "boot_id", "prev_hash", "corrects",
)
COLUMNS: tuple[str, ...] = (*HASHED_COLUMNS, "hash")

# The engine's `correct` command records the id of the event it corrects as data["event_id"].
CORRECTION_TYPES: frozenset[str] = frozenset({"correction"})


class CanonicalError(StorageError, ValueError):
    """An event payload that cannot be stored as canonical JSON (names the offending value)."""


def canonical_json(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise CanonicalError(f"event data is not plain JSON: {exc}") from exc


@dataclass(frozen=True)
class EventRow:
    id: str
    procedure_id: str
    seq: int
    type: str
    data: str  # canonical JSON text
    user: str
    wall_utc: str
    utc_offset_s: int
    mono: float | None
    boot_id: str | None
    prev_hash: str
    corrects: str | None
    hash: str

    def hashed_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in HASHED_COLUMNS}

    def computed_hash(self) -> str:
        return row_hash(self.hashed_fields())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> EventRow:
        return cls(**{name: row[name] for name in COLUMNS})

    def to_event(self) -> Event:
        return Event(
            id=self.id,
            procedure_id=self.procedure_id,
            type=self.type,
            data=json.loads(self.data),
            user=self.user,
            at=Instant(datetime.fromisoformat(self.wall_utc), self.utc_offset_s, self.mono,
                       self.boot_id),
        )


def row_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(dict(fields)).encode("utf-8")).hexdigest()


def corrected_event_id(event: Event) -> str | None:
    if event.type not in CORRECTION_TYPES:
        return None
    target = event.data.get("event_id")
    return None if target is None else str(target)


def row_for(event: Event, seq: int, prev_hash: str) -> EventRow:
    mono = event.at.mono
    if mono is not None and not math.isfinite(mono):
        raise CanonicalError(f"event {event.id}: monotonic reading {mono!r} is not finite")
    fields: dict[str, Any] = {
        "id": event.id,
        "procedure_id": event.procedure_id,
        "seq": seq,
        "type": event.type,
        "data": canonical_json(dict(event.data)),
        "user": event.user,
        "wall_utc": event.at.wall.isoformat(timespec="microseconds"),
        "utc_offset_s": int(event.at.utc_offset_s),
        "mono": None if mono is None else float(mono),
        "boot_id": event.at.boot_id,
        "prev_hash": prev_hash,
        "corrects": corrected_event_id(event),
    }
    return EventRow(**fields, hash=row_hash(fields))
