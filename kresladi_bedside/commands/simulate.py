"""`kresladi-bedside simulate SCRIPT.json`: replay a scripted procedure, print JSON lines."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..paths import resource
from ..profile import ProfileError, load_profile
from ..simulate import ScriptError, load_script, simulate
from ..store.errors import StorageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("simulate", help="replay a scripted procedure headless (JSON lines out)")
    p.add_argument("script", nargs="?", help="the script (default: the two-bag example)")
    p.add_argument("--profile", help="a product profile TOML (default: KRESLADI)")
    p.add_argument("--timeline", action="store_true", help="a readable timeline, not JSON")
    p.add_argument("--config", help="a site configuration (time zone, identity formats, "
                   "clinical policy) to rehearse with")
    p.add_argument("--db", help="write the procedures to this log (default: a temporary one)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = args.script or resource("examples", "two_bag_simulation.json")
    try:
        profile = load_profile(args.profile)
        config = None
        if args.config:
            from ..config import InvalidConfigError, load_site_config

            try:
                config = load_site_config(args.config)
            except InvalidConfigError as exc:
                print(f"simulate: {exc}", file=sys.stderr)
                return 2
        for record in simulate(load_script(path), profile, config=config,
                               db=Path(args.db) if args.db else None):
            if args.timeline:
                print(_line(record))
            else:
                print(json.dumps(record, ensure_ascii=False, sort_keys=True))
    except (ScriptError, ProfileError) as exc:
        print(f"simulate: {exc}", file=sys.stderr)
        return 2
    except (StorageError, OSError) as exc:
        # a missing workstation key, read-only media, a full disk: one line, never a traceback
        print(f"simulate: the log cannot be written: {exc}", file=sys.stderr)
        return 2
    return 0


def _line(record: dict[str, Any]) -> str:
    if "rejected" in record:
        details = record.get("details") or {}
        shown = "; ".join(f"{k}={v}" for k, v in details.items() if k != "earlier")
        return (f"{record['at']}  REFUSED {record['rejected']} [{record['kind']}: "
                f"{record['rule']}] {record['reason']}" + (f" ({shown})" if shown else ""))
    if "signed_in" in record:
        return f"{record['at']}  signed in: {record['signed_in']}"
    if "clock_jump_s" in record:
        return f"{record['at']}  wall clock set {record['clock_jump_s']:+g} s"
    if "restarted" in record:
        return f"{record['at']}  workstation restarted"
    if "new_procedure" in record:
        return f"{record['at']}  new procedure {record['new_procedure']}"
    data = record["data"]
    label = data.get("label")
    if label:
        bag = f" of bag {label['bag']}" if label.get("bag") else ""
        return f"{record['at']}  {label['role']} label{bag} accepted ({label['stage']})"
    bag = f" (bag {data['bag']})" if data.get("bag") else ""
    return f"{record['at']}  {record['event']}{bag}"
