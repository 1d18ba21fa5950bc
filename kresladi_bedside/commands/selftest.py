"""`kresladi-bedside self-test`: prove the installation works before the first patient."""

from __future__ import annotations

import argparse
import logging
import sys

from ..config import InvalidConfigError
from ..selftest import format_report, passed, run_self_test
from .config_cmd import config_for_args

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "self-test", help="check database, decoders, camera, printer, sound, configuration, clock",
        description="Check that this workstation can run a procedure; exit 1 if any check fails.")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = config_for_args(args)
    except InvalidConfigError as exc:
        print(exc, file=sys.stderr)
        print("Self-test FAILED: the site configuration is invalid.", file=sys.stderr)
        return 2
    from ..qt.selftest_qt import QT_DEVICES  # printers and sound outputs, as Qt lists them

    results = run_self_test(config, devices=QT_DEVICES)
    print(format_report(results))
    ok = passed(results)
    log.info("self-test %s: %s", "passed" if ok else "failed",
             ", ".join(f"{r.name}={r.status}" for r in results))
    return 0 if ok else 1
