"""Workstation A for the hand-over test: its own log, real clock, the procedure claimed on the
server, walked to the start of bag 1's thaw, published (as its sync pass does), then it waits
to be killed (`kill -9`). `python -m tests.integration.handover_a INFO_JSON DB` prints one JSON
line {"procedure_id", "thaw_started"} when the thaw has started and the log is on the server."""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kresladi_bedside.clock import SystemClock
from kresladi_bedside.store import StoreListener, open_store
from kresladi_bedside.sync.custody import Who, claim
from kresladi_bedside.sync.handover import publish_open
from kresladi_bedside.sync.open_custody import CustodyFence
from tests.engine.driver import DINS, Driver

from .custody_racer import client


def main(info: dict[str, str], db: Path) -> None:
    ehr = client(info)
    store = open_store(db)
    from kresladi_bedside.engine.verifier import LabelIdentityVerifier

    driver = Driver(clock=SystemClock(),  # type: ignore[arg-type]  # never advanced here
                    verifier=LabelIdentityVerifier())
    driver.proc.subscribe(StoreListener(store))
    driver.proc.add_guard(CustodyFence(ehr, "A"))
    driver.open()
    pid = driver.proc.state.procedure_id
    won = claim(ehr, list(DINS), Who("A", "u-nurse", "Nurse A"), receipt_id=None,
                procedure_id=pid)
    assert won.won, won.message
    driver.order(expiry=datetime.now(UTC) + timedelta(days=200)).gates()
    driver.identity_two_identifiers()
    driver.ok("inspect_bag", bag=1, intact=True)
    started = driver.ok("start_thaw", bag=1, method="water_bath",
                        attest={"sterile_overbag": True}).events[-1]
    assert not publish_open(ehr, store, "A")
    print(json.dumps({"procedure_id": pid, "thaw_started": started.at.wall.isoformat()}),
          flush=True)
    time.sleep(600)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), Path(sys.argv[2]))
