"""The window's background sync and its indicator, against the loopback server."""

from __future__ import annotations

import pytest

from kresladi_bedside.qt.sync_status import BackgroundSync, SyncStatusIndicator
from kresladi_bedside.store import open_store
from kresladi_bedside.sync.outbox import OutboxSummary, Parked
from kresladi_bedside.sync.status import SyncStatus

from .conftest import completed, settings_for
from .fhir_server import Fault


def summary(waiting: int = 0, parked: tuple[Parked, ...] = (),
            last: str | None = None) -> OutboxSummary:
    return OutboxSummary(waiting, parked, 0, 0, 0, last)


@pytest.mark.parametrize(("status", "level", "words"), [
    (SyncStatus.off("no server"), "off", "not sent from this workstation"),
    (SyncStatus.of(summary()), "ok", "all sent"),
    (SyncStatus.of(summary(waiting=2, last="2026-03-03T12:00:00+00:00")), "waiting",
     "2 waiting to be sent · last sent"),
    (SyncStatus.of(summary(waiting=1, parked=(Parked("p1", "HTTP 400 <b>bad</b>"),))),
     "parked", "1 not accepted by the hospital — call IT"),
    (SyncStatus(waiting=3, blocked="HTTP 401"), "blocked", "sending blocked — call IT"),
    (SyncStatus.failed("database locked"), "error", "sync cannot run"),
    (SyncStatus(waiting=1, error="HTTP 200 but not a FHIR answer: '<html>'"), "error",
     "did not answer as FHIR — call IT (1 waiting)"),
])
def test_indicator_says_what_is_left(qtbot, status, level, words):
    indicator = SyncStatusIndicator()
    qtbot.addWidget(indicator)
    indicator.show_status(status)
    assert indicator.level == level
    assert words in indicator.label.text()


def test_parked_reasons_are_in_the_tooltip_as_text(qtbot):
    indicator = SyncStatusIndicator()
    qtbot.addWidget(indicator)
    indicator.show_status(SyncStatus.of(summary(parked=(Parked("p1", "HTTP 400 <b>x</b>"),))))
    assert "Parked p1: HTTP 400 &lt;b&gt;x&lt;/b&gt;" in indicator.toolTip()


def test_background_sync_delivers_and_retries_off_the_gui_thread(qtbot, tmp_path, server,
                                                                 profile):
    db = tmp_path / "p.db"
    with open_store(db) as store:
        store.append(completed())
    server.faults.append(Fault.status_only(503, retry_after="0"))
    settings = settings_for(server, tries_per_pass=1)
    sync = BackgroundSync(db, settings, profile)
    seen: list[SyncStatus] = []
    sync.status_changed.connect(seen.append)
    try:
        sync.start()
        qtbot.waitUntil(lambda: any(s.level == "ok" and s.last_success for s in seen),
                        timeout=5000)
    finally:
        sync.stop()
    levels = [s.level for s in seen]
    assert "waiting" in levels  # the 503 was shown before the retry succeeded
    # the 503, then the patient, its in-progress Encounter, the product's RxNorm on the server
    # (once the server has answered the pass's patient search: sync/formulary.py) and the
    # transaction
    assert server.calls == 5 and len(server.of_type("Procedure")) == 1
    assert not sync.running


def test_without_a_server_the_indicator_says_off(qtbot, tmp_path, profile):
    sync = BackgroundSync(tmp_path / "p.db", None, profile, off_reason="training workstation")
    seen: list[SyncStatus] = []
    sync.status_changed.connect(seen.append)
    sync.start()
    sync.sync_now()
    assert [s.level for s in seen] == ["off"] and not sync.running
    assert "training workstation" in seen[0].details()


def test_an_unexpected_error_in_a_pass_shows_red_and_the_next_pass_still_runs(
        qtbot, tmp_path, server, profile, monkeypatch):
    from dataclasses import replace

    from kresladi_bedside.qt import sync_status

    db = tmp_path / "p.db"
    with open_store(db) as store:
        store.append(completed())
    passes: list[int] = []
    real_pass = sync_status.run_pass

    def first_pass_breaks(*args, **kwargs):
        passes.append(1)
        if len(passes) == 1:
            raise KeyError("a bug nobody expected")  # none of the three types caught before
        return real_pass(*args, **kwargs)

    monkeypatch.setattr(sync_status, "run_pass", first_pass_breaks)
    sync = BackgroundSync(db, replace(settings_for(server), interval_s=0.2), profile)
    indicator = SyncStatusIndicator()
    qtbot.addWidget(indicator)
    shown: list[tuple[str, str, str, str]] = []

    def paint(status: SyncStatus) -> None:
        indicator.show_status(status)
        shown.append((indicator.level, indicator.label.text(), indicator.dot.styleSheet(),
                      indicator.toolTip()))

    sync.status_changed.connect(paint)
    try:
        sync.start()
        qtbot.waitUntil(lambda: any(s[0] == "ok" for s in shown), timeout=10_000)
    finally:
        sync.stop()
    levels = [s[0] for s in shown]
    # before the first pass has finished, nothing is claimed
    assert levels[0] == "pending" and "all sent" not in shown[0][1]
    # the broken pass reached the GUI thread: red, saying sync cannot run
    broken = levels.index("error")
    assert "ok" not in levels[:broken]
    assert "#a11d1d" in shown[broken][2] and "sync cannot run" in shown[broken][1]
    assert "KeyError" in shown[broken][3] and "a bug nobody expected" in shown[broken][3]
    # the worker was not left busy: the next pass ran and delivered
    assert len(passes) >= 2 and len(server.of_type("Procedure")) == 1
