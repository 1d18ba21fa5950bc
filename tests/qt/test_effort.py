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


# ---------------------------------------------------------------- the pre-thaw search
class Searches:
    """Stands in for the pre-thaw search (sync.prethaw, tested against a server in tests/sync):
    here only *when* the window asks for it is under test."""

    def __init__(self) -> None:
        self.started: list[int] = []

    def start(self, procedure_id: str, bag: int, din: str, mrn: str) -> None:
        self.started.append(bag)

    def close(self) -> None:
        pass


def test_the_pre_thaw_search_starts_as_the_bag_leaves_its_cassette(bedside) -> None:
    from kresladi_bedside.labels import samples as S
    from kresladi_bedside.qt.pages import IdentityPage

    b = bedside()
    b.window.prethaw = searches = Searches()
    b.sign_in()
    b.page.form.sampleButton.click()
    b.gates()
    assert isinstance(b.page, IdentityPage)
    for payload in (S.wristband_payload(), S.shipper_payload(), S.cassette_payload(1)):
        b.scan(payload)
    assert searches.started == []
    b.scan(S.bag_payload(1))  # out of its cassette: the search starts, before inspection
    assert searches.started == [1]


# ---------------------------------------------------------------- acknowledged together
def test_only_instructions_for_afterwards_are_acknowledged_together(tmp_path) -> None:
    from kresladi_bedside.profile import ProfileError, default_profile_path, load_profile

    profile = load_profile()
    assert profile.acknowledged_as_one("post_infusion")
    assert not profile.acknowledged_as_one("line_checks")
    text = default_profile_path().read_text(encoding="utf-8")
    for step, why in (("line_checks", "item by item"), ("thaw", "item by item"),
                      ("flush", "no attestations")):
        bad = tmp_path / f"{step}.toml"
        bad.write_text(text.replace('together = ["post_infusion"]',
                                    f'together = ["post_infusion", "{step}"]'),
                       encoding="utf-8")
        with pytest.raises(ProfileError, match=why):
            load_profile(bad)


# ---------------------------------------------------------------- in view on a small screen
def test_the_entry_enter_moves_to_is_scrolled_into_view(bedside) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QScrollArea

    from kresladi_bedside.qt.pages import GatesPage

    b = bedside()
    b.window.showNormal()
    b.window.resize(1366, 768)  # a small bedside screen: the gates page scrolls
    b.sign_in()
    b.page.form.sampleButton.click()
    g = b.page
    assert isinstance(g, GatesPage)
    b.window.activateWindow()
    for _ in range(3):
        QApplication.processEvents()
    for field in (g.form.backupSpin, g.backupWhen, g.form.storageSpin, g.storedWhen,
                  g.form.conditioningEdit, g.conditioningStart):
        if field is not g.form.backupSpin:  # the first is where the page opens
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
            QApplication.processEvents()
        assert QApplication.focusWidget() is field
        area = field.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is None:  # pinned below the scroll area (the conditioning row): always in view
            assert field.visibleRegion().boundingRect().size() == field.size()
            continue
        top = field.mapTo(area.viewport(), QPoint(0, 0)).y()
        assert top >= 0 and top + field.height() <= area.viewport().height()
