import json
from pathlib import Path

import pytest

from kresladi_bedside.cli import main
from kresladi_bedside.paths import resource
from kresladi_bedside.profile import load_profile
from kresladi_bedside.simulate import ScriptError, load_script, simulate

EXAMPLE = resource("examples", "two_bag_simulation.json")


def test_the_example_script_completes_with_its_wait_and_deviation() -> None:
    records = list(simulate(load_script(EXAMPLE), load_profile()))
    events = [r["event"] for r in records if "event" in r]
    refusals = [(r["kind"], r["rule"]) for r in records if "rejected" in r]
    assert events[-1] == "procedure_completed"
    assert refusals == [("wait", "interbag_window"), ("deviation_required", "thaw_time")]
    # wristband, shipper, 2 cassettes, bag 1; wristband and bag 2 at its thaw; 2 per bag at the
    # bedside
    assert events.count("label_accepted") == 11
    assert all(r["citation"].startswith("Prescribing information §") for r in records
               if "rejected" in r)


def test_cli_prints_one_json_line_per_event_and_rejection(capsys: pytest.CaptureFixture) -> None:
    assert main(["simulate", str(EXAMPLE)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines[0]["event"] == "procedure_opened"
    wait = next(x for x in lines if x.get("rejected"))
    # 1 h after bag 1 was administered completely: the end of its flush as the nurse entered
    # it (08:23:05; not when the flush was logged, nor the end of the infusion), local time
    assert wait["until"] == "2026-03-02T09:23:05-05:00"


def test_a_wrong_patient_bag_payload_stops_the_simulation(tmp_path: Path) -> None:
    from kresladi_bedside.labels import samples

    script = load_script(EXAMPLE)
    first_bag_scan = next(s for s in script["steps"] if s["command"] == "scan"
                          and s["args"]["payload"] == samples.bag_payload(1))
    first_bag_scan["args"]["payload"] = samples.bag_payload(1, coi="CHW999926000999")
    records = list(simulate(script, load_profile()))
    stop = next(r for r in records if r.get("event") == "hard_stop")
    assert stop["data"]["rule"] == "identity"
    after = records[records.index(stop) + 1:]
    assert [r["event"] for r in after if "event" in r] == ["procedure_stopped"]
    assert all("the procedure is at stopped" in r["reason"] for r in after if "rejected" in r)
    assert not any(r.get("event") == "thaw_started" for r in records)


@pytest.mark.parametrize(("script", "message"), [
    ({"steps": []}, "start"),
    ({"start": "2026-03-02T08:00:00", "steps": [{"command": "open"}]}, "no UTC offset"),
    ({"start": "2026-03-02T08:00:00+00:00", "steps": [{"command": "open"}]}, "'at'"),
    ({"start": "2026-03-02T08:00:00+00:00", "steps": [{"offset": "soon", "command": "open"}]},
     "seconds"),
    ({"start": "2026-03-02T08:00:00+00:00", "steps": [
        {"offset": 10, "command": "open"}, {"offset": 5, "command": "open"}]}, "back in time"),
    ({"start": "2026-03-02T08:00:00+00:00", "steps": [
        {"offset": 0, "command": "scan", "args": {"payload": "\x07bell"}}]}, "cannot be read"),
])
def test_a_broken_script_names_what_is_wrong(script: dict, message: str) -> None:
    with pytest.raises(ScriptError, match=message):
        list(simulate(script, load_profile()))


def test_cli_reports_an_unreadable_script(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["simulate", str(bad)]) == 2
    assert "not valid JSON" in capsys.readouterr().err
