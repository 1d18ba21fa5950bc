"""Receipt of KRESLADI (prescribing information §2.2 "Receipt and Storage", §16.2): its own
procedure, before the infusion day, by the pharmacy or cell-therapy laboratory. Pure Python.

    receipt = Receipt(profile, clock); receipt.subscribe(StoreListener(store))
    receipt.add_guard(receipt_guard(people))
    receipt.handle(Command("open_receipt", {"mrn": …, "ehr": …}, user=…))
    … "scan" (shipper, each cassette) → "record_storage" → "record_concern" (any time)
    → "enter_sheet" (typed values) → "verify_sheet" (a second person, blind, signs)
    → "complete_receipt": the order the bedside opens the infusion from.
"""

from .bedside import dispense, hand_over, infusion_order_args
from .blind import double_check
from .decide import engine_order_check, label_expiry, order_for
from .guard import RECEIPT_ROLE, receipt_guard
from .listing import awaiting_infusion, describe, receipt_ids, receipts, unfinished
from .model import FINAL_TYPES, DoubleCheck, Sheet, SheetError, is_receipt_id, new_receipt_id
from .receipt import Receipt
from .state import EhrPatient, ReceiptState, ReceivedLabel, fold

__all__ = [
    "FINAL_TYPES",
    "RECEIPT_ROLE",
    "DoubleCheck",
    "EhrPatient",
    "Receipt",
    "ReceiptState",
    "ReceivedLabel",
    "Sheet",
    "SheetError",
    "awaiting_infusion",
    "describe",
    "dispense",
    "double_check",
    "engine_order_check",
    "fold",
    "hand_over",
    "infusion_order_args",
    "is_receipt_id",
    "label_expiry",
    "new_receipt_id",
    "order_for",
    "receipt_guard",
    "receipt_ids",
    "receipts",
    "unfinished",
]
