"""Finding 2: expiry is an instant. The sheet's expiry is an instant, the label's a local time in
the site's time zone; one definition of expired everywhere."""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kresladi_bedside.clock import FakeClock, Instant
from kresladi_bedside.engine.procedure import default_verifier
from kresladi_bedside.labels import expiry, samples
from kresladi_bedside.labels.parse import parse
from kresladi_bedside.profile import load_profile
from kresladi_bedside.training.sample import patient_order

from .driver import Driver

KARACHI = "Asia/Karachi"  # +05:00 all year
ISBT_DM = "]d1"


def _label_walk(zone: str, sheet_expiry: datetime, printed: datetime,
                now: datetime) -> Driver:
    """A one-bag order whose sheet says `sheet_expiry` and whose labels print `printed` (its
    wall digits), with the label verifier at a site in `zone`; gates done at `now`."""
    clock = FakeClock(now, utc_offset_s=int(now.astimezone(ZoneInfo(zone)).utcoffset()
                                            .total_seconds()))
    d = Driver(verifier=default_verifier(load_profile(), None, zone), clock=clock)
    order = patient_order(1, zone=ZoneInfo(zone))
    order = replace(order, bags=(replace(order.bags[0], expiry=sheet_expiry,
                                         cd34_per_kg=3e6),))
    d.ok("open")
    d.ok("prepare_order", order=order.to_dict())
    d.gates()
    d.labels = {  # type: ignore[attr-defined]
        "wristband": samples.wristband_payload(),
        "shipper": samples.shipper_payload(),
        "cassette": samples.cassette_payload(1, expiry=printed.replace(tzinfo=None)),
        "bag": samples.bag_payload(1, expiry=printed.replace(tzinfo=None)),
    }
    return d


def _scan(d: Driver, kind: str):
    symbology = "]Q1" if kind == "wristband" else ISBT_DM
    scan = parse(d.labels[kind], "wedge", symbology)  # type: ignore[attr-defined]
    return d.do("scan", scan=scan.to_dict())


def test_finding_2_sheet_in_utc_same_instant_as_local_label_is_not_a_mismatch() -> None:
    sheet = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)  # 14:30 in Karachi
    d = _label_walk(KARACHI, sheet, datetime(2026, 6, 1, 14, 30), datetime(2026, 5, 1, 8, 0,
                                                                           tzinfo=UTC))
    for kind in ("wristband", "shipper", "cassette", "bag"):
        out = _scan(d, kind)
        assert out.accepted, (kind, out.rejection)
    label = d.proc.state.labels[-1]
    assert label.expiry == sheet  # the label's local time read as the sheet's instant


def test_finding_2_label_expiring_before_the_sheet_stops_the_thaw() -> None:
    """Same digits as the sheet but local (+05:00): the label expired 5 h earlier. A thaw 30 min
    after the label's expiry must not start (it did when only the sheet was re-checked)."""
    sheet = datetime(2026, 6, 1, 14, 30, tzinfo=UTC)
    printed = datetime(2026, 6, 1, 14, 30)  # Karachi: 09:30 UTC
    d = _label_walk(KARACHI, sheet, printed, datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    assert _scan(d, "wristband").accepted
    assert _scan(d, "shipper").accepted
    out = _scan(d, "cassette")
    # The labels and the sheet disagree on the instant: a mismatch, the product is not used.
    assert out.rejection is not None and out.rejection.kind == "hard_stop"
    assert d.proc.state.outcome == "stopped"


def test_finding_2_thaw_rechecks_the_accepted_labels_printed_expiry() -> None:
    """With the test verifier, a label whose printed expiry (with offset) is earlier than the
    sheet's: accepted at scan, the thaw after it is a hard stop."""
    d = Driver()
    d.open().order(expiry=d.clock.now().wall + timedelta(days=5)).gates()
    label_expiry = (d.clock.now().wall + timedelta(minutes=90)).isoformat()
    from .driver import DINS, PATIENT
    assert d.scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]).accepted
    assert d.scan("shipper", mrn=PATIENT["mrn"], coi=PATIENT["coi"]).accepted
    for n in (1, 2):
        assert d.scan("cassette", din=DINS[n - 1], coi=PATIENT["coi"],
                      expiry=label_expiry).accepted
    assert d.scan("bag", din=DINS[0], coi=PATIENT["coi"], expiry=label_expiry).accepted
    d.ok("inspect_bag", bag=1, intact=True)
    d.advance(91 * 60)
    out = d.do("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    assert out.rejection is not None and out.rejection.rule == "expiry"
    assert out.rejection.kind == "hard_stop"


def test_finding_2_one_definition_of_expired_at_the_instant() -> None:
    """At the expiry instant both the scan and the thaw say expired; one second before, both
    allow (the scan used <=, the thaw >)."""
    start = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
    # The scan at the instant.
    d = Driver(clock=FakeClock(start))
    d.open().order(expiry=start + timedelta(minutes=10)).gates()
    from .driver import DINS, PATIENT
    assert d.scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]).accepted
    assert d.scan("shipper", mrn=PATIENT["mrn"], coi=PATIENT["coi"]).accepted
    d.clock.set(start + timedelta(minutes=10))
    out = d.scan("cassette", din=DINS[0], coi=PATIENT["coi"])
    assert out.rejection is not None and out.rejection.rule == "expiry"
    # The thaw (issue 23): refused when the bag expires before thaw start + 30:00, the end of
    # the time its infusion may take; at +30:00 exactly the infusion can end within its date.
    for before, stopped in ((0, True), (30 * 60 - 1, True), (30 * 60, False),
                            (30 * 60 + 1, False)):
        d = Driver(clock=FakeClock(start))
        d.ready_to_thaw(expiry=start + timedelta(minutes=40))
        d.clock.set(start + timedelta(minutes=40) - timedelta(seconds=before))
        out = d.do("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
        assert (out.rejection is not None and out.rejection.rule == "expiry") is stopped
    assert expiry.is_expired(start, Instant(start))
    assert not expiry.is_expired(start, Instant(start - timedelta(microseconds=1)))


# ---------------------------------------------------------------------------- every zone
ZONES = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc"))


@functools.cache
def _transitions(zone: str, year: int) -> tuple[datetime, ...]:
    """The UTC instants in `year` where the zone's offset changes (DST edges)."""
    tz = ZoneInfo(zone)
    found = []
    t = datetime(year, 1, 1, tzinfo=UTC)
    previous = t.astimezone(tz).utcoffset()
    while t.year == year:
        t += timedelta(hours=1)
        offset = t.astimezone(tz).utcoffset()
        if offset != previous:
            found.append(t)
            previous = offset
    return tuple(found)


@st.composite
def zone_and_instant(draw: st.DrawFn) -> tuple[str, datetime]:
    zone = draw(st.sampled_from(ZONES))
    year = draw(st.integers(2026, 2032))
    edges = _transitions(zone, year)
    if edges and draw(st.booleans()):
        # Within two hours either side of a DST change, to the minute.
        base = draw(st.sampled_from(edges))
        instant = base + timedelta(minutes=draw(st.integers(-120, 120)))
    else:
        instant = datetime(year, 1, 1, tzinfo=UTC) + timedelta(
            minutes=draw(st.integers(0, 365 * 24 * 60)))
    return zone, instant + timedelta(seconds=draw(st.integers(0, 59)))


@settings(max_examples=200, deadline=None)
@given(zone_and_instant())
def test_finding_2_expiry_right_in_every_zone_and_across_dst(case: tuple[str, datetime]) -> None:
    zone_name, sheet = case
    zone = ZoneInfo(zone_name)
    printed = sheet.astimezone(zone).replace(tzinfo=None).isoformat(timespec="minutes")
    # The label's local time and the sheet's instant are the same expiry ...
    assert expiry.same_expiry(printed, sheet.isoformat(), zone)
    read = expiry.label_instant(printed, zone, sheet)
    assert read == expiry.minute(sheet)
    # ... and a label one minute off is not.
    off = (sheet + timedelta(minutes=1)).astimezone(zone).replace(tzinfo=None)
    assert not expiry.same_expiry(off.isoformat(timespec="minutes"), sheet.isoformat(), zone) \
        or off.replace(fold=1).astimezone(UTC) != off.astimezone(UTC)  # a repeated hour
    # Without the sheet, the label alone never reads later than it means.
    alone = expiry.label_instant(printed, zone)
    assert alone is not None and alone <= expiry.minute(sheet)
    # Expired from that minute on, not a moment before.
    governing = min(sheet, read)
    assert expiry.is_expired(governing, Instant(governing))
    assert not expiry.is_expired(governing, Instant(governing - timedelta(seconds=1)))


def test_finding_2_skipped_local_time_reads_as_the_earlier_instant() -> None:
    zone = ZoneInfo("America/New_York")
    gap = "2026-03-08T02:30"  # clocks go from 02:00 to 03:00
    readings = expiry.readings(gap, zone)
    assert len(readings) == 2 and readings[0] < readings[1]
    assert expiry.label_instant(gap, zone) == readings[0]
