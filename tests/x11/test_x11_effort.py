"""Finding 18 (issue 17) with real X key events: the gates page opens with the keyboard in its
first entry, Enter goes on to the next entry the page needs, and Enter in the last records the
page — so a nurse types the three values without reaching for the mouse."""

from __future__ import annotations

from .app import human_delay

BACKUP = "'Back-up collection CD34+ cells per kg, millions<QDoubleSpinBox>'"


def test_gates_typed_from_the_keyboard_alone(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_gates(b)")
    b.wait_until(f"focus() == {BACKUP}")  # no click to get into the first entry
    b.run("b.page.attest.set_all()")  # the two answers are clicks (not keys): not under test
    def before(hours: float) -> str:
        return b.eval(f"(b.clock.now().local() - __import__('datetime').timedelta(hours={hours}))"
                      ".strftime('%m%d%H%M')")

    ended = before(30)
    # count, back-up confirmed, temperature, stored, conditioning ended, began: digits, Enter
    b.type(f"2.4\r{before(240)}\r-180\r{before(250)}\r{ended}\r{before(130)}\r",
           human_delay())
    b.wait_until("b.session.state.conditioning_end is not None")
    assert b.eval("b.session.state.backup_cd34_per_kg") == 2.4e6
    assert b.eval("b.session.state.storage_celsius") == -180
    assert b.eval("b.session.state.conditioning_end.local().strftime('%m%d%H%M')") == ended
    b.wait_until("type(b.page).__name__ == 'IdentityPage'")


def test_enter_in_an_entry_left_blank_moves_on_and_records_nothing(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_gates(b)")
    b.wait_until(f"focus() == {BACKUP}")
    # the back-up's count skipped; the instants left blank
    b.type("\r\r-180\r\r\r\r", human_delay())
    b.settle()
    assert b.eval("b.session.state.storage_celsius") is None  # nothing recorded…
    assert "back-up collection" in b.eval("b.page.form.messageLabel.text()")  # …and why
    assert b.eval("type(b.page).__name__") == "GatesPage"


def test_gates_with_the_ehr_values_one_entry_from_the_keyboard(bedside_x) -> None:
    """Issue 25: where the EHR gives the back-up collection and the conditioning instants
    (sync/ehr_gates.py, over HTTP to a loopback FHIR server holding the chart), they are shown
    closed and the keyboard goes to the first entry still open: the temperature, then the
    stored instant (a sample order has no receipt to carry it), Enter records the page."""
    from pathlib import Path

    b = bedside_x()
    tests = str(Path(__file__).parents[1])
    b.run(f"import sys; sys.path.insert(0, {tests!r})\n"
          "from datetime import timedelta\n"
          "from sync import chart\n"
          "from sync.fhir_server import FhirTestServer\n"
          "from kresladi_bedside.labels import samples\n"
          "from kresladi_bedside.qt.pages import GatesPage\n"
          "from kresladi_bedside.sync.ehr import EhrClient\n"
          "from kresladi_bedside.sync.ehr_gates import GateReader\n"
          "ehr = FhirTestServer().start()\n"
          "ehr.hold(chart.patient(samples.SAMPLE_PATIENT.mrn, 'pat-1'))\n"
          "ended = b.clock.now().wall - timedelta(hours=30)\n"
          "ehr.hold(chart.conditioning('Patient/pat-1', ended - timedelta(hours=10), ended,"
          " rid='cond-1'))\n"
          "ehr.hold(chart.backup('Patient/pat-1', 2.4, ended - timedelta(days=9), rid='bk-1'))\n"
          "gates = next(win.wizard.page(i) for i in win.wizard.pageIds()"
          " if isinstance(win.wizard.page(i), GatesPage))\n"
          "gates.reader = GateReader(lambda: EhrClient(ehr.url), chart.MRN_SYSTEM, chart.CODES)\n")
    try:
        b.run("nav.to_gates(b)")
        b.wait_until("set(b.page.carried) == {'backup', 'conditioning'}")
        b.settle()
        assert b.eval("focus()") == ("On-site storage temperature in degrees Celsius"
                                     "<QDoubleSpinBox>")
        b.run("b.page.attest.set_all()")  # the two answers are clicks: not under test
        stored = b.eval("(b.clock.now().local() - __import__('datetime').timedelta(days=10))"
                        ".strftime('%m%d%H%M')")
        b.type(f"-180\r{stored}\r", human_delay())
        b.wait_until("type(b.page).__name__ == 'IdentityPage'")
        assert b.eval("b.session.state.storage_celsius") == -180
        assert b.eval("b.session.state.backup_cd34_per_kg") == 2.4e6
        assert b.eval("[e.data['source']['resource'] for e in b.session.procedure.events"
                      " if e.type == 'conditioning_end_recorded']") == ["Procedure/cond-1"]
    finally:
        b.run("ehr.stop()")
