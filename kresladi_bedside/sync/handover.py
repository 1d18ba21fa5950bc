"""Hand-over of an interrupted procedure to another workstation, through the hospital's server.

A workstation can fail mid-procedure (frozen, power lost, scanner broken) and the 30-minute clock
does not wait. So:
- **Published as recorded.** Each sync pass (the window asks for one after every recorded step)
  writes every open procedure this workstation holds on the server (`publish_open`): its event
  rows, hash-chained exactly as in the log (the export format, store/transfer.py), in one
  `DocumentReference` per (procedure, workstation), by a conditional update on
  `urn:kresladi-bedside:open-procedure|<procedure>/<workstation>`. A workstation that no longer
  holds the procedure (taken over, released: `custody.moved_away`) publishes nothing, so it
  never overwrites the new holder's copy.
- **Taken over.** On another workstation, `take_over_procedure` reads the copy published by the
  workstation that holds the procedure now, checks and imports its rows into this log
  (store/transfer.py: the chain must verify and the engine must replay it, else nothing is
  imported), then moves the claim (`custody.take_over`: one `handover` step per bag, written
  once): the first workstation is fenced (`open_custody.CustodyFence`). The procedure is then
  resumed from the log like any unfinished one; its countdowns run from the recorded instants
  (across workstations the engine measures on the wall clock, clock.py).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from ..engine.model import Signature
from ..engine.state import fold
from ..profile import Profile
from ..store import Store
from ..store.recovery import unfinished_procedures
from ..store.transfer import TransferError, export_lines, import_rows, parse_lines, rehearse
from .custody import CustodyUnknown, Step, Who, _get, moved_away, steps_of_bags, take_over
from .identifiers import OUR_PREFIX, token
from .transport import Exchange, FhirClient, _json, outcome_text

OPEN_SYSTEM = f"{OUR_PREFIX}:open-procedure"  # <procedure>/<workstation>: one writer each
OPEN_PROCEDURE_SYSTEM = f"{OUR_PREFIX}:open-procedure-id"  # <procedure>: every copy of it
CONTENT_TYPE = "application/x-ndjson"


class HandoverError(RuntimeError):
    """The procedure cannot be taken over (names why); nothing was changed here."""


def _key(procedure_id: str, workstation: str) -> str:
    return f"{procedure_id}/{workstation}"


def _dins(store: Store, procedure_id: str) -> list[str]:
    state = fold(store.events(procedure_id))
    return [b.bag_id for b in state.order.bags] if state.order is not None else []


def publish_open(client: FhirClient, store: Store, workstation: str) -> list[str]:
    """Write every open procedure this workstation holds on the server (its rows as in the log).
    Returns what could not be written (the pass carries on; the next one tries again)."""
    problems = []
    for procedure_id in unfinished_procedures(store):
        dins = _dins(store, procedure_id)
        if not dins:
            continue  # no product yet: nothing anyone could take over
        try:
            steps = [s for chain in steps_of_bags(client, dins).values() for s in chain]
            if not steps:
                continue  # not under the server's custody
            if moved_away(client, dins, workstation, procedure_id) is not None:
                _note_taken_over(store, procedure_id, steps, workstation)
                continue  # no longer ours
            _put(client, store, procedure_id, workstation)
        except (CustodyUnknown, HandoverError) as exc:
            problems.append(f"{procedure_id}: {exc}")
    return problems


def _handover_step(steps: list[Step], procedure_id: str) -> Step | None:
    """The step that moved `procedure_id` here or away: the last `handover` of its first bag
    (both workstations name the hand-over by it)."""
    moves = sorted((s for s in steps if s.kind == "handover" and s.procedure_id == procedure_id),
                   key=lambda s: (s.din, s.n))
    first = [s for s in moves if moves and s.din == moves[0].din]
    return first[-1] if first else None


def _note_taken_over(store: Store, procedure_id: str, steps: list[Step],
                     workstation: str) -> None:
    """Another workstation took the procedure over: say so in its chain here
    (`procedure_handed_over`, via the server), so that this workstation's record shows the
    hand-over and its engine refuses every command even with the server away. Once: the
    procedure is no longer unfinished here afterwards."""
    from ..clock import SystemClock
    from ..engine import Command, Procedure
    from ..profile import load_profile
    from ..store import StoreListener

    step = _handover_step(steps, procedure_id)
    if step is None or step.workstation == workstation:
        return  # released, or held by someone else: not a hand-over
    procedure = Procedure.rebuild(load_profile(), SystemClock(), store.events(procedure_id))
    if procedure.state.moved_out is not None or not procedure.state.active:
        return
    procedure.subscribe(StoreListener(store))
    procedure.handle(Command("hand_over", {
        "via": "server", "handover_id": step.reference, "from_workstation": workstation,
        "to_workstation": step.workstation, "taken_by": (step.name or step.user)[:300],
        "taken_at": step.at or None}, user=step.user or "server"))


def _put(client: FhirClient, store: Store, procedure_id: str, workstation: str) -> None:
    text = "\n".join(export_lines(store, procedure_id)) + "\n"
    key = _key(procedure_id, workstation)
    document = {
        "resourceType": "DocumentReference", "status": "current",
        "identifier": [{"system": OPEN_SYSTEM, "value": key},
                       {"system": OPEN_PROCEDURE_SYSTEM, "value": procedure_id}],
        "description": f"KRESLADI procedure {procedure_id} under way on workstation "
                       f"{workstation} (event log, for a hand-over)",
        "content": [{"attachment": {"contentType": CONTENT_TYPE,
                                    "data": base64.b64encode(text.encode()).decode()}}],
    }
    query = f"DocumentReference?identifier={quote(token(OPEN_SYSTEM, key), safe='|:')}"
    got = client.exchange("PUT", client.path_for(query), json.dumps(document).encode())
    if not isinstance(got, Exchange):
        raise HandoverError(f"not published: {got.detail}")
    if got.status not in (200, 201):
        raise HandoverError(f"not published: HTTP {got.status}{outcome_text(_json(got.body))}")


@dataclass(frozen=True)
class TakenOver:
    procedure_id: str
    imported: int  # event rows new to this log
    from_workstation: str
    steps: tuple[Step, ...]


def take_over_procedure(client: FhirClient, store: Store, profile: Profile, procedure_id: str,
                        who: Who, *, reason: str, signatures: tuple[Signature, ...],
                        witness: str | None = None) -> TakenOver:
    """Import the open procedure published by the workstation that holds it, then move its claim
    here and record the take-over (one `procedure_taken_over`: the route, the server's steps,
    `reason` and `signatures`, the witness's user id when one signed). `HandoverError` when it
    cannot (not held, nothing published, a chain that does not verify or replay);
    `CustodyUnknown` when the server cannot say."""
    copies = _published(client, procedure_id)
    if not copies:
        raise HandoverError(f"no workstation published procedure {procedure_id}: nothing to "
                            "take over")
    events = [r.to_event() for r in next(iter(copies.values()))]
    state = fold(events)
    if state.order is None:
        raise HandoverError(f"procedure {procedure_id} has no product yet")
    dins = [b.bag_id for b in state.order.bags]
    heads = list(steps_of_bags(client, dins).values())
    holders = {s[-1].workstation for s in heads if s and s[-1].holds
               and s[-1].procedure_id == procedure_id}
    if len(holders) != 1 or any(not s or not s[-1].holds for s in heads):
        raise HandoverError(f"procedure {procedure_id} is not held by one workstation on the "
                            "server: nothing to take over")
    holder = holders.pop()
    if holder == who.workstation:
        raise HandoverError(f"procedure {procedure_id} is already held here")
    rows = copies.get(holder)
    if rows is None:
        raise HandoverError(f"workstation {holder}, which holds procedure {procedure_id}, "
                            "published no log of it")
    if any(r.procedure_id != procedure_id for r in rows):
        raise HandoverError("the published log holds other procedures: not imported")
    try:
        rehearse(store, rows, profile)
        result = import_rows(store, rows)
    except TransferError as exc:
        raise HandoverError(f"the published log of {procedure_id} was not imported: {exc}") \
            from exc
    if procedure_id not in unfinished_procedures(store):
        raise HandoverError(f"procedure {procedure_id} is already finished")
    try:
        steps = take_over(client, dins, who, procedure_id=procedure_id, receipt_id=None)
    except ValueError as exc:
        raise HandoverError(str(exc)) from exc
    _record_taken_over(store, profile, procedure_id, holder, who, list(steps),
                       Signed(reason, signatures, witness))
    return TakenOver(procedure_id, result.imported, holder, steps)


@dataclass(frozen=True)
class OpenElsewhere:
    """An open procedure another workstation holds and published: what the take-over list
    shows."""

    procedure_id: str
    workstation: str  # the holder
    patient: str  # name — MRN
    step: str  # its last recorded step, and when
    held_since: str  # the holder's step, described (who, when)

    def describe(self) -> str:
        return (f"{self.patient} — last: {self.step} — on workstation {self.workstation} "
                f"({self.held_since}) — procedure {self.procedure_id}")


def published_open(client: FhirClient, workstation: str) -> list[OpenElsewhere]:
    """Every unfinished procedure published on the server whose bags another workstation holds
    now (the ones this workstation could take over). Two searches, however many there are: the
    published copies, then the custody chains of all their bags (`steps_of_bags`).
    `CustodyUnknown` when the server cannot say; a copy that cannot be read is left out (taking
    it over would refuse it by name)."""
    copies, unreadable = _copies(_get(client, f"DocumentReference?identifier="
                                              f"{quote(OPEN_PROCEDURE_SYSTEM + '|', safe='|:')}"
                                              "&_count=100"))
    open_copies = []  # (procedure, holder, its events, its order) of each unfinished copy
    for procedure_id, by_holder in copies.items():
        if procedure_id in unreadable:
            continue
        for holder, rows in by_holder.items():
            if holder == workstation:
                continue
            events = [r.to_event() for r in rows]
            state = fold(events)
            if state.order is not None and state.outcome is None:
                open_copies.append((procedure_id, holder, events, state.order))
    chains = steps_of_bags(client, [b.bag_id for *_, order in open_copies
                                    for b in order.bags])
    listed = []
    for procedure_id, holder, events, order in open_copies:
        heads = [chains[b.bag_id] for b in order.bags]
        if not all(h and h[-1].holds and h[-1].workstation == holder
                   and h[-1].procedure_id == procedure_id for h in heads):
            continue  # an old copy: its workstation no longer holds the procedure
        patient = order.patient
        last = events[-1]
        bag = last.data.get("bag")
        step = (last.type.replace("_", " ") + (f" (bag {bag})" if bag else "")
                + f" at {last.at.wall.astimezone().strftime('%H:%M')}")
        listed.append(OpenElsewhere(procedure_id, holder, f"{patient.name} — MRN "
                                    f"{patient.mrn}", step, heads[0][-1].describe()))
    return listed


@dataclass(frozen=True)
class Signed:
    """Why the procedure is taken over and who signed it (the nurse; a witness in the
    window)."""

    reason: str
    signatures: tuple[Signature, ...]
    witness: str | None


def _record_taken_over(store: Store, profile: Profile, procedure_id: str, holder: str,
                       who: Who, steps: list[Step], signed: Signed) -> None:
    """`procedure_taken_over` (via the server) in the chain here, signed: the record shows the
    hand-over (from → to, who, when, why) on this workstation too."""
    from ..clock import SystemClock
    from ..engine import Command, Procedure
    from ..store import StoreListener

    step = _handover_step(steps, procedure_id)
    procedure = Procedure.rebuild(profile, SystemClock(), store.events(procedure_id))
    procedure.subscribe(StoreListener(store))
    outcome = procedure.handle(Command("take_over", {
        "via": "server", "handover_id": step.reference if step else "server",
        "from_workstation": holder, "to_workstation": who.workstation,
        "steps": [s.reference for s in steps], "reason": signed.reason}, user=who.user,
        signatures=signed.signatures, witness=signed.witness))
    if outcome.rejection is not None:
        raise HandoverError(f"the claim moved here, but the take-over was not recorded: "
                            f"{outcome.rejection.reason}")


def _published(client: FhirClient, procedure_id: str) -> dict[str, list[Any]]:
    """Every copy of the procedure on the server, by the workstation that published it."""
    search = quote(token(OPEN_PROCEDURE_SYSTEM, procedure_id), safe="|:")
    copies, unreadable = _copies(_get(client, f"DocumentReference?identifier={search}"
                                              "&_count=20"))
    if procedure_id in unreadable:
        raise HandoverError(unreadable[procedure_id])
    return copies.get(procedure_id, {})


def _copies(found: Mapping[str, Any]) -> tuple[dict[str, dict[str, list[Any]]], dict[str, str]]:
    """The published copies in a search's answer, by procedure and then by the workstation that
    published each; and, by procedure, why one of its copies cannot be read."""
    copies: dict[str, dict[str, list[Any]]] = {}
    unreadable: dict[str, str] = {}
    for entry in found.get("entry") or ():
        doc = entry.get("resource") or {}
        key = next((i.get("value", "") for i in doc.get("identifier") or ()
                    if i.get("system") == OPEN_SYSTEM), "")
        procedure_id, _, workstation = str(key).partition("/")
        if not procedure_id or not workstation:
            continue
        try:
            data = doc["content"][0]["attachment"]["data"]
            text = base64.b64decode(data, validate=True).decode("utf-8")
            copies.setdefault(procedure_id, {})[workstation] = parse_lines(text.splitlines())
        except (KeyError, IndexError, ValueError, TransferError) as exc:
            unreadable[procedure_id] = (f"the log of {procedure_id} published by {workstation} "
                                        f"cannot be read: {exc}")
    return copies, unreadable
