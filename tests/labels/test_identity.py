"""LabelIdentityVerifier judged directly with IdentityContext: every rule, and the mutation
matrix (one identifier changed on one label → a hard stop naming that field)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import IdentityConfig
from kresladi_bedside.engine.identity import AcceptedLabel, IdentityContext, Stage, Verdict
from kresladi_bedside.engine.model import Order
from kresladi_bedside.engine.verifier import LabelIdentityVerifier
from kresladi_bedside.labels import parse, samples
from kresladi_bedside.labels.gs1 import gs1_check_digit
from kresladi_bedside.training.sample import patient_order

START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@dataclass
class Bedside:
    """Scans labels in order, keeping the accepted ones as the engine would."""

    order: Order = field(default_factory=patient_order)
    verifier: LabelIdentityVerifier = field(default_factory=LabelIdentityVerifier)
    clock: FakeClock = field(default_factory=lambda: FakeClock(START))
    accepted: list[AcceptedLabel] = field(default_factory=list)

    def scan(self, payload: str, stage: Stage = "initial", bag: int | None = None,
             source: str = "camera") -> Verdict:
        scan = parse(payload, source, typed_reason="torn" if source == "typed" else None)
        now = self.clock.now()
        verdict = self.verifier.judge(
            scan, IdentityContext(self.order, tuple(self.accepted), stage, bag, now))
        if verdict.ok:
            assert verdict.role is not None
            self.accepted.append(AcceptedLabel(verdict.role, stage, verdict.bag, scan, now,
                                               verdict.matched))
        return verdict

    def accept(self, payload: str, stage: Stage = "initial", bag: int | None = None) -> Verdict:
        verdict = self.scan(payload, stage, bag)
        assert verdict.ok, verdict
        return verdict


# ----------------------------------------------------------------------- the correct set

def test_the_correct_set_is_accepted_in_order() -> None:
    b = Bedside()
    assert b.accept(samples.wristband_payload()).role == "wristband"
    assert b.accept(samples.shipper_payload()).role == "shipper"
    for n in (1, 2):
        cassette = b.accept(samples.cassette_payload(n))
        assert (cassette.role, cassette.bag) == ("cassette", n)
        bag = b.accept(samples.bag_payload(n))
        assert (bag.role, bag.bag) == ("bag", n)
        assert {"coi", "dob", "patient_id", "din", "lot", "expiry", "product_code"} <= \
            set(bag.matched)
    b.clock.advance(3 * 3600)
    b.accept(samples.wristband_payload(), "bedside")
    assert b.accept(samples.bag_payload(1), "bedside", 1).bag == 1


@pytest.mark.parametrize("name", ["RIVERA, MATEO", "Rivera,Mateo", "rivera^mateo",
                                  "  RIVERA ^ MATEO ", "Mateo Rivera", "RÍVERA, MATEO"])
def test_names_compare_after_normalising(name: str) -> None:
    assert Bedside().scan(samples.wristband_payload(name=name)).ok


def test_flags_that_differ_between_cassette_and_bag_still_match() -> None:
    b = Bedside()
    b.accept(samples.wristband_payload())
    b.accept(samples.cassette_payload(1, flags="01"))
    assert b.scan(samples.bag_payload(1, flags="02")).ok


# ----------------------------------------------------------------------- the mutation matrix

OTHER_GSRN = "09506000134352418" + gs1_check_digit("09506000134352418")
WRISTBAND = dict(gsrn=samples.SAMPLE_PATIENT.gsrn)
MUTANTS: dict[str, object] = {
    "mrn": "00417357",
    "name": "RIVERA^MATIAS",
    "dob": date(2024, 3, 16),
    "gsrn": OTHER_GSRN,
    "coi": "CHW123426000418",
    "patient_id": "KR0418",
    "din": "W123426100009",
    "lot": "KR26C0999",
    "expiry": samples.SAMPLE_BAGS[0].expiry + timedelta(days=1),
    "product_code": "S5001A01",
}
# Which identifiers each label carries that something earlier (the order, or an accepted
# label) also holds. The cassette is the first label with a product code, so its product code
# has nothing to differ from; the bag's is checked against the cassette.
FIELDS: dict[str, tuple[str, ...]] = {
    "wristband": ("mrn", "name", "dob", "gsrn"),
    "shipper": ("coi", "dob", "patient_id"),
    "cassette": ("coi", "dob", "patient_id", "din", "lot", "expiry"),
    "bag": ("coi", "dob", "patient_id", "din", "lot", "expiry", "product_code"),
}
BUILD: dict[str, Callable[..., str]] = {
    "wristband": lambda **kw: samples.wristband_payload(**{**WRISTBAND, **kw}),
    "shipper": samples.shipper_payload,
    "cassette": lambda **kw: samples.cassette_payload(1, **kw),
    "bag": lambda **kw: samples.bag_payload(1, **kw),
}
ORDER_OF_SCANS = ("wristband", "shipper", "cassette", "bag")
CELLS = [(label, key) for label in ORDER_OF_SCANS for key in FIELDS[label]]


@pytest.mark.parametrize(("label", "key"), CELLS, ids=[f"{lb}-{k}" for lb, k in CELLS])
@pytest.mark.parametrize("stage", ["initial", "bedside"])
def test_mutation_matrix(label: str, key: str, stage: Stage) -> None:
    b = Bedside()
    before = ORDER_OF_SCANS[:ORDER_OF_SCANS.index(label)]
    for earlier in before:
        b.accept(BUILD[earlier]())
    if stage == "bedside":
        b.clock.advance(3600)
        if label != "wristband":
            b.accept(BUILD["wristband"](), "bedside")
    verdict = b.scan(BUILD[label](**{key: MUTANTS[key]}), stage,
                     1 if stage == "bedside" and label in ("cassette", "bag") else None)
    assert not verdict.ok
    assert verdict.kind == "hard_stop", verdict
    assert verdict.details["field"] == key
    assert label in verdict.details["label"]
    assert verdict.reason
    # the unchanged label passes in the same place: the change alone made the stop
    assert b.scan(BUILD[label](), stage,
                  1 if stage == "bedside" and label in ("cassette", "bag") else None).kind \
        != "hard_stop"


def test_mismatch_names_both_values_and_the_label() -> None:
    verdict = Bedside().scan(samples.wristband_payload(dob="2024-03-16"))
    assert verdict.rule == "identity"
    assert verdict.details == {"field": "dob", "label": "wristband label", "found": "2024-03-16",
                               "expected": "2024-03-15", "against": "order"}
    assert "2024-03-16" in verdict.reason and "2024-03-15" in verdict.reason


def test_mismatch_against_a_label_accepted_earlier() -> None:
    # The order holds no chain-of-identity number; the shipper's is what the cassette must match.
    full = patient_order()
    b = Bedside(order=replace(full, patient=replace(full.patient, coi=None)))
    b.accept(samples.shipper_payload())
    verdict = b.scan(samples.cassette_payload(1, coi="CHW123426000999"))
    assert verdict.kind == "hard_stop" and verdict.details["field"] == "coi"
    assert verdict.details["against"] == "shipper label accepted earlier"


# ----------------------------------------------------------------------- each rule

def test_two_patient_identifiers_needed() -> None:
    b = Bedside()
    bare = b.scan(samples.wristband_payload(style="mrn"))
    assert (bare.ok, bare.rule, bare.kind) == (False, "identity_incomplete", "refused")
    assert bare.details["confirmed"] == ["mrn"]
    gs1_only = b.scan(samples.wristband_payload(style="gs1"))
    assert gs1_only.rule == "identity_incomplete"
    assert b.scan(samples.wristband_payload(name="")).ok  # MRN + DOB: two


def test_product_label_without_patient_identifiers_is_not_confirmed() -> None:
    b = Bedside()
    b.accept(samples.wristband_payload())
    verdict = b.scan(samples.cassette_payload(1, coi=None, dob=None, patient_id=None))
    assert verdict.rule == "identity_incomplete" and verdict.details["confirmed"] == []
    # a typed DIN names the bag but no patient: not enough on its own
    b.accept(samples.wristband_payload(), "bedside")
    typed = b.scan(samples.typed_din(1), "bedside", 1, source="typed")
    assert typed.rule == "identity_incomplete"


def test_bag_not_on_the_sheet() -> None:
    verdict = Bedside().scan(samples.cassette_payload(1, din="W123426100777"))
    assert (verdict.rule, verdict.kind) == ("bag_not_on_sheet", "hard_stop")
    assert verdict.details["found"] == "W123426100777"


def test_bag_already_accepted_at_this_stage() -> None:
    b = Bedside()
    b.accept(samples.wristband_payload())
    b.accept(samples.cassette_payload(1))
    b.accept(samples.bag_payload(1))
    again = b.scan(samples.bag_payload(1, flags="01"))
    assert (again.rule, again.kind) == ("already_accepted", "refused")
    assert again.details == {"role": "bag", "bag": 1}
    # the same bag at the bedside is a new stage
    b.accept(samples.wristband_payload(), "bedside")
    assert b.scan(samples.bag_payload(1), "bedside", 1).ok


def test_bag_of_lot_b_checked_against_lot_a_line() -> None:
    b = Bedside()
    b.accept(samples.wristband_payload(), "bedside")
    verdict = b.scan(samples.bag_payload(2), "bedside", 1)
    assert (verdict.rule, verdict.kind) == ("wrong_line", "refused")
    assert "KR26B0418" in verdict.reason and "KR26A0417" in verdict.reason


def test_label_of_one_line_carrying_the_other_lot_is_a_mismatch() -> None:
    b = Bedside()
    verdict = b.scan(samples.cassette_payload(1, lot=samples.SAMPLE_BAGS[1].lot))
    assert (verdict.rule, verdict.details["field"]) == ("identity", "lot")


def test_expired_bag_is_a_hard_stop() -> None:
    b = Bedside()
    b.clock.set(samples.SAMPLE_BAGS[0].expiry + timedelta(minutes=1))
    b.accept(samples.wristband_payload())
    verdict = b.scan(samples.cassette_payload(1))
    assert (verdict.rule, verdict.kind) == ("expiry", "hard_stop")
    # bag 2 expires later and is still fine
    assert b.scan(samples.cassette_payload(2)).ok


def test_shipper_offered_as_a_bag() -> None:
    b = Bedside()
    b.accept(samples.wristband_payload(), "bedside")
    verdict = b.scan(samples.shipper_payload(), "bedside", 1)
    assert (verdict.rule, verdict.kind) == ("shipper_as_bag", "refused")


def test_cassette_before_its_bag_at_the_initial_check() -> None:
    b = Bedside()
    b.accept(samples.wristband_payload())
    b.accept(samples.cassette_payload(1))
    verdict = b.scan(samples.bag_payload(2))
    assert (verdict.rule, verdict.details["bag"]) == ("cassette_first", 2)


@pytest.mark.parametrize(("minutes", "limit", "ok"), [(9.9, 10, True), (10.1, 10, False),
                                                      (4, 3, False), (29, 30, True)])
def test_wristband_must_be_recent_when_a_bag_is_confirmed(minutes: float, limit: float,
                                                           ok: bool) -> None:
    b = Bedside(verifier=LabelIdentityVerifier(IdentityConfig(wristband_max_age_minutes=limit)))
    b.accept(samples.wristband_payload())
    b.accept(samples.cassette_payload(1))
    b.clock.advance(minutes * 60)
    verdict = b.scan(samples.bag_payload(1))
    assert verdict.ok is ok
    if not ok:
        assert verdict.rule == "wristband_stale"


def test_no_wristband_at_all() -> None:
    b = Bedside()
    b.accept(samples.cassette_payload(1))
    assert b.scan(samples.bag_payload(1)).rule == "wristband_stale"


@pytest.mark.parametrize("payload", [samples.badge_payload(), "=<S5001A00"])
def test_labels_that_do_not_confirm_identity(payload: str) -> None:
    verdict = Bedside().scan(payload)
    assert (verdict.rule, verdict.kind) == ("label_kind", "refused")
    # details are passed to the engine's refuse(**details): none may shadow its arguments
    assert not {"kind", "until", "rule", "reason"} & set(verdict.details)


def test_a_wrong_patient_wins_over_every_refusal() -> None:
    # a stale wristband, no cassette, and another patient's bag: the mismatch is what is said
    b = Bedside()
    verdict = b.scan(samples.bag_payload(1, dob=date(2023, 1, 1)))
    assert (verdict.kind, verdict.details["field"]) == ("hard_stop", "dob")


def test_gs1_product_labels_follow_the_same_rules() -> None:
    b = Bedside()
    b.accept(samples.wristband_payload())
    b.accept(samples.cassette_payload(1))
    verdict = b.scan(samples.gs1_product_payload("bag", 1, lot="KR26Z0001"))
    assert (verdict.kind, verdict.details["field"]) == ("hard_stop", "lot")
