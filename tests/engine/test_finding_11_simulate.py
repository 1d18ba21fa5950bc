"""Finding 11: `simulate` rehearses what a real day holds: sign-in and witnesses, a wall-clock
jump while running, a restart in the middle, the flush's end time, a site configuration, a second
procedure in the same log (the ledger), and rejection details."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from kresladi_bedside.cli import main
from kresladi_bedside.paths import resource
from kresladi_bedside.profile import load_profile
from kresladi_bedside.simulate import ScriptError, load_script, simulate

EXAMPLE = resource("examples", "two_bag_simulation.json")


def _at(script: dict, command: str, bag: int | None = None) -> int:
    return next(i for i, s in enumerate(script["steps"]) if s.get("command") == command
                and (bag is None or s.get("args", {}).get("bag") == bag))


def rehearsal() -> dict:
    script = copy.deepcopy(load_script(EXAMPLE))
    steps = script["steps"]
    steps.insert(0, {"offset": 0, "sign_in": "n.kim"})
    steps[_at(script, "open")]["args"] = {}  # a live procedure (training ones never bar)
    first_scan = _at(script, "scan")
    steps[first_scan]["witness"] = "w.brennan"
    for step in steps:  # the example's flush end times are wall times: the jump moves them
        if step.get("command") == "log_flush":
            step["args"].pop("ended_at")
    # The wall clock is set forward 10 minutes during bag 1's thaw.
    thaw = _at(script, "start_thaw", 1)
    steps.insert(thaw + 1, {"offset": steps[thaw]["offset"] + 30, "clock": {"jump_s": 600}})
    # The workstation restarts while bag 2 waits in liquid nitrogen.
    wait = _at(script, "inspect_bag", 2)
    # Right after the refused inspection (the last recorded instant): across a restart the
    # timeline resumes there (the time between it and the restart cannot be counted).
    steps.insert(wait + 1, {"offset": steps[wait]["offset"],
                            "restart": {"wall_jump_s": 0}})
    # After the procedure, the same child's order again in a new procedure.
    end = steps[-1]["offset"]
    steps.append({"offset": end + 600, "new_procedure": True})
    steps.append({"offset": end + 610, "command": "open"})
    prepare = next(s for s in steps if s.get("command") == "prepare_order")
    steps.append({"offset": end + 620, "command": "prepare_order", "args": prepare["args"]})
    return script


def test_finding_11_rehearsal_with_clock_jump_restart_sign_in_witness_and_ledger() -> None:
    records = list(simulate(rehearsal(), load_profile()))
    assert records[0] == {"step": 1, "offset_s": 0.0, "at": records[0]["at"],
                          "signed_in": "n.kim"}
    events = [r for r in records if "event" in r]
    assert {r["user"] for r in events if r["event"] == "order_prepared"} == {"n.kim"}
    witnessed = next(r for r in events if r["event"] == "label_accepted")
    assert witnessed["data"]["witness"] == "w.brennan"
    assert witnessed["data"]["signatures"][0]["meaning"] == "witnessed"
    changes = [r for r in events if r["event"] == "clock_change_noted"]
    assert [c["data"].get("runtime", False) for c in changes] == [True, False]
    assert changes[0]["data"]["wall_minus_mono_s"] == pytest.approx(600)
    assert changes[1]["data"]["boot_changed"] is True
    assert any(r.get("restarted") for r in records)
    first = events[0]["procedure_id"]
    assert any(r["event"] == "procedure_completed" and r["procedure_id"] == first
               for r in events)
    # The resumed procedure is the same one: resumed, never restarted.
    done = next(i for i, r in enumerate(events) if r["event"] == "procedure_completed")
    assert {r["procedure_id"] for r in events[:done + 1]} == {first}
    refused = records[-1]
    assert refused["rejected"] == "prepare_order" and refused["rule"] == "custody_patient"
    assert refused["details"]["earlier"]["procedure_id"] == first
    assert refused["details"]["earlier"]["what"] == "received"


def test_finding_11_config_sets_time_zone_and_clinical_policy(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture
                                                              ) -> None:
    site = tmp_path / "site.toml"
    site.write_text('site_name = "Rehearsal ward"\ntimezone = "America/New_York"\n'
                    '[clinical]\nflush_warn_ml_per_kg = 0.3\n', encoding="utf-8")
    script = tmp_path / "script.json"
    script.write_text(json.dumps(load_script(EXAMPLE)), encoding="utf-8")
    assert main(["simulate", str(script), "--config", str(site)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    opened = next(x for x in lines if x.get("event") == "procedure_opened")
    assert opened["data"]["policy"]["flush_warn_ml_per_kg"] == 0.3
    assert opened["data"]["site"] == "Rehearsal ward"
    # 4.5 mL at 9.5 kg is 0.47 mL/kg: above this site's 0.3, a deviation is asked for.
    refused = next(x for x in lines if x.get("rejected") == "log_flush")
    assert refused["kind"] == "deviation_required" and refused["details"]["unit"] == "mL/kg"
    assert not any(x.get("event") == "hard_stop" for x in lines)
    # The labels print their expiry as local time, read in the site's zone: the sample sheet
    # says -05:00; at a Chicago site (-06:00 in March) the label means another instant.
    site.write_text('timezone = "America/Chicago"\n', encoding="utf-8")
    assert main(["simulate", str(script), "--config", str(site)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    stop = next(x for x in lines if x.get("event") == "hard_stop")
    assert stop["data"]["details"]["field"] == "expiry"


def test_finding_11_bad_control_steps_are_named() -> None:
    for bad in ({"offset": 0, "clock": {"jump": 3}}, {"offset": 0, "restart": True},
                {"offset": 0, "sign_in": ""}, {"offset": 0, "new_procedure": 1},
                {"offset": 0, "command": "open", "sign_in": "x"}):
        with pytest.raises(ScriptError, match="step 1"):
            list(simulate({"start": "2026-03-02T08:00:00-05:00", "steps": [bad]},
                          load_profile()))


def test_finding_11_flush_end_time_is_scripted() -> None:
    records = list(simulate(load_script(EXAMPLE), load_profile()))
    flushes = [r for r in records if r.get("event") == "flush_logged"]
    ended = [next(e for e in records if e.get("event") == "infusion_ended"
                  and e["data"]["bag"] == f["data"]["bag"]) for f in flushes]
    for flush, end in zip(flushes, ended, strict=True):
        assert flush["data"]["ended_at"]["mono"] is None  # the time the nurse entered
        assert flush["at"] > end["at"]  # logged after the flush ended, which was after the end
