"""Sync against a real FHIR server (Medplum 5): what the server holds after each pass."""

from __future__ import annotations

import json
import urllib.request
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from engine.driver import DINS, PATIENT, order_dict
from sync.conftest import FakeTime, SignedDriver, completed, sync_pass

from kresladi_bedside.engine.model import Event
from kresladi_bedside.profile import load_profile
from kresladi_bedside.store import Store, open_store
from kresladi_bedside.sync import PassReport, RetryPolicy, SiteIds, SyncSettings
from kresladi_bedside.sync.identifiers import (
    ADMINISTRATION_SYSTEM,
    DIN_SYSTEM,
    FLUSH_SYSTEM,
    PROCEDURE_SYSTEM,
    PROVENANCE_SYSTEM,
    token,
)
from kresladi_bedside.sync.prethaw import check_before_thaw

from .conftest import Kit

PROFILE = load_profile()


def settings(kit: Kit, **kw: Any) -> SyncSettings:
    return SyncSettings(base_url=kit.base_url, token=kw.pop("token", kit.token),
                        mrn_system=kit.info["mrn_system"], timeout_s=20.0,
                        policy=RetryPolicy(base_s=0.01, cap_s=1.0, **kw),
                        site=SiteIds(site_name="Integration CTU bed 4"))


def one_pass(store: Store, sync: SyncSettings, clock: FakeTime) -> PassReport:
    return sync_pass(store, sync, PROFILE, clock, seed=3)


def search(kit: Kit, query: str) -> list[dict[str, Any]]:
    client = settings(kit).client()
    try:
        found = client.search(query)
    finally:
        client.close()
    assert found.failure is None, found.failure
    return list(found.resources)


def ours(kit: Kit, kind: str, system: str, value: str) -> list[dict[str, Any]]:
    param = "_tag" if kind == "Provenance" else "identifier"
    return search(kit, f"{kind}?{param}={token(system, value)}")


def store_at(tmp_path: Path, name: str) -> Store:
    return open_store(tmp_path / f"{name}.db")


def test_synced_twice_gives_one_of_each(kit, tmp_path):
    events = completed()
    pid = events[0].procedure_id
    clock = FakeTime()
    for name in ("first", "second"):  # two sends of the same procedure (e.g. a lost answer)
        with store_at(tmp_path, name) as store:
            store.append(events)
            assert one_pass(store, settings(kit), clock).exit_status == 0
    assert len(ours(kit, "Procedure", PROCEDURE_SYSTEM, pid)) == 1
    assert len(ours(kit, "Provenance", PROVENANCE_SYSTEM, pid)) == 1
    for bag in (1, 2):
        assert len(search(kit, "BiologicallyDerivedProduct?_tag="
                                f"{token(DIN_SYSTEM, DINS[bag - 1])}")) == 1  # one per DIN
        assert len(ours(kit, "MedicationAdministration", FLUSH_SYSTEM,
                        f"{pid}-flush-{bag}")) == 1
    (procedure,) = ours(kit, "Procedure", PROCEDURE_SYSTEM, pid)
    assert procedure["subject"]["reference"] == f"Patient/{kit.info['patient_id']}"
    assert procedure["code"]["coding"][0]["code"] == "38241"


def test_confirmed_by_a_search_on_the_real_server(kit, tmp_path):
    """`sync.confirm_by_search`: after the all-2xx answer the procedure is searched by our
    identifier on the real server; found → delivered (the loopback server that forgets what it
    was sent is the other half: tests/sync/test_confirm_by_search.py)."""
    procedures = [completed() for _ in range(2)]
    with store_at(tmp_path, "confirm") as store:
        for events in procedures:
            store.append(events)
        report = one_pass(store, replace(settings(kit), confirm_by_search=True), FakeTime())
    assert report.exit_status == 0 and report.error is None, (report.parked, report.error)
    assert sorted(report.delivered) == sorted(p[0].procedure_id for p in procedures)
    for events in procedures:
        (procedure,) = ours(kit, "Procedure", PROCEDURE_SYSTEM, events[0].procedure_id)
        assert procedure["subject"]["reference"] == f"Patient/{kit.info['patient_id']}"


@pytest.mark.parametrize("mode", ["atomic", "batch"])
def test_both_server_modes_store_the_whole_procedure(kit, tmp_path, mode):
    kit.run("mode", mode)
    try:
        events = completed()
        with store_at(tmp_path, mode) as store:
            store.append(events)
            report = one_pass(store, settings(kit), FakeTime())
        assert report.exit_status == 0, (report.parked, report.summary)
        pid = events[0].procedure_id
        assert len(ours(kit, "Procedure", PROCEDURE_SYSTEM, pid)) == 1
        for bag in (1, 2):
            assert len(ours(kit, "MedicationAdministration", ADMINISTRATION_SYSTEM,
                            f"{pid}-bag-{bag}")) == 1
        assert len(ours(kit, "Provenance", PROVENANCE_SYSTEM, pid)) == 1
    finally:
        kit.run("mode", "batch")


def test_quota_429s_inside_a_200_are_retried_until_every_procedure_is_there(kit, tmp_path):
    procedures = [completed() for _ in range(3)]
    clock = FakeTime()
    kit.run("quota", "1500")  # about one procedure's worth of points a minute
    try:
        with store_at(tmp_path, "quota") as store:
            for events in procedures:
                store.append(events)
            first = one_pass(store, settings(kit, tries_per_pass=1), clock)
            assert len(first.delivered) < 3
            waiting = store.conn.execute(
                "SELECT DISTINCT last_error FROM outbox WHERE delivered_at IS NULL").fetchall()
            assert any("429" in (e or "") for (e,) in waiting), waiting
            kit.run("quota", "default")  # the next minute, as far as the server is concerned
            for _ in range(5):
                clock.advance(120)
                report = one_pass(store, settings(kit), clock)
                if report.exit_status == 0:
                    break
            assert report.exit_status == 0
    finally:
        kit.run("quota", "default")
    for events in procedures:
        assert len(ours(kit, "Procedure", PROCEDURE_SYSTEM, events[0].procedure_id)) == 1


def test_an_unknown_mrn_is_parked_and_nothing_is_written(kit, tmp_path):
    d = SignedDriver()
    d.open()
    order = order_dict()
    order["patient"] = {**order["patient"], "mrn": "MRN-NOT-IN-EHR"}
    d.ok("prepare_order", order=order)
    d.gates()
    d.ok("stop_procedure", reason="test: patient not in the EHR")
    events = list(d.proc.events)
    with store_at(tmp_path, "unknown") as store:
        store.append(events)
        report = one_pass(store, settings(kit), FakeTime())
    assert report.exit_status == 3
    assert "no patient with MRN MRN-NOT-IN-EHR" in report.parked[0].reason
    pid = events[0].procedure_id
    assert ours(kit, "Procedure", PROCEDURE_SYSTEM, pid) == []
    assert ours(kit, "Provenance", PROVENANCE_SYSTEM, pid) == []


def test_a_correction_after_delivery_leaves_the_true_total(kit, tmp_path):
    events = completed()
    pid = events[0].procedure_id
    clock = FakeTime()
    with store_at(tmp_path, "correction") as store:
        store.append(events)
        assert one_pass(store, settings(kit), clock).exit_status == 0
        flush = next(e for e in events if e.type == "flush_logged")
        store.append([Event(Event.new_id(), pid, "correction",
                            {"event_id": flush.id, "bag": 1, "reason": "re-read the syringe",
                             "changes": {"volume_ml": 5.0}, "previous": {"volume_ml": 4.5}},
                            "u-nurse", events[-1].at.plus(600))])
        assert one_pass(store, settings(kit), clock).exit_status == 0
    flushes = [r for bag in (1, 2) for r in ours(kit, "MedicationAdministration",
                                                 FLUSH_SYSTEM, f"{pid}-flush-{bag}")
               if r["status"] != "entered-in-error"]
    assert sum(r["dosage"]["dose"]["value"] for r in flushes) == 9.5
    (procedure,) = ours(kit, "Procedure", PROCEDURE_SYSTEM, pid)
    assert any("9.5 mL" in n["text"] for n in procedure["note"])


def test_a_wrong_token_blocks_without_parking(kit, tmp_path):
    with store_at(tmp_path, "token") as store:
        store.append(completed())
        report = one_pass(store, settings(kit, token="not-a-token"), FakeTime())
    assert report.blocked is not None and "401" in report.blocked
    assert report.parked == [] and report.summary.waiting == 1


def new_patient(kit: Kit) -> str:
    """A Patient of our own with a fresh MRN: nothing was ever given to them."""
    mrn = f"MRN-IT-{uuid.uuid4().hex[:10]}"
    body = json.dumps({"resourceType": "Patient", "name": [{"family": "TEST", "given": ["IT"]}],
                       "identifier": [{"system": kit.info["mrn_system"], "value": mrn}]})
    request = urllib.request.Request(f"{kit.base_url}/Patient", body.encode(), {
        "Authorization": f"Bearer {kit.token}", "Content-Type": "application/fhir+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 201
    return mrn


def test_the_bag_search_before_a_thaw(kit, tmp_path):
    sync = settings(kit)
    unused_din = f"W9999{uuid.uuid4().int % 10**8:08d}"

    def check(din: str, mrn: str = PATIENT["mrn"], base: str = kit.base_url):
        client = replace(sync, base_url=base).client(timeout_s=5.0)
        try:
            return check_before_thaw(client, din=din, mrn=mrn, mrn_system=sync.mrn_system,
                                     din_system=DIN_SYSTEM, product_text="KRESLADI")
        finally:
            client.close()

    assert check(unused_din, new_patient(kit)).verdict == "not_found"
    events = completed()
    with store_at(tmp_path, "bag") as store:
        store.append(events)
        assert one_pass(store, sync, FakeTime()).exit_status == 0
    found = check(DINS[0])
    assert found.verdict == "found"
    assert any(f"bag {DINS[0]}" in f.what for f in found.found)
    assert "Integration CTU bed 4" in found.message() and "2026-03-02" in found.message()
    other_bag = check(unused_din)  # any KRESLADI for this patient counts too
    assert other_bag.verdict == "found" and "for MRN" in other_bag.found[0].what
    assert check(DINS[0], base="http://127.0.0.1:9/fhir/R4").verdict == "not_checked"
