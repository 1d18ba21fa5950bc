"""A receipt exported as a file on a workstation without the EHR, judged again here (issue 26).

Why: the window copied a receipt file's rows into the log once their SHA-256 chain held, which
anyone can recompute: a receipt never double-checked, with the typist as its verifier, stored at
−100 °C and with a changed dose opened an infusion. Now the file must be signed by an enrolled
workstation (store/signing.py, checked by `read_signed_file`), and its chain is never copied: it is
folded only to read what the other workstation decided, then judged —

- the receipt is complete (`received`), not stopped or half done;
- the sheet was verified, by someone other than the person who typed it (the double check);
- the recorded order is the one the verified sheet and the scanned labels make (`order_for`):
  a changed dose, weight or bag is found;

and decided again by this workstation's own receipt engine, as a product read back from the EHR
is (`import_receipt`: the storage temperature, custody across the hospital, the engine's Lot
Information Sheet rules), written as a new chain here that names the file's signer. All or
nothing: a refusal records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..clock import Clock
from ..engine.model import Command, Outcome, Signature
from ..profile import Profile
from ..receipt import (
    Receipt,
    ReceiptState,
    double_check,
    fold,
    is_receipt_id,
    order_for,
    receipt_ids,
)
from ..store import Store, StoreListener
from ..store.rows import EventRow
from ..store.signing import Signer
from ..store.transfer import TransferError
from .ehr import receipt_payload


@dataclass(frozen=True)
class ReceiptImport:
    receipt_id: str
    outcome: Outcome | None  # None: this receipt is already here


def judged_receipt(rows: Sequence[EventRow]) -> ReceiptState:
    """What the file's receipt says happened, refused (TransferError) unless complete and
    double-checked and its order is the one its verified sheet and labels make."""
    ids = {row.procedure_id for row in rows}
    if len(ids) != 1 or not is_receipt_id(next(iter(ids))):
        raise TransferError("this file is not one KRESLADI receipt")
    chain = sorted(rows, key=lambda r: r.seq)
    prev = "0" * 64
    for expected, row in enumerate(chain, start=1):
        if row.seq != expected or row.prev_hash != prev:
            raise TransferError(f"the receipt's chain is broken at seq {expected}")
        prev = row.hash
    events = [row.to_event() for row in chain]
    try:
        state = fold(events)
        done = next(i for i, e in enumerate(events) if e.type == "receipt_completed")
        before = fold(events[:done])
    except StopIteration:
        raise TransferError("the receipt was never completed: it cannot be used") from None
    except Exception as exc:  # a payload the receipt's fold cannot read
        raise TransferError(f"the receipt cannot be read ({type(exc).__name__}: "
                            f"{str(exc)[:200]})") from None
    if state.outcome != "received" or state.order is None:
        raise TransferError(f"the receipt ended {state.outcome or 'unfinished'}: it cannot be "
                            "used")
    if not state.verified_by or not before.sheet_by:
        raise TransferError("the Lot Information Sheet values were never verified by a second "
                            "person")
    if state.verified_by == before.sheet_by:
        raise TransferError("the person who typed the Lot Information Sheet values also "
                            "verified them: the double check was not independent")
    verified = max((i for i, e in enumerate(events[:done]) if e.type == "sheet_verified"),
                   default=None)
    if state.double_check is not None and verified is not None and \
            state.double_check != double_check(fold(events[:verified])):
        raise TransferError("the receipt's record of what the second person typed again blind "
                            "is not what the double check's rule asks of that receipt")
    try:
        expected_order = order_for(before).to_dict()
    except Exception as exc:
        raise TransferError(f"the receipt's sheet and labels do not make an order "
                            f"({type(exc).__name__}: {str(exc)[:200]})") from None
    if expected_order != state.order.to_dict():
        raise TransferError("the receipt's order is not the one its verified sheet and labels "
                            "make (a dose, a weight, a bag or the patient was changed)")
    if state.stored_at is None or state.completed_at is None:
        raise TransferError("the receipt has no storage record")
    return state


def import_receipt_file(store: Store, rows: Sequence[EventRow], signer: Signer,
                        profile: Profile, clock: Clock, user: str,
                        signatures: tuple[Signature, ...] = ()) -> ReceiptImport:
    """Judge the file's receipt, then decide it again here (see the module's docstring)."""
    from ..ledger import StoreLedger

    state = judged_receipt(rows)
    assert state.receipt_id is not None
    if state.receipt_id in receipt_ids(store):
        return ReceiptImport(state.receipt_id, None)
    receipt = Receipt(profile, clock, state.receipt_id, custody=StoreLedger(store))
    receipt.subscribe(StoreListener(store))
    source: dict[str, Any] = {"kind": "file", "workstation": signer.name,
                              "key_id": signer.key_id}
    outcome = receipt.handle(Command("import_receipt", {
        "payload": receipt_payload(state, {}), "source": source}, user=user,
        signatures=signatures))
    return ReceiptImport(state.receipt_id, outcome)


def receipt_rows(rows: Sequence[EventRow]) -> list[EventRow]:
    return [row for row in rows if is_receipt_id(row.procedure_id)]
