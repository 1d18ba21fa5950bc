"""Issue 23 (2): a printed expiry is read in the site's time zone for the date it names, DST
included, by one definition at receipt and at the bedside. A DST change between receipt and
expiry, or between receipt and infusion, must not turn into an "identity mismatch: expiry"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.engine.procedure import default_verifier
from kresladi_bedside.labels import samples
from kresladi_bedside.labels.parse import parse
from kresladi_bedside.profile import load_profile
from kresladi_bedside.receipt.bedside import infusion_order_args

from .conftest import EHR_SAMPLE, PIN_B, make_desk, sheet

NEW_YORK = ZoneInfo("America/New_York")


def _offset(at: datetime) -> int:
    return int(at.astimezone(NEW_YORK).utcoffset().total_seconds())  # type: ignore[union-attr]


@pytest.mark.parametrize(("received", "printed", "infused", "instant"), [
    # spring forward (8 Mar 2026) between receipt (EST) and expiry / infusion (EDT)
    (datetime(2026, 3, 2, 15, 0, tzinfo=UTC), datetime(2026, 3, 20, 12, 0),
     datetime(2026, 3, 10, 14, 0, tzinfo=UTC), datetime(2026, 3, 20, 16, 0, tzinfo=UTC)),
    # fall back (1 Nov 2026) between receipt (EDT) and expiry / infusion (EST)
    (datetime(2026, 10, 20, 15, 0, tzinfo=UTC), datetime(2026, 11, 20, 12, 0),
     datetime(2026, 11, 5, 15, 0, tzinfo=UTC), datetime(2026, 11, 20, 17, 0, tzinfo=UTC)),
    # infusion before the change, expiry after it (EDT at receipt and bedside)
    (datetime(2026, 10, 20, 15, 0, tzinfo=UTC), datetime(2026, 11, 20, 12, 0),
     datetime(2026, 10, 28, 15, 0, tzinfo=UTC), datetime(2026, 11, 20, 17, 0, tzinfo=UTC)),
])
def test_expiry_read_in_the_site_zone_at_receipt_and_bedside_across_dst(
        tmp_path: Path, received: datetime, printed: datetime, infused: datetime,
        instant: datetime) -> None:
    clock = FakeClock(received, utc_offset_s=_offset(received))
    desk = make_desk(tmp_path / "pharmacy.db", clock)
    desk.receipt.zone = NEW_YORK  # the site's zone, as the window passes it
    cassettes = [samples.cassette_payload(n, expiry=printed) for n in (1, 2)]
    for outcome in (desk.do("open_receipt", {"mrn": EHR_SAMPLE.mrn, "ehr": EHR_SAMPLE.to_dict()}),
                    desk.scan(samples.shipper_payload()), *map(desk.scan, cassettes),
                    desk.do("record_storage", {"temperature_c": -180, "location": "LN2 2",
                                               "in_cassettes": True}),
                    desk.do("enter_sheet", {"sheet": sheet()}),
                    desk.do("verify_sheet", {"sheet": sheet()}, verifier=(desk.bob, PIN_B)),
                    desk.do("complete_receipt")):
        assert outcome.accepted, outcome.rejection
    order = desk.receipt.state.order
    assert order is not None and order.bags[0].expiry == instant
    assert desk.store.events(desk.receipt.receipt_id)[0].data["time_zone"] == "America/New_York"

    # The infusion day, on the other side of the DST change: the same labels match.
    bedside = FakeClock(infused, utc_offset_s=_offset(infused))
    proc = Procedure(load_profile(), bedside, default_verifier(load_profile(), None, NEW_YORK))

    def do(name: str, **args: object):
        out = proc.handle(Command(name, args, user="u-nurse"))
        assert out.accepted, out.rejection
        return out

    do("open")
    do("prepare_order", **infusion_order_args(desk.receipt.state))
    do("confirm_backup", available=True, cd34_per_kg=3e6,
       confirmed_at=(infused - timedelta(days=9)).isoformat())
    do("record_conditioning_end", at=(infused - timedelta(hours=30)).isoformat(),
       conditioning_start=(infused - timedelta(hours=40)).isoformat())
    do("confirm_storage", temperature_c=-180)
    do("attest", items={"hsct_appropriate": True, "ustekinumab": "not given"})
    for payload in (samples.wristband_payload(), samples.shipper_payload(), *cassettes,
                    samples.bag_payload(1, expiry=printed)):
        out = proc.handle(Command("scan", {"scan": parse(payload, "wedge").to_dict()},
                                  user="u-nurse"))
        assert out.accepted, out.rejection
    assert proc.step().name == "inspect"
    desk.store.close()


def test_receipt_reads_expiry_in_the_site_zone_not_the_workstation_offset(
        tmp_path: Path) -> None:
    """A workstation whose clock runs at UTC, at a New York site: 14:30 printed is 18:30 UTC,
    not yet past at 15:00 UTC (read at the workstation's offset it would be refused)."""
    now = datetime(2026, 7, 1, 15, 0, tzinfo=UTC)
    desk = make_desk(tmp_path / "pharmacy.db", FakeClock(now, utc_offset_s=0))
    desk.receipt.zone = NEW_YORK
    assert desk.do("open_receipt", {"mrn": EHR_SAMPLE.mrn, "ehr": EHR_SAMPLE.to_dict()}).accepted
    assert desk.scan(samples.shipper_payload()).accepted
    assert desk.scan(samples.cassette_payload(1, expiry=datetime(2026, 7, 1, 14, 30))).accepted
    out = desk.scan(samples.cassette_payload(2, expiry=datetime(2026, 7, 1, 10, 59)))
    assert out.rejection is not None and out.rejection.rule == "expiry"
    assert "site time" in out.rejection.reason
    desk.store.close()
