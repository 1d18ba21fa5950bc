"""`kresladi-bedside import FILE`: read exported JSON lines into the `--db` database.

Every line's hash and every chain link is checked before anything is written; rows already
present are skipped; the database is verified afterwards. Exit status: 0 imported; 1 the file is
altered or conflicts with the database (nothing imported); 2 unreadable file or database.
"""

from __future__ import annotations

import argparse
import sys

from ..config import InvalidConfigError, load_site_config
from ..store import StorageError, database_path, open_store, verify
from ..store.transfer import TransferError, import_rows, parse_lines


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("import", help="read a procedure exported as JSON lines into the database")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--no-outbox", action="store_true",
                   help="do not queue the imported events for sync (e.g. already delivered)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        with open(args.file, encoding="utf-8") as source:
            rows = parse_lines(source)
        config = load_site_config(getattr(args, "config", None))
        with open_store(database_path(getattr(args, "db", None), config)) as store:
            result = import_rows(store, rows, outbox=not args.no_outbox)
            report = verify(store)
    except TransferError as exc:
        print(f"not imported: {exc}", file=sys.stderr)
        return 1
    except (InvalidConfigError, StorageError, OSError, UnicodeDecodeError) as exc:
        print(f"import failed: {exc}", file=sys.stderr)
        return 2
    print(f"imported {result.imported} events ({result.already_present} already present) "
          f"for {', '.join(result.procedures) or 'no procedure'}")
    if not report.ok:
        print(report.summary(), file=sys.stderr)
        return 1
    return 0
