"""Imports decided again by the engine, not folded (issue 26, finding 4): each of these forged
procedures is hash-valid and signed by an enrolled workstation; folding accepted them all, and the
ones below the line were accepted by judging each event's step alone (store/rejudge.py before
every command was decided again)."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

import pytest
from test_import_attacks import import_, rechained, snapshot, write

from kresladi_bedside.store import open_store


def _with(records: list[dict], index: int, extra: dict) -> list[dict]:
    return [*records[:index], extra, *records[index:]]


def test_events_after_the_procedure_completed_are_refused(target, exported, tmp_path,
                                                          capsys):
    records = [dict(r) for r in exported]
    assert records[-1]["type"] == "procedure_completed"
    flush = next(r for r in records if r["type"] == "flush_logged")
    later = dict(flush, id="forged-flush", wall_utc="2026-03-02T18:00:00.000000+00:00",
                 mono=99999.0, seq=len(records) + 1)
    assert import_(target, write(tmp_path, rechained([*records, later]))) == 1
    err = capsys.readouterr().err
    assert "the engine would have refused it" in err and "complete" in err
    assert snapshot(target) == []


def test_a_procedure_with_no_identity_scans_is_refused(target, exported, tmp_path, capsys):
    records = [dict(r) for r in exported if r["type"] != "label_accepted"]
    for seq, record in enumerate(records, start=1):
        record["seq"] = seq
    assert import_(target, write(tmp_path, rechained(records))) == 1
    err = capsys.readouterr().err
    assert "the engine would have refused it" in err and "'identity'" in err
    assert snapshot(target) == []


def test_a_bag_infused_twice_is_refused(target, exported, tmp_path, capsys):
    records = [dict(r) for r in exported]
    ended = next(i for i, r in enumerate(records) if r["type"] == "infusion_ended")
    again = dict(next(r for r in records if r["type"] == "infusion_started"), id="again",
                 wall_utc=records[ended]["wall_utc"].replace(":00.", ":01."),
                 mono=records[ended]["mono"] + 1.0)
    records = _with(records, ended + 1, again)
    for seq, record in enumerate(records, start=1):
        record["seq"] = seq
    assert import_(target, write(tmp_path, rechained(records))) == 1
    assert "the engine would have refused it" in capsys.readouterr().err
    assert snapshot(target) == []


@pytest.mark.parametrize("drop", ["thaw_started", "line_checked"])
def test_a_skipped_step_is_refused(target, exported, tmp_path, capsys, drop):
    records = [dict(r) for r in exported]
    index = next(i for i, r in enumerate(records) if r["type"] == drop)
    records = [r for i, r in enumerate(records) if i != index]
    for seq, record in enumerate(records, start=1):
        record["seq"] = seq
    assert import_(target, write(tmp_path, rechained(records))) == 1
    assert "nothing imported" in capsys.readouterr().err
    assert snapshot(target) == []


# ------------------------------------------------------------------------------------------
# Decided again, not only placed: each of these stands at a step the engine's table allows and
# keeps each bag's order of work, so judging the steps alone accepted it; the engine, given the
# command back at the event's own instant, refuses it.

def _refused(target, tmp_path, capsys, records: list[dict]) -> str:
    assert import_(target, write(tmp_path, rechained(records))) == 1
    err = capsys.readouterr().err
    assert "the engine would have refused it" in err and "nothing imported" in err, err
    assert snapshot(target) == []
    return err


def _bag_label(records: list[dict], bag: int) -> dict:
    return next(r for r in records if r["type"] == "label_accepted"
                and r["data"]["label"]["role"] == "bag" and r["data"]["label"]["bag"] == bag)


def test_a_bag_scan_whose_din_is_not_the_orders_is_refused(target, exported, tmp_path, capsys):
    records = copy.deepcopy(exported)
    label = _bag_label(records, 1)["data"]["label"]
    label["scan"]["identifiers"]["din"] = "W123426000199"  # another child's bag
    err = _refused(target, tmp_path, capsys, records)
    assert "label_accepted" in err


def test_a_thaw_before_the_24_hour_conditioning_wait_is_refused(target, exported, tmp_path,
                                                               capsys):
    """The conditioning end edited to 10 hours before the thaw: every step still in order."""
    records = copy.deepcopy(exported)
    thaw = next(r for r in records if r["type"] == "thaw_started")
    ended = next(r for r in records if r["type"] == "conditioning_end_recorded")
    at = datetime.fromisoformat(thaw["wall_utc"]) - timedelta(hours=10)
    ended["data"]["conditioning_end"]["wall"] = at.isoformat(timespec="microseconds")
    err = _refused(target, tmp_path, capsys, records)
    assert "rule 'conditioning_window'" in err and "thaw_started" in err


@pytest.mark.parametrize("volume", [500.0, 0.0, -4.5])
def test_a_flush_volume_outside_the_engines_range_is_refused(target, exported, tmp_path, capsys,
                                                             volume):
    records = copy.deepcopy(exported)
    next(r for r in records if r["type"] == "flush_logged")["data"]["volume_ml"] = volume
    err = _refused(target, tmp_path, capsys, records)
    assert "rule 'flush'" in err


def test_a_changed_figure_the_engine_computes_is_refused(target, exported, tmp_path, capsys):
    """The engine's own figures are compared too: a thaw said to take 2 minutes, not 4."""
    records = copy.deepcopy(exported)
    next(r for r in records if r["type"] == "thaw_completed")["data"]["duration_s"] = 120.0
    err = _refused(target, tmp_path, capsys, records)
    assert "duration_s" in err and "not what the engine writes" in err


def _signed(record: dict, user: str, name: str, meaning: str = "performed") -> None:
    at = {"wall": record["wall_utc"], "utc_offset_s": 0, "mono": None, "boot_id": None}
    record["data"]["signatures"] = [{"user": user, "name": name, "meaning": meaning, "at": at}]


def test_a_signature_by_someone_who_is_not_the_performer_is_refused(target, exported, tmp_path,
                                                                   capsys):
    records = copy.deepcopy(exported)
    _signed(next(r for r in records if r["type"] == "thaw_started"), "u-stranger", "M. Allory")
    err = _refused(target, tmp_path, capsys, records)
    assert "rule 'signature'" in err and "neither the person doing this step" in err


def test_a_witness_who_never_signed_is_refused(target, exported, tmp_path, capsys):
    records = copy.deepcopy(exported)
    label = _bag_label(records, 1)
    label["data"]["witness"] = "u-witness"
    _signed(label, "u-other", "W. Other", "witnessed")
    err = _refused(target, tmp_path, capsys, records)
    assert "rule 'signature'" in err and "names another witness" in err


def test_a_local_user_id_signing_under_another_name_is_refused(target, exported, tmp_path,
                                                              capsys):
    """This workstation's people log knows the id: the file cannot give it another name."""
    with open_store(target) as store:
        ada = next(e.data["user_id"] for e in store.events("people")
                   if e.type == "user_added" and e.data["name"] == "Ada Okafor")
    records = copy.deepcopy(exported)
    thaw = next(r for r in records if r["type"] == "thaw_started")
    thaw["user"] = ada
    _signed(thaw, ada, "Someone Else")
    err = _refused(target, tmp_path, capsys, records)
    assert "is Ada Okafor in this workstation's people log" in err


def test_a_signature_dated_after_its_step_is_refused(target, exported, tmp_path, capsys):
    records = copy.deepcopy(exported)
    thaw = next(r for r in records if r["type"] == "thaw_started")
    _signed(thaw, thaw["user"], "N. Urse")
    later = datetime.fromisoformat(thaw["wall_utc"]) + timedelta(minutes=5)
    thaw["data"]["signatures"][0]["at"]["wall"] = later.isoformat(timespec="microseconds")
    err = _refused(target, tmp_path, capsys, records)
    assert "dated after the step it signs" in err
