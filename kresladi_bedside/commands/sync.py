"""`kresladi-bedside sync`: one delivery pass to the hospital's FHIR server.

Exit status: 0 nothing is left to send; 1 procedures are waiting (retry later: the server was
unavailable, slow or refused our credentials); 3 some are parked (IT must look; `--unpark` after
fixing); 2 sync cannot run (not configured, bad configuration, unreadable database).
"""

from __future__ import annotations

import argparse
import sys

from ..config import InvalidConfigError, load_site_config
from ..profile import ProfileError, load_profile
from ..record.text import visible
from ..store import StorageError, database_path, open_store
from ..sync import (
    OutboxSummary,
    PassReport,
    SyncNotConfigured,
    SyncSettings,
    TransportConfigError,
    ensure_schema,
    run_pass,
    summary,
    unpark,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sync", help="send finished procedures to the hospital's FHIR server "
                                    "(one pass; exit 0 done, 1 waiting, 3 parked)")
    p.add_argument("--status", action="store_true",
                   help="only say what is waiting, delivered and parked; send nothing")
    p.add_argument("--unpark", metavar="PROCEDURE_ID",
                   help="let a parked procedure (or 'all') be sent again, then run the pass")
    p.add_argument("--mrn-system", metavar="URI",
                   help="the hospital's MRN identifier system (default: the site setting)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_site_config(getattr(args, "config", None))
        path = database_path(getattr(args, "db", None), config)
        # --status only reads: it works on read-only media too (issue 15)
        read_only = bool(args.status and not args.unpark)
        with open_store(path, read_only=read_only) as store:
            if not read_only:
                ensure_schema(store)
            if args.unpark:
                count = unpark(store, None if args.unpark == "all" else args.unpark)
                print(f"unparked {count} procedure(s)")
            if args.status:
                state = summary(store)
                _print_summary(state)
                return _status_code(state)
            settings = SyncSettings.from_config(config, mrn_system=args.mrn_system)
            client = settings.client()
            try:
                report = run_pass(store, client, load_profile(), settings, check_anchors=True)
            finally:
                client.close()
    except (InvalidConfigError, StorageError, ProfileError, TransportConfigError,
            SyncNotConfigured) as exc:
        print(f"sync: {exc}", file=sys.stderr)
        return 2
    _print_report(report)
    return report.exit_status


def _status_code(state: OutboxSummary) -> int:
    return 3 if state.parked else 1 if state.waiting or state.blocked else 0


def _print_report(report: PassReport) -> None:
    for pid in report.delivered:
        print(f"delivered {visible(pid)}")
    for pid in report.withheld:
        print(f"withheld {visible(pid)} (never sent)")
    for note in report.notes:  # e.g. no Encounter referenced, and why
        print(f"note: {visible(note)}")
    if report.busy:
        print(f"not sent: {report.busy}")
    if report.blocked:
        print(f"BLOCKED: {visible(report.blocked)}")
    assert report.summary is not None
    _print_summary(report.summary, shown=report.blocked)
    if report.wait_s is not None and report.summary.waiting:
        print(f"next attempt in about {report.wait_s:.0f} s")


def _print_summary(state: OutboxSummary, shown: str | None = None) -> None:
    print(f"waiting: {state.waiting}; delivered: {state.delivered}; parked: "
          f"{len(state.parked)}; in progress (not due): {state.in_progress}; "
          f"never sent (training or no patient): {state.withheld}")
    print(f"last success: {state.last_success or 'never'}")
    if state.blocked and state.blocked != shown:
        print(f"BLOCKED: {visible(state.blocked)}")
    for item in state.parked:
        print(f"PARKED {visible(item.procedure_id)}: {visible(item.reason)}")
