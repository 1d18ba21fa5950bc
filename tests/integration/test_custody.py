"""Custody across workstations on the real FHIR server (Medplum kit): one received product,
several workstations, each with its own store and its own OAuth2 tokens; the server holds who
has each bag (sync/custody.py: a chain of Tasks, each step written once by a conditional
create)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.profile import load_profile
from kresladi_bedside.receipt import Receipt
from kresladi_bedside.sync.custody import (
    BAG_SYSTEM,
    ISBT128_DIN_SYSTEM,
    Who,
    claim,
    read_product,
    steps_of,
)
from kresladi_bedside.sync.ehr import EhrClient, send_receipt
from kresladi_bedside.sync.open_custody import LastKnown, claim_for_opening, release_product
from kresladi_bedside.sync.tokens import ClientCredentials
from tests.receipt.conftest import START, make_desk

from .custody_racer import client, race_open
from .test_receipt_fhir import ehr_patient

PROFILE = load_profile()
ROOT = Path(__file__).resolve().parents[2]


def received(info: dict[str, Any], tmp_path: Path) -> tuple[Any, str, list[str]]:
    """The pharmacy's workstation receives the sample product and writes it to the server."""
    ehr_patient(info)
    desk = make_desk(tmp_path / "pharmacy.db", FakeClock(START))
    assert desk.receive().accepted
    rid = desk.receipt.receipt_id
    assert rid is not None
    locations = send_receipt(client(info), desk.store, PROFILE, desk.clock, rid,
                             info["mrn_system"], desk.alice.id)
    return desk, rid, locations


def raw(info: dict[str, Any], method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        f"{info['base_url']}/{path}", None if body is None else json.dumps(body).encode(),
        {"Authorization": f"Bearer {info['token']}", "Content-Type": "application/fhir+json"},
        method=method)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def test_four_threads_and_four_processes_race_and_exactly_one_opens(
        fhir: dict[str, Any], tmp_path: Path) -> None:
    desk, _, _ = received(fhir, tmp_path)
    desk.store.close()
    at = time.time() + 12  # every racer has its product and procedure ready by then
    results: list[dict[str, Any]] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "tests.integration.custody_racer",
                               json.dumps(fhir), str(tmp_path / f"p{i}.db"), f"P{i}", str(at)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
             for i in range(4)]
    # the receiving workstation itself (its store holds the receipt) is one of the threads
    dbs = [tmp_path / "pharmacy.db"] + [tmp_path / f"t{i}.db" for i in range(1, 4)]

    def thread(i: int) -> None:
        results.append(race_open(fhir, dbs[i], f"T{i}", at))

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0, out
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert len(results) == 8
    winners = [r for r in results if r["allowed"]]
    assert len(winners) == 1, results
    assert winners[0]["opened"], winners[0]
    holder = winners[0]["workstation"]
    for loser in (r for r in results if not r["allowed"]):
        # refused naming who holds it: workstation, nurse, when
        assert f"workstation {holder}" in loser["message"], loser
        assert f"Nurse {holder}" in loser["message"], loser
        assert " at 20" in loser["message"], loser
    # on the server: one claim step per bag, nothing else
    ehr = client(fhir)
    for din in ("W123426100001", "W123426100002"):
        steps = steps_of(ehr, din)
        assert [(s.n, s.kind, s.workstation) for s in steps] == [(0, "claim", holder)]


def test_bags_set_back_to_available_are_still_refused(fhir: dict[str, Any],
                                                     tmp_path: Path) -> None:
    desk, rid, locations = received(fhir, tmp_path)
    state = Receipt.rebuild(PROFILE, desk.clock, desk.store.events(rid)).state
    ehr = client(fhir)
    won = claim_for_opening(ehr, state, Who("B", "n-b", "Nurse B"), procedure_id="proc-b",
                            last=LastKnown())
    assert won.allowed, won.message
    for ref in locations:  # someone sets the bags back to `available` by hand
        resource = raw(fhir, "GET", ref)
        assert resource["status"] == "unavailable"
        resource["status"] = "available"
        raw(fhir, "PUT", ref, resource)
    refused = claim_for_opening(ehr, state, Who("D", "n-d", "Nurse D"), procedure_id="proc-d",
                                last=LastKnown())
    assert not refused.allowed
    assert "held by workstation B, opened by Nurse B" in refused.message


def test_a_bag_given_out_by_hand_or_administered_is_refused_without_any_claim(
        fhir: dict[str, Any], tmp_path: Path) -> None:
    desk, rid, locations = received(fhir, tmp_path)
    state = Receipt.rebuild(PROFILE, desk.clock, desk.store.events(rid)).state
    ehr = client(fhir)
    # bag 1: marked given out by another program, then set back to available: no claim at all
    resource = raw(fhir, "GET", locations[0])
    raw(fhir, "PUT", locations[0], {**resource, "status": "unavailable"})
    raw(fhir, "PUT", locations[0], {**resource, "status": "available"})
    refused = claim_for_opening(ehr, state, Who("C", "n-c", "Nurse C"), procedure_id="p",
                                last=LastKnown())
    assert not refused.allowed and "history on the server shows it given out" in \
        refused.message, refused.message
    # nothing of ours was left behind: no claim stays on bag 2 either
    assert [s.kind for s in steps_of(ehr, "W123426100002")] in ([], ["claim", "withdraw"])
    # an administration of bag 2 on the server (e.g. another site's program): refused too
    raw(fhir, "POST", "MedicationAdministration", {
        "resourceType": "MedicationAdministration", "status": "completed",
        "identifier": [{"system": ISBT128_DIN_SYSTEM, "value": "W123426100002"}],
        "medicationCodeableConcept": {"text": "KRESLADI"},
        "subject": {"reference": f"Patient/{fhir['patient_id']}"},
        "effectiveDateTime": "2026-03-01T10:00:00Z"})
    bags = read_product(ehr, ["W123426100001", "W123426100002"])
    assert "administration" in bags[1].why_not_free()


def test_tokens_renew_before_expiry_and_after_a_401_and_no_answer_refuses_to_open(
        fhir: dict[str, Any], tmp_path: Path) -> None:
    desk, rid, _ = received(fhir, tmp_path)
    state = Receipt.rebuild(PROFILE, desk.clock, desk.store.events(rid)).state
    now = [1000.0]
    tokens = ClientCredentials(fhir["token_url"], fhir["client_id"], fhir["client_secret"],
                               monotonic=lambda: now[0])
    ehr = EhrClient(fhir["base_url"], tokens=tokens)
    last = LastKnown()
    assert read_product(ehr, ["W123426100001"])[0].free
    assert tokens.fetched == 1
    now[0] += 3600 - 60  # mid-shift: inside the renewal margin of the 1-hour token
    assert read_product(ehr, ["W123426100001"])[0].free
    assert tokens.fetched == 2
    # the token the workstation holds is refused (revoked, or expired early): 401, renewed once
    tokens._token = "eyJhbGciOiJFUzI1NiJ9.eyJleHAiOjF9.revoked"  # what the server will refuse
    decision = claim_for_opening(ehr, state, Who("A", "n-a", "Nurse A"), procedure_id="p1",
                                 last=last)
    assert decision.allowed, decision.message
    assert tokens.fetched == 3
    # the server cannot be reached: refused, naming why, with the last known state and its age
    port = fhir["ports"]["medplum"]
    dead = EhrClient(fhir["base_url"].replace(f":{port}/", ":9/"), tokens=tokens, timeout_s=2)
    refused = claim_for_opening(dead, state, Who("A", "n-a", "Nurse A"), procedure_id="p1",
                                last=last)
    assert not refused.allowed and refused.unknown
    assert "could not say who holds" in refused.message
    assert "last read" in refused.message and "s ago" in refused.message
    # credentials the token endpoint refuses: refused to open, naming the token
    bad = EhrClient(fhir["base_url"], tokens=ClientCredentials(
        fhir["token_url"], fhir["client_id"], "not-the-secret"))
    refused = claim_for_opening(bad, state, Who("E", "n-e", "Nurse E"), procedure_id="p2",
                                last=LastKnown())
    assert not refused.allowed and "the server refused the token" in refused.message


def test_a_pharmacists_signed_release_lets_another_workstation_open(
        fhir: dict[str, Any], tmp_path: Path) -> None:
    desk, rid, _ = received(fhir, tmp_path)
    state = Receipt.rebuild(PROFILE, desk.clock, desk.store.events(rid)).state
    ehr = client(fhir)
    assert claim_for_opening(ehr, state, Who("B", "n-b", "Nurse B"), procedure_id="proc-b",
                             last=LastKnown()).allowed
    assert not claim_for_opening(ehr, state, Who("C", "n-c", "Nurse C"),
                                 procedure_id="proc-c", last=LastKnown()).allowed
    with pytest.raises(ValueError, match="Say why"):
        release_product(ehr, desk.store, PROFILE, desk.clock, rid,
                        Who("PH", desk.alice.id, desk.alice.name), "  ")
    steps = release_product(ehr, desk.store, PROFILE, desk.clock, rid,
                            Who("PH", desk.alice.id, desk.alice.name),
                            "procedure stopped before thaw: patient febrile")
    assert [s.kind for s in steps] == ["release", "release"]
    assert all(s.reason == "procedure stopped before thaw: patient febrile" for s in steps)
    here = Receipt.rebuild(PROFILE, desk.clock, desk.store.events(rid)).state
    assert here.custody == (("released", "procedure stopped before thaw: patient febrile",
                             desk.alice.id),)
    opened = claim_for_opening(ehr, state, Who("C", "n-c", "Nurse C"), procedure_id="proc-c",
                               last=LastKnown())
    assert opened.allowed, opened.message
    tasks = raw(fhir, "GET", f"Task?identifier={BAG_SYSTEM}|W123426100001")
    kinds = sorted(json.loads(t["resource"]["extension"][0]["valueString"])["kind"]
                   for t in tasks["entry"])
    assert kinds == ["claim", "claim", "release"]


def test_a_partial_win_is_given_back(fhir: dict[str, Any], tmp_path: Path) -> None:
    """A product whose second bag is already held elsewhere: the first bag's claim is withdrawn,
    so nobody is left holding half a product."""
    ehr = client(fhir)
    assert claim(ehr, ["W999999000002"], Who("X", "n-x", "Nurse X"), receipt_id="other").won
    result = claim(ehr, ["W999999000001", "W999999000002"], Who("Y", "n-y", "Nurse Y"),
                   receipt_id="mine")
    assert not result.won and "workstation X" in result.message
    assert [s.kind for s in steps_of(ehr, "W999999000001")] == ["claim", "withdraw"]
    assert read_product(ehr, ["W999999000001"])[0].free


def test_a_take_over_moves_the_claim_once_and_fences_the_first_workstation(
        fhir: dict[str, Any]) -> None:
    """The server primitive of the hand-over (the window's hand-over is not built yet): B takes
    over A's open procedure; A no longer holds it; a second take-over racing loses."""
    from kresladi_bedside.sync.custody import holds, take_over

    ehr = client(fhir)
    dins = ["W777777000001", "W777777000002"]
    assert claim(ehr, dins, Who("A", "n-a", "Nurse A"), receipt_id="r", procedure_id="proc-1").won
    assert holds(ehr, dins, "A", "proc-1") == (True, "")
    with pytest.raises(ValueError, match="not held for procedure proc-2"):
        take_over(ehr, dins, Who("B", "n-b", "Nurse B"), procedure_id="proc-2", receipt_id="r")
    steps = take_over(ehr, dins, Who("B", "n-b", "Nurse B"), procedure_id="proc-1",
                      receipt_id="r")
    assert [(s.kind, s.workstation) for s in steps] == [("handover", "B")] * 2
    fenced, why = holds(ehr, dins, "A", "proc-1")
    assert not fenced and "taken over by workstation B" in why
    assert holds(ehr, dins, "B", "proc-1")[0]
    # nobody else can claim it meanwhile
    refused = claim(ehr, dins, Who("C", "n-c", "Nurse C"), receipt_id="r2")
    assert not refused.won and "taken over by workstation B" in refused.message


def test_the_first_workstation_is_fenced_after_a_take_over_and_after_its_restart(
        fhir: dict[str, Any], tmp_path: Path) -> None:
    """Workstation A opened the product; B takes the procedure over (the server primitive);
    A's next command, and every command after A restarts (its procedure rebuilt from its log),
    is refused naming B. Before the take-over A's commands reach the engine as usual."""
    from kresladi_bedside.engine import Command, Procedure
    from kresladi_bedside.receipt.bedside import infusion_order_args
    from kresladi_bedside.store import StoreListener
    from kresladi_bedside.sync.custody import take_over
    from kresladi_bedside.sync.open_custody import CustodyFence

    desk, rid, _ = received(fhir, tmp_path)
    state = Receipt.rebuild(PROFILE, desk.clock, desk.store.events(rid)).state
    ehr = client(fhir)
    proc = Procedure(PROFILE, desk.clock, guards=[CustodyFence(ehr, "A", still_ours_s=0)])
    proc.subscribe(StoreListener(desk.store))
    assert proc.handle(Command("open", {}, user="n-a")).accepted
    pid = proc.state.procedure_id
    assert claim_for_opening(ehr, state, Who("A", "n-a", "Nurse A"), procedure_id=pid,
                             last=LastKnown()).allowed
    opened = proc.handle(Command("prepare_order", infusion_order_args(state), user="n-a"))
    assert opened.accepted, opened.rejection
    before = proc.handle(Command("confirm_backup", {}, user="n-a"))
    assert before.rejection is None or before.rejection.rule != "custody"
    take_over(ehr, [b.bag_id for b in state.order.bags], Who("B", "n-b", "Nurse B"),
              procedure_id=pid, receipt_id=rid)
    after = proc.handle(Command("confirm_backup", {}, user="n-a"))
    assert after.rejection is not None and after.rejection.rule == "custody"
    assert "taken over by workstation B, Nurse B" in after.rejection.reason
    # A restarts: its procedure comes back from its own log, and is still fenced
    again = Procedure.rebuild(PROFILE, desk.clock, desk.store.events(pid),
                              guards=[CustodyFence(ehr, "A")])
    refused = again.handle(Command("stop", {"reason": "x"}, user="n-a"))
    assert refused.rejection is not None and refused.rejection.rule == "custody"


def thaw_on_a_then_kill_9(fhir: dict[str, Any], db: Path) -> tuple[dict[str, str], float]:
    """Workstation A (tests/integration/handover_a.py, its own process and log `db`) walks to
    the start of bag 1's thaw, published on the server; then it is killed -9. Returns what A
    printed ({"procedure_id", "thaw_started"}) and the monotonic instant of the kill."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    a = subprocess.Popen([sys.executable, "-m", "tests.integration.handover_a", json.dumps(fhir),
                          str(db)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert a.stdout is not None
        line = a.stdout.readline()
        assert line, "workstation A did not reach the thaw"
        started: dict[str, str] = json.loads(line)
    finally:
        a.kill()  # SIGKILL: no clean-up runs on A
        a.wait(30)
    return started, time.monotonic()


def test_kill_9_mid_thaw_then_a_second_workstation_takes_over_with_the_same_deadline(
        fhir: dict[str, Any], tmp_path: Path) -> None:
    """A walks a procedure to the start of bag 1's thaw (its steps on the server as recorded)
    and is killed -9. B takes it over within 60 s: the events come from the server, the claim
    moves, and the thaw's countdown on B ends where A's record says it does. A, restarted on its
    own log, is refused every command, naming B."""
    from datetime import datetime

    from kresladi_bedside.clock import SystemClock
    from kresladi_bedside.engine import Command, Procedure
    from kresladi_bedside.engine.countdowns import countdowns
    from kresladi_bedside.store import open_store
    from kresladi_bedside.sync.handover import take_over_procedure
    from kresladi_bedside.sync.open_custody import CustodyFence

    started, killed = thaw_on_a_then_kill_9(fhir, tmp_path / "a.db")
    pid = started["procedure_id"]
    thaw_start = datetime.fromisoformat(started["thaw_started"])

    with open_store(tmp_path / "b.db") as b_store:
        taken = take_over_procedure(client(fhir), b_store, PROFILE, pid,
                                    Who("B", "u-nurse-b", "Nurse B"), reason="A froze",
                                    signatures=())
        took = time.monotonic() - killed
        assert took < 60, took
        assert taken.from_workstation == "A" and taken.imported > 5
        assert [s.kind for s in taken.steps] == ["handover", "handover"]
        clock = SystemClock()
        b = Procedure.rebuild(PROFILE, clock, b_store.events(pid),
                              guards=[CustodyFence(client(fhir), "B")])
        now = clock.now()
        thaw = next(c for c in countdowns(b.state, now, PROFILE) if c.id == "thaw")
        deadline = now.wall.timestamp() + thaw.remaining_s
        limit = PROFILE.rule("thaw_time")["max_seconds"]  # 5 min, from the label
        assert thaw.limit_s == limit
        assert abs(deadline - (thaw_start.timestamp() + limit)) < 1.0, (deadline, thaw_start)
        # B goes on where A stopped: the thaw completes on B
        done = b.handle(Command("complete_thaw", {"bag": 1, "attest": {"no_visible_ice": True}},
                                user="u-nurse"))
        assert done.accepted, done.rejection

    with open_store(tmp_path / "a.db") as a_store:  # A restarts on its own log
        a_again = Procedure.rebuild(PROFILE, SystemClock(), a_store.events(pid),
                                    guards=[CustodyFence(client(fhir), "A")])
        refused = a_again.handle(Command("complete_thaw", {"bag": 1, "attest": {
            "no_visible_ice": True}}, user="u-nurse"))
        assert refused.rejection is not None and refused.rejection.rule == "custody"
        assert "workstation B" in refused.rejection.reason
        # A's next sync pass learns the hand-over from the server and records it (its record
        # shows it; its engine refuses even with the server away); B recorded its take-over
        from kresladi_bedside.store.recovery import unfinished_procedures
        from kresladi_bedside.sync.handover import publish_open

        assert publish_open(client(fhir), a_store, "A") == []
        handed = a_store.events(pid)[-1]
        assert handed.type == "procedure_handed_over" and handed.data["via"] == "server"
        assert handed.data["to_workstation"] == "B" and handed.data["taken_by"] == "Nurse B"
        assert pid not in unfinished_procedures(a_store)
        offline = Procedure.rebuild(PROFILE, SystemClock(), a_store.events(pid))
        assert offline.handle(Command("complete_thaw", {"bag": 1, "attest": {
            "no_visible_ice": True}}, user="u-nurse")).rejection is not None
    with open_store(tmp_path / "b.db") as b_store:
        taken_event = next(e for e in b_store.events(pid) if e.type == "procedure_taken_over")
        assert taken_event.data["from_workstation"] == "A"
        assert taken_event.data["handover_id"] == handed.data["handover_id"]
