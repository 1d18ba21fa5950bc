"""`kresladi-bedside` with no subcommand: the bedside window.

Opens the procedure log, reopens an unfinished procedure at its step (store recovery), and
starts training mode with `--training` or when no site configuration exists.
"""

from __future__ import annotations

import argparse
import sys


def run_window(args: argparse.Namespace) -> int:
    from ..qt.start import run

    return run(config_path=getattr(args, "config", None), db=getattr(args, "db", None),
               training=bool(getattr(args, "training", False)),
               speed=getattr(args, "speed", None), argv=sys.argv[:1])


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("window", help="open the bedside window (the default)")
    p.add_argument("--speed", type=float, default=None, metavar="N",
                   help="training only: run the clock N times faster")
    p.set_defaults(func=run_window)
