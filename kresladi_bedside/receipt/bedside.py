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
             user: str) -> Outcome:
    """Record in the receipt's chain that infusion procedure `procedure_id` took the product
    (after the engine accepted the order, by the nurse who opened it)."""
    receipt = Receipt.rebuild(profile, clock, store.events(receipt_id))
    receipt.subscribe(StoreListener(store))
    return receipt.handle(Command("dispense", {"procedure_id": procedure_id}, user=user))
