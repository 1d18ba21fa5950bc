"""Bundles built in the worker process (sync/build.py) behave exactly as when built in the pass's
own thread: the same records sent in the same order, the same refusal for an invalid one, and a
worker that dies is replaced by the thread with a line in the log. Each test starts a real
(spawned) worker process."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Iterator
from dataclasses import replace

import pytest

from kresladi_bedside.store import Store, open_store
from kresladi_bedside.sync import PassReport, SiteIds, SyncSettings, build

from .conftest import FakeTime, completed, settings_for, sync_pass

MANY = 4  # procedures: at or above the (lowered) threshold, the worker builds


@pytest.fixture(autouse=True)
def fresh_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    build.WORKER.shutdown()
    monkeypatch.setattr(build.WORKER, "crashed", False)
    monkeypatch.setattr(build, "REMOTE_FROM", MANY)
    yield
    build.WORKER.shutdown()


def one_pass(store: Store, settings: SyncSettings, profile, time_: FakeTime) -> PassReport:
    return sync_pass(store, settings, profile, time_)


def queue(store: Store, count: int) -> list[str]:
    procedures = [completed() for _ in range(count)]
    for events in procedures:
        store.append(events)
    return [p[0].procedure_id for p in procedures]


def test_many_procedures_are_built_in_the_worker_and_sent_in_queue_order(
        store, server, profile, fake_time):
    ids = queue(store, MANY + 2)
    report = one_pass(store, settings_for(server), profile, fake_time)
    assert build.WORKER.pid() not in (None, os.getpid())  # a process of its own built them
    assert report.delivered == ids and report.exit_status == 0
    assert len(server.of_type("Procedure")) == MANY + 2
    first = build.WORKER.pid()
    more = queue(store, MANY)
    assert one_pass(store, settings_for(server), profile, fake_time).delivered == more
    assert build.WORKER.pid() == first  # reused by the next pass, not started again


def test_a_handful_of_procedures_never_start_the_worker(store, server, profile, fake_time):
    ids = queue(store, MANY - 1)
    assert one_pass(store, settings_for(server), profile, fake_time).delivered == ids
    assert build.WORKER.pid() is None


def test_an_invalid_bundle_built_in_the_worker_is_parked_with_the_same_reason(
        tmp_path, server, profile, fake_time, monkeypatch):
    """An empty staff identifier (a site mapping gone wrong): the validator's message parks
    every procedure, nothing is posted, word for word what the thread would have said."""
    from engine.driver import NURSE

    settings = replace(settings_for(server),
                       site=SiteIds(practitioners={NURSE: ("urn:oid:1.2.3", "")}))
    procedures = [completed() for _ in range(MANY)]
    reasons = {}
    for where, threshold in (("worker", MANY), ("thread", 10**9)):
        monkeypatch.setattr(build, "REMOTE_FROM", threshold)
        with open_store(tmp_path / f"{where}.db") as store:
            for events in procedures:
                store.append(events)
            report = one_pass(store, settings, profile, fake_time)
        assert [p.procedure_id for p in report.parked] == [p[0].procedure_id
                                                           for p in procedures]
        reasons[where] = [p.reason for p in report.parked]
    assert build.WORKER.pid() is not None  # the first round really was built there
    assert reasons["worker"] == reasons["thread"]
    assert all("identifier.0.value" in r and "cannot be mapped to FHIR" in r
               for r in reasons["worker"])
    assert server.requests == 0


def test_a_worker_that_died_is_replaced_by_the_thread_and_the_log_says_so(
        store, server, profile, fake_time, caplog):
    first = queue(store, MANY)
    assert one_pass(store, settings_for(server), profile, fake_time).delivered == first
    pid = build.WORKER.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)  # killed under the program (out of memory, an operator)
    second = queue(store, MANY + 1)
    with caplog.at_level(logging.WARNING, logger="kresladi_bedside.sync.build"):
        report = one_pass(store, settings_for(server), profile, fake_time)
    assert report.delivered == second and report.exit_status == 0
    assert any("building them in this process" in r.getMessage() for r in caplog.records)
    assert len(server.of_type("Procedure")) == 2 * MANY + 1
    third = queue(store, MANY)  # no new worker after a crash: built here, all sent
    assert one_pass(store, settings_for(server), profile, fake_time).delivered == third
    assert build.WORKER.pid() is None



def test_a_stuck_worker_is_killed_and_the_thread_builds_instead(
        store, server, profile, fake_time, caplog, monkeypatch):
    first = queue(store, MANY)
    assert one_pass(store, settings_for(server), profile, fake_time).delivered == first
    pid = build.WORKER.pid()
    assert pid is not None
    monkeypatch.setattr(build, "STALL_S", 1.0)
    os.kill(pid, signal.SIGSTOP)  # alive but never answering
    second = queue(store, MANY)
    with caplog.at_level(logging.WARNING, logger="kresladi_bedside.sync.build"):
        report = one_pass(store, settings_for(server), profile, fake_time)
    assert report.delivered == second and report.exit_status == 0
    assert any("building them in this process" in r.getMessage() for r in caplog.records)
    with contextlib.suppress(ChildProcessError):  # killed, not left stopped behind the
        os.waitpid(pid, 0)  # program (reaped here unless the pool did)
    assert not os.path.exists(f"/proc/{pid}")


def test_a_broken_chain_is_parked_and_never_sent_when_the_worker_builds(
        store, server, profile, fake_time):
    """With the worker process building, a procedure whose chain is broken is parked and never
    posted; the others are delivered."""
    import sqlite3

    ids = queue(store, MANY + 2)
    bad = ids[0]
    raw = sqlite3.connect(store.path, isolation_level=None)
    raw.execute("DROP TRIGGER events_no_update")
    raw.execute("UPDATE events SET data = replace(data, '4.5', '45') "
                "WHERE procedure_id = ? AND type = 'flush_logged'", (bad,))
    raw.close()

    report = one_pass(store, settings_for(server), profile, fake_time)

    assert build.WORKER.pid() not in (None, os.getpid())
    assert report.delivered == ids[1:]
    assert [p.procedure_id for p in report.parked] == [bad]
    assert "hash chain broken" in report.parked[0].reason
    sent = {i["value"] for p in server.of_type("Procedure") for i in p.get("identifier", [])}
    assert bad not in sent and set(ids[1:]) <= sent
