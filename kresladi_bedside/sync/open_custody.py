"""The bedside's side of custody (Qt-free): what the *Open the infusion* button and the product
list ask the hospital's server, and what they tell the nurse.

- Opening a received product claims its bags on the server at that moment (`custody.claim`):
  won → open; held elsewhere → refused naming who holds it (workstation, nurse, when); the server
  cannot say (unreachable, refused token, an answer that is not FHIR) → **refused** (fail
  closed), with the last state this workstation read and how old it is — unless the site allows
  opening offline (`sync.offline_opening = "signed"`): then the nurse is offered to open it on a
  reason signed by the nurse and a witness (`custody_opened_offline` in the procedure's log), and
  `reconcile` makes the claim once the server answers again: claimed → `custody_reconciled`;
  someone else holds a bag, or the server shows it given by another procedure →
  `custody_conflict`, a reconciliation alarm.
- `LastKnown` keeps, per receipt, the last custody this workstation read and when (monotonic
  seconds): what the list shows while the server is away.
- `CustodyFence` refuses every command of a procedure that moved to another workstation. The
  window asks the server off the GUI thread (`ask_later`); the guard itself only reads answers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..receipt.state import ReceiptState
from .custody import (
    ISBT128_DIN_SYSTEM,
    BagCustody,
    CustodyUnknown,
    Step,
    Who,
    claim,
    moved_away,
    read_product,
    release,
)
from .transport import FhirClient


@dataclass(frozen=True)
class Known:
    text: str  # e.g. "free", "held by workstation B, opened by … at …"
    free: bool
    read_at: float  # monotonic seconds


class LastKnown:
    """The last custody read per receipt (this process only: a restart reads again)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._now = monotonic
        self._known: dict[str, Known] = {}
        self._lock = threading.Lock()

    def note(self, receipt_id: str, bags: Sequence[BagCustody]) -> Known:
        blocked = [b.why_not_free() for b in bags if not b.free]
        known = Known("; ".join(blocked) if blocked else "free (no claim, no administration)",
                      not blocked, self._now())
        with self._lock:
            self._known[receipt_id] = known
        return known

    def describe(self, receipt_id: str) -> str:
        with self._lock:
            known = self._known.get(receipt_id)
        if known is None:
            return "never read from the server on this workstation"
        age = max(0.0, self._now() - known.read_at)
        return f"last read {_age(age)} ago: {known.text}"


@dataclass(frozen=True)
class OpenDecision:
    allowed: bool
    message: str
    steps: tuple[Step, ...] = ()  # the claim steps we hold (to record locally)
    unknown: bool = False  # refused because the server could not say
    # the site allows opening offline on a signed reason (only when `unknown`)
    offline_allowed: bool = False
    last_known: str = ""  # what this workstation last read of the product, and its age
    cause: str = ""  # why the server could not say


def dins_of(state: ReceiptState) -> list[str]:
    if state.order is None:
        raise ValueError(f"receipt {state.receipt_id} has no order")
    return [b.bag_id for b in state.order.bags]


def receipt_of(store: Any, procedure_id: str) -> ReceiptState | None:
    """The received product given to `procedure_id` on this workstation (None: opened from an
    order file, or taken over from another workstation)."""
    from ..receipt.listing import receipts

    return next((r for r in receipts(store) if procedure_id in r.dispensed_to), None)


def read_custody(client: FhirClient, state: ReceiptState, last: LastKnown,
                 din_systems: Sequence[str] = (ISBT128_DIN_SYSTEM,)) -> Known:
    """The product's custody read from the server now (for the list); `CustodyUnknown` if not."""
    bags = read_product(client, dins_of(state), state.ehr_resources(),
                        din_systems)
    assert state.receipt_id is not None
    return last.note(state.receipt_id, bags)


def claim_for_opening(client: FhirClient, state: ReceiptState, who: Who, *,
                      procedure_id: str | None, last: LastKnown,
                      din_systems: Sequence[str] = (ISBT128_DIN_SYSTEM,),
                      offline: str = "refused") -> OpenDecision:
    """Claim the product's bags for `who` now. Never returns `allowed` without a claim the
    server holds: when the server cannot say, the answer is a refusal (which names the signed
    way in when the site's `offline` policy is "signed")."""
    assert state.receipt_id is not None
    try:
        result = claim(client, dins_of(state), who, receipt_id=state.receipt_id,
                       procedure_id=procedure_id, products=state.ehr_resources(),
                       din_systems=din_systems)
    except CustodyUnknown as exc:
        return unknown_decision(str(exc), last.describe(state.receipt_id), offline)
    if result.won:
        bags = [BagCustody(s.din, (s,)) for s in result.steps]
        last.note(state.receipt_id, bags)
        extra = f" ({'; '.join(result.problems)})" if result.problems else ""
        return OpenDecision(True, result.message + extra, result.steps)
    # refused by a holder: remember it, so the list shows it too
    if result.holder is not None:
        last.note(state.receipt_id, [BagCustody(result.holder.din, (result.holder,))])
    return OpenDecision(False, result.message + " Ask the pharmacy before anything else: "
                               "one product, one infusion.")


def unknown_decision(cause: str, known: str, offline: str) -> OpenDecision:
    """The server could not say who holds the product: refused; the way in offline named when
    the site allows it."""
    if offline == "signed":
        return OpenDecision(False, "Not opened yet: the hospital's server cannot be reached "
                                   f"({cause}). Custody {known}. This site allows opening "
                                   "offline on a reason signed by you and a witness; the claim "
                                   "is made when the server is back, and an alarm is raised if "
                                   "someone else holds the product.",
                            unknown=True, offline_allowed=True, last_known=known, cause=cause)
    return OpenDecision(False, "Not opened: the hospital's server could not say who holds "
                               f"this product ({cause}). Custody {known}. Try again in a "
                               "moment; if it goes on, call IT.",
                        unknown=True, last_known=known, cause=cause)


def offline_opening_args(decision: OpenDecision, reason: str) -> dict[str, Any]:
    """The procedure's `note_custody` command for an opening without the server's answer."""
    return {"kind": "opened_offline", "reason": reason.strip(), "cause": decision.cause,
            "last_known": decision.last_known}


@dataclass(frozen=True)
class Reconciled:
    """What the server said once it answered again about a procedure opened offline."""

    kind: str  # "reconciled" (claimed now) or "conflict" (the alarm)
    message: str
    steps: tuple[Step, ...] = ()

    def note_args(self) -> dict[str, Any]:
        return {"kind": self.kind, "reason": self.message,
                "steps": [s.reference for s in self.steps]}


def reconcile(client: FhirClient, state: ReceiptState, who: Who, procedure_id: str,
              last: LastKnown,
              din_systems: Sequence[str] = (ISBT128_DIN_SYSTEM,)) -> Reconciled:
    """The claim of a procedure opened offline, made now. Won → "reconciled". Held by someone
    else, or given by another procedure on the server → "conflict" (who, what). The caller
    records either; `CustodyUnknown` when the server still cannot say (ask again later)."""
    assert state.receipt_id is not None
    result = claim(client, dins_of(state), who, receipt_id=state.receipt_id,
                   procedure_id=procedure_id, products=state.ehr_resources(),
                   din_systems=din_systems)
    if result.won:
        last.note(state.receipt_id, [BagCustody(s.din, (s,)) for s in result.steps])
        return Reconciled("reconciled", f"Claimed on the server after opening offline: "
                                        f"{len(result.steps)} bag(s) held by workstation "
                                        f"{who.workstation}.", result.steps)
    why = result.message.removeprefix("Not opened: ")
    return Reconciled("conflict", f"RECONCILIATION: this procedure was opened offline, and the "
                                  f"hospital's server now says {why} Stop and call the pharmacy "
                                  "before anything else: one product, one infusion.")


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def release_product(client: FhirClient, store: Any, profile: Any, clock: Any, receipt_id: str,
                    who: Who, reason: str,
                    din_systems: Sequence[str] = (ISBT128_DIN_SYSTEM,)) -> tuple[Step, ...]:
    """A pharmacist's release (the caller checked badge, PIN and the pharmacy role): one
    `release` step per bag on the server, then the same act in the receipt's own chain here
    (`custody_released`, signed by `who.user`, with the reason and the server's steps).
    ValueError when the server refuses (a bag given, or not held); CustodyUnknown when it
    cannot say."""
    from ..engine.model import Command
    from ..receipt import Receipt
    from ..store import StoreListener

    receipt = Receipt.rebuild(profile, clock, store.events(receipt_id))
    state = receipt.state
    if state.outcome != "received":
        raise ValueError(f"{receipt_id} is not a received product on this workstation")
    steps = release(client, dins_of(state), who, reason, receipt_id=receipt_id,
                    products=state.ehr_resources(), din_systems=din_systems)
    receipt.subscribe(StoreListener(store))
    outcome = receipt.handle(Command("record_custody", {
        "kind": "released", "reason": reason, "server": client.base_url,
        "steps": [s.reference for s in steps]}, user=who.user))
    if outcome.rejection is not None:
        raise ValueError(f"released on the server, not recorded here: "
                         f"{outcome.rejection.reason}")
    return steps


# Commands a fence lets through while the first answer is awaited: they record what happened
# (an alarm answered, the clock moved, custody itself) and change no step.
NOTES: frozenset[str] = frozenset({"acknowledge_alarm", "silence_alarm", "note_clock_change",
                                   "note_custody"})


class CustodyFence:
    """A procedure guard (`Session.add_guard`): once a procedure has its product, every command
    asks whether this workstation still holds the bags for it. Taken over by another
    workstation, released by the pharmacy, or held by someone else → refused, naming who holds it
    now (the fenced workstation shows that the procedure moved and acts on it no more). When the
    server cannot say, the command goes through: the claim was ours, and an outage must not stop
    a thaw or an infusion under way (the fence is against a second workstation, which the server
    itself refuses to hand the product to without a hand-over).

    Without `ask_later` the guard asks the server itself (the command line, the tests of the
    primitive). With it (the window), the guard only reads answers and hands the question to
    `ask_later(procedure_id, dins)`, which runs `refresh` off the GUI thread: a stale answer is
    used meanwhile, and before the first answer for a procedure its commands wait ("Checking
    custody…"), except the notes above."""

    def __init__(self, client: FhirClient, workstation: str, *, still_ours_s: float = 15.0,
                 unknown_s: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic,
                 ask_later: Callable[[str, list[str]], None] | None = None) -> None:
        self.client = client
        self.workstation = workstation
        self.ask_later = ask_later
        # Guards also run for every preview (the pages ask what a button would do): an answer is
        # reused for a while; "moved" is for good; "unknown" is not asked again for a minute, so
        # a server that is down costs one short timeout a minute, not one per click
        self._ttl = {"ours": still_ours_s, "unknown": unknown_s}
        self._now = monotonic
        self._known: dict[str, tuple[str, str | None, float]] = {}
        self._asking: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, state: Any, command: Any, now: Any) -> Any:
        from ..engine.model import Rejection

        order = getattr(state, "order", None)
        procedure_id = getattr(state, "procedure_id", None)
        if order is None or procedure_id is None or command.name == "note_custody":
            return None
        conflict = next((d for k, _, d in getattr(state, "custody_notes", ()) if k == "conflict"),
                        None)
        if conflict is not None and command.name not in (*NOTES, "stop_procedure"):
            return Rejection("custody", f"{conflict.get('reason', 'A custody conflict')} This "
                                        "workstation refuses every command for it but a stop.",
                             "", "refused", details={"custody": "conflict"})
        dins = [b.bag_id for b in order.bags]
        if self.ask_later is None:
            why = self._ask(procedure_id, dins)
        else:
            known = self.answer(procedure_id, dins)
            if known is None:
                if command.name in NOTES:
                    return None
                return Rejection("custody", "Checking custody on the hospital server… Try "
                                            "again in a moment.", "", "refused")
            why = known[1]
        if why is None:
            return None
        return Rejection("custody", f"This procedure moved: {why}. This workstation "
                                    "refuses every command for it; continue where it is held.",
                         "", "refused", details={"custody": why})

    def known(self, procedure_id: str) -> tuple[str, str | None] | None:
        """The last answer for `procedure_id`: ("ours" | "moved" | "unknown", why)."""
        with self._lock:
            known = self._known.get(procedure_id)
        return None if known is None else (known[0], known[1])

    def note_ours(self, procedure_id: str) -> None:
        """This workstation has just won the claim for it (no need to ask)."""
        with self._lock:
            self._known[procedure_id] = ("ours", None, self._now())

    def forget(self, procedure_id: str) -> None:
        """Ask again at the next command (custody changed here: reconciled, taken over)."""
        with self._lock:
            self._known.pop(procedure_id, None)

    def answer(self, procedure_id: str, dins: list[str]) -> tuple[str, str | None] | None:
        """The answer to use now (None: none yet); a stale one is used while a new one is
        asked for."""
        with self._lock:
            known = self._known.get(procedure_id)
            fresh = known is not None and (known[0] == "moved" or
                                           self._now() - known[2] < self._ttl[known[0]])
            ask = not fresh and procedure_id not in self._asking
            if ask:
                self._asking.add(procedure_id)
        if ask:
            assert self.ask_later is not None
            self.ask_later(procedure_id, dins)
        return None if known is None else (known[0], known[1])

    def refresh(self, procedure_id: str, dins: list[str]) -> str | None:
        """Ask the server now (blocking: off the GUI thread); the answer is kept. Returns why
        the procedure moved, or None."""
        try:
            return self._ask(procedure_id, dins)
        except Exception:  # whatever failed, the answer is "unknown", never none
            with self._lock:
                self._known[procedure_id] = ("unknown", None, self._now())
            return None
        finally:
            with self._lock:
                self._asking.discard(procedure_id)

    def _ask(self, procedure_id: str, dins: list[str]) -> str | None:
        with self._lock:
            known = self._known.get(procedure_id)
        if known is not None and (known[0] == "moved" or
                                  self._now() - known[2] < self._ttl[known[0]]):
            return known[1]
        try:
            why = moved_away(self.client, dins, self.workstation, procedure_id)
        except CustodyUnknown:
            with self._lock:
                self._known[procedure_id] = ("unknown", None, self._now())
            return None
        with self._lock:
            self._known[procedure_id] = ("moved" if why else "ours", why, self._now())
        return why


def custody_fence(site: Any) -> CustodyFence | None:
    """The fence for a workstation with `[sync]` (None: no server, or training)."""
    from .deliver import SyncNotConfigured, SyncSettings

    try:
        settings = SyncSettings.from_config(site)
    except SyncNotConfigured:
        return None
    return CustodyFence(settings.client(timeout_s=min(2.0, settings.precheck_timeout_s)),
                        settings.workstation)
