"""`kresladi-bedside verify`: check the database file, every procedure's hash chain, the seals of
the workstation key, the users against the people log, and (with `--head`) a printed or delivered
chain head against the log.

With `--against-server`, the log is also compared with the chain heads this workstation anchored
on the hospital's FHIR server (sync/anchor.py): a cut tail, a rewrite or an older copy put back.
Where sync is configured, a finished procedure not delivered `sync.undelivered_alarm_hours` after
it ended is reported (UNDELIVERED).

Read-only: it never writes to the log, and works on read-only media.
Exit status: 0 every chain intact and sealed (and the head found, and the server's heads held);
1 a chain is broken, the seals cannot be checked (KEY RECORD MISSING…), a user record was altered,
a procedure is undelivered, the head is not in the log, or the server's heads are not (or could
not be checked); 2 the database cannot be opened.
"""

from __future__ import annotations

import argparse
import sys

from ..config import InvalidConfigError, SiteConfig, load_site_config
from ..store import StorageError, Store, database_path, open_store, verify
from ..store.anchors import AnchorBreak, find_head, normalise_head, undelivered


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("verify", help="check every procedure's hash chain (exit 1 if broken)")
    p.add_argument("--head", metavar="HASH",
                   help="a chain head printed on a record or delivered to the server: check "
                        "that the log still holds it (spaces allowed)")
    p.add_argument("--against-server", action="store_true",
                   help="also compare the log's chain heads with those anchored on the "
                        "hospital's FHIR server (a cut tail, a rewrite, an older copy put back)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        head = normalise_head(args.head) if getattr(args, "head", None) else None
    except ValueError as exc:
        print(f"verify: {exc}", file=sys.stderr)
        return 2
    try:
        config = load_site_config(getattr(args, "config", None))
        path = database_path(getattr(args, "db", None), config)
        with open_store(path, read_only=True) as store:
            report = verify(store)
            altered = _user_problems(store)
            found = find_head(store, head) if head is not None else None
            late = _undelivered(store, config)
            against = _against_server(store, config) if getattr(args, "against_server",
                                                                False) else None
    except (InvalidConfigError, StorageError) as exc:
        print(f"verify failed: {exc}", file=sys.stderr)
        return 2
    print(shown(f"{path}: {report.summary()}"))
    for user_id, problem in altered.items():
        print(shown(f"USER RECORD ALTERED {user_id}: {problem}"))
    for item in late:
        print(shown(f"UNDELIVERED {item.procedure_id}: {item.detail}"))
    ok = report.ok and not altered and not late
    if against is not None:
        failure, problems = against
        if failure is not None:
            print(f"SERVER NOT CHECKED: {failure}")
            ok = False
        for pid, kind, detail in problems:
            print(shown(f"{kind.replace('_', ' ').upper()} {pid}: {detail}"))
            ok = False
        if failure is None and not problems:
            print("server: every head anchored on the hospital's server is in this log")
    if head is not None:
        if found is None:
            print(f"HEAD NOT FOUND: {head} is not in this log: the events it stood for were "
                  "changed or removed after it was printed or sent (or it comes from another "
                  "workstation's log)")
            ok = False
        else:
            later = (f"; {found.later_events} later event(s) of that procedure follow it"
                     if found.later_events else "; it is still that procedure's head")
            chain = "intact" if found.procedure_id not in report.broken_procedures else "BROKEN"
            print(shown(f"head found: procedure {found.procedure_id}, seq {found.seq}{later}; "
                        f"its chain is {chain}"))
    return 0 if ok else 1


def shown(text: str) -> str:
    """Text from the log, safe on a terminal: a procedure id is data, and one holding escape
    sequences must not move the cursor or recolour the screen (issue 26). Lines stay lines."""
    from ..record.text import visible

    return "\n".join(visible(line) for line in text.split("\n"))


def _undelivered(store: Store, config: SiteConfig) -> list[AnchorBreak]:
    """Finished procedures not delivered in the site's time (only where sync is configured)."""
    if config.sync.base_url is None or config.training:
        return []
    return undelivered(store, config.sync.undelivered_alarm_hours)


def _against_server(store: Store, config: SiteConfig
                    ) -> tuple[str | None, list[tuple[str, str, str]]]:
    from ..sync.anchor import compare, read_anchors, workstation_id
    from ..sync.deliver import SyncNotConfigured, SyncSettings

    try:
        settings = SyncSettings.from_config(config)
    except SyncNotConfigured as exc:
        return f"sync is not configured here ({exc})", []
    workstation = workstation_id(store)
    if workstation is None:
        return "this workstation has no signing key, so it never anchored a head", []
    client = settings.client()
    try:
        anchors, failure = read_anchors(client, workstation)
    finally:
        client.close()
    if failure is not None:
        return failure, []
    return None, compare(store, anchors)


def _user_problems(store: Store) -> dict[str, str]:
    from ..people.people import People  # the people log decides what a users row may say

    try:
        exists = store.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'").fetchone()
        if exists is None or store.key_state != "ok":
            return {}
        from ..clock import SystemClock

        return People(store, None, SystemClock()).user_problems()
    except StorageError:
        return {}
