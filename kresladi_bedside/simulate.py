"""Replay a scripted procedure headless: how educators rehearse and validators qualify the rules.

A script is JSON: `start` (ISO instant with offset), `user`, and `steps`, each with `command`,
`args`, either `at` (ISO instant) or `offset` (seconds from `start`), and optionally `user` and
`deviation` ({"reason", "signed_by"}). A `scan` step gives either `scan` (a typed scan) or
`payload` (+ `source`, `symbology`) which is parsed as a scanner would deliver it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .clock import FakeClock, Instant
from .engine import Command, Deviation, Procedure
from .engine.identity import IdentityVerifier
from .profile import Profile


class ScriptError(ValueError):
    pass


@dataclass(frozen=True)
class ScriptStep:
    number: int
    at: datetime
    command: Command


def _instant(text: Any, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError as exc:
        raise ScriptError(f"{where}: {text!r} is not an ISO date and time") from exc
    if value.tzinfo is None:
        raise ScriptError(f"{where}: {text!r} has no UTC offset")
    return value


def _scan_args(args: Mapping[str, Any], where: str) -> dict[str, Any]:
    if "scan" in args or "payload" not in args:
        return dict(args)
    from .labels.errors import LabelError
    from .labels.parse import parse

    try:
        scan = parse(args["payload"], args.get("source", "wedge"), args.get("symbology"),
                     typed_reason=args.get("typed_reason"))
    except LabelError as exc:
        raise ScriptError(f"{where}: the payload cannot be read: {exc}") from exc
    return {"scan": scan.to_dict()}


def read_script(data: Mapping[str, Any]) -> tuple[datetime, list[ScriptStep]]:
    if not isinstance(data, Mapping):
        raise ScriptError("a script is a JSON object with 'start' and 'steps'")
    start = _instant(data.get("start"), "start")
    default_user = data.get("user", "simulation")
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ScriptError("'steps' must be a non-empty list")
    parsed = []
    for n, raw in enumerate(steps, start=1):
        where = f"step {n}"
        if not isinstance(raw, Mapping) or "command" not in raw:
            raise ScriptError(f"{where}: needs a 'command'")
        if "at" in raw:
            at = _instant(raw["at"], where)
        elif "offset" in raw:
            try:
                at = start + _seconds(float(raw["offset"]))
            except (TypeError, ValueError) as exc:
                raise ScriptError(f"{where}: 'offset' must be a number of seconds") from exc
        else:
            raise ScriptError(f"{where}: needs 'at' (an instant) or 'offset' (seconds)")
        args = raw.get("args", {})
        if not isinstance(args, Mapping):
            raise ScriptError(f"{where}: 'args' must be an object")
        if raw["command"] == "scan":
            args = _scan_args(args, where)
        dev = raw.get("deviation")
        deviation = Deviation(str(dev.get("reason", "")), str(dev.get("signed_by", ""))) \
            if isinstance(dev, Mapping) else None
        command = Command(str(raw["command"]), dict(args), str(raw.get("user", default_user)),
                          deviation)
        parsed.append(ScriptStep(n, at, command))
    return start, parsed


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def simulate(data: Mapping[str, Any], profile: Profile,
             verifier: IdentityVerifier | None = None) -> Iterator[dict[str, Any]]:
    """Yield one record per accepted event and per rejection, in order."""
    start, steps = read_script(data)
    start_offset = start.utcoffset()
    assert start_offset is not None  # read_script refuses a start without its UTC offset
    clock = FakeClock(start, utc_offset_s=int(start_offset.total_seconds()))
    proc = Procedure(profile, clock, verifier)
    for step in steps:
        if step.at < clock.now().wall:
            raise ScriptError(f"step {step.number}: goes back in time")
        clock.set(step.at)
        outcome = proc.handle(step.command)
        offset = (step.at - start).total_seconds()
        if outcome.rejection is not None:
            r = outcome.rejection
            yield {"step": step.number, "offset_s": offset, "at": _local(clock.now()),
                   "rejected": step.command.name, "kind": r.kind, "rule": r.rule,
                   "reason": r.reason, "citation": r.citation,
                   "until": None if r.until is None else _local(r.until)}
        for event in outcome.events:
            if event.type != "command_rejected":
                yield {"step": step.number, "offset_s": offset, "at": _local(event.at),
                       "event": event.type, "user": event.user, "data": dict(event.data)}


def _local(instant: Instant) -> str:
    return instant.local().isoformat(timespec="seconds")


def load_script(path: Path) -> Mapping[str, Any]:
    try:
        data: Mapping[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
        return data
    except OSError as exc:
        raise ScriptError(f"{path}: cannot read ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise ScriptError(f"{path}: not valid JSON ({exc})") from exc
