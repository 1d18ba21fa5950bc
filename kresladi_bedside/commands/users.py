"""`kresladi-bedside users init-admin|add|disable|enable|reset-pin|set-id|set-name|list`: the
users.

Every change is made by an administrator who signs in with `--as BADGE` and their PIN, and is
logged in the people log. PINs are asked without echo; when stdin is not a terminal (scripts,
tests) each PIN is read as one line from stdin. A PIN is never accepted on the command line,
where it would land in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from ..clock import SystemClock
from ..config import InvalidConfigError
from ..people import ROLES, NotAuthorized, People, PeopleError, User
from ..people.hospital_ids import NPI_SYSTEM
from ..store import ReadOnlyError, StorageError, StorageIOError, open_store
from ..store.db import database_path
from .config_cmd import config_for_args

CLI_REASON = "user administration at the command line"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("users", help="add, disable, enable, reset PINs of and list users",
                       description=__doc__)
    actions = p.add_subparsers(dest="users_action", metavar="ACTION", required=True)

    a = actions.add_parser("init-admin", help="first run: create the first administrator")
    a.add_argument("--name", required=True)
    a.add_argument("--badge", required=True)
    a.add_argument("--nurse", action="store_true", help="also give the nurse role")
    a.set_defaults(func=lambda args: _run(args, _init_admin))

    a = actions.add_parser("add", help="add a user (administrator)")
    a.add_argument("--name", required=True)
    a.add_argument("--badge", required=True)
    a.add_argument("--roles", required=True,  # every role the people layer knows, from it
                   help="comma-separated, any of: " + ", ".join(ROLES)
                   + " (pharmacy: receives the product and signs its double check)")
    _admin_arg(a)
    a.set_defaults(func=lambda args: _run(args, _add))

    for name, helptext, fn in (("disable", "disable a user (never deleted)", _disable),
                               ("enable", "enable a disabled user", _enable),
                               ("reset-pin", "set a new PIN (lifts a badge lock)", _reset)):
        a = actions.add_parser(name, help=helptext + " (administrator)")
        a.add_argument("user", help="the user's id or badge")
        if name == "disable":
            a.add_argument("--reason", required=True)
        _admin_arg(a)
        a.set_defaults(func=lambda args, fn=fn: _run(args, fn))

    a = actions.add_parser("set-id", help="the identifier the hospital's EHR uses for a user "
                           "(NPI, or the EHR's staff id; administrator)")
    a.add_argument("user", help="the user's id or badge")
    which = a.add_mutually_exclusive_group(required=True)
    which.add_argument("--npi", help="the person's NPI (10 digits, check digit verified)")
    which.add_argument("--ehr-id", metavar="SYSTEM|VALUE",
                       help="the EHR's identifier system (a URI) and the person's value in it")
    which.add_argument("--clear", action="store_true", help="remove the identifier")
    _admin_arg(a)
    a.set_defaults(func=lambda args: _run(args, _set_id))

    a = actions.add_parser("set-name", help="the person's family and given names as the "
                           "hospital's records hold them (administrator)")
    a.add_argument("user", help="the user's id or badge")
    named = a.add_mutually_exclusive_group(required=True)
    named.add_argument("--family", help="the family name (surname), as the EHR spells it")
    named.add_argument("--clear", action="store_true", help="remove the family and given names")
    a.add_argument("--given", action="append", default=[], metavar="NAME",
                   help="a given name (repeat for a middle name: --given Ada --given Chioma)")
    _admin_arg(a)
    a.set_defaults(func=lambda args: _run(args, _set_name))

    a = actions.add_parser("list", help="list users (no PINs; administrator)")
    _admin_arg(a)
    a.set_defaults(func=lambda args: _run(args, _list))


def _admin_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as", dest="admin_badge", required=True, metavar="BADGE",
                        help="the administrator's badge (their PIN is asked)")


def _run(args: argparse.Namespace, action: Callable[[People, argparse.Namespace], int]) -> int:
    try:
        config = config_for_args(args)
        path = database_path(getattr(args, "db", None), config)
        try:
            store = open_store(path, create=action is _init_admin)
        except (ReadOnlyError, StorageIOError):
            if action is not _list or not path.is_file():
                raise
            store = open_store(path, read_only=True)  # read-only media: listing still works
        with store:
            people = People(store, config, SystemClock())
            try:
                return action(people, args)
            finally:
                people.sign_out()
    except (PeopleError, InvalidConfigError, StorageError) as exc:
        print(f"users: {exc}", file=sys.stderr)
        return 2


def _pin(prompt: str, *, confirm: bool) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    pin = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != pin:
        raise SystemExit("users: the two PINs differ; nothing changed")
    return pin


def _sign_in_admin(people: People, args: argparse.Namespace) -> User:
    pin = _pin(f"PIN for badge {args.admin_badge}: ", confirm=False)
    return people.sign_in(f"BADGE:{args.admin_badge}", pin, source="typed",
                          typed_reason=CLI_REASON)


def _target(people: People, key: str) -> User:
    found = people.user(key) or people.directory.by_badge(key.strip().upper())
    if found is None:
        raise SystemExit(f"users: no user with id or badge {key!r}")
    return found


def _init_admin(people: People, args: argparse.Namespace) -> int:
    pin = _pin("PIN for the new administrator: ", confirm=True)
    user = people.init_admin(args.name, args.badge, pin, ["nurse"] if args.nurse else [])
    print(f"created administrator {user.name} ({user.id}), badge {user.badge}")
    return 0


def _add(people: People, args: argparse.Namespace) -> int:
    admin = _sign_in_admin(people, args)
    pin = _pin(f"PIN for {args.name}: ", confirm=True)
    user = people.add_user(args.name, args.badge, pin, args.roles.split(","), by=admin.id)
    roles = ", ".join(sorted(user.roles))
    print(f"added {user.name} ({user.id}), badge {user.badge}, roles {roles}")
    return 0


def _disable(people: People, args: argparse.Namespace) -> int:
    admin = _sign_in_admin(people, args)
    user = people.disable(_target(people, args.user).id, by=admin.id, reason=args.reason)
    print(f"disabled {user.name} ({user.id})")
    return 0


def _enable(people: People, args: argparse.Namespace) -> int:
    admin = _sign_in_admin(people, args)
    user = people.enable(_target(people, args.user).id, by=admin.id)
    print(f"enabled {user.name} ({user.id})")
    return 0


def _reset(people: People, args: argparse.Namespace) -> int:
    admin = _sign_in_admin(people, args)
    target = _target(people, args.user)
    pin = _pin(f"New PIN for {target.name}: ", confirm=True)
    people.reset_pin(target.id, pin, by=admin.id)
    print(f"new PIN set for {target.name} ({target.id})")
    return 0


def _set_id(people: People, args: argparse.Namespace) -> int:
    admin = _sign_in_admin(people, args)
    target = _target(people, args.user)
    if args.npi is not None:
        system, value = NPI_SYSTEM, args.npi
    elif args.ehr_id is not None:
        system, _, value = args.ehr_id.partition("|")
        if not value.strip():
            raise SystemExit("users set-id: --ehr-id takes 'SYSTEM|VALUE'")
    else:
        system, value = "", ""
    people.set_hospital_id(target.id, system, value, by=admin.id)
    shown = f"{system}|{value.strip()}" if value.strip() else "no hospital identifier"
    print(f"{target.name} ({target.id}): {shown}")
    return 0


def _set_name(people: People, args: argparse.Namespace) -> int:
    if args.clear and args.given:
        raise SystemExit("users set-name: --clear takes no --given")
    admin = _sign_in_admin(people, args)
    target = _target(people, args.user)
    people.set_hospital_name(target.id, None if args.clear else args.family, args.given,
                             by=admin.id)
    found = people.hospital_names().get(target.id)
    shown = (f"family {found[0]!r}, given {' '.join(found[1]) or '(none)'}" if found
             else "no family name on record")
    print(f"{target.name} ({target.id}): {shown}")
    return 0


def _list(people: People, args: argparse.Namespace) -> int:
    # Badges and roles are what an attacker needs first: only an administrator lists them.
    if people.store.read_only:
        people.check_administrator(args.admin_badge,
                                   _pin(f"PIN for badge {args.admin_badge}: ", confirm=False))
    else:
        admin = _sign_in_admin(people, args)
        if not admin.has_role("administrator"):
            raise NotAuthorized(f"Only an administrator may list users; {admin.name} is not "
                                "one.", code="role")
    problems = people.user_problems()
    for user in people.users():
        state = "active" if user.active else "disabled"
        if user.id in problems:
            state = f"ALTERED ({problems[user.id]})"
        print(f"{user.id}\t{user.badge}\t{user.name}\t{','.join(sorted(user.roles))}\t{state}")
    return 0
