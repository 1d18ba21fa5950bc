"""Procedures made by the real engine (signed like the people layer does), stored in a real log,
and a loopback FHIR server per test."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from engine.driver import NURSE, PATIENT, Driver

from kresladi_bedside.engine import Command, Deviation, Outcome
from kresladi_bedside.engine.model import Event, Signature
from kresladi_bedside.profile import load_profile
from kresladi_bedside.store import Store, open_store
from kresladi_bedside.sync import PassReport, RetryPolicy, SyncSettings, run_pass

from .fhir_server import FhirTestServer

MRN_SYSTEM = "urn:oid:2.16.840.1.113883.3.999.1"
WITNESS = "u-witness"
NAMES = {NURSE: "Dana Reyes RN", WITNESS: "Sam Okafor RN"}
T0 = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
# the client's timeout in these tests (its overall deadline is twice that): short, yet long
# enough for a loaded 2-core machine to validate and answer a Bundle in time
TIMEOUT_S = 2.0


class SignedDriver(Driver):
    """Every command signed by the nurse; identity scans witnessed, as the people layer does."""

    def __init__(self, *, training: bool = False) -> None:
        super().__init__()
        self.training = training

    def do(self, name: str, deviation: Deviation | None = None, **args: Any) -> Outcome:
        now = self.clock.now()
        signatures = [Signature(NURSE, NAMES[NURSE], "performed", now)]
        witness = None
        if deviation is not None:
            signatures.append(Signature(NURSE, NAMES[NURSE], "deviation", now))
        if name == "scan":
            witness = WITNESS
            signatures.append(Signature(WITNESS, NAMES[WITNESS], "witnessed", now))
        return self.proc.handle(Command(name, args, user=NURSE, deviation=deviation,
                                        signatures=tuple(signatures), witness=witness))

    def open(self) -> SignedDriver:
        self.ok("open", training=self.training) if self.training else self.ok("open")
        return self


def completed(*, training: bool = False) -> list[Event]:
    return list(SignedDriver(training=training).complete().proc.events)


def with_thaw_deviation() -> list[Event]:
    """Bag 1 thawed in 5 min 30 s: a signed deviation; then both bags given."""
    d = SignedDriver()
    d.ready_to_thaw()
    d.ok("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    d.advance(330)
    out = d.do("complete_thaw", bag=1, attest={"no_visible_ice": True})
    assert not out.accepted
    d.ok("complete_thaw", Deviation("bath temperature low, topped up", NURSE), bag=1,
         attest={"no_visible_ice": True})
    d.bedside(1)
    from engine.driver import LINE_OK, POST_OK

    d.ok("check_line", bag=1, items=LINE_OK)
    d.ok("start_infusion", bag=1)
    d.advance(400)
    d.ok("end_infusion", bag=1, attest={"entire_contents": True})
    d.ok("log_flush", bag=1, volume_ml=4.5)
    d.advance(3600)
    d.give_bag(2)
    d.ok("acknowledge_post_infusion", attest=POST_OK)
    return list(d.proc.events)


def stopped_compromised() -> list[Event]:
    """Bag 1 found cracked at inspection: a hard stop, the procedure ends stopped."""
    d = SignedDriver()
    d.open().order().gates().identity()
    out = d.do("inspect_bag", bag=1, intact=False)
    assert out.rejection is not None and out.rejection.kind == "hard_stop"
    return list(d.proc.events)


def stopped_before_order() -> list[Event]:
    d = SignedDriver().open()
    d.ok("stop_procedure", reason="patient unwell, procedure postponed")
    return list(d.proc.events)


def in_progress() -> list[Event]:
    d = SignedDriver()
    d.ready_to_thaw()
    return list(d.proc.events)


@pytest.fixture
def profile():
    return load_profile()


@pytest.fixture
def server() -> Iterator[FhirTestServer]:
    srv = FhirTestServer(patients={(MRN_SYSTEM, PATIENT["mrn"]): "pat-1"}).start()
    yield srv
    srv.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "procedures.db") as s:
        yield s


class FakeTime:
    """now() and sleep() for a pass: sleeping moves the clock, nobody waits."""

    def __init__(self, start: datetime = T0) -> None:
        self.at = start
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.at += timedelta(seconds=seconds)

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def sync_pass(store: Store, settings: SyncSettings, profile: Any, time_: FakeTime, *,
              seed: int = 7) -> PassReport:
    """One sync pass with `settings` on the fake clock (its client closed after)."""
    client = settings.client()
    try:
        return run_pass(store, client, profile, settings, now=time_.now, sleep=time_.sleep,
                        rng=random.Random(seed))
    finally:
        client.close()


def settings_for(server: FhirTestServer, **policy: Any) -> SyncSettings:
    return SyncSettings(base_url=server.url, mrn_system=MRN_SYSTEM, timeout_s=TIMEOUT_S,
                        policy=RetryPolicy(**{"base_s": 0.01, "cap_s": 1.0, **policy}))
