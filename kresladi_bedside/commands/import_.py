"""`kresladi-bedside import FILE --as BADGE`: read exported JSON lines into the `--db` database.

The file must carry the signature of a workstation an administrator enrolled here (or of this
workstation): `keys show` / `keys enroll`. A receipt file is judged and decided again by this
workstation's receipt engine, never copied (sync/receipt_file.py).

An import adds rows to an append-only log that can never be removed again, so it is as careful as
the program itself (issue 15): an administrator signs in (badge and PIN, logged); the file has
size limits and every column its exact type (a clear message names the line); every hash and
chain link is checked; the import is rehearsed in a scratch store, verified and every command of
every procedure decided again by the engine, with this workstation's profile and identity
verifier, each at its recorded instant (store/rejudge.py); then it goes in as one transaction,
all or nothing, and is logged in the people log.

Exit status: 0 imported; 1 the file is malformed, altered, conflicts with the database or cannot
be replayed (nothing imported); 2 unreadable file or database, or not an administrator.
"""

from __future__ import annotations

import argparse
import sys

from ..clock import SystemClock
from ..config import InvalidConfigError
from ..engine.procedure import default_verifier
from ..people import People, PeopleError
from ..people.attested import attested_guard
from ..profile import Profile, ProfileError, load_profile
from ..receipt import is_receipt_id
from ..record.text import visible as printable
from ..store import StorageError, Store, database_path, open_store, verify
from ..store.rows import EventRow
from ..store.signing import Signer, own_signing_key
from ..store.transfer import TransferError, import_rows, read_signed_file, rehearse
from .config_cmd import config_for_args
from .users import CLI_REASON, _pin


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="read a procedure exported as JSON lines into the database "
                                      "(administrator)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--as", dest="admin_badge", required=True, metavar="BADGE",
                   help="the administrator's badge (their PIN is asked)")
    p.add_argument("--no-outbox", action="store_true",
                   help="do not queue the imported events for sync (e.g. already delivered)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = config_for_args(args)
        profile = load_profile()
        with open_store(database_path(getattr(args, "db", None), config), create=False) as store:
            people = People(store, config, SystemClock())
            # The PIN first: nothing of the file is read for someone who may not import it.
            admin = people.sign_in(f"BADGE:{args.admin_badge}",
                                   _pin(f"PIN for badge {args.admin_badge}: ", confirm=False),
                                   source="typed", typed_reason=CLI_REASON)
            try:
                if not admin.has_role("administrator"):
                    print(f"import: only an administrator may import; {admin.name} is not one",
                          file=sys.stderr)
                    return 2
                own = own_signing_key(store.key.path if store.key else None)
                rows, signer = read_signed_file(args.file, people.enrolled_workstations(), own)
                if any(is_receipt_id(row.procedure_id) for row in rows):
                    return _import_receipt(store, people, rows, signer, profile, admin.id)
                _not_a_hand_over(rows)
                verifier = default_verifier(profile, config.identity, config.timezone)
                # Its signers are attested by the file's signature (people/attested.py).
                rehearse(store, rows, profile, verifier, [attested_guard(people.user)])
                result = import_rows(store, rows, outbox=not args.no_outbox)
                people.audit.record("log_imported", admin.id, file=str(args.file)[-200:],
                                    procedures=list(result.procedures), imported=result.imported,
                                    already_present=result.already_present,
                                    outbox=not args.no_outbox, signed_by=signer.name,
                                    key_id=signer.key_id)
                report = verify(store)
            finally:
                people.sign_out()
    except TransferError as exc:
        print(f"not imported: {printable(str(exc))}", file=sys.stderr)
        return 1
    except (InvalidConfigError, StorageError, ProfileError, PeopleError, OSError) as exc:
        print(f"import failed: {printable(str(exc))}", file=sys.stderr)
        return 2
    print(f"imported {result.imported} events ({result.already_present} already present) "
          f"for {printable(', '.join(result.procedures)) or 'no procedure'}, signed by "
          f"{printable(signer.name)}")
    if not report.ok:
        print(report.summary(), file=sys.stderr)
        return 1
    return 0


def _not_a_hand_over(rows: list[EventRow]) -> None:
    """A hand-over file continues an open procedure on one workstation: `handover import`
    (which records the take-over and marks the file), never a copy into this log."""
    from ..engine.state import fold

    for procedure_id in {row.procedure_id for row in rows}:
        chain = sorted((r for r in rows if r.procedure_id == procedure_id), key=lambda r: r.seq)
        try:
            moved = fold(r.to_event() for r in chain).moved_out
        except Exception:  # a payload the fold cannot read: the rehearsal names it
            continue
        if moved is not None:
            raise TransferError(f"procedure {procedure_id} was handed over by this file for "
                                "another workstation to continue it: use `kresladi-bedside "
                                "handover import FILE --as BADGE` (a nurse)")


def _import_receipt(store: Store, people: People, rows: list[EventRow], signer: Signer,
                    profile: Profile, admin: str) -> int:
    """A receipt file: judged and decided again by this workstation's receipt engine
    (sync/receipt_file.py), never copied."""
    from ..sync.receipt_file import import_receipt_file

    if not all(is_receipt_id(row.procedure_id) for row in rows):
        raise TransferError("a receipt file holds one receipt and nothing else")
    done = import_receipt_file(store, rows, signer, profile, SystemClock(), admin)
    if done.outcome is None:
        print(f"receipt {done.receipt_id} is already here; nothing imported")
        return 0
    if not done.outcome.accepted:
        rejection = done.outcome.rejection
        reason = rejection.reason if rejection is not None else "refused"
        print(f"not imported: receipt {done.receipt_id}: {printable(reason)}", file=sys.stderr)
        return 1
    print(f"imported receipt {done.receipt_id}, decided again here, signed by "
          f"{printable(signer.name)}")
    return 0
