"""Scanner burst or typing: the timing rules, with times we control."""

from __future__ import annotations

import pytest

from kresladi_bedside.config import ScannerConfig
from kresladi_bedside.scanning.burst import (
    DEFAULT_STALL_MS,
    BurstClassifier,
    Decision,
    Key,
    Replay,
    key_kind,
)
from kresladi_bedside.scanning.burst import Burst as BurstDecision


def keys(text: str, gap_ms: float, start: float = 0.0) -> list[Key]:
    return [Key(ch, start + i * gap_ms) for i, ch in enumerate(text)]


def run(classifier: BurstClassifier, stream: list[Key], end_ms: float | None = None) -> list:
    out: list[Decision] = []
    for key in stream:
        out += classifier.feed(key)
    if end_ms is not None:
        out += classifier.tick(end_ms)
    return out


def typed_text(decisions: list[Decision]) -> str:
    return "".join(k.text for d in decisions if isinstance(d, Replay) for k in d.keys)


def scans(decisions: list[Decision]) -> list:
    return [d.scan for d in decisions if isinstance(d, BurstDecision)]


def test_fast_burst_with_gs_and_suffix_is_one_scan_with_gs_kept() -> None:
    c = BurstClassifier()
    out = run(c, keys("]d2010950600013437610KR26\x1d21W1\r", 2.0))
    (scan,) = scans(out)
    assert scan.payload == "010950600013437610KR26\x1d21W1"
    assert scan.symbology == "]d2"
    assert scan.source == "wedge"
    assert typed_text(out) == ""
    assert not c.holding


def test_typing_at_60ms_is_replayed_in_order_not_a_scan() -> None:
    c = BurstClassifier()
    out = run(c, keys("00417356\r", 60.0), end_ms=10_000)
    assert scans(out) == []
    assert typed_text(out) == "00417356\r"


def test_typing_is_released_early_not_at_the_end_of_the_word() -> None:
    c = BurstClassifier()
    out = run(c, keys("0041", 60.0))  # no suffix yet, no timeout yet
    # The last key waits for the next one (or the hold): it could be a scan's first character.
    assert typed_text(out) == "004"
    assert typed_text(c.tick(180.0 + 100.0)) == "1"


def test_median_not_maximum_one_stall_in_a_burst_is_still_a_scan() -> None:
    stream = keys("=W12342", 2.0) + keys("610000100\r", 2.0, start=12.0 + 80.0)
    out = run(BurstClassifier(), stream)
    assert [s.payload for s in scans(out)] == ["=W12342610000100"]


def test_too_short_is_not_a_scan() -> None:
    out = run(BurstClassifier(min_chars=6), keys("12345\r", 2.0))
    assert scans(out) == []
    assert typed_text(out) == "12345\r"


def test_fast_keys_without_suffix_are_released_after_the_stall_allowance() -> None:
    c = BurstClassifier(hold_ms=100, stall_ms=250)
    out = run(c, keys("ABCDEFGH", 2.0))
    assert out == [] and c.holding
    assert c.tick(14.0 + 249.0) == []
    assert typed_text(c.tick(14.0 + 250.0)) == "ABCDEFGH"


def test_a_single_key_waits_only_the_hold() -> None:
    c = BurstClassifier(hold_ms=100, stall_ms=250)
    assert run(c, keys("a", 0.0)) == []
    assert typed_text(c.tick(100.0)) == "a"


def test_a_stall_inside_a_burst_does_not_split_the_scan() -> None:
    # a busy workstation or USB stream: 180 ms with no key in the middle of a label
    stream = keys("=+07102=W1234261", 1.0) + keys("0000100=<S5001A00\r", 1.0, start=15.0 + 180)
    out = run(BurstClassifier(), stream)
    assert [s.payload for s in scans(out)] == ["=+07102=W12342610000100=<S5001A00"]
    assert typed_text(out) == ""


def test_scanner_configured_without_suffix_is_recognised_after_the_stall_allowance() -> None:
    c = BurstClassifier(suffix="")
    out = run(c, keys("=W12342610000100", 2.0), end_ms=30.0 + DEFAULT_STALL_MS)
    assert [s.payload for s in scans(out)] == ["=W12342610000100"]


@pytest.mark.parametrize(("text", "modifier", "suffix", "kind"), [
    ("", True, "\r", "modifier"),  # Shift or Ctrl alone: part of a burst, holds nothing back
    ("A", False, "\r", "held"),
    ("\x1d", False, "\r", "held"),  # GS, Ctrl+]
    ("\r", False, "\r", "held"),  # the suffix
    ("\t", False, "\r", "passes"),  # a typist's Tab moves focus at once
    ("\t", False, "\t", "held"),  # unless the scanner ends with Tab
    ("\r", False, "\t", "passes"),
    ("", False, "\r", "passes"),  # arrows, F-keys
    ("ab", False, "\r", "passes"),  # input-method text
])
def test_key_kinds(text: str, modifier: bool, suffix: str, kind: str) -> None:
    assert key_kind(text, modifier_only=modifier, suffix=suffix) == kind


def test_configured_suffix_tab() -> None:
    c = BurstClassifier.from_config(ScannerConfig(suffix="\t"))
    out = run(c, keys("=W12342610000100\t", 1.0))
    assert [s.payload for s in scans(out)] == ["=W12342610000100"]
    # Enter is just a character for this site's scanner.
    assert scans(run(c, keys("=W12342610000100\r", 1.0, start=500))) == []


def test_keys_typed_just_before_a_scan_are_typing_and_the_burst_is_the_scan() -> None:
    stream = keys("ab", 70.0) + keys("=W12342610000100\r", 2.0, start=140.0)
    out = run(BurstClassifier(), stream)
    assert typed_text(out) == "ab"
    assert [s.payload for s in scans(out)] == ["=W12342610000100"]
    assert isinstance(out[0], Replay)  # typing first: the order of keys is kept


def test_a_long_pause_splits_held_keys_from_the_next() -> None:
    c = BurstClassifier(hold_ms=100)
    out = run(c, [Key("x", 0.0), Key("y", 500.0)])
    assert typed_text(out) == "x"
    assert c.holding


def test_held_keys_carry_their_token_back() -> None:
    out = run(BurstClassifier(), [Key("a", 0, token="event-a"), Key("\r", 200, token="event-b")])
    assert [k.token for d in out for k in d.keys] == ["event-a", "event-b"]


def test_flush_releases_everything() -> None:
    c = BurstClassifier()
    run(c, keys("abc", 2.0))
    assert typed_text(c.flush()) == "abc"
    assert c.flush() == []


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"min_chars": 0}, "min_chars"),
    ({"max_median_gap_ms": 0}, "max_median_gap_ms"),
    ({"max_median_gap_ms": 50, "hold_ms": 40}, "hold_ms"),
])
def test_bad_settings_are_named(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        BurstClassifier(**kwargs)
