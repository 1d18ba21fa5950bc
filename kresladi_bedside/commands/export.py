"""`kresladi-bedside export PROCEDURE_ID`: a procedure's events as JSON lines (one row per line).

Exit status: 0 written; 1 the procedure's chain is broken (nothing written); 2 not found or the
database cannot be read.
"""

from __future__ import annotations

import argparse
import sys

from ..config import InvalidConfigError, load_site_config
from ..record.text import visible
from ..store import StorageError, database_path, open_store, verify
from ..store.signing import SignatureError
from ..store.transfer import write_export


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="write a procedure's events as JSON lines")
    p.add_argument("procedure_id", metavar="PROCEDURE_ID")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of to stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_site_config(getattr(args, "config", None))
        with open_store(database_path(getattr(args, "db", None), config),
                        read_only=True) as store:
            if args.procedure_id not in store.procedure_ids():
                print(f"no procedure {visible(args.procedure_id)} in {store.path}",
                      file=sys.stderr)
                return 2
            broken = [b for b in verify(store).breaks if b.procedure_id == args.procedure_id]
            if broken:
                print(f"not exported: the log is broken: {visible(broken[0].describe())}",
                      file=sys.stderr)
                return 1
            if args.output:
                with open(args.output, "w", encoding="utf-8", newline="\n") as out:
                    count = write_export(store, args.procedure_id, out)
                print(f"exported {count} events to {args.output}", file=sys.stderr)
            else:
                write_export(store, args.procedure_id, sys.stdout)
    except (InvalidConfigError, StorageError, SignatureError, OSError) as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 2
    return 0
