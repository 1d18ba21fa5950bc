"""`kresladi-bedside config show|check|path`: what the site configuration is and where from."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from ..config import (
    InvalidConfigError,
    SiteConfig,
    config_candidates,
    find_config_file,
    load_site_config,
    redacted_view,
)
from ..logging_setup import setup_it_logging


def config_for_args(args: argparse.Namespace) -> SiteConfig:
    """The site configuration with the command line's `--config`, `--db` and `--training` applied.
    Raises InvalidConfigError; also starts the IT log, which every command wants."""
    config = load_site_config(getattr(args, "config", None))
    if getattr(args, "db", None):
        config = dataclasses.replace(config, database=Path(args.db))
    if getattr(args, "training", False):
        config = dataclasses.replace(config, training=True)
    try:
        setup_it_logging()
    except OSError as exc:  # an unwritable log folder must not stop a procedure
        print(f"warning: IT log not written: {exc}", file=sys.stderr)
    return config


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "config", help="show, check or locate the site configuration",
        description="Show, check or locate the site configuration (TOML).")
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="print the effective configuration (token hidden)")
    show.set_defaults(func=_show)
    check = actions.add_parser("check", help="validate a file; exit 2 if it is invalid")
    check.add_argument("file", nargs="?", help="the file to check (default: the one in use)")
    check.set_defaults(func=_check)
    where = actions.add_parser("path", help="list where the file is looked for, and which is used")
    where.set_defaults(func=_path)


def _show(args: argparse.Namespace) -> int:
    try:
        config = config_for_args(args)
    except InvalidConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"# from: {config.source or 'defaults (no site file)'}")
    for key, value in redacted_view(config).items():
        print(f"{key} = {value}")
    return 0


def _check(args: argparse.Namespace) -> int:
    try:
        config = load_site_config(args.file or getattr(args, "config", None))
    except InvalidConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if config.source is None:
        print("no site file found: the defaults are in use")
    else:
        print(f"{config.source}: valid")
    return 0


def _path(args: argparse.Namespace) -> int:
    try:
        used = find_config_file(getattr(args, "config", None))
    except InvalidConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    for candidate in config_candidates(getattr(args, "config", None)):
        state = "in use" if candidate.path == used else (
            "exists" if candidate.path.is_file() else "absent")
        print(f"{candidate.why:>16}  {candidate.path}  ({state})")
    if used is None:
        print("no site file: the defaults are in use")
    return 0
