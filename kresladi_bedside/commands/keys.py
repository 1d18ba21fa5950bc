"""`kresladi-bedside keys show|enroll|list`: the Ed25519 keys that sign files crossing workstations.

`keys show` prints this workstation's public key (made on first use); an administrator types or
pastes it into `keys enroll` on each workstation that is to import this one's files (once). The
enrolment is an event of the sealed people log. See store/signing.py and the README.

Exit status: 0 done; 2 not an administrator, a malformed key, or the database cannot be opened.
"""

from __future__ import annotations

import argparse
import sys

from ..clock import SystemClock
from ..config import InvalidConfigError
from ..people import People, PeopleError
from ..store import StorageError, database_path, open_store
from ..store.signing import SignatureError, workstation_signing_key
from .config_cmd import config_for_args
from .users import _sign_in_admin


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("keys", help="show this workstation's public key; enrol another's "
                                    "(administrator)", description=__doc__)
    actions = p.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    a = actions.add_parser("show", help="print this workstation's public signing key")
    a.set_defaults(func=_show)
    a = actions.add_parser("enroll", help="trust files signed by another workstation "
                                          "(administrator)")
    a.add_argument("--name", required=True, help="the workstation's name, as staff know it")
    a.add_argument("--public-key", required=True, metavar="HEX",
                   help="its public key, as `keys show` prints it there")
    a.add_argument("--as", dest="admin_badge", required=True, metavar="BADGE")
    a.set_defaults(func=_enroll)
    a = actions.add_parser("list", help="the workstations enrolled here")
    a.set_defaults(func=_list)


def _show(args: argparse.Namespace) -> int:
    try:
        key = workstation_signing_key()
    except SignatureError as exc:
        print(f"keys: {exc}", file=sys.stderr)
        return 2
    print(f"public key: {key.public_hex}\nkey id: {key.key_id}")
    return 0


def _enroll(args: argparse.Namespace) -> int:
    try:
        config = config_for_args(args)
        with open_store(database_path(getattr(args, "db", None), config), create=False) as store:
            people = People(store, config, SystemClock())
            try:
                admin = _sign_in_admin(people, args)
                key_id = people.enroll_workstation(args.name, args.public_key, by=admin.id)
            finally:
                people.sign_out()
    except (PeopleError, InvalidConfigError, StorageError) as exc:
        print(f"keys: {exc}", file=sys.stderr)
        return 2
    print(f"enrolled {args.name}: key id {key_id}")
    return 0


def _list(args: argparse.Namespace) -> int:
    try:
        config = config_for_args(args)
        with open_store(database_path(getattr(args, "db", None), config),
                        read_only=True) as store:
            enrolled = People(store, config, SystemClock()).enrolled_workstations()
    except (PeopleError, InvalidConfigError, StorageError) as exc:
        print(f"keys: {exc}", file=sys.stderr)
        return 2
    for key_id, (name, _public) in enrolled.items():
        print(f"{key_id}\t{name}")
    return 0
