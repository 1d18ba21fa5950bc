"""Regenerate resources/examples/two_bag_simulation.json from the sample labels.

Run after changing `kresladi_bedside/labels/samples.py`:
    .venv/bin/python tools/make_example_script.py
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kresladi_bedside.labels import samples
from kresladi_bedside.training.sample import patient_order

OUT = Path(__file__).resolve().parents[1] / "resources" / "examples" / "two_bag_simulation.json"
ISBT_DATAMATRIX = "]d1"  # ECC 200 without FNC1 (GS1 DataMatrix would be ]d2)
LINE_OK = {"central_access": True, "no_inline_filter": True, "no_pump": True,
           "tubing_primed": True}
START = datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=-5)))
POST_OK = {"monitoring": True, "irradiate_blood_products": True, "never_donate": True}


def build() -> dict[str, Any]:
    steps: list[dict[str, Any]] = []
    clock = 0

    def add(command: str, after: int = 0, deviation: dict | None = None, **args: Any) -> None:
        nonlocal clock
        clock += after
        step: dict[str, Any] = {"offset": clock, "command": command, "args": args}
        if deviation:
            step["deviation"] = deviation
        steps.append(step)

    def scan(payload: str, symbology: str, after: int = 20) -> None:
        add("scan", after, payload=payload, source="wedge", symbology=symbology)

    add("open", training=True)
    # The site is at -05:00: the labels' printed expiry is a local time there.
    site = timezone(timedelta(hours=-5))
    add("prepare_order", 60, order=patient_order(2, zone=site).to_dict())
    # §2.2's order, each instant from the chart: stored and back-up confirmed before
    # conditioning began
    add("confirm_backup", 60, available=True, cd34_per_kg=3.2e6,
        confirmed_at="2026-02-20T09:00:00-05:00")
    add("record_conditioning_end", 30, at="2026-03-01T06:00:00-05:00",
        conditioning_start="2026-02-26T06:00:00-05:00")
    add("confirm_storage", 30, temperature_c=-178, stored_at="2026-02-19T14:00:00-05:00")
    add("attest", 30, items={"hsct_appropriate": True, "ustekinumab": "not given"})
    scan(samples.wristband_payload(), "]Q1", 60)
    scan(samples.shipper_payload(), ISBT_DATAMATRIX)
    for bag in (1, 2):
        scan(samples.cassette_payload(bag), ISBT_DATAMATRIX)
    scan(samples.bag_payload(1), ISBT_DATAMATRIX)  # bag 2 stays in its cassette in LN2
    for bag in (1, 2):
        if bag == 1:
            add("inspect_bag", 60, bag=1, intact=True)
        else:
            add("inspect_bag", 600, bag=2, intact=True)  # too early: a wait
            # Bag 2 out of its cassette at its own thaw: its storage until now confirmed,
            # then its label against the cassette's.
            scan(samples.wristband_payload(), "]Q1", 3000)
            add("confirm_bag_storage", 20, bag=2, kept_frozen=True)
            scan(samples.bag_payload(2), ISBT_DATAMATRIX)
            add("inspect_bag", 20, bag=2, intact=True)
        add("start_thaw", 30, bag=bag, method="water_bath", attest={"sterile_overbag": True})
        if bag == 1:
            add("complete_thaw", 240, bag=bag, attest={"no_visible_ice": True})
        else:
            add("complete_thaw", 320, bag=bag, attest={"no_visible_ice": True})  # 5:20
            add("complete_thaw", 15, {"reason": "Ice crystals persisted at 5:00; thaw continued "
                                                "with the pharmacist's agreement",
                                      "signed_by": "nurse.educator"},
                bag=bag, attest={"no_visible_ice": True})
        scan(samples.wristband_payload(), "]Q1", 60)
        scan(samples.bag_payload(bag), ISBT_DATAMATRIX, 15)
        add("check_line", 60, bag=bag, items=LINE_OK)
        add("start_infusion", 60, bag=bag)
        add("end_infusion", 420, bag=bag, attest={"entire_contents": True})
        # The flush ended 90 s after the infusion; it is logged 30 s later.
        flush_end = START + timedelta(seconds=clock + 90)
        add("log_flush", 120, bag=bag, volume_ml=4.5,
            ended_at=flush_end.isoformat(timespec="seconds"))
    add("acknowledge_post_infusion", 120, attest=POST_OK)
    return {"description": "Two-bag KRESLADI procedure for the sample patient (training): the "
                           "scanner's payloads, one wait before bag 2 and one signed thaw "
                           "deviation.",
            "start": START.isoformat(), "user": "nurse.educator", "steps": steps}


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
