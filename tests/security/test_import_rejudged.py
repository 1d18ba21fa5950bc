"""Imports judged again by the engine, not folded (issue 26, finding 4): each of these forged
procedures was hash-valid, replayed by folding and accepted."""

from __future__ import annotations

import pytest
from test_import_attacks import import_, rechained, snapshot, write


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
