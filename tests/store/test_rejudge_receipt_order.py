"""An infusion opened from a receipt, decided again on import (store/rejudge.py): its
`order_prepared` carries the receipt's storage instant (the conditioning-order rule's "stored
since", issue 23), which the re-decision must hand back to `prepare_order`, or every procedure
opened from a receipt is refused on import."""

from __future__ import annotations

from pathlib import Path

from kresladi_bedside.engine import Event
from kresladi_bedside.engine.procedure import default_verifier
from kresladi_bedside.profile import load_profile
from kresladi_bedside.simulate import simulate
from kresladi_bedside.store import open_store
from kresladi_bedside.store.rejudge import command_for, redecide
from tests.engine.test_simulate_receipt import script

PROFILE = load_profile()


def _infusion(db: Path) -> list[Event]:
    with open_store(db) as store:
        ids = [row[0] for row in store.conn.execute(
            "SELECT procedure_id FROM events GROUP BY procedure_id ORDER BY min(pos)")]
        procedures = [store.events(pid) for pid in ids]
    (infusion,) = [p for p in procedures if p and p[0].type == "procedure_opened"]
    return infusion


def test_an_order_from_a_receipt_is_decided_again_with_its_storage_instant(
        tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    for _ in simulate(script(restart_jump=0), PROFILE, db=db):
        pass
    events = _infusion(db)
    lead = next(i for i, e in enumerate(events) if e.type == "order_prepared")
    assert "stored_at" in events[lead].data  # carried from the receipt
    assert command_for(events, lead).args.get("stored_at") is not None
    redecide(events, PROFILE, default_verifier(PROFILE))  # raises when misjudged
