"""Issue 25, item 12: the tick is due when the next digit of a countdown on screen changes."""

from __future__ import annotations

from types import SimpleNamespace

from kresladi_bedside.qt.ticking import LATE_MS, ms_to_next_digit


def c(elapsed_s: float) -> SimpleNamespace:
    return SimpleNamespace(elapsed_s=elapsed_s)


def test_the_tick_falls_just_after_the_countdowns_next_whole_second() -> None:
    assert ms_to_next_digit([c(12.3)]) == 700 + LATE_MS
    assert ms_to_next_digit([c(12.999)]) == 1 + LATE_MS
    # two clocks of different phases: the nearer boundary first
    assert ms_to_next_digit([c(40.25), c(3.9)]) == 100 + LATE_MS


def test_on_a_boundary_the_next_is_a_second_away_and_nothing_running_ticks_each_second() -> None:
    assert ms_to_next_digit([c(7.0)]) == 1000
    assert ms_to_next_digit([]) == 1000


def test_a_tick_of_another_period_is_left_alone() -> None:
    assert ms_to_next_digit([c(12.3)], period_ms=60_000) == 60_000
