"""`kresladi-bedside parse PAYLOAD` (or `-` for stdin): the typed scan as JSON.

The tool a site uses to check its label printers and scanner settings: scan into it (or pipe a
decoder's output) and see what the program reads, or why it refuses the label.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..config import InvalidConfigError, load_site_config
from ..labels.errors import LabelError
from ..labels.model import SOURCES
from ..labels.parse import parse
from ..profile import ProfileError, load_profile


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("parse", help="read one label payload and print the typed scan as JSON")
    p.add_argument("payload", help="the payload, or - to read it (bytes, GS kept) from stdin")
    p.add_argument("--source", choices=SOURCES, default="wedge",
                   help="how it arrived (default: wedge)")
    p.add_argument("--symbology", help="AIM symbology identifier, e.g. ]d2 (when not in the "
                   "payload)")
    p.add_argument("--reason", help="why it was typed (required with --source typed)")
    p.add_argument("--gs", metavar="TOKEN",
                   help="a stand-in for GS (ASCII 29) in PAYLOAD, e.g. '<GS>' or '\\x1d'")
    p.add_argument("--profile", help="a product profile TOML (default: KRESLADI): its longest "
                   "shelf life bounds a printed expiry")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        identity = load_site_config(getattr(args, "config", None)).identity
        shelf_life_days = load_profile(args.profile).longest_shelf_life_days
    except (InvalidConfigError, ProfileError) as exc:
        print(f"parse: {exc}", file=sys.stderr)
        return 2
    payload: bytes | str
    if args.payload == "-":
        payload = sys.stdin.buffer.read()
    else:
        typed: str = args.payload
        payload = typed.replace(args.gs, "\x1d") if args.gs else typed
    try:
        scan = parse(payload, args.source, args.symbology, config=identity,
                     typed_reason=args.reason, shelf_life_days=shelf_life_days)
    except LabelError as exc:
        print(json.dumps({"ok": False, "error": exc.code, "message": str(exc)},
                         ensure_ascii=False))
        return 1
    print(json.dumps({"ok": True, **scan.to_dict()}, ensure_ascii=False, indent=2))
    return 0
