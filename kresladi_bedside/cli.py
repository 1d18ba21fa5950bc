"""The `kresladi-bedside` command line.

Each subcommand lives in `kresladi_bedside/commands/<name>.py` and exposes
`register(subparsers)`, which adds its parser and sets `func(args) -> int`.
The list is explicit (not discovered) so a frozen build finds every command.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__

COMMAND_MODULES: tuple[str, ...] = (
    "simulate",
    "selftest",
    "config_cmd",
    "parse",
    "decode",
    "window",
    "sync",
    "record",
    "users",
    "training_labels",
    "export",
    "import_",
    "verify",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kresladi-bedside",
        description="Bedside guide for giving KRESLADI (marnetegragene autotemcel).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the procedure log (SQLite) to use")
    parser.add_argument("--config", metavar="FILE", help="the site configuration (TOML) to use")
    parser.add_argument("--training", action="store_true",
                        help="training mode: sample order and labels; records never sync")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"kresladi_bedside.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .config import InvalidConfigError

    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            return int(importlib.import_module("kresladi_bedside.commands.window").run_window(args))
        return int(func(args))
    except InvalidConfigError as exc:  # a broken site file stops start-up, naming key and problem
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
