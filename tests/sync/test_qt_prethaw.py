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


def test_kresladi_already_in_the_hospital_record_stops_before_the_thaw(qtbot, tmp_path):
    server = FhirTestServer(patients={(MRN_SYSTEM, SAMPLE_MRN): "pat-9"}).start()
    server.resources["MedicationAdministration"] = {"ma-1": {
        "resourceType": "MedicationAdministration", "id": "ma-1", "status": "completed",
        "medicationCodeableConcept": {"text": "KRESLADI (marnetegragene autotemcel)"},
        "subject": {"reference": "Patient/pat-9"},
        "effectiveDateTime": "2026-04-20T10:15:00-05:00",
        "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/event-location",
                       "valueReference": {"display": "St. Elsewhere Children's, CTU"}}]}}
    b = Bedside(qtbot, FakeClock(START), open_store(tmp_path / "p.db"))
    b.window.prethaw = PrethawChecks(settings_for(server), load_profile())
    seen: list[str] = []
    shot = os.environ.get("KRESLADI_SHOTS")
    timer = close_boxes(seen, f"{shot}/prethaw-found.png" if shot else None)
    try:
        walk_to_thaw(b)
        b.page.form.startButton.click()
        assert seen and "St. Elsewhere Children's, CTU" in seen[0]
        assert "2026-04-20 10:15 (UTC-0500)" in seen[0]
        state = b.session.state
        assert state.bag(1).thaw_started is None  # never thawed
        assert state.outcome == "stopped" and "St. Elsewhere" in (state.stop_reason or "")
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
        b.page.form.startButton.click()
        assert b.session.state.bag(1).thaw_started is not None
        assert b.window.statusBar().currentMessage().startswith(
            "Not checked against the hospital record")
    finally:
        b.close()
