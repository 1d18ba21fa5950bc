"""Issue 23 (5): `simulate` writes a receipt and its infusion in one log, with a restart whose
wall clock moved and a forward jump: the cases the issue names, as a validator scripts them."""

from __future__ import annotations

from typing import Any

from kresladi_bedside.labels import samples
from kresladi_bedside.profile import load_profile
from kresladi_bedside.simulate import simulate

DM = "]d1"
LINE_OK = {"central_access": True, "no_inline_filter": True, "no_pump": True,
           "tubing_primed": True}
SHEET = {"mrn": samples.SAMPLE_PATIENT.mrn, "name": "RIVERA, MATEO", "dob": "2024-03-15",
         "coi": samples.SAMPLE_PATIENT.coi, "patient_id": samples.SAMPLE_PATIENT.patient_id,
         "weight_kg": 9.5, "sheet_bag_count": 1,
         "bags": [{"cd34_per_kg": 3.1e6, "volume_ml": 20.0}]}


def script(*, coi: str = samples.SAMPLE_PATIENT.coi, restart_jump: float = -3600,
           forward: float = 0) -> dict[str, Any]:
    steps: list[dict[str, Any]] = []
    t = 0

    def add(after: int, **step: Any) -> None:
        nonlocal t
        t += after
        steps.append({"offset": t, **step})

    def scan(after: int, payload: str) -> None:
        add(after, command="scan", args={"payload": payload, "symbology": DM})

    add(0, receipt=True)
    add(5, command="open_receipt", args={"mrn": samples.SAMPLE_PATIENT.mrn})
    scan(20, samples.shipper_payload(coi=coi))
    scan(20, samples.cassette_payload(1, coi=coi))
    add(60, command="record_storage", args={"temperature_c": -180, "location": "LN2 tank 2",
                                            "in_cassettes": True})
    add(60, command="enter_sheet", args={"sheet": SHEET})
    add(60, command="verify_sheet", args={"sheet": SHEET}, witness="pharmacist.two")
    add(10, command="complete_receipt")
    # Two days later: the infusion day, from the receipt.
    add(2 * 86400, infusion_from_receipt=True)
    add(30, command="confirm_backup", args={"available": True, "cd34_per_kg": 3e6,
                                            "confirmed_at": "2026-02-27T09:00:00-05:00"})
    add(10, command="record_conditioning_end",
        # ended 23 h 36 min before the first thaw; began after the receipt stored it
        args={"at": "2026-03-03T08:30:00-05:00",
              "conditioning_start": "2026-03-02T22:00:00-05:00"})
    add(10, command="confirm_storage", args={"temperature_c": -180})
    add(10, command="attest", args={"items": {"hsct_appropriate": True,
                                              "ustekinumab": "not given"}})
    scan(20, samples.wristband_payload())
    scan(10, samples.shipper_payload())
    scan(10, samples.cassette_payload(1))
    scan(10, samples.bag_payload(1))
    add(10, command="inspect_bag", args={"bag": 1, "intact": True})
    if forward:
        add(10, clock={"jump_s": forward})
    add(10, command="start_thaw", args={"bag": 1, "method": "water_bath",
                                        "attest": {"sterile_overbag": True}})
    add(2 * 3600, command="start_thaw", args={"bag": 1, "method": "water_bath",
                                              "attest": {"sterile_overbag": True}})
    add(120, command="acknowledge_alarm", args={"alarm": "thaw:1"})
    add(10, restart={"wall_jump_s": restart_jump})
    add(60, command="complete_thaw", args={"bag": 1, "attest": {"no_visible_ice": True}})
    return {"start": "2026-03-02T08:00:00-05:00", "user": "n.kim", "steps": steps}


def test_a_receipt_and_its_infusion_in_one_log() -> None:
    records = list(simulate(script(), load_profile()))
    events = [r for r in records if "event" in r]
    kinds = [r["event"] for r in events]
    assert "receipt_completed" in kinds and "order_prepared" in kinds
    assert "receipt_dispensed" in kinds
    receipt_id = next(r["procedure_id"] for r in events if r["event"] == "receipt_completed")
    prepared = next(r for r in events if r["event"] == "order_prepared")
    assert prepared["procedure_id"] != receipt_id and "stored_at" in prepared["data"]
    assert prepared["data"]["order"]["patient"]["coi"] == samples.SAMPLE_PATIENT.coi
    # 22 h after conditioning: a wait; 24 h after: the thaw starts.
    waits = [r for r in records if r.get("rejected") == "start_thaw"]
    assert waits and waits[0]["kind"] == "wait" and waits[0]["rule"] == "conditioning_window"
    assert "thaw_started" in kinds
    # Restart with the wall clock 1 h back mid-thaw: the limit cannot be judged.
    thaw = [r for r in records if r.get("rejected") == "complete_thaw"]
    assert thaw and thaw[0]["kind"] == "deviation_required" and \
        "cannot be known" in thaw[0]["reason"]
    assert any(r.get("restarted") for r in records)


def test_a_forward_jump_does_not_shorten_the_24h_wait_in_a_script() -> None:
    records = list(simulate(script(forward=3 * 3600), load_profile()))
    waits = [r for r in records if r.get("rejected") == "start_thaw"]
    assert waits and waits[0]["rule"] == "conditioning_window" and waits[0]["kind"] == "wait"
    assert any(r.get("event") == "clock_change_noted" for r in records)


def test_another_childs_shipment_stops_the_receipt_in_a_script() -> None:
    records = list(simulate(script(coi="CHW123426000999"), load_profile()))
    stop = next(r for r in records if r.get("event") == "receipt_stopped")
    assert stop["data"]["details"]["field"] == "coi"
    assert not any(r.get("event") == "order_prepared" for r in records)
    refused = next(r for r in records if r.get("rejected") == "infusion_from_receipt")
    assert "no received product" in refused["reason"]
