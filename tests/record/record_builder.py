"""Procedures for the record tests, built by driving the engine into a real store.

`Bedside` wraps a Procedure on a FakeClock whose events go to the store through StoreListener,
exactly as the wizard does. `completed_two_bags`, `stopped_at_inspection` and
`with_deviations` build the three records the issue asks for; each returns the procedure id.
Labels carry hostile text (markup, entities, bidi marks, a 500-character payload) so every
record doubles as an escaping test.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Deviation, Outcome, Procedure, Signature
from kresladi_bedside.engine.identity import ExactMatchVerifier
from kresladi_bedside.labels import samples
from kresladi_bedside.profile import load_profile
from kresladi_bedside.store import Store, StoreListener
from kresladi_bedside.training.sample import sample_order

ZONE = "America/New_York"  # the site time zone the record tests print in

EST = timezone(timedelta(hours=-5))
START = datetime(2026, 3, 2, 8, 0, tzinfo=EST)
NURSE, NURSE_NAME = "n.kim", "Sora Kim, RN"
WITNESS, WITNESS_NAME = "p.ortiz", "Pablo Ortiz, PharmD"

LONG_PAYLOAD = "".join(f"{i:03d}ABCDEFG" for i in range(50))  # 500 characters, no spaces
HOSTILE = {
    "bold": "<b>not bold</b>",
    "img": '<img src="file:///etc/passwd">',
    "entity": "R&amp;D",
    "rtl": "MRN\u202e4321\u202c\u200f",
}
DEVIATION_REASON = 'Ice crystals persisted <img src="x.png"> per pharmacist & charge RN'


class Bedside:
    def __init__(self, store: Store, *, training: bool = False, start: datetime = START) -> None:
        self.clock = FakeClock(start, utc_offset_s=int(start.utcoffset().total_seconds()))
        self.profile = load_profile()
        self.proc = Procedure(self.profile, self.clock, ExactMatchVerifier())
        self.proc.subscribe(StoreListener(store))
        self.order = sample_order(self.clock.now())
        self.do("open", training=training, site="Children's Infusion Unit 4B")

    @property
    def id(self) -> str:
        return self.proc.procedure_id

    def wait(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def sign(self, *meanings: str, user: str = NURSE, name: str = NURSE_NAME
             ) -> tuple[Signature, ...]:
        return tuple(Signature(user, name, m, self.clock.now()) for m in meanings)  # type: ignore[arg-type]

    def do(self, name: str, *, user: str = NURSE, deviation: Deviation | None = None,
           signatures: tuple[Signature, ...] = (), witness: str | None = None,
           expect: str | None = "accepted", **args: Any) -> Outcome:
        if not signatures and name not in ("acknowledge_alarm",):
            signatures = self.sign("performed")
        outcome = self.proc.handle(Command(name, args, user, deviation, signatures, witness))
        got = "accepted" if outcome.accepted else outcome.rejection.kind  # type: ignore[union-attr]
        assert expect is None or got == expect, (name, outcome.rejection)
        return outcome

    def scan(self, kind: str, identifiers: Mapping[str, str], raw: str, *,
             source: str = "wedge", symbology: str | None = "]d2", typed_reason: str | None = None,
             witnessed: bool = False, expect: str | None = "accepted") -> Outcome:
        scan = {"kind": kind, "identifiers": dict(identifiers), "source": source, "raw": raw,
                "symbology": symbology, "typed_reason": typed_reason, "structures": []}
        signatures = self.sign("performed")
        if witnessed:
            signatures += self.sign("witnessed", user=WITNESS, name=WITNESS_NAME)
        return self.do("scan", scan=scan, signatures=signatures,
                       witness=WITNESS if witnessed else None, expect=expect)

    # ------------------------------------------------------------------ the steps, label order
    def gates(self, conditioning_hours_ago: float = 26.0) -> None:
        self.wait(60)
        self.do("prepare_order", order=self.order.to_dict())
        now = self.clock.now().wall
        self.do("confirm_backup", available=True, cd34_per_kg=3.2e6,
                confirmed_at=(now - timedelta(days=9)).astimezone(EST).isoformat())
        ended = now - timedelta(hours=conditioning_hours_ago)
        self.do("record_conditioning_end", at=ended.astimezone(EST).isoformat(),
                conditioning_start=(ended - timedelta(days=4)).astimezone(EST).isoformat())
        self.do("confirm_storage", temperature_c=-178,
                stored_at=(now - timedelta(days=10)).astimezone(EST).isoformat())
        self.do("attest", items={"hsct_appropriate": True, "ustekinumab": "not given"})

    def patient_ids(self) -> dict[str, str]:
        p = self.order.patient
        return {"mrn": p.mrn, "name": p.name, "dob": p.dob.isoformat()}

    def initial_identity(self) -> None:
        coi = self.order.patient.coi or ""
        self.wait(60)
        self.scan("wristband", self.patient_ids(), samples.wristband_payload(), symbology="]Q1",
                  witnessed=True)
        self.scan("shipper", {"coi": coi}, samples.shipper_payload())
        for line in self.order.bags:
            ids = {"din": line.bag_id, "coi": coi}
            self.scan("cassette", ids, samples.cassette_payload(line.number))
        # Bag 2 stays in its cassette in liquid nitrogen until its own thaw.
        self.scan("bag", {"din": self.order.bag(1).bag_id, "coi": coi}, samples.bag_payload(1))

    def give_bag(self, number: int, *, thaw_s: float = 240, infusion_s: float = 600,
                 deviation: Deviation | None = None, flush_ml: float = 4.5,
                 flush_deviation: Deviation | None = None) -> None:
        line = self.order.bag(number)
        coi = self.order.patient.coi or ""
        if number > 1:  # out of its cassette only now
            self.give_bag_start(number)
        self.do("inspect_bag", bag=number, intact=True)
        self.do("start_thaw", bag=number, method="water_bath", attest={"sterile_overbag": True},
                deviation=deviation)
        self.wait(thaw_s)
        self.do("complete_thaw", bag=number, attest={"no_visible_ice": True},
                deviation=deviation)
        self.wait(60)
        self.scan("wristband", self.patient_ids(), samples.wristband_payload(), symbology="]Q1")
        self.scan("bag", {"din": line.bag_id, "coi": coi}, samples.bag_payload(number))
        self.do("check_line", bag=number, items={"central_access": True, "no_inline_filter": True,
                                                 "no_pump": True, "tubing_primed": True})
        self.do("start_infusion", bag=number, deviation=deviation)
        self.wait(infusion_s)
        self.do("end_infusion", bag=number, attest={"entire_contents": True},
                deviation=deviation)
        self.wait(60)
        self.do("log_flush", bag=number, volume_ml=flush_ml,
                **({"deviation": flush_deviation, "signatures": self.sign("performed",
                                                                           "deviation")}
                   if flush_deviation else {}))

    def give_bag_start(self, number: int) -> None:
        """A later bag out of its cassette (its storage until now confirmed first): its label
        against the cassette's."""
        line = self.order.bag(number)
        coi = self.order.patient.coi or ""
        self.do("confirm_bag_storage", bag=number, kept_frozen=True)
        self.scan("bag", {"din": line.bag_id, "coi": coi}, samples.bag_payload(number))

    def finish(self) -> None:
        self.wait(120)
        self.do("acknowledge_post_infusion", attest={
            "monitoring": True, "irradiate_blood_products": True, "never_donate": True})


def hostile_scans(b: Bedside) -> None:
    """Labels carrying markup, entities, bidi marks and 500 characters: each is rejected (an
    unknown label) and must still be printed literally, typed and scanned alike."""
    b.wait(60)
    for value in (*HOSTILE.values(), LONG_PAYLOAD):
        b.scan("unknown", {"serial": value}, value, symbology="]C0", expect="refused")
    b.scan("unknown", {}, HOSTILE["bold"], source="typed", symbology=None,
           typed_reason=f"label torn {HOSTILE['img']}", expect="refused")


def completed_two_bags(store: Store, *, training: bool = False) -> str:
    b = Bedside(store, training=training)
    b.gates()
    hostile_scans(b)
    b.initial_identity()
    b.give_bag(1)
    flush = next(e for e in b.proc.events if e.type == "flush_logged")
    b.do("correct", event_id=flush.id, changes={"volume_ml": 5.0},
         reason="flush syringe re-read: 5 mL")
    b.wait(600)
    b.do("inspect_bag", bag=2, intact=True, expect="wait")  # too early: the 1 h wait
    b.do("acknowledge_alarm", alarm="interbag_wait", bag=2)
    b.wait(3000 + 300)
    b.give_bag(2)
    b.finish()
    return b.id


def stopped_at_inspection(store: Store) -> str:
    b = Bedside(store)
    b.gates()
    b.initial_identity()
    b.do("inspect_bag", bag=1, intact=False, note="crack along the port <b>seam</b>",
         expect="hard_stop")
    return b.id


def with_deviations(store: Store, *, finish: bool = True) -> str:
    """Thaw over 5 min, infusion over 30 min from thaw start, 49 h after conditioning."""
    b = Bedside(store)
    b.gates(conditioning_hours_ago=47.5)
    b.initial_identity()
    signed = Deviation(DEVIATION_REASON, NURSE)
    b.wait(3600)
    b.do("inspect_bag", bag=1, intact=True)
    b.do("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True},
         expect="deviation_required")
    b.do("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True}, deviation=signed,
         signatures=b.sign("performed", "deviation"))
    b.wait(400)
    b.do("complete_thaw", bag=1, attest={"no_visible_ice": True}, deviation=signed,
         signatures=b.sign("performed", "deviation"))
    b.wait(60)
    coi = b.order.patient.coi or ""
    b.scan("wristband", b.patient_ids(), samples.wristband_payload(), symbology="]Q1")
    b.scan("bag", {"din": b.order.bag(1).bag_id, "coi": coi}, "W123426100001 X",
           source="typed", symbology=None, typed_reason="DataMatrix smudged; DIN typed")
    b.do("check_line", bag=1, items={"central_access": True, "no_inline_filter": True,
                                     "no_pump": True, "tubing_primed": True})
    b.do("start_infusion", bag=1)
    b.wait(1500)
    b.do("end_infusion", bag=1, attest={"entire_contents": True}, deviation=signed,
         signatures=b.sign("performed", "deviation"))
    b.do("log_flush", bag=1, volume_ml=3.0)
    if finish:
        b.wait(8000)  # over 2 h before bag 2
        b.do("confirm_bag_storage", bag=2, kept_frozen=True)  # kept in LN2 until now
        b.scan("bag", {"din": b.order.bag(2).bag_id, "coi": coi}, samples.bag_payload(2))
        b.do("inspect_bag", bag=2, intact=True)
        b.do("start_thaw", bag=2, method="water_bath", attest={"sterile_overbag": True},
             deviation=Deviation("Patient in imaging; thaw delayed", NURSE),
             signatures=b.sign("performed", "deviation"))
    return b.id


FLUSH_REASON = "Line occluded; flushed until patent per the attending's order"


def stopped_after_bag_one(store: Store) -> str:
    """Bag 1 given, bag 2 found compromised at its turn: the post-infusion instructions are
    acknowledged after the stop."""
    b = Bedside(store)
    b.gates()
    b.initial_identity()
    b.give_bag(1)
    b.wait(3700)
    b.give_bag_start(2)
    b.do("inspect_bag", bag=2, intact=False, note="crack at the spike port",
         expect="hard_stop")
    b.wait(120)
    b.finish()
    return b.id


def weight_flagged_flush(store: Store) -> str:
    """Bag 1's flush of 99 mL for a 9.5 kg child: 10.4 mL/kg, above the site's 10 mL/kg; the
    nurse signs a deviation with the reason."""
    b = Bedside(store)
    b.gates()
    b.initial_identity()
    b.give_bag(1, flush_ml=99.0, flush_deviation=Deviation(FLUSH_REASON, NURSE))
    b.wait(3700)
    # The total only grows: bag 2's flush is above the threshold too and is signed for again.
    b.give_bag(2, flush_deviation=Deviation("Total includes bag 1's documented flush", NURSE))
    b.finish()
    return b.id
