"""Receipt fixtures: a real store on disk, a fake clock, two pharmacists and a nurse, and a
helper that drives a receipt to completion with the sample labels."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.engine import Command, Outcome
from kresladi_bedside.labels import samples
from kresladi_bedside.labels.parse import parse
from kresladi_bedside.people import People, User
from kresladi_bedside.profile import load_profile
from kresladi_bedside.receipt import EhrPatient, Receipt, receipt_guard
from kresladi_bedside.store import Store, StoreListener, open_store

START = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
PIN_A, PIN_B, PIN_N = "40172958", "73915864", "58206139"
SAMPLE = samples.SAMPLE_PATIENT
EHR_SAMPLE = EhrPatient(SAMPLE.mrn, "Rivera, Mateo", "2024-03-15", "Patient/p1")


def badge(number: str) -> str:
    return samples.badge_payload(badge=number, name=None)


def sheet(bags: int = 2, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "mrn": SAMPLE.mrn, "name": "RIVERA, MATEO", "dob": "2024-03-15",
        "coi": SAMPLE.coi, "patient_id": SAMPLE.patient_id, "weight_kg": 9.5,
        "sheet_bag_count": bags,
        "bags": [{"cd34_per_kg": b.cd34_per_kg, "volume_ml": 20.0}
                 for b in samples.SAMPLE_BAGS[:bags]]}
    values.update(changes)
    return values


@dataclass
class Desk:
    """A pharmacy workstation: its store, clock, people and a receipt being made."""

    store: Store
    clock: FakeClock
    people: People
    alice: User
    bob: User
    nurse: User
    receipt: Receipt

    def new_receipt(self) -> Receipt:
        from kresladi_bedside.ledger import StoreLedger

        self.receipt = Receipt(load_profile(), self.clock, guards=[receipt_guard(self.people)],
                               custody=StoreLedger(self.store))
        self.receipt.subscribe(StoreListener(self.store))
        return self.receipt

    def do(self, name: str, args: dict[str, Any] | None = None, *, user: User | None = None,
           verifier: tuple[User, str] | None = None) -> Outcome:
        signatures: tuple[Any, ...] = ()
        witness = None
        if verifier is not None:
            sig = self.people.witness(badge(verifier[0].badge), verifier[1],
                                      roles=("pharmacy",))
            signatures, witness = (sig,), sig.user
        who = user or self.people.current_user
        return self.receipt.handle(Command(name, args or {}, user=who.id if who else "",
                                           signatures=signatures, witness=witness))

    def scan(self, payload: str) -> Outcome:
        return self.do("scan", {"scan": parse(payload, "wedge").to_dict()})

    def receive(self, *, bags: int = 2, ehr: EhrPatient | None = EHR_SAMPLE) -> Outcome:
        """A whole receipt by Alice, verified by Bob; returns the completing outcome."""
        steps = [self.do("open_receipt", {"mrn": SAMPLE.mrn,
                                          "ehr": ehr.to_dict() if ehr else None}),
                 self.scan(samples.shipper_payload())]
        steps += [self.scan(samples.cassette_payload(n)) for n in range(1, bags + 1)]
        steps += [self.do("record_storage", {"temperature_c": -180, "location": "LN2 tank 2",
                                             "in_cassettes": True}),
                  self.do("enter_sheet", {"sheet": sheet(bags)}),
                  self.do("verify_sheet", {"sheet": sheet(bags)}, verifier=(self.bob, PIN_B))]
        for outcome in steps:
            assert outcome.accepted, outcome.rejection
        return self.do("complete_receipt")


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def make_desk(path: Path, clock: FakeClock) -> Desk:
    store = open_store(path)
    people = People(store, PeopleConfig(), clock, hasher=cheap_hasher())
    admin = people.init_admin("Ada Okafor", "A10001", "58204716")
    people.sign_in(badge("A10001"), "58204716")
    alice = people.add_user("Alice Pharm", "P10001", PIN_A, ["pharmacy"], by=admin.id)
    bob = people.add_user("Bob Lab", "P10002", PIN_B, ["pharmacy"], by=admin.id)
    nurse = people.add_user("Nora Nurse", "N20002", PIN_N, ["nurse"], by=admin.id)
    people.sign_out()
    people.sign_in(badge("P10001"), PIN_A)
    desk = Desk(store, clock, people, alice, bob, nurse, None)  # type: ignore[arg-type]
    desk.new_receipt()
    return desk


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def desk(tmp_path: Path, clock: FakeClock) -> Iterator[Desk]:
    d = make_desk(tmp_path / "pharmacy.db", clock)
    yield d
    d.store.close()
