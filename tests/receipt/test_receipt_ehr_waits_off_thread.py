"""The receipt's EHR calls run off the GUI thread and always report back: while the EHR is
asked, the dialog says so and its button waits; a slow or failing EHR never freezes the window,
and a failure is said in words (tests/integration has the real server's success path)."""

from __future__ import annotations

from pathlib import Path

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import SiteConfig, SyncConfig
from kresladi_bedside.store import open_store
from tests.sync.fhir_server import Fault, FhirTestServer

from .conftest import PIN_A, SAMPLE, START
from .workstation import Workstation


def test_the_patient_lookup_says_checking_then_reports_the_failure(qtbot,
                                                                    tmp_path: Path) -> None:
    server = FhirTestServer().start()  # no such patient: the EHR answers, with nothing
    server.faults.append(Fault.slow(1.0).only("GET"))  # and takes its time about it
    site = SiteConfig(site_name="Pharmacy", sync=SyncConfig(
        base_url=server.url, mrn_system="urn:oid:1.2.3.4.5"))
    pharmacy = Workstation(qtbot, FakeClock(START, utc_offset_s=-5 * 3600),
                           open_store(tmp_path / "p.db"), site, "pharmacy-slow")
    try:
        pharmacy.sign_in("P10001", PIN_A)
        dialog = pharmacy.open_receipt()
        pharmacy.scan(SAMPLE.mrn)  # returns at once: the window keeps painting
        assert f"Checking the EHR for MRN {SAMPLE.mrn}" in dialog.form.messageLabel.text()
        assert not dialog.form.lookupButton.isEnabled()
        assert dialog.state.step() == "new"
        qtbot.waitUntil(lambda: dialog.form.messageLabel.text().startswith("Not opened:"),
                        timeout=15_000)
        assert dialog.form.lookupButton.isEnabled()  # asked again when the nurse wants
        assert dialog.state.step() == "new"  # nothing opened without the EHR's patient
    finally:
        pharmacy.close()
        server.stop()
