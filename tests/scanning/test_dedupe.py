from __future__ import annotations

import pytest

from kresladi_bedside.scanning.dedupe import ConsecutiveDedupe
from kresladi_bedside.scanning.raw import RawScan


def cam(payload: str) -> RawScan:
    return RawScan(payload, "camera")


def payloads(scans: list[RawScan]) -> list[str]:
    return [s.payload for s in scans]


def test_same_payload_in_consecutive_frames_is_one_scan() -> None:
    d = ConsecutiveDedupe(hold_frames=3)
    seen = [payloads(d.fresh([cam("A")])) for _ in range(30)]
    assert seen == [["A"]] + [[]] * 29


def test_one_missed_frame_does_not_make_a_second_scan_but_a_real_absence_does() -> None:
    d = ConsecutiveDedupe(hold_frames=3)
    assert payloads(d.fresh([cam("A")])) == ["A"]
    assert payloads(d.fresh([])) == []  # a blurred frame
    assert payloads(d.fresh([cam("A")])) == []
    for _ in range(4):
        d.fresh([])
    assert payloads(d.fresh([cam("A")])) == ["A"]  # shown again: the nurse scanned again


def test_two_labels_in_view_are_two_scans_once_each() -> None:
    d = ConsecutiveDedupe()
    assert payloads(d.fresh([cam("A"), cam("B")])) == ["A", "B"]
    assert payloads(d.fresh([cam("B"), cam("A")])) == []
    assert payloads(d.fresh([cam("A"), cam("C")])) == ["C"]


def test_hold_must_be_positive() -> None:
    with pytest.raises(ValueError, match="hold_frames"):
        ConsecutiveDedupe(hold_frames=0)
