"""Drive a procedure through the engine in the nurse's order, for tests.

`Driver.to(step)` walks a standard two-bag procedure up to the named step (bag 1 unless `bag`),
so a test can start right at the boundary it checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Deviation, Outcome, Procedure
from kresladi_bedside.engine.identity import ExactMatchVerifier, IdentityVerifier
from kresladi_bedside.labels.model import Scan
from kresladi_bedside.profile import Profile, load_profile

START = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
NURSE = "u-nurse"
PATIENT = {"mrn": "MRN0042117", "name": "RIVERA^MATEO", "dob": "2024-05-01",
           "coi": "CH1234567890"}
DINS = ("W123426000101", "W123426000102")
LINE_OK = {"central_access": True, "no_inline_filter": True, "no_pump": True,
           "tubing_primed": True}
POST_OK = {"monitoring": True, "irradiate_blood_products": True, "never_donate": True}


def order_dict(*, bags: int = 2, dose: tuple[float, ...] = (1.6e6, 1.6e6),
               lots: tuple[str, ...] = ("LOT-A", "LOT-B"), sheet: int | None = None,
               expiry: datetime = START + timedelta(days=200)) -> dict[str, Any]:
    return {
        "patient": dict(PATIENT), "weight_kg": 7.4,
        "sheet_bag_count": bags if sheet is None else sheet,
        "bags": [{"bag_id": DINS[i] if i < 2 else f"W12342600010{i + 1}",
                  "lot": lots[i % len(lots)], "expiry": expiry.isoformat(),
                  "cd34_per_kg": dose[i % len(dose)], "volume_ml": 18.0} for i in range(bags)],
    }


def scan(kind: str, source: str = "wedge", **ids: str) -> Scan:
    return Scan(kind, ids, source, f"{kind}:{ids}", typed_reason="scanner broken"
                if source == "typed" else None)


class Driver:
    def __init__(self, profile: Profile | None = None, verifier: IdentityVerifier | None = None,
                 clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock(START)
        self.profile = profile or load_profile()
        self.proc = Procedure(self.profile, self.clock, verifier or ExactMatchVerifier())

    def do(self, name: str, deviation: Deviation | None = None, **args: Any) -> Outcome:
        return self.proc.handle(Command(name, args, user=NURSE, deviation=deviation))

    def ok(self, name: str, deviation: Deviation | None = None, **args: Any) -> Outcome:
        out = self.do(name, deviation, **args)
        assert out.accepted, f"{name} refused: {out.rejection}"
        return out

    def scan(self, kind: str, **ids: str) -> Outcome:
        return self.do("scan", scan=scan(kind, **ids).to_dict())

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @property
    def step(self) -> str:
        return self.proc.step().name

    # ------------------------------------------------------------------ the standard walk
    def open(self) -> Driver:
        self.ok("open")
        return self

    def order(self, **kw: Any) -> Driver:
        self.ok("prepare_order", order=order_dict(**kw))
        return self

    def gates(self, conditioning_hours_ago: float = 30) -> Driver:
        """Every gate, with the conditioning-order instants in the label's order: stored and
        back-up confirmed days before conditioning began (4 days before it ended)."""
        now = self.clock.now().wall
        self.ok("confirm_backup", available=True, cd34_per_kg=3e6,
                confirmed_at=(now - timedelta(days=9)).isoformat())
        at = now - timedelta(hours=conditioning_hours_ago)
        self.ok("record_conditioning_end", at=at.isoformat(),
                conditioning_start=(at - timedelta(days=4)).isoformat())
        self.ok("confirm_storage", temperature_c=-170,
                stored_at=(now - timedelta(days=10)).isoformat())
        self.ok("attest", items={"hsct_appropriate": True, "ustekinumab": "not given"})
        return self

    def identity(self) -> Driver:
        """Wristband, shipper, every cassette and bag 1 (a later bag stays in its cassette)."""
        assert self.scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]).accepted
        assert self.scan("shipper", mrn=PATIENT["mrn"], coi=PATIENT["coi"]).accepted
        for number in range(1, len(self.proc.state.bags) + 1):
            assert self.scan("cassette", din=DINS[number - 1], coi=PATIENT["coi"]).accepted
        assert self.scan("bag", din=DINS[0], coi=PATIENT["coi"]).accepted
        return self

    def identity_two_identifiers(self) -> Driver:
        """The first identity step with every label carrying two patient identifiers, as the
        real label verifier asks (LabelIdentityVerifier; used again when a log is imported)."""
        ids = {"mrn": PATIENT["mrn"], "coi": PATIENT["coi"]}
        assert self.scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]).accepted
        assert self.scan("shipper", **ids).accepted
        for din in DINS[:len(self.proc.state.bags)]:
            assert self.scan("cassette", din=din, **ids).accepted
        assert self.scan("bag", din=DINS[0], **ids).accepted
        return self

    def release(self, bag: int) -> Driver:
        """A later bag out of its cassette at its own thaw: its storage confirmed (kept in
        vapor-phase LN2 until now), then its label against the cassette's."""
        self.ok("confirm_bag_storage", bag=bag, kept_frozen=True)
        out = self.scan("bag", din=DINS[bag - 1], coi=PATIENT["coi"])
        assert out.accepted, out.rejection
        return self

    def bedside(self, bag: int) -> Driver:
        assert self.scan("wristband", mrn=PATIENT["mrn"], dob=PATIENT["dob"]).accepted
        assert self.scan("bag", din=DINS[bag - 1], coi=PATIENT["coi"]).accepted
        return self

    def give_bag(self, bag: int, *, thaw_s: float = 240, infuse_s: float = 420) -> Driver:
        if bag > 1:
            self.release(bag)
        self.ok("inspect_bag", bag=bag, intact=True)
        self.line_checked(bag, thaw_s=thaw_s)
        self.ok("start_infusion", bag=bag)
        self.advance(infuse_s)
        self.ok("end_infusion", bag=bag, attest={"entire_contents": True})
        self.ok("log_flush", bag=bag, volume_ml=4.5)
        return self

    def line_checked(self, bag: int = 1, *, method: str = "water_bath",
                     thaw_s: float = 240) -> Driver:
        """From an inspected bag: thawed, confirmed again at the bedside, its line checked."""
        self.ok("start_thaw", bag=bag, method=method, attest={"sterile_overbag": True})
        self.advance(thaw_s)
        self.ok("complete_thaw", bag=bag, attest={"no_visible_ice": True})
        self.bedside(bag)
        self.ok("check_line", bag=bag, items=LINE_OK)
        return self

    def ready_to_thaw(self, **order_kw: Any) -> Driver:
        self.open().order(**order_kw).gates().identity()
        self.ok("inspect_bag", bag=1, intact=True)
        return self

    def complete(self) -> Driver:
        self.open().order().gates().identity().give_bag(1)
        self.advance(3600)
        self.give_bag(2)
        self.ok("acknowledge_post_infusion", attest=POST_OK)
        return self


def rejection(out: Outcome) -> Mapping[str, Any]:
    assert out.rejection is not None, f"expected a rejection, got {out.events}"
    return out.rejection.to_dict()
