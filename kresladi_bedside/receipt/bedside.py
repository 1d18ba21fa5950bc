"""The infusion day starts from a receipt: the `prepare_order` arguments it gives the engine, and
the `receipt_dispensed` event that ties the receipt to the infusion procedure (one product, one
infusion; identity, expiry and custody carry over through the order only: every label is
scanned again on the infusion day)."""

from __future__ import annotations

from typing import Any

from ..clock import Clock
from ..engine.model import Command, Outcome
from ..profile import Profile
from ..store import Store, StoreListener
from .receipt import Receipt
from .state import ReceiptState


def infusion_order_args(state: ReceiptState) -> dict[str, Any]:
    """The engine's `prepare_order` arguments for a received product: the order only. The
    shipper, every cassette, the wristband and the bags are scanned on the infusion day
    (§2.2: "Prior to KRESLADI preparation, match the patient's identity with the patient
    identifiers on the KRESLADI cassette(s)"), whatever was scanned at receipt."""
    if state.order is None or state.outcome != "received":
        raise ValueError(f"receipt {state.receipt_id} is not a received product")
    args: dict[str, Any] = {"order": state.order.to_dict(), "receipt_id": state.receipt_id}
    if state.stored_at is not None:  # the conditioning-order rule needs it (§2.2)
        args["stored_at"] = state.stored_at.local().isoformat()
    return args


def dispense(store: Store, profile: Profile, clock: Clock, receipt_id: str, procedure_id: str,
             user: str, custody: list[str] | None = None) -> Outcome:
    """Record in the receipt's chain that infusion procedure `procedure_id` took the product
    (after the engine accepted the order, by the nurse who opened it); `custody`: the claim
    steps the hospital's server holds for it (Task references)."""
    receipt = Receipt.rebuild(profile, clock, store.events(receipt_id))
    receipt.subscribe(StoreListener(store))
    return receipt.handle(Command("dispense", {"procedure_id": procedure_id,
                                               "custody": custody or []}, user=user))


def hand_over(store: Store, profile: Profile, clock: Clock, receipt_id: str, user: str,
              where: str) -> Outcome:
    """Record that the received product was exported to another workstation (no server): it is
    then no longer offered here (`awaiting_infusion` leaves it out), so only the workstation that
    imports the file can open it. Recorded after the file is written, so the file itself does
    not carry the hand-over (the importer's copy is a product awaiting infusion)."""
    receipt = Receipt.rebuild(profile, clock, store.events(receipt_id))
    receipt.subscribe(StoreListener(store))
    return receipt.handle(Command("record_custody", {
        "kind": "handed_over", "reason": f"exported for another workstation: {where}"},
        user=user))
