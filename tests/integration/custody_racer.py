"""One workstation racing to open a received product (the open button's path: the received
product read from the server into this workstation's own store, then, at an agreed instant,
`claim_for_opening`, and when it wins, the infusion procedure opened from it). Run in a thread or
as its own process: `python -m tests.integration.custody_racer INFO_JSON DB WORKSTATION AT`,
printing one JSON line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.profile import load_profile
from kresladi_bedside.receipt import awaiting_infusion
from kresladi_bedside.receipt.bedside import dispense, infusion_order_args
from kresladi_bedside.store import StoreListener, open_store
from kresladi_bedside.sync.custody import Who
from kresladi_bedside.sync.ehr import EhrClient, import_from_ehr, received_products
from kresladi_bedside.sync.open_custody import LastKnown, claim_for_opening
from kresladi_bedside.sync.tokens import ClientCredentials
from tests.receipt.conftest import SAMPLE, START


def client(info: dict[str, Any]) -> EhrClient:
    """Tokens as the hospital issues them (client credentials), not the kit's printed one."""
    return EhrClient(info["base_url"], tokens=ClientCredentials(
        info["token_url"], info["client_id"], info["client_secret"]))


def race_open(info: dict[str, Any], db: Path, workstation: str, at: float) -> dict[str, Any]:
    profile, clock = load_profile(), FakeClock(START)
    with open_store(db) as store:
        ehr = client(info)
        if not awaiting_infusion(store):
            for product in received_products(ehr, SAMPLE.mrn):
                import_from_ehr(ehr, store, profile, clock, product, info["mrn_system"],
                                f"nurse-{workstation}")
        state = awaiting_infusion(store)[0]
        proc = Procedure(profile, clock)
        proc.subscribe(StoreListener(store))
        assert proc.handle(Command("open", {}, user=f"nurse-{workstation}")).accepted
        procedure_id = proc.state.procedure_id
        assert procedure_id is not None and state.receipt_id is not None
        time.sleep(max(0.0, at - time.time()))
        decision = claim_for_opening(ehr, state, Who(workstation, f"nurse-{workstation}",
                                                     f"Nurse {workstation}"),
                                     procedure_id=procedure_id, last=LastKnown())
        opened = False
        if decision.allowed:
            args = infusion_order_args(state)
            opened = proc.handle(Command("prepare_order", args,
                                         user=f"nurse-{workstation}")).accepted
            dispense(store, profile, clock, state.receipt_id, procedure_id,
                     f"nurse-{workstation}", custody=[s.reference for s in decision.steps])
        return {"workstation": workstation, "allowed": decision.allowed, "opened": opened,
                "message": decision.message, "procedure_id": procedure_id}


if __name__ == "__main__":
    print(json.dumps(race_open(json.loads(sys.argv[1]), Path(sys.argv[2]), sys.argv[3],
                               float(sys.argv[4]))))
