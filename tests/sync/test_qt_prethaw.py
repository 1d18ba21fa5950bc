"""The pre-thaw check in the real window: the hospital's record shows KRESLADI already given →
the thaw is refused and the procedure stopped naming where and when; unreachable → said, and the
thaw goes on."""

from __future__ import annotations

import os

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from qt.conftest import START, Bedside

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.labels import samples as S
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.pages import InspectPage, OrderPage, StoppedPage, ThawPage
from kresladi_bedside.qt.prethaw import PrethawChecks
from kresladi_bedside.store import open_store

from .conftest import MRN_SYSTEM, settings_for
from .fhir_server import FhirTestServer

SAMPLE_MRN = "00417356"  # the training order's patient


def walk_to_thaw(b: Bedside) -> None:
    b.sign_in()
    b.next() if not isinstance(b.page, OrderPage) else None
    b.page.form.sampleButton.click()
    b.next()
    b.gates()
    b.next()
    for payload in (S.wristband_payload(), S.shipper_payload(), S.cassette_payload(1),
                    S.bag_payload(1), S.cassette_payload(2), S.bag_payload(2)):
        assert "ACCEPTED" in b.scan(payload)
    b.next()
    assert isinstance(b.page, InspectPage)
    b.page.form.intactButton.click()  # the search starts here, off the GUI thread
    b.next()
    assert isinstance(b.page, ThawPage)
    b.page.before.set_all()


def close_boxes(seen: list[str], shot: str | None = None) -> QTimer:
    timer = QTimer()
    timer.setInterval(20)

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            if shot:
                box.grab().save(shot)
            box.accept()
    timer.timeout.connect(answer)
    timer.start()
    return timer


GIVEN = {"resourceType": "MedicationAdministration", "id": "ma-1", "status": "completed",
         "medicationCodeableConcept": {"text": "KRESLADI (marnetegragene autotemcel)"},
         "subject": {"reference": "Patient/pat-9"},
         "effectiveDateTime": "2026-04-20T10:15:00-05:00",
         "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/event-location",
                        "valueReference": {"display": "St. Elsewhere Children's, CTU"}}]}


def noted(b: Bedside) -> list[dict]:
    """The pre-thaw answers recorded in the log."""
    return [e.data for e in b.session.events if e.type == "prethaw_checked"]


def record_row(b: Bedside, bag: int = 1):
    from kresladi_bedside.config import SiteConfig
    from kresladi_bedside.record import load_record

    view = load_record(b.store, b.session.state.procedure_id, load_profile(), SiteConfig())
    return next(r for r in view.bags[bag - 1].rows
                if r.label == "Hospital record checked before thaw")


def test_kresladi_already_in_the_hospital_record_stops_before_the_thaw(qtbot, tmp_path):
    """The search starts as bag 1 leaves its cassette; its answer, back on the GUI thread, is
    recorded and stops the procedure before any thaw, naming where and when."""
    server = FhirTestServer(patients={(MRN_SYSTEM, SAMPLE_MRN): "pat-9"}).start()
    server.resources["MedicationAdministration"] = {"ma-1": GIVEN}
    b = Bedside(qtbot, FakeClock(START), open_store(tmp_path / "p.db"))
    b.window.prethaw = PrethawChecks(settings_for(server), load_profile())
    seen: list[str] = []
    shot = os.environ.get("KRESLADI_SHOTS")
    timer = close_boxes(seen, f"{shot}/prethaw-found.png" if shot else None)
    try:
        b.sign_in()
        b.page.form.sampleButton.click()
        b.gates()
        for payload in (S.wristband_payload(), S.shipper_payload(), S.cassette_payload(1),
                        S.bag_payload(1)):  # out of its cassette: the search starts
            assert "ACCEPTED" in b.scan(payload)
        qtbot.waitUntil(lambda: b.session.state.outcome == "stopped", timeout=10_000)
        qtbot.waitUntil(lambda: bool(seen), timeout=3000)
        assert "St. Elsewhere Children's, CTU" in seen[0] and "Do not thaw." in seen[0]
        assert "2026-04-20 10:15 (UTC-0500)" in seen[0]
        state = b.session.state
        assert state.bag(1).thaw_started is None  # never thawed
        assert "St. Elsewhere" in (state.stop_reason or "")
        assert [n["verdict"] for n in noted(b)] == ["found"]
        row = record_row(b)  # on the printed record, flagged
        assert row.flag == "STOP" and "St. Elsewhere" in str(row.value)
        qtbot.waitUntil(lambda: isinstance(b.page, StoppedPage), timeout=3000)
    finally:
        timer.stop()
        b.close()
        server.stop()


def test_an_unreachable_server_is_shown_as_not_checked_and_the_thaw_goes_on(qtbot, tmp_path):
    server = FhirTestServer().start()
    server.stop()  # gone: the port refuses
    b = Bedside(qtbot, FakeClock(START), open_store(tmp_path / "p.db"))
    b.window.prethaw = PrethawChecks(settings_for(server), load_profile())
    try:
        walk_to_thaw(b)
        qtbot.waitUntil(lambda: bool(noted(b)), timeout=10_000)  # the answer, recorded
        assert noted(b)[0]["verdict"] == "not_checked"
        b.page.form.startButton.click()
        assert b.session.state.bag(1).thaw_started is not None
        assert b.window.statusBar().currentMessage().startswith(
            "Not checked against the hospital record")
        assert str(record_row(b).value).startswith("NOT CHECKED")
    finally:
        b.close()


def test_start_thaw_never_waits_for_the_search_and_a_late_found_answer_still_stops(
        qtbot, tmp_path):
    """The search is still running when START THAW is pressed: the thaw starts at once,
    "checking…" is shown, and the answer that comes afterwards is recorded and acts (found:
    do not infuse)."""
    from .fhir_server import Fault

    server = FhirTestServer(patients={(MRN_SYSTEM, SAMPLE_MRN): "pat-9"}).start()
    b = Bedside(qtbot, FakeClock(START), open_store(tmp_path / "p.db"))
    b.window.prethaw = checks = PrethawChecks(settings_for(server), load_profile())
    seen: list[str] = []
    timer = close_boxes(seen)
    try:
        walk_to_thaw(b)
        qtbot.waitUntil(lambda: bool(noted(b)), timeout=10_000)
        assert noted(b)[0]["verdict"] == "not_found"
        pid = b.session.state.procedure_id
        # Meanwhile another workstation gives it; this bag is searched again, slowly.
        server.resources["MedicationAdministration"] = {"ma-1": GIVEN}
        checks.forget(pid, 1)
        server.faults.append(Fault.slow(2.0).only("GET"))
        b.page.form.startButton.click()
        assert b.session.state.bag(1).thaw_started is not None  # not held up
        assert checks.answer(pid, 1) is None  # still checking, and it says so
        assert b.window.statusBar().currentMessage().startswith(
            "Checking the hospital record for bag 1")
        qtbot.waitUntil(lambda: b.session.state.outcome == "stopped", timeout=15_000)
        qtbot.waitUntil(lambda: bool(seen), timeout=3000)
        assert "Do not infuse this bag." in seen[0]
        assert [n["verdict"] for n in noted(b)] == ["not_found", "found"]
    finally:
        timer.stop()
        b.close()
        server.stop()
