"""An open procedure handed over to another workstation by a signed file, without a server.

A workstation can fail mid-procedure (scanner broken, screen dead, the patient moved) and the
30-minute clock does not wait. Without the hospital's server:

- **Handing over** (`hand_over_to_file`, on the workstation the procedure leaves): the engine
  records `procedure_handed_over` (who, when, from this workstation, to which one if the nurse
  names it, the file's name, a new hand-over id), then the whole chain — that event included — is
  written as a file signed with this workstation's Ed25519 key (store/signing.py), atomically
  (a temporary file renamed). From then on the procedure is at the step `moved` here: every
  command is refused naming where it went (engine/handover.py), no countdown runs, and it is not
  resumed at start-up (store/recovery.py). A file that could not be written is written again by
  the same call (the hand-over stays recorded once).
- **Taking over** (`take_over_from_file`, on the workstation that continues): the signature must
  be an enrolled workstation's; the file must hold exactly one procedure whose last custody
  event is a file hand-over; this workstation must not hold that procedure already (a second
  import of the file, or of a copy, is refused, as is the file on the workstation that wrote
  it); every command is decided again by this workstation's engine at its recorded instant
  (store/transfer.rehearse → store/rejudge.py); then the rows and the `procedure_taken_over`
  event (from → to, the hand-over id, the file's SHA-256, its signer) go in as one transaction.
  The countdowns continue from the recorded instants: the thaw deadline does not move.
- **A copy imported twice.** Nothing can stop a file being copied without a server. So: the
  same workstation never imports it twice (above); the importer writes a signed mark beside the
  file (`<file>.taken`: where, who, when) and every later import of that file refuses while the
  mark is there, naming where it went; when the mark cannot be written (read-only medium) the
  nurse is told to destroy the file. A copy made before the import escapes the mark: the record
  of each workstation prints the hand-over id and the file's SHA-256, so two records of one
  procedure taken over from the same hand-over by two workstations show it (README, custody).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..clock import Clock
from ..engine import Command, Event, Procedure
from ..engine.handover import Moved
from ..engine.state import fold
from .db import Store
from .listener import StoreListener
from .signing import (
    SignatureError,
    SigningKey,
    signing_key_path,
    workstation_signing_key,
)
from .transfer import TransferError, import_rows, read_signed_file, rehearse, write_export

if TYPE_CHECKING:
    from ..engine.door import DoorGuard
    from ..engine.identity import IdentityVerifier
    from ..engine.state import State
    from ..profile import Profile

MARK_SUFFIX = ".taken"
MARK_FIELD = "kresladi_taken_over"


class HandoverFileError(ValueError):
    """The hand-over or take-over cannot be done: says why; nothing was changed."""


@dataclass(frozen=True)
class HandedOver:
    procedure_id: str
    moved: Moved
    path: Path
    events: int  # rows written to the file


@dataclass(frozen=True)
class TakenOverFile:
    procedure_id: str
    handover_id: str
    from_workstation: str
    signed_by: str
    imported: int
    mark: Path | None  # None: the mark could not be written (say so: destroy the file)
    mark_problem: str | None = None


def hand_over_args(path: str | Path, *, from_workstation: str, to_workstation: str | None,
                   user_name: str | None) -> dict[str, object]:
    """The engine's `hand_over` arguments for a hand-over by the file `path` (a new id)."""
    return {"via": "file", "handover_id": uuid.uuid4().hex, "from_workstation": from_workstation,
            "to_workstation": to_workstation or None, "file": Path(path).name[-200:],
            "by_name": user_name or None}


def signing_key_of(store: Store) -> SigningKey:
    """This workstation's signing key, read (or made) before anything is recorded: a
    workstation that cannot sign must not fence itself."""
    try:
        return workstation_signing_key(signing_key_path(store.key.path if store.key else None))
    except SignatureError as exc:
        raise HandoverFileError(f"not handed over: {exc}") from exc


def hand_over_to_file(store: Store, profile: Profile, clock: Clock, procedure_id: str,
                      user: str, path: str | Path, *, from_workstation: str,
                      to_workstation: str | None = None, user_name: str | None = None,
                      key: SigningKey | None = None) -> HandedOver:
    """Record the hand-over here, then write the signed file (see the module's docstring)."""
    path = Path(path)
    events = store.events(procedure_id)
    if not events or events[0].type != "procedure_opened":
        raise HandoverFileError(f"there is no procedure {procedure_id} in this log")
    key = key or signing_key_of(store)
    procedure = Procedure.rebuild(profile, clock, events)
    if procedure.state.moved_out is None:
        procedure.subscribe(StoreListener(store))
        outcome = procedure.handle(Command("hand_over", hand_over_args(
            path, from_workstation=from_workstation, to_workstation=to_workstation,
            user_name=user_name), user=user))
        if outcome.rejection is not None:
            raise HandoverFileError(f"not handed over: {outcome.rejection.reason}")
    return write_handover_file(store, procedure_id, path, key)


def write_handover_file(store: Store, procedure_id: str, path: str | Path,
                        key: SigningKey) -> HandedOver:
    """Write the signed file of a procedure handed over here by file (again, if need be)."""
    path = Path(path)
    moved = fold(store.events(procedure_id)).moved_out
    if moved is None:
        raise HandoverFileError(f"procedure {procedure_id} was not handed over here")
    if moved.via != "file":
        raise HandoverFileError(f"procedure {procedure_id} already moved: {moved.describe()}")
    count = _write_atomically(store, procedure_id, path, key)
    return HandedOver(procedure_id, moved, path, count)


def _write_atomically(store: Store, procedure_id: str, path: Path, key: SigningKey) -> int:
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        with temporary.open("w", encoding="utf-8", newline="\n") as out:
            count = write_export(store, procedure_id, out, key)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise HandoverFileError(
            f"the hand-over is recorded here, but the file {path} could not be written "
            f"({exc.strerror or exc}): write it again (the same command), to another "
            "place if need be") from exc
    return count


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def mark_path(path: str | Path) -> Path:
    return Path(f"{path}{MARK_SUFFIX}")


def read_mark(path: str | Path) -> str | None:
    """What the mark beside the file says (where it was taken over), None when there is none."""
    mark = mark_path(path)
    try:
        text = mark.read_text(encoding="utf-8", errors="replace")[:4096]
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"a mark {mark} is there but cannot be read ({exc.strerror})"
    try:
        found = json.loads(text.splitlines()[0])[MARK_FIELD]
        return (f"taken over on workstation {found['workstation']} by {found['by']} at "
                f"{found['at']} (mark {mark})")
    except (ValueError, KeyError, IndexError, TypeError):
        return f"a mark {mark} is there but is not one this program wrote"


def take_over_from_file(store: Store, profile: Profile, clock: Clock, path: str | Path, *,
                        user: str, workstation: str, enrolled: Mapping[str, tuple[str, str]],
                        user_name: str | None = None,
                        own: SigningKey | None, verifier: IdentityVerifier | None = None,
                        guards: Iterable[DoorGuard[State]] = ()) -> TakenOverFile:
    """Check, decide again and import the file's open procedure, and record the take-over (see
    the module's docstring). TransferError / HandoverFileError: nothing was changed."""
    path = Path(path)
    taken = read_mark(path)
    if taken is not None:
        raise HandoverFileError(f"this file was already used: {taken}. A hand-over file "
                                "continues a procedure on one workstation only")
    rows, signer = read_signed_file(str(path), enrolled, own)
    ids = {row.procedure_id for row in rows}
    if len(ids) != 1:
        raise HandoverFileError("a hand-over file holds exactly one procedure")
    procedure_id = ids.pop()
    rows.sort(key=lambda r: r.seq)
    if any(True for _ in store.rows(procedure_id)):
        raise HandoverFileError(
            f"this workstation already holds procedure {procedure_id} (imported before, or "
            "handed over from here): a hand-over file is taken over once, on one workstation")
    events = [row.to_event() for row in rows]
    try:
        moved = fold(events).moved_out
    except Exception as exc:  # a payload the fold cannot read: rehearse names it below
        raise TransferError(f"procedure {procedure_id}: the engine cannot read it "
                            f"({type(exc).__name__}: {str(exc)[:200]}); nothing imported") \
            from None
    if moved is None or moved.via != "file":
        raise HandoverFileError(f"the file does not hand over procedure {procedure_id}: only "
                                "a file written by a hand-over (`handover export`) is taken over")
    handed = next(e for e in reversed(events) if e.type == "procedure_handed_over")
    if workstation == handed.data.get("from_workstation"):
        raise HandoverFileError(f"the file was handed over from workstation {workstation}: "
                                "this one")
    rehearse(store, rows, profile, verifier, guards)
    digest = file_sha256(path)
    procedure = Procedure.rebuild(profile, clock, events, verifier)
    written: list[Event] = []
    procedure.subscribe(written.extend)
    outcome = procedure.handle(Command("take_over", {
        "via": "file", "handover_id": moved.handover_id,
        "from_workstation": str(handed.data.get("from_workstation")),
        "to_workstation": workstation, "file": path.name[-200:], "file_sha256": digest,
        "key_id": signer.key_id, "signed_by": signer.name[:200],
        "handed_over_by": str(handed.data.get("by_name") or handed.user),
        "handed_over_at": handed.at.local().isoformat(), "by_name": user_name or None},
        user=user))
    if outcome.rejection is not None:
        raise HandoverFileError(f"not taken over: {outcome.rejection.reason}")
    result = import_rows(store, rows, then=written)
    mark, problem = _write_mark(path, procedure_id, moved.handover_id, workstation, user,
                                written[-1], store)
    return TakenOverFile(procedure_id, moved.handover_id,
                         str(handed.data.get("from_workstation")), signer.name,
                         result.imported, mark, problem)


def _write_mark(path: Path, procedure_id: str, handover_id: str, workstation: str, user: str,
                event: Event, store: Store) -> tuple[Path | None, str | None]:
    """The signed mark beside the file: any later import of this file refuses while it is
    there (a copy made before escapes it; nothing without a server can stop that)."""
    mark = mark_path(path)
    line = json.dumps({MARK_FIELD: {
        "procedure_id": procedure_id, "handover_id": handover_id, "workstation": workstation,
        "by": user, "at": event.at.local().isoformat()}}, sort_keys=True)
    try:
        key = workstation_signing_key(signing_key_path(store.key.path if store.key else None))
        mark.write_text(line + "\n" + key.signature_line([line]) + "\n", encoding="utf-8")
    except (OSError, SignatureError) as exc:
        return None, (f"the file could not be marked as taken over ({mark}: "
                      f"{getattr(exc, 'strerror', None) or exc}): destroy the file now, so that "
                      "no other workstation takes the procedure over too")
    return mark, None

