"""The words and times the window shows, from the engine's answers: pure functions, no window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kresladi_bedside.clock import Instant
from kresladi_bedside.engine import Rejection
from kresladi_bedside.engine.countdowns import Countdown
from kresladi_bedside.qt.display import (
    countdown_tile,
    deviation_line,
    done_note,
    opened_windows,
    parse_local_time,
    refusal_text,
    rejected_text,
    stop_view,
    window_sentence,
)

# 16:36 UTC is 17:36 at +01:00
NOW = Instant(datetime(2026, 5, 4, 16, 36, tzinfo=UTC), utc_offset_s=3600)


def interbag(opens_in: float, closes_in: float, level: str = "waiting") -> Countdown:
    return Countdown("interbag", "Bag 2: thaw window", "interbag_window", 2, level,  # type: ignore[arg-type]
                     0.0, 7200.0, 7200.0, opens_in_s=opens_in, closes_in_s=closes_in)


def test_the_window_is_given_in_times_of_day() -> None:
    c = interbag(3600, 7200)
    assert window_sentence(c, NOW, 2).startswith(
        "Bag 2 may be thawed from 18:36 to 19:36 (opens in 1:00:00)")
    tile = countdown_tile(c, NOW)
    assert (tile.title, tile.caption, tile.when) == ("Bag 2: thaw window", "opens in",
                                                     "18:36–19:36")
    open_ = countdown_tile(interbag(-60, 3540, "ok"), NOW)
    assert open_.caption == "closes in" and open_.when == "at 18:35"
    thaw = Countdown("thaw", "Bag 1: thaw", "thaw_time", 1, "warning", 250.0, 300.0, 50.0)
    tile = countdown_tile(thaw, NOW)  # counts down, like every clock (issue 25, item 14)
    assert (tile.digits, tile.caption, tile.when) == ("0:50", "left of 5:00", "until 17:36:50")


def test_a_chime_once_when_a_window_opens() -> None:
    waiting = {"interbag:2": "waiting"}
    assert opened_windows(waiting, [interbag(10, 3610)]) == []
    assert opened_windows(waiting, [interbag(-1, 3599, "ok")]) == ["interbag:2"]
    assert opened_windows({"interbag:2": "ok"}, [interbag(-2, 3598, "ok")]) == []


def test_expired_and_wrong_patient_are_called_so() -> None:
    expired = Rejection("expiry", "Bag 2 (lot X) expired on 2026-05-01 23:59. Do not use it.",
                        "§2.2", "hard_stop")
    assert rejected_text(expired, "bag").startswith("✘ EXPIRED — Bag label")
    wrong = Rejection("identity", "Identity mismatch: the MRN on the wristband label is '9'…",
                      "§2.2", "hard_stop", details={"field": "mrn", "found": "9",
                                                    "expected": "00417356"})
    assert rejected_text(wrong, "wristband").startswith("✘ WRONG PATIENT")
    lot = Rejection("identity", "Identity mismatch: the lot …", "§2.2", "hard_stop",
                    details={"field": "lot", "found": "A", "expected": "B"})
    assert rejected_text(lot, "bag").startswith("✘ STOP")
    assert stop_view("expiry", expired.reason).title.startswith("STOPPED — bag EXPIRED")
    assert "WRONG PATIENT" in stop_view("identity", wrong.reason, "mrn").title
    assert "by staff" in stop_view(None, "Patient unwell").title


def test_no_command_or_rule_id_reaches_the_screen() -> None:
    r = Rejection("sequence", "'scan' is not possible now: the procedure is at flush (bag 1).",
                  "§2.2")
    text = refusal_text(r)
    assert "'scan'" not in text and "flush (bag 1)" not in text
    assert "A scan is not needed now" in text and "Flush of bag 1" in text
    line = deviation_line("thaw_time", 1, "ice at the ports")
    assert "thaw_time" not in line and "thaw took longer than allowed, bag 1" in line


def test_typed_date_and_time() -> None:
    tz = timezone(timedelta(hours=2))
    now = datetime(2026, 5, 4, 8, 0, tzinfo=tz)
    assert parse_local_time("2026-05-03 02:30", tz) == datetime(2026, 5, 3, 2, 30, tzinfo=tz)
    assert parse_local_time(" 03.05.2026  02:30 ", tz).day == 3
    assert parse_local_time("05-03 02:30", tz, now) == datetime(2026, 5, 3, 2, 30, tzinfo=tz)
    # a short date later in the year than now is last year's, never months ahead
    assert parse_local_time("12-30 02:30", tz, now).year == 2025
    for bad in ("", "yesterday", "2026-13-01 02:30", "05-03"):
        with pytest.raises(ValueError, match="date and time"):
            parse_local_time(bad, tz, now)


def test_done_note_names_the_step_and_the_last_label() -> None:
    note = done_note("Identity", "✔ ACCEPTED: Bag label (bag 2)\nMatched: DIN", NOW)
    assert note == "✔ Recorded 17:36 — Identity; last: ACCEPTED: Bag label (bag 2)"


def test_a_time_on_another_day_says_which_day() -> None:
    """Issue 25, item 14: "closes in · at 02:00" had no day."""
    from datetime import UTC, datetime

    from kresladi_bedside.clock import Instant
    from kresladi_bedside.qt.display import at_clock

    now = Instant(datetime(2026, 5, 6, 22, 0, tzinfo=UTC), 0, 100.0, "b")
    assert at_clock(now, 3600) == "23:00"
    assert at_clock(now, 4 * 3600) == "02:00 tomorrow"
    assert at_clock(now, -23 * 3600) == "23:00 yesterday"
    assert at_clock(now, 2 * 86400) == "Fri 8 May 22:00"


def test_the_quit_question_and_the_tile_count_the_thaw_the_same_way() -> None:
    """Issue 25, item 14: the tile counted the thaw up ("0:04 of 5:00") while the quit dialog
    said "4:56 left". Both now count down, and the dialog says it in words."""
    from kresladi_bedside.qt.quit_guard import quit_question

    thaw = Countdown("thaw", "Thaw, bag 1", "thaw_time", 1, "ok", 4.0, 300.0, 296.0)
    tile = countdown_tile(thaw, NOW)
    assert (tile.digits, tile.caption, tile.when) == ("4:56", "left of 5:00", "until 17:40:56")
    question = quit_question([thaw], NOW)
    assert question is not None
    assert "Thaw, bag 1: 4 min 56 s left of 5 min 00 s (until 17:40:56)" in question
    over = Countdown("thaw", "Thaw, bag 1", "thaw_time", 1, "alarm", 312.0, 300.0, -12.0)
    assert countdown_tile(over, NOW).caption == "OVER by"
    assert "Thaw, bag 1: OVER by 0 min 12 s (limit was 17:35:48)" in (quit_question([over], NOW)
                                                                      or "")


def test_an_expiry_is_a_local_date_and_time_never_iso() -> None:
    from zoneinfo import ZoneInfo

    from kresladi_bedside.qt.display import local_when

    ny = ZoneInfo("America/New_York")
    moment = datetime(2027, 5, 31, 16, 0, tzinfo=UTC)
    assert local_when(moment, ny) == "Mon 31 May 2027, 12:00 EDT"
    assert local_when(datetime(2027, 1, 4, 12, 0, tzinfo=timezone(timedelta(hours=2)))) == \
        "Mon 4 Jan 2027, 12:00 UTC+02:00"
