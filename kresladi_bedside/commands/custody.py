"""`kresladi-bedside custody status|release RECEIPT_ID`, `custody take-over PROCEDURE_ID`:
custody of a received product on the hospital's FHIR server.

`status` reads, now, who holds each bag (workstation, nurse, when), whether the server holds an
administration of it, and this workstation's own record. `release` is the pharmacy's signed act
that frees a claimed product whose procedure stopped before any thaw: the pharmacist signs with
`--as BADGE` and their PIN (asked; one line from stdin when stdin is not a terminal), must have
the pharmacy role, and gives a reason; it is written on the server (one `release` step per bag)
and in the receipt's chain here. A bag the server shows given, or whose thaw began, is refused.
`take-over` moves an open procedure here from a workstation that failed (a nurse signs): its
events are read from the server, checked and imported, the claim moves, and the other
workstation refuses every command for it from then on; start the window afterwards and it
resumes the procedure with its clocks.
Exit status: 0 done; 1 refused or held; 2 cannot run (no server, configuration, database, or the
server could not answer: custody unknown).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from ..clock import SystemClock
from ..config import InvalidConfigError
from ..people import People, PeopleError
from ..profile import ProfileError, load_profile
from ..receipt import Receipt
from ..store import StorageError, Store, open_store
from ..store.db import database_path
from ..sync import SyncNotConfigured, SyncSettings, TransportConfigError
from ..sync.custody import ISBT128_DIN_SYSTEM, CustodyUnknown, Who, read_product
from ..sync.open_custody import dins_of, release_product
from ..sync.transport import FhirClient
from .config_cmd import config_for_args
from .users import _pin

CLI_REASON = "custody release at the command line"
CLI_TAKE_OVER_REASON = "taken over at the command line (the workstation that held it failed)"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("custody", help="who holds a received product on the hospital's server; "
                                       "a pharmacist's signed release", description=__doc__)
    actions = p.add_subparsers(dest="custody_action", metavar="ACTION", required=True)
    a = actions.add_parser("status", help="read who holds each bag, now")
    a.add_argument("receipt_id")
    a.set_defaults(func=lambda args: _run(args, _status))
    a = actions.add_parser("release", help="release a claimed product (pharmacy; signed)")
    a.add_argument("receipt_id")
    a.add_argument("--as", dest="badge", required=True, metavar="BADGE",
                   help="the pharmacist's badge (their PIN is asked)")
    a.add_argument("--reason", required=True, help="why (recorded on the server and here)")
    a.set_defaults(func=lambda args: _run(args, _release))
    a = actions.add_parser("take-over", help="take over an open procedure from the workstation "
                                             "that holds it (nurse; signed)")
    a.add_argument("procedure_id")
    a.add_argument("--as", dest="badge", required=True, metavar="BADGE",
                   help="the nurse's badge (their PIN is asked)")
    a.set_defaults(func=lambda args: _run(args, _take_over))


Action = Callable[[argparse.Namespace, Store, FhirClient, SyncSettings, People], int]


def _run(args: argparse.Namespace, action: Action) -> int:
    try:
        config = config_for_args(args)
        settings = SyncSettings.from_config(config)
        with open_store(database_path(getattr(args, "db", None), config)) as store:
            client = settings.client()
            people = People(store, config, SystemClock())
            try:
                return action(args, store, client, settings, people)
            finally:
                people.sign_out()
                client.close()
    except CustodyUnknown as exc:
        print(f"custody: the server could not say who holds it: {exc}", file=sys.stderr)
        return 2
    except (InvalidConfigError, StorageError, ProfileError, TransportConfigError,
            SyncNotConfigured, PeopleError) as exc:
        print(f"custody: {exc}", file=sys.stderr)
        return 2


def _systems(settings: SyncSettings) -> tuple[str, ...]:
    return (ISBT128_DIN_SYSTEM, settings.site.din_system)


def _status(args: argparse.Namespace, store: Store, client: FhirClient,
            settings: SyncSettings, people: People) -> int:
    events = store.events(args.receipt_id)
    state = Receipt.rebuild(load_profile(), SystemClock(), events).state if events else None
    if state is None or state.order is None:
        print(f"custody: {args.receipt_id} is not a received product here", file=sys.stderr)
        return 2
    bags = read_product(client, dins_of(state), state.ehr_resources(), _systems(settings))
    for bag in bags:
        print(f"bag {bag.din}: " + ("free" if bag.free else bag.why_not_free()))
        for step in bag.steps:
            print(f"  step {step.n}: {step.kind} — {step.describe()} ({step.reference})")
    for kind, reason, by in state.custody:
        print(f"here: {kind} by {by}: {reason}")
    return 0 if all(b.free for b in bags) else 1


def _release(args: argparse.Namespace, store: Store, client: FhirClient,
             settings: SyncSettings, people: People) -> int:
    pin = _pin(f"PIN for badge {args.badge}: ", confirm=False)
    user = people.sign_in(f"BADGE:{args.badge}", pin, source="typed", typed_reason=CLI_REASON)
    if not user.has_role("pharmacy"):
        print(f"custody: {user.name} does not have the pharmacy role: only the pharmacy "
              "releases a product", file=sys.stderr)
        return 1
    who = Who(settings.workstation, user.id, user.name)
    if not store.events(args.receipt_id):
        print(f"custody: {args.receipt_id} is not a received product here", file=sys.stderr)
        return 2
    try:
        steps = release_product(client, store, load_profile(), SystemClock(), args.receipt_id,
                                who, args.reason, _systems(settings))
    except ValueError as exc:
        print(f"custody: not released: {exc}", file=sys.stderr)
        return 1
    for step in steps:
        print(f"released bag {step.din} ({step.reference})")
    return 0


def _take_over(args: argparse.Namespace, store: Store, client: FhirClient,
               settings: SyncSettings, people: People) -> int:
    from ..sync.handover import HandoverError, take_over_procedure

    pin = _pin(f"PIN for badge {args.badge}: ", confirm=False)
    user = people.sign_in(f"BADGE:{args.badge}", pin, source="typed",
                          typed_reason="procedure take-over at the command line")
    if not user.has_role("nurse"):
        print(f"custody: {user.name} does not have the nurse role", file=sys.stderr)
        return 1
    try:  # one signed `procedure_taken_over`, as the window records it (with its witness)
        taken = take_over_procedure(client, store, load_profile(), args.procedure_id,
                                    Who(settings.workstation, user.id, user.name),
                                    reason=CLI_TAKE_OVER_REASON,
                                    signatures=(people.sign("performed", pin=pin),))
    except HandoverError as exc:
        print(f"custody: not taken over: {exc}", file=sys.stderr)
        return 1
    print(f"taken over from workstation {taken.from_workstation}: {taken.imported} event(s) "
          f"imported; start the window to continue procedure {taken.procedure_id}")
    return 0
