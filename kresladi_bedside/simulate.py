"""Replay a scripted procedure headless: how educators rehearse and validators qualify the rules.

A script is JSON: `start` (ISO instant with offset), `user`, and `steps`. Every step has either
`at` (ISO instant) or `offset` (seconds from `start`): real time, as the monotonic clock counts
it (a wall-clock jump does not move later steps). A step is one of:
- a command: `command`, `args`, optionally `user`, `deviation` ({"reason", "signed_by"}) and
  `witness` (the witness's user id: a second person signs). A `scan` step gives either `scan`
  (a typed scan) or `payload` (+ `source`, `symbology`) which is parsed as a scanner would
  deliver it. `log_flush` takes `ended_at` (when the flush ended).
- `{"sign_in": "user-id"}`: that user gives the commands that follow.
- `{"clock": {"jump_s": N}}`: the wall clock is set N seconds forward (back, if negative) while
  the program runs; the next command records it (`clock_change_noted`).
- `{"restart": {"wall_jump_s": N}}`: the workstation restarts (a new boot); the open procedure
  is rebuilt from its log (resumed, never restarted) and the restart is recorded.
- `{"new_procedure": true}`: the next commands go to a new procedure in the same log, so the
  product ledger applies (a bag given, thawed or found compromised cannot be used again).
- `{"receipt": true}`: the next commands go to a new receipt (the pharmacy's: `open_receipt`,
  `scan`, `record_storage`, `enter_sheet`, `verify_sheet` with `witness` = the verifier,
  `complete_receipt`…) in the same log; expiry is read in the site's zone (`--config`).
- `{"infusion_from_receipt": true}`: the infusion day of the last completed receipt: a new
  procedure is opened, given the receipt's order (`prepare_order` as the bedside does: no label
  carries over, the storage instant does) and the receipt records which procedure took it; the
  next commands go to it.
Procedures are written to a temporary log (or the one given), as the program would.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .clock import FakeClock, Instant
from .config import SiteConfig, opening_args
from .engine import Command, Deviation, Procedure, Signature
from .engine.identity import IdentityVerifier
from .profile import Profile


class ScriptError(ValueError):
    pass


CONTROL_KEYS: tuple[str, ...] = ("sign_in", "clock", "restart", "new_procedure", "receipt",
                                 "infusion_from_receipt")


@dataclass(frozen=True)
class ScriptStep:
    number: int
    at: datetime
    command: Command | None  # None for a control step
    control: Mapping[str, Any] = field(default_factory=dict)


def _instant(text: Any, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError as exc:
        raise ScriptError(f"{where}: {text!r} is not an ISO date and time") from exc
    if value.tzinfo is None:
        raise ScriptError(f"{where}: {text!r} has no UTC offset")
    return value


def _scan_args(args: Mapping[str, Any], where: str, shelf_life_days: int | None
               ) -> dict[str, Any]:
    if "scan" in args or "payload" not in args:
        return dict(args)
    from .labels.errors import LabelError
    from .labels.parse import parse

    try:
        scan = parse(args["payload"], args.get("source", "wedge"), args.get("symbology"),
                     typed_reason=args.get("typed_reason"), shelf_life_days=shelf_life_days)
    except LabelError as exc:
        raise ScriptError(f"{where}: the payload cannot be read: {exc}") from exc
    return {"scan": scan.to_dict()}


def read_script(data: Mapping[str, Any], profile: Profile) -> tuple[datetime, list[ScriptStep]]:
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
        if not isinstance(raw, Mapping) or not ("command" in raw or any(
                k in raw for k in CONTROL_KEYS)):
            raise ScriptError(f"{where}: needs a 'command' or one of {', '.join(CONTROL_KEYS)}")
        if "at" in raw:
            at = _instant(raw["at"], where)
        elif "offset" in raw:
            try:
                at = start + _seconds(float(raw["offset"]))
            except (TypeError, ValueError) as exc:
                raise ScriptError(f"{where}: 'offset' must be a number of seconds") from exc
        else:
            raise ScriptError(f"{where}: needs 'at' (an instant) or 'offset' (seconds)")
        controls = {k: raw[k] for k in CONTROL_KEYS if k in raw}
        if controls:
            if "command" in raw or len(controls) > 1:
                raise ScriptError(f"{where}: one thing per step: a command or one of "
                                  f"{', '.join(CONTROL_KEYS)}")
            _check_control(controls, where)
            parsed.append(ScriptStep(n, at, None, controls))
            continue
        args = raw.get("args", {})
        if not isinstance(args, Mapping):
            raise ScriptError(f"{where}: 'args' must be an object")
        if raw["command"] == "scan":
            args = _scan_args(args, where, profile.longest_shelf_life_days)
        dev = raw.get("deviation")
        deviation = Deviation(str(dev.get("reason", "")), str(dev.get("signed_by", ""))) \
            if isinstance(dev, Mapping) else None
        witness = raw.get("witness")
        if witness is not None and not (isinstance(witness, str) and witness.strip()):
            raise ScriptError(f"{where}: 'witness' must be the witness's user id")
        command = Command(str(raw["command"]), dict(args), str(raw.get("user", "")),
                          deviation, witness=witness)
        parsed.append(ScriptStep(n, at, command))
    if not isinstance(default_user, str) or not default_user.strip():
        raise ScriptError("'user' must be a user id")
    return start, parsed


def _check_control(controls: Mapping[str, Any], where: str) -> None:
    if "sign_in" in controls and not (isinstance(controls["sign_in"], str)
                                      and controls["sign_in"].strip()):
        raise ScriptError(f"{where}: 'sign_in' must be a user id")
    if "clock" in controls:
        jump = controls["clock"].get("jump_s") if isinstance(controls["clock"], Mapping) else None
        if isinstance(jump, bool) or not isinstance(jump, int | float):
            raise ScriptError(f"{where}: 'clock' must be {{\"jump_s\": seconds}}")
    if "restart" in controls:
        restart = controls["restart"]
        jump = restart.get("wall_jump_s", 0) if isinstance(restart, Mapping) else None
        if isinstance(jump, bool) or not isinstance(jump, int | float):
            raise ScriptError(f"{where}: 'restart' must be {{\"wall_jump_s\": seconds}}")
    for key in ("new_procedure", "receipt", "infusion_from_receipt"):
        if key in controls and controls[key] is not True:
            raise ScriptError(f"{where}: '{key}' must be true")


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def simulate(data: Mapping[str, Any], profile: Profile,
             verifier: IdentityVerifier | None = None, *, config: SiteConfig | None = None,
             db: Path | None = None) -> Iterator[dict[str, Any]]:
    """Yield one record per accepted event, per rejection and per control step, in order."""
    if db is not None:
        yield from _run(data, profile, verifier, config, Path(db))
        return
    with tempfile.TemporaryDirectory(prefix="kresladi-simulate-") as folder:
        yield from _run(data, profile, verifier, config, Path(folder) / "procedures.db")


def _run(data: Mapping[str, Any], profile: Profile, verifier: IdentityVerifier | None,
         config: SiteConfig | None, db: Path) -> Iterator[dict[str, Any]]:
    from .engine.procedure import default_verifier
    from .ledger import StoreLedger
    from .receipt import Receipt
    from .receipt.bedside import infusion_order_args
    from .store import StoreListener, open_store
    from .store.recovery import rebuild

    start, steps = read_script(data, profile)
    user = str(data.get("user", "simulation"))
    start_offset = start.utcoffset()
    assert start_offset is not None  # read_script refuses a start without its UTC offset
    clock = FakeClock(start, utc_offset_s=int(start_offset.total_seconds()))
    if verifier is None and config is not None:
        verifier = default_verifier(profile, config.identity, config.timezone)
    zone = getattr(verifier, "zone", None)  # a receipt reads printed expiry where the bedside does
    store = open_store(db)
    ledger = StoreLedger(store)
    boots = 0

    def new_procedure() -> Procedure:
        proc = Procedure(profile, clock, verifier, custody=ledger)
        proc.subscribe(StoreListener(store))
        return proc

    proc = new_procedure()
    receipt: Receipt | None = None  # the receipt commands go to, when a `receipt` step began one
    received: Receipt | None = None  # the last receipt that completed
    real = start  # the script's times are real (monotonic) time
    try:
        for step in steps:
            if step.at < real:
                raise ScriptError(f"step {step.number}: goes back in time")
            clock.advance((step.at - real).total_seconds())
            real = step.at
            offset = (step.at - start).total_seconds()
            head = {"step": step.number, "offset_s": offset, "at": _local(clock.now())}
            if step.command is None:
                control = step.control
                if "sign_in" in control:
                    user = str(control["sign_in"])
                    yield {**head, "signed_in": user}
                elif "clock" in control:
                    jump = float(control["clock"]["jump_s"])
                    clock.jump(jump)
                    yield {**head, "clock_jump_s": jump, "wall_now": _local(clock.now())}
                elif "restart" in control:
                    boots += 1
                    clock.reboot(boot=f"simulated-boot-{boots}",
                                 wall_jump_s=float(control["restart"].get("wall_jump_s", 0)))
                    yield {**head, "restarted": True}
                    if proc.events and proc.state.active:
                        before = len(proc.events)
                        back = rebuild(store, proc.procedure_id, profile, clock, verifier)
                        proc = back.procedure
                        proc.custody = ledger
                        for event in proc.events[before:]:
                            yield _event_record(head, event)
                elif "new_procedure" in control:
                    proc, receipt = new_procedure(), None
                    yield {**head, "new_procedure": proc.procedure_id}
                elif "receipt" in control:
                    receipt = Receipt(profile, clock, custody=ledger, zone=zone)
                    receipt.subscribe(StoreListener(store))
                    yield {**head, "receipt": receipt.receipt_id}
                elif "infusion_from_receipt" in control:
                    source = receipt if receipt is not None and \
                        receipt.state.outcome == "received" else received
                    proc, receipt = new_procedure(), None
                    if source is None:  # stopped, or never completed: nothing to infuse
                        yield {**head, "rejected": "infusion_from_receipt", "kind": "refused",
                               "rule": "procedure", "citation": "", "until": None,
                               "details": {}, "reason": "There is no received product: no "
                               "receipt in this script completed."}
                        continue
                    yield {**head, "new_procedure": proc.procedure_id,
                           "from_receipt": source.receipt_id}
                    opening = [Command("open", _open_args({}, config), user),
                               Command("prepare_order", infusion_order_args(source.state), user)]
                    for command in opening:
                        outcome = proc.handle(command)
                        yield from _records(head, command, outcome)
                        if not outcome.accepted:
                            break
                    else:
                        outcome = source.handle(Command(
                            "dispense", {"procedure_id": proc.procedure_id}, user))
                        yield from _records(head, Command("dispense", {}, user), outcome)
                continue
            command = step.command
            if not command.user:
                command = replace(command, user=user)
            if command.witness:
                command = replace(command, signatures=(
                    Signature(command.witness, command.witness, "witnessed", clock.now()),))
            if receipt is not None:
                outcome = receipt.handle(command)
                if receipt.state.outcome == "received":
                    received = receipt
            else:
                if command.name == "open":
                    command = replace(command, args=_open_args(command.args, config))
                outcome = proc.handle(command)
            yield from _records(head, command, outcome)
    finally:
        store.close()


def _open_args(given: Mapping[str, Any], config: SiteConfig | None) -> dict[str, Any]:
    """`open` with the site's clinical policy and name (a rehearsal with `--config`)."""
    return dict(given) if config is None else opening_args(config, given)


def _records(head: Mapping[str, Any], command: Command, outcome: Any) -> Iterator[dict[str, Any]]:
    if outcome.rejection is not None:
        r = outcome.rejection
        yield {**head, "rejected": command.name, "kind": r.kind, "rule": r.rule,
               "reason": r.reason, "citation": r.citation,
               "until": None if r.until is None else _local(r.until),
               "details": _plain(r.details)}
    for event in outcome.events:
        if event.type not in ("command_rejected", "receipt_rejected"):
            yield _event_record(head, event)


def _event_record(head: Mapping[str, Any], event: Any) -> dict[str, Any]:
    return {**head, "at": _local(event.at), "event": event.type, "user": event.user,
            "procedure_id": event.procedure_id, "data": dict(event.data)}


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


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
