"""Finding 18 (issue 17), piece by piece: what makes the fastest two-bag path shorter without
taking a check away. The whole path is counted in test_window_flow.py."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kresladi_bedside.qt.display import parse_local_time

TZ = timezone(timedelta(hours=-5))
NOW = datetime(2026, 11, 29, 9, 0, tzinfo=TZ)


@pytest.mark.parametrize("typed, expected", [
    ("11281530", datetime(2026, 11, 28, 15, 30, tzinfo=TZ)),
    ("1128 1530", datetime(2026, 11, 28, 15, 30, tzinfo=TZ)),
    ("11-28 15:30", datetime(2026, 11, 28, 15, 30, tzinfo=TZ)),  # as before
    ("202611281530", datetime(2026, 11, 28, 15, 30, tzinfo=TZ)),
    ("20261128 1530", datetime(2026, 11, 28, 15, 30, tzinfo=TZ)),
    ("12311530", datetime(2025, 12, 31, 15, 30, tzinfo=TZ)),  # a short date is never ahead
])
def test_a_chart_time_may_be_typed_as_digits_alone(typed, expected) -> None:
    assert parse_local_time(typed, TZ, NOW) == expected


@pytest.mark.parametrize("typed", [
    "13281530",  # no 13th month
    "11282561",  # no 25:61
    "1128153",  # seven digits: not a date and a time
    "1128",  # a date without its time
    "11 28 1530",  # digits in three groups: not one of the forms
    "112815 30",
])
def test_digits_that_are_no_date_and_time_are_refused_with_the_forms(typed) -> None:
    with pytest.raises(ValueError, match="MMDDHHMM"):
        parse_local_time(typed, TZ, NOW)
