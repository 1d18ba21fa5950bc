"""Received products in a procedure log: every receipt chain folded, and those awaiting
infusion (received, not yet given to an infusion procedure)."""

from __future__ import annotations

from datetime import datetime

from ..engine.model import Event
from ..store import Store
from .model import OPENED
from .state import ReceiptState, fold


def receipt_ids(store: Store) -> list[str]:
    """Chains that open with `receipt_opened`, oldest first."""
    return [r[0] for r in store.conn.execute(
        "SELECT procedure_id FROM events WHERE seq = 1 AND type = ? ORDER BY pos", (OPENED,))]


def receipt_events(store: Store, receipt_id: str) -> list[Event]:
    return store.events(receipt_id)


def receipts(store: Store) -> list[ReceiptState]:
    return [fold(store.events(rid)) for rid in receipt_ids(store)]


def awaiting_infusion(store: Store, *, training: bool | None = None) -> list[ReceiptState]:
    """Received, not yet dispensed to an infusion, oldest first (training ones only on a
    training workstation and the other way round, when `training` is given)."""
    return [r for r in receipts(store)
            if r.outcome == "received" and not r.dispensed_to and not r.handed_over
            and (training is None or r.training == training)]


def unfinished(store: Store, *, training: bool | None = None) -> list[ReceiptState]:
    """Receipts neither complete nor stopped (the dialog was closed, or the program stopped),
    oldest first: they are resumed, never restarted."""
    return [r for r in receipts(store)
            if r.active and (training is None or r.training == training)]


def describe(state: ReceiptState, now: datetime | None = None) -> str:
    """Lines for a chooser: patient; bags and earliest expiry (EXPIRED when past at `now`);
    storage; any concern recorded at receipt."""
    order = state.order
    if order is None:
        return state.receipt_id or "?"
    expiry = min(b.expiry for b in order.bags)
    where = state.storage_location or "storage not recorded"
    temp = "" if state.storage_celsius is None else f" at {state.storage_celsius:g} °C"
    came = " — from the EHR" if state.source.get("kind") == "fhir" else ""
    expired = "EXPIRED — do not use: " if now is not None and expiry <= now else ""
    lines = [f"{order.patient.name} — MRN {order.patient.mrn} — DOB "
             f"{order.patient.dob.isoformat()}",
             f"{expired}{len(order.bags)} bag(s) ({', '.join(b.bag_id for b in order.bags)})"
             f" — expires {expiry.strftime('%Y-%m-%d %H:%M')}",
             f"{where}{temp}{came}"]
    lines += [f"Concern at receipt: {text}" for text, _ in state.concerns]
    return "\n".join(lines)
