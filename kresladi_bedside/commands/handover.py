"""`kresladi-bedside handover export ID FILE --as BADGE`, `handover import FILE --as BADGE`:
custody without the hospital's server, by a file signed with this workstation's key.

`export` hands over to another workstation either an open (interrupted) procedure — it is then
fenced here: every command for it is refused, naming where it went, who handed it over and when
(store/handover_file.py) — or a received product (a receipt id) that no infusion opened yet —
it is then no longer offered here. `import` takes an open procedure over from such a file: the
signature must be a workstation's an administrator enrolled here (`keys enroll`); every command
is decided again by this workstation's engine; a procedure this workstation already holds, or a
file already taken over (its mark beside it), is refused; the procedure then continues here
from its recorded instants (start the window). A receipt file is imported with `import`.
A nurse signs either act with `--as BADGE` and the PIN (asked; one line from stdin when stdin
is not a terminal).

Exit status: 0 done; 1 refused (the message says why; nothing changed); 2 cannot run
(configuration, database, badge or PIN, file unreadable).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..clock import SystemClock
from ..config import InvalidConfigError, SiteConfig, workstation_name
from ..engine.procedure import default_verifier
from ..people import People, PeopleError, User
from ..people.attested import attested_guard
from ..profile import ProfileError, load_profile
from ..receipt import hand_over, is_receipt_id
from ..record.text import visible
from ..store import StorageError, Store, database_path, open_store
from ..store.handover_file import HandoverFileError, hand_over_to_file, take_over_from_file
from ..store.signing import SignatureError, own_signing_key
from ..store.transfer import TransferError
from .config_cmd import config_for_args
from .users import _pin

ROLES = ("nurse", "pharmacy")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("handover", help="hand an open procedure or a received product over to "
                                        "another workstation by a signed file (no server)",
                       description=__doc__)
    actions = p.add_subparsers(dest="handover_action", metavar="ACTION", required=True)
    a = actions.add_parser("export", help="hand over by file; fenced here from then on")
    a.add_argument("id", metavar="PROCEDURE_OR_RECEIPT_ID")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--to", metavar="WORKSTATION", help="the workstation it goes to (printed "
                                                       "on the record)")
    a.add_argument("--as", dest="badge", required=True, metavar="BADGE")
    a.set_defaults(func=lambda args: _run(args, _export))
    a = actions.add_parser("import", help="take over an open procedure from a hand-over file")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--as", dest="badge", required=True, metavar="BADGE")
    a.set_defaults(func=lambda args: _run(args, _import))


def _run(args: argparse.Namespace, action: object) -> int:
    assert callable(action)
    try:
        config = config_for_args(args)
        with open_store(database_path(getattr(args, "db", None), config)) as store:
            people = People(store, config, SystemClock())
            pin = _pin(f"PIN for badge {args.badge}: ", confirm=False)
            user = people.sign_in(f"BADGE:{args.badge}", pin, source="typed",
                                  typed_reason=f"hand-over {args.handover_action} at the "
                                               "command line")
            try:
                if not any(user.has_role(role) for role in ROLES):
                    print(f"handover: {user.name} is neither a nurse nor the pharmacy",
                          file=sys.stderr)
                    return 2
                result: int = action(args, store, people, config, user)
                return result
            finally:
                people.sign_out()
    except (TransferError, HandoverFileError) as exc:
        print(f"handover: not done: {visible(str(exc))}", file=sys.stderr)
        return 1
    except (InvalidConfigError, StorageError, ProfileError, PeopleError, SignatureError,
            OSError) as exc:
        print(f"handover: {visible(str(exc))}", file=sys.stderr)
        return 2


def _export(args: argparse.Namespace, store: Store, people: People, config: SiteConfig,
            user: User) -> int:
    profile = load_profile()
    if is_receipt_id(args.id):
        return _export_receipt(args, store, config, user.id)
    if config.sync.base_url is not None:
        print("handover: this workstation has the hospital's server ([sync]): custody is "
              "there, and the other workstation takes the procedure over with `custody "
              "take-over`", file=sys.stderr)
        return 1
    done = hand_over_to_file(store, profile, SystemClock(), args.id, user.id, args.file,
                             from_workstation=workstation_name(config), to_workstation=args.to,
                             user_name=user.name)
    print(f"procedure {done.procedure_id} handed over ({done.moved.describe()}): {done.events} "
          f"events written to {args.file}, signed by this workstation. This workstation "
          "refuses every command for it from now on; take it over on the other workstation "
          "(handover import) at once: the clocks keep running.")
    return 0


def _export_receipt(args: argparse.Namespace, store: Store, config: SiteConfig,
                    user: str) -> int:
    """A received product for another workstation: the signed file, then the hand-over here
    (receipt/bedside.hand_over: it is no longer offered here)."""
    from ..receipt import Receipt, awaiting_infusion
    from ..store.transfer import write_export

    profile = load_profile()
    if args.id not in {r.receipt_id for r in awaiting_infusion(store)}:
        state = Receipt.rebuild(profile, SystemClock(), store.events(args.id)).state
        why = ("handed over already" if state.handed_over else
               "opened for an infusion already" if state.dispensed_to else
               f"not a received product ({state.outcome or 'unfinished'})")
        print(f"handover: receipt {visible(args.id)} is {why}: not exported", file=sys.stderr)
        return 1
    path = Path(args.file)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        count = write_export(store, args.id, out)
    outcome = hand_over(store, profile, SystemClock(), args.id, user,
                        f"{path.name} for {args.to or 'another workstation'}"
                        f" (from {workstation_name(config)})")
    if outcome.rejection is not None:
        print(f"handover: exported to {args.file} but NOT marked handed over here: "
              f"{outcome.rejection.reason}", file=sys.stderr)
        return 1
    print(f"receipt {args.id}: {count} events written to {args.file}, signed; this "
          "workstation no longer offers the product")
    return 0


def _import(args: argparse.Namespace, store: Store, people: People, config: SiteConfig,
            user: User) -> int:
    profile = load_profile()
    own = own_signing_key(store.key.path if store.key else None)
    done = take_over_from_file(
        store, profile, SystemClock(), args.file, user=user.id, user_name=user.name,
        workstation=workstation_name(config), enrolled=people.enrolled_workstations(), own=own,
        verifier=default_verifier(profile, config.identity, config.timezone),
        guards=[attested_guard(people.user)])
    print(f"procedure {done.procedure_id} taken over from workstation "
          f"{visible(done.from_workstation)} (file signed by {visible(done.signed_by)}): "
          f"{done.imported} events imported, each decided again here; start the window to "
          "continue it from its recorded instants.")
    if done.mark_problem:
        print(f"WARNING: {done.mark_problem}", file=sys.stderr)
    else:
        print(f"The file is marked as taken over ({done.mark}): no other workstation can "
              "import it while the mark is beside it. A copy escapes the mark: destroy any.")
    return 0
