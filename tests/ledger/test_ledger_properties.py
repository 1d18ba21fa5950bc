"""Property: whatever nurses do, in any order, over any number of procedures in one store, no bag
is thawed twice, no bag is given twice, and no patient receives a second dose."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.engine.identity import ExactMatchVerifier
from kresladi_bedside.ledger import StoreLedger, bag_key
from kresladi_bedside.profile import load_profile
from kresladi_bedside.store import Store, StoreListener, open_store
from tests.engine.driver import LINE_OK, POST_OK, START

PROFILE = load_profile()
PATIENTS = (
    {"mrn": "MRN0000001", "name": "RIVERA^MATEO", "dob": "2024-05-01", "coi": "CH0000000001"},
    {"mrn": "MRN0000002", "name": "NUNEZ^ANA", "dob": "2023-02-11", "coi": "CH0000000002"},
)
DINS = ("W123426000201", "W123426000202", "W123426000203")
NURSE = "u-nurse"


def _order(patient: int, bags: tuple[int, ...]) -> dict[str, Any]:
    return {"patient": dict(PATIENTS[patient]), "weight_kg": 8.0,
            "sheet_bag_count": len(bags),
            "bags": [{"bag_id": DINS[b], "lot": f"LOT-{b}",
                      "expiry": (START + timedelta(days=400)).isoformat(),
                      "cd34_per_kg": 3.0e6 / len(bags)} for b in bags]}


class Ward:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.clock = FakeClock(START)
        self.ledger = StoreLedger(store)
        self.procedures: list[Procedure] = []

    def new(self, patient: int, bags: tuple[int, ...]) -> None:
        proc = Procedure(PROFILE, self.clock, ExactMatchVerifier(), custody=self.ledger)
        proc.subscribe(StoreListener(self.store))
        self.procedures.append(proc)
        self.do(proc, "open")
        self.do(proc, "prepare_order", order=_order(patient, bags))

    def do(self, proc: Procedure, name: str, **args: Any) -> None:
        proc.handle(Command(name, args, user=NURSE))

    def scan(self, proc: Procedure, kind: str, **ids: str) -> None:
        self.do(proc, "scan", scan={"kind": kind, "identifiers": ids, "source": "wedge",
                                    "raw": kind})

    def walk(self, proc: Procedure, intact: bool = True) -> None:
        """The next step a nurse would take in `proc`, whatever it is."""
        state, step = proc.state, proc.step()
        if state.order is None:
            return
        p, n = state.order.patient, step.bag
        if step.name == "gates":
            now = self.clock.now().wall
            self.do(proc, "confirm_backup", available=True, cd34_per_kg=3e6,
                    confirmed_at=(now - timedelta(days=9)).isoformat())
            self.do(proc, "record_conditioning_end",
                    at=(now - timedelta(hours=30)).isoformat(),
                    conditioning_start=(now - timedelta(days=4)).isoformat())
            self.do(proc, "confirm_storage", temperature_c=-170,
                    stored_at=(now - timedelta(days=10)).isoformat())
            self.do(proc, "attest", items={"hsct_appropriate": True, "ustekinumab": "given"})
        elif step.name == "identity":
            self.scan(proc, "wristband", mrn=p.mrn, name=p.name)
            if n is None:
                self.scan(proc, "shipper", mrn=p.mrn, coi=p.coi or "")
                for line in state.order.bags:
                    self.scan(proc, "cassette", din=line.bag_id, coi=p.coi or "")
                self.scan(proc, "bag", din=state.order.bag(1).bag_id, coi=p.coi or "")
            else:  # a later bag: its storage until now confirmed, then out of its cassette
                self.do(proc, "confirm_bag_storage", bag=n, kept_frozen=True)
                self.scan(proc, "bag", din=state.order.bag(n).bag_id, coi=p.coi or "")
        elif step.name == "inspect":
            self.do(proc, "inspect_bag", bag=n, intact=intact)
        elif step.name == "thaw":
            if state.bag(n).thaw_started is None:
                self.do(proc, "start_thaw", bag=n, method="dry",
                        attest={"sterile_overbag": True})
            else:
                self.clock.advance(200)
                self.do(proc, "complete_thaw", bag=n, attest={"no_visible_ice": True})
        elif step.name == "bedside_identity":
            self.scan(proc, "wristband", mrn=p.mrn, name=p.name)
            self.scan(proc, "bag", din=state.order.bag(n).bag_id, coi=p.coi or "")
        elif step.name == "line_checks":
            self.do(proc, "check_line", bag=n, items=LINE_OK)
        elif step.name == "infusion":
            if state.bag(n).infusion_started is None:
                self.do(proc, "start_infusion", bag=n)
            else:
                self.clock.advance(300)
                self.do(proc, "end_infusion", bag=n, attest={"entire_contents": True})
        elif step.name == "flush":
            self.do(proc, "log_flush", bag=n, volume_ml=5.0)
        elif step.name == "between_bags":
            self.clock.advance(3600)
        elif step.name == "post_infusion":
            self.do(proc, "acknowledge_post_infusion", attest=POST_OK)


ACTIONS = st.one_of(
    st.tuples(st.just("new"), st.integers(0, 1),
              st.lists(st.integers(0, 2), min_size=1, max_size=2, unique=True)),
    # a nurse takes the next 1 to 40 steps of one procedure (often: most of it)
    st.tuples(st.just("walk"), st.integers(0, 5), st.integers(1, 40)),
    st.tuples(st.just("walk"), st.integers(0, 5), st.integers(12, 40)),
    st.tuples(st.just("walk"), st.just(-1), st.integers(12, 40)),  # the newest procedure
    st.tuples(st.just("compromise"), st.integers(0, 5), st.just(None)),
    st.tuples(st.just("stop"), st.integers(0, 5), st.just(None)),
    st.tuples(st.just("wait"), st.integers(60, 8000), st.just(None)),
)


def _check(store: Store) -> None:
    thawed: Counter[str] = Counter()
    given: Counter[str] = Counter()
    dosed: dict[str, set[str]] = {}
    for pid in store.procedure_ids():
        events = store.events(pid)
        order = next((e.data["order"] for e in events if e.type == "order_prepared"), None)
        if order is None:
            continue
        keys = {b.get("number", i): bag_key(b["bag_id"])
                for i, b in enumerate(order["bags"], start=1)}
        for e in events:
            if e.type == "thaw_started":
                thawed[keys[e.data["bag"]]] += 1
            if e.type == "infusion_started":
                given[keys[e.data["bag"]]] += 1
                dosed.setdefault(order["patient"]["mrn"], set()).add(pid)
    assert all(n == 1 for n in thawed.values()), thawed
    assert all(n == 1 for n in given.values()), given
    assert all(len(p) == 1 for p in dosed.values()), dosed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ACTIONS, min_size=1, max_size=25))
def test_no_bag_twice_no_second_thaw_no_second_dose(actions: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "p.db") as store:
        ward = Ward(store)
        for kind, a, b in actions:
            if kind == "new":
                ward.new(a, tuple(b))
            elif kind == "wait":
                ward.clock.advance(a)
            elif ward.procedures:
                proc = ward.procedures[a % len(ward.procedures)]
                if kind == "walk":
                    for _ in range(b):
                        ward.walk(proc)
                elif kind == "compromise":
                    ward.walk(proc, intact=False)
                elif proc.state.active:
                    ward.do(proc, "stop_procedure", reason="stopped in the property test")
        _check(store)


def test_the_walk_can_complete_a_procedure_so_the_property_is_not_vacuous() -> None:
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "p.db") as store:
        ward = Ward(store)
        ward.new(0, (0, 1))
        for _ in range(40):
            ward.walk(ward.procedures[0])
        assert ward.procedures[0].state.outcome == "complete"
        ward.new(1, (1,))  # bag given to patient 0: refused for patient 1
        ward.new(0, (2,))  # patient 0 dosed: refused
        for proc in ward.procedures[1:]:
            assert proc.state.order is None
        _check(store)
