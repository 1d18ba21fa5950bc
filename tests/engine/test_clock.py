from datetime import UTC, datetime, timedelta, timezone

import pytest

from kresladi_bedside.clock import FakeClock, Instant, ScaledClock, elapsed


def test_within_one_boot_durations_follow_the_monotonic_clock() -> None:
    start = Instant(datetime(2026, 1, 1, tzinfo=UTC), 0, 100.0, "boot-a")
    # the wall clock was set back an hour during a 4-minute thaw
    end = Instant(datetime(2026, 1, 1, tzinfo=UTC) - timedelta(minutes=56), 0, 340.0, "boot-a")
    assert elapsed(start, end) == 240.0


def test_across_boots_durations_follow_the_wall_clock() -> None:
    start = Instant(datetime(2026, 1, 1, tzinfo=UTC), 0, 100.0, "boot-a")
    end = Instant(datetime(2026, 1, 1, 0, 3, tzinfo=UTC), 0, 5.0, "boot-b")
    assert elapsed(start, end) == 180.0
    typed = Instant.from_wall(datetime(2025, 12, 31, 23, 0, tzinfo=UTC))
    assert elapsed(typed, start) == 3600.0


def test_instants_round_trip_and_keep_local_offset() -> None:
    local = datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=-5)))
    instant = Instant.from_wall(local)
    assert instant.wall.utcoffset() == timedelta(0)
    assert instant.local() == local and instant.local().utcoffset() == timedelta(hours=-5)
    assert Instant.from_dict(instant.to_dict()) == instant
    with pytest.raises(ValueError):
        Instant(datetime(2026, 1, 1))


def test_fake_clock_reboot_and_scaled_clock() -> None:
    clock = FakeClock()
    before = clock.now()
    after = clock.reboot(boot="b2", wall_jump_s=120)
    assert after.boot_id == "b2" and elapsed(before, after) == 120
    fast = ScaledClock(clock, speed=10)
    t0 = fast.now()
    clock.advance(6)
    assert elapsed(t0, fast.now()) == pytest.approx(60)
