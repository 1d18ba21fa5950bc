"""Sync's state checked against the keyed chain (issue 26, findings 5 and 6): a delivered
procedure cut back with its delivery row, an outbox row held back for ever, and a finished
procedure never delivered are found by `verify`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from forgelog import FINISHED, OTHER, drop_triggers

from kresladi_bedside.cli import main
from kresladi_bedside.store import open_store, verify
from kresladi_bedside.store.anchors import undelivered
from kresladi_bedside.sync import outbox


def deliver(path: Path, procedure_id: str) -> tuple[int, str]:
    with open_store(path) as store:
        outbox.ensure_schema(store)
        seq, head = store.head(procedure_id)
        outbox.mark_delivered(store, procedure_id, seq, head, datetime.now(UTC), 200,
                              "https://ehr.example")
        assert verify(store).ok
    return seq, head


def test_a_held_back_outbox_row_is_found(raw):
    raw.execute("UPDATE outbox SET next_attempt_at = '9999-12-31T00:00:00+00:00' "
                "WHERE procedure_id = ?", (FINISHED,))
    with open_store(raw.path) as store:
        found = verify(store)
    assert [(b.procedure_id, b.problem) for b in found.breaks] == [(FINISHED, "held_back")]


def test_a_delivered_procedure_cut_back_with_its_delivery_row_is_found(raw):
    seq, _head = deliver(raw.path, OTHER)  # the newest procedure of the log
    drop_triggers(raw)
    # Its newest two events gone with their seals (every prefix of the log is sealed) and
    # outbox rows; the head moved back; the delivery row naming the cut head deleted: what
    # verify passed before.
    for cut in (seq, seq - 1):
        pos = raw.execute("SELECT pos FROM events WHERE procedure_id = ? AND seq = ?",
                          (OTHER, cut)).fetchone()[0]
        raw.execute("DELETE FROM outbox WHERE event_id = (SELECT id FROM events WHERE pos = ?)",
                    (pos,))
        raw.execute("DELETE FROM events WHERE pos = ?", (pos,))
        raw.execute("DELETE FROM seals WHERE pos = ?", (pos,))
    raw.execute("UPDATE chain_heads SET seq = ?, hash = (SELECT hash FROM events WHERE "
                "procedure_id = ? AND seq = ?) WHERE procedure_id = ?",
                (seq - 2, OTHER, seq - 2, OTHER))
    raw.execute("DELETE FROM sync_deliveries WHERE procedure_id = ?", (OTHER,))
    with open_store(raw.path) as store:
        found = verify(store)
    assert [(b.procedure_id, b.problem) for b in found.breaks] == [(OTHER, "anchor_mismatch")]
    assert main(["--db", str(raw.path), "verify"]) == 1


def test_a_finished_procedure_not_delivered_in_the_site_time_is_an_alarm(
        raw, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with open_store(raw.path) as store:
        late = undelivered(store, 24.0, datetime(2026, 3, 4, tzinfo=UTC))
        assert {b.procedure_id for b in late} == {FINISHED, OTHER}
        assert undelivered(store, 24.0, datetime(2026, 3, 2, 20, tzinfo=UTC)) == []
    site = tmp_path / "site.toml"
    site.write_text('[sync]\nbase_url = "https://ehr.example/fhir"\n'
                    "undelivered_alarm_hours = 12\n")
    assert main(["--config", str(site), "--db", str(raw.path), "verify"]) == 1
    out = capsys.readouterr().out
    assert f"UNDELIVERED {FINISHED}: finished" in out
    deliver(raw.path, FINISHED)
    main(["--config", str(site), "--db", str(raw.path), "verify"])
    assert f"UNDELIVERED {FINISHED}" not in capsys.readouterr().out


def test_start_up_raises_the_undelivered_alarm_where_sync_is_on(raw):
    from kresladi_bedside.config import parse_site_config
    from kresladi_bedside.qt.app import undelivered_alarms

    site = parse_site_config({"sync": {"base_url": "https://ehr.example/fhir"}})
    with open_store(raw.path) as store:
        alarms = undelivered_alarms(store, site, training=False)
        assert len(alarms) == 2 and alarms[0].startswith("UNDELIVERED: procedure")
        assert undelivered_alarms(store, site, training=True) == []
        assert undelivered_alarms(store, parse_site_config({}), training=False) == []
