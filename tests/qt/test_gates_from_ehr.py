"""Issue 25: the gates page reads the conditioning instants and the back-up collection from the
hospital's EHR when the site names its codes (sync/ehr_gates.py, over HTTP to the loopback
server): off the GUI thread, "Reading the EHR…" meanwhile, the values shown closed with the
record they came from, every failure said in words with the fields left to type, a value the
nurse typed first never overwritten, and the EHR's values set aside with one recorded press.

(The page of a training window is given the reader by hand: a training workstation itself never
talks to the hospital, which `reader_for` checks in tests/sync/test_ehr_gates.py.)"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from PySide6.QtCore import QTimer
from sync.chart import CODES, MRN_SYSTEM, backup, conditioning, patient
from sync.fhir_server import Fault, FhirTestServer

from kresladi_bedside.labels import samples as S
from kresladi_bedside.qt.pages import GatesPage
from kresladi_bedside.sync.ehr import EhrClient
from kresladi_bedside.sync.ehr_gates import GateReader
from qt.test_fit_1366 import Walk, screen_sized

MRN = S.SAMPLE_PATIENT.mrn


@pytest.fixture
def ehr():
    server = FhirTestServer().start()
    server.hold(patient(MRN, "pat-1"))
    yield server
    server.stop()


def _chart(server: FhirTestServer, b, *, procedures: int = 1) -> None:
    now = b.clock.now().wall
    for n in range(procedures):
        server.hold(conditioning("Patient/pat-1", now - timedelta(hours=40 + n),
                                 now - timedelta(hours=30 + n), rid=f"cond-{n + 1}"))
    server.hold(backup("Patient/pat-1", 2.4, now - timedelta(days=9), rid="bk-1"))


def _open_gates(b, server: FhirTestServer, timeout_s: float = 5.0,
                token: str | None = None, client_s: float | None = None) -> GatesPage:
    """The order entered; the gates page, given the EHR reader, opens."""
    b.sign_in()
    if not hasattr(b.page.form, "sampleButton"):
        b.next()
    wizard = b.window.wizard
    gates = next(wizard.page(i) for i in wizard.pageIds()
                 if isinstance(wizard.page(i), GatesPage))
    client_s = client_s or timeout_s
    gates.reader = GateReader(lambda: EhrClient(server.url, token=token, timeout_s=client_s,
                                                deadline_s=client_s),
                              MRN_SYSTEM, CODES, timeout_s)
    b.page.form.sampleButton.click()
    b.next()
    assert b.page is gates
    return gates


def test_the_ehr_values_are_shown_closed_with_their_record_and_recorded(bedside, qtbot,
                                                                        ehr) -> None:
    b = bedside()
    b.window.header.form.trainingBanner.setVisible(False)  # as a real workstation shows it
    screen_sized(b)
    _chart(ehr, b)
    g = _open_gates(b, ehr)
    assert g.ehr_note.startswith("Reading the EHR")
    qtbot.waitUntil(lambda: "From the EHR" in g.ehr_note, timeout=5000)
    f = g.form
    assert not f.backupSpin.isEnabled() and f.backupSpin.value() == pytest.approx(2.4)
    assert not g.backupWhen.isEnabled()
    assert g.backupWhen.text().endswith("(from the EHR: Observation/bk-1)")
    assert not f.conditioningEdit.isEnabled() and not g.conditioningStart.isEnabled()
    ended = (b.clock.now().local() - timedelta(hours=30)).strftime("%Y-%m-%d %H:%M")
    assert f.conditioningEdit.text() == f"{ended} (from the EHR: Procedure/cond-1)"
    assert g.asideButton.isVisible()
    assert f.storageSpin.hasFocus()  # the first entry still open
    assert f.messageLabel.text() == g.ehr_note  # said where refusals are said, in words
    assert "(Observation/bk-1)" in g.ehr_note and "(Procedure/cond-1)" in g.ehr_note
    # at 1366×768, every entry, the set-aside and Record in view without scrolling
    walk = Walk(b.window, "ehr")
    walk.page("gates from the EHR", f.recordButton, g.asideButton, f.storageSpin, g.storedWhen,
              f.backupSpin, g.backupWhen, f.conditioningEdit, g.conditioningStart,
              *g.attest.focusable())
    assert walk.problems == []
    g.attest.set_all()
    f.storageSpin.setValue(-180)
    # the sample order is not from a receipt: its storage instant is typed (a receipt's is
    # carried: tests/receipt/test_effort_real_path.py)
    g.storedWhen.setText((b.clock.now().local() - timedelta(days=10)).strftime("%m%d%H%M"))
    f.recordButton.click()
    assert b.session.step().name == "identity", f.messageLabel.text()
    events = {e.type: e.data for e in b.session.procedure.events}
    assert events["conditioning_end_recorded"]["source"]["resource"] == "Procedure/cond-1"
    assert events["conditioning_end_recorded"]["source"]["version"] == "1"
    assert events["backup_confirmed"]["source"]["resource"] == "Observation/bk-1"
    assert events["backup_confirmed"]["cd34_per_kg"] == pytest.approx(2.4e6)


def test_two_conditioning_records_are_said_and_those_instants_typed(bedside, qtbot,
                                                                    ehr) -> None:
    b = bedside()
    _chart(ehr, b, procedures=2)
    g = _open_gates(b, ehr)
    qtbot.waitUntil(lambda: not g.ehr_note.startswith("Reading"), timeout=5000)
    assert ("The EHR has two conditioning records for this patient (Procedure/cond-1, "
            "Procedure/cond-2): type the instants from the chart.") in g.ehr_note
    assert g.form.conditioningEdit.isEnabled() and not g.form.conditioningEdit.text()
    assert g.conditioningStart.isEnabled()
    assert not g.form.backupSpin.isEnabled()  # the one back-up record is used


def test_a_refused_token_leaves_every_value_to_type(bedside, qtbot, ehr) -> None:
    ehr.token = "the-right-one"
    b = bedside()
    _chart(ehr, b)
    g = _open_gates(b, ehr, token="expired")
    qtbot.waitUntil(lambda: not g.ehr_note.startswith("Reading"), timeout=5000)
    assert "refused this workstation's token" in g.ehr_note
    assert "HTTP 401" in g.ehr_note
    for w in (g.form.backupSpin, g.backupWhen, g.form.conditioningEdit, g.conditioningStart):
        assert w.isEnabled()
    assert not g.asideButton.isVisible() and not g.carried


def test_a_slow_ehr_never_holds_the_page_and_its_deadline_is_said(bedside, qtbot,
                                                                  ehr) -> None:
    b = bedside()
    _chart(ehr, b)
    ehr.faults.append(Fault.slow(3.5).only("GET"))  # the patient search; the rest at once
    started = time.monotonic()
    g = _open_gates(b, ehr, timeout_s=1.0, client_s=10.0)  # the page's deadline comes first
    assert time.monotonic() - started < 1.0  # the page opened without waiting for the EHR
    assert g.ehr_note.startswith("Reading the EHR")
    ticks: list[float] = []  # the GUI thread's event loop runs while the EHR is asked
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    g.form.conditioningEdit.setText("12060830")  # she types meanwhile
    qtbot.waitUntil(lambda: "did not answer within 1 s" in g.ehr_note, timeout=5000)
    assert g.ehr_note.endswith("type the values from the chart.")
    qtbot.wait(2500)  # the answer that comes after the deadline (3.5 s) is not used
    timer.stop()
    assert "did not answer within 1 s" in g.ehr_note
    assert len(ticks) >= 10
    assert g.form.conditioningEdit.text() == "12060830" and g.form.conditioningEdit.isEnabled()
    assert g.form.backupSpin.isEnabled() and not g.carried


def test_values_typed_before_the_answer_are_kept(bedside, qtbot, ehr) -> None:
    b = bedside()
    _chart(ehr, b)
    ehr.faults.append(Fault.slow(0.5).only("GET"))
    g = _open_gates(b, ehr)
    g.form.backupSpin.setValue(3.0)  # the nurse typed the back-up before the EHR answered
    qtbot.waitUntil(lambda: not g.ehr_note.startswith("Reading"), timeout=5000)
    assert g.form.backupSpin.value() == pytest.approx(3.0) and g.form.backupSpin.isEnabled()
    assert "You typed the back-up values: yours are kept (the EHR's Observation/bk-1 is not " \
           "used)." in g.ehr_note
    assert set(g.carried) == {"conditioning"}


def test_the_ehr_values_set_aside_are_recorded_and_typed(bedside, qtbot, ehr) -> None:
    b = bedside()
    _chart(ehr, b)
    g = _open_gates(b, ehr)
    qtbot.waitUntil(lambda: bool(g.carried), timeout=5000)
    g.asideButton.click()
    aside = [e for e in b.session.procedure.events if e.type == "ehr_values_set_aside"]
    assert [s["resource"] for s in aside[0].data["sources"]] == ["Observation/bk-1",
                                                                 "Procedure/cond-1"]
    for w in (g.form.backupSpin, g.backupWhen, g.form.conditioningEdit, g.conditioningStart):
        assert w.isEnabled()
    assert not g.form.conditioningEdit.text() and not g.asideButton.isVisible()
    assert "set aside" in g.ehr_note


def test_a_typed_instant_is_shown_as_a_date_and_time(bedside) -> None:
    b = bedside()
    b.sign_in()
    if not hasattr(b.page.form, "sampleButton"):
        b.next()
    b.page.form.sampleButton.click()
    b.next()
    g = b.page
    edit = g.form.conditioningEdit
    edit.setText("05020200")
    edit.editingFinished.emit()
    assert edit.text() == "2026-05-02 02:00"
    edit.setText("13450200")  # no 45th day: left as typed, Record says why
    edit.editingFinished.emit()
    assert edit.text() == "13450200"
    assert g.reader is None and not g.ehr_note  # a training window never reads the EHR
