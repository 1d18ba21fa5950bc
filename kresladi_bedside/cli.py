"""The `kresladi-bedside` command line.

Each subcommand lives in `kresladi_bedside/commands/<module>.py` and exposes
`register(subparsers)`, which adds its parser and sets `func(args) -> int`.
The list is explicit (not discovered) so a frozen build finds every command.

Dispatch is lazy: only the module of the command named on the command line is imported (the
others get a placeholder parser carrying their one-line help for `--help`). Importing every
command pulled in OpenCV, NumPy, fhir.resources, pydantic, biip and jinja2 before anything
ran: `--version` took 0.7 s and the window's first paint waited for all of it.
"""

from __future__ import annotations

import importlib
import sys

from . import __version__

TYPE_CHECKING = False  # typing itself costs 30 ms of `--version`; mypy reads this name as True
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

# command name → (module under kresladi_bedside.commands, the one-line help `--help` lists).
# tests/test_cli_lazy.py checks each help against the parser its module registers.
COMMANDS: dict[str, tuple[str, str]] = {
    "simulate": ("simulate", "replay a scripted procedure headless (JSON lines out)"),
    "self-test": ("selftest",
                  "check database, decoders, camera, printer, sound, configuration, clock"),
    "config": ("config_cmd", "show, check or locate the site configuration"),
    "parse": ("parse", "read one label payload and print the typed scan as JSON"),
    "decode": ("decode", "decode barcodes in images or videos; one JSON line per code"),
    "window": ("window", "open the bedside window (the default)"),
    "sync": ("sync", "send finished procedures to the hospital's FHIR server "
                     "(one pass; exit 0 done, 1 waiting, 3 parked)"),
    "record": ("record", "print a procedure's (or a receipt's) record to PDF (and HTML)"),
    "users": ("users", "add, disable, enable, reset PINs of and list users"),
    "custody": ("custody", "who holds a received product on the hospital's server; "
                           "a pharmacist's signed release"),
    "handover": ("handover", "hand an open procedure or a received product over to another "
                             "workstation by a signed file (no server)"),
    "training-labels": ("training_labels", "print the training label sheet to PDF"),
    "export": ("export", "write a procedure's events as JSON lines"),
    "import": ("import_",
               "read a procedure exported as JSON lines into the database (administrator)"),
    "keys": ("keys", "show this workstation's public key; enrol another's (administrator)"),
    "verify": ("verify", "check every procedure's hash chain (exit 1 if broken)"),
}
COMMAND_MODULES: tuple[str, ...] = tuple(module for module, _help in COMMANDS.values())


def wanted_commands(argv: Sequence[str]) -> set[str]:
    """The commands whose real parser is needed: every command name on the command line.

    A token equal to a command name may also be an option's value (`--db verify`); building
    that command's parser too costs an import, never a wrong parse, and spares re-implementing
    argparse's option and abbreviation rules here.
    """
    return {token for token in argv if token in COMMANDS}


def build_parser(commands: Sequence[str] | set[str] | None = None) -> argparse.ArgumentParser:
    """The parser; `commands` names those built for real (None: all of them)."""
    import argparse

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
    for name, (module, help_text) in COMMANDS.items():
        if commands is None or name in commands:
            importlib.import_module(f"kresladi_bedside.commands.{module}").register(sub)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):  # the packaged program: sync's Bundle worker (sync/build.py)
        __import__("multiprocessing").freeze_support()  # is this executable, spawned
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # what argparse would print, without importing argparse's re
        print(f"kresladi-bedside {__version__}")
        return 0
    from . import library_setup

    library_setup.install()  # before any command module imports the store
    parser = build_parser(wanted_commands(args_list))
    args = parser.parse_args(args_list)
    # after parsing: `--version` and `--help` have exited without loading the configuration code
    from .config import InvalidConfigError

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
