"""`kresladi-bedside keys show|enroll|list`: the Ed25519 keys that sign files crossing workstations.

`keys show` prints this workstation's public key (made on first use); an administrator types or
pastes it into `keys enroll` on each workstation that is to import this one's files (once). The
enrolment is an event of the sealed people log. See store/signing.py and the README.

Exit status: 0 done; 2 not an administrator, a malformed key, or the database cannot be opened.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

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
    def enroll(people: People) -> str:
        try:
            admin = _sign_in_admin(people, args)
            key_id = people.enroll_workstation(args.name, args.public_key, by=admin.id)
        finally:
            people.sign_out()
        return f"enrolled {args.name}: key id {key_id}"

    return _with_people(args, enroll, read_only=False)


def _list(args: argparse.Namespace) -> int:
    def listed(people: People) -> str:
        return "\n".join(f"{key_id}\t{name}"
                         for key_id, (name, _public) in people.enrolled_workstations().items())

    return _with_people(args, listed, read_only=True)


def _with_people(args: argparse.Namespace, action: Callable[[People], str], *,
                 read_only: bool) -> int:
    """Open the store `--db`/`--config` name (never creating it), run `action` on its people and
    print what it returns; a refusal, a bad configuration or a store that cannot be opened is
    printed on stderr with exit status 2."""
    try:
        config = config_for_args(args)
        path = database_path(getattr(args, "db", None), config)
        store = open_store(path, read_only=True) if read_only else open_store(path, create=False)
        with store:
            out = action(People(store, config, SystemClock()))
    except (PeopleError, InvalidConfigError, StorageError) as exc:
        print(f"keys: {exc}", file=sys.stderr)
        return 2
    if out:
        print(out)
    return 0
