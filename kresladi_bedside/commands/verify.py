"""`kresladi-bedside verify`: check the database file and every procedure's hash chain.

Exit status: 0 every chain intact; 1 a chain is broken (the first bad row of each is named);
2 the database cannot be opened.
"""

from __future__ import annotations

import argparse
import sys

from ..config import InvalidConfigError, load_site_config
from ..store import StorageError, database_path, open_store, verify


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("verify", help="check every procedure's hash chain (exit 1 if broken)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_site_config(getattr(args, "config", None))
        path = database_path(getattr(args, "db", None), config)
        with open_store(path) as store:
            report = verify(store)
    except (InvalidConfigError, StorageError) as exc:
        print(f"verify failed: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: {report.summary()}")
    return 0 if report.ok else 1
