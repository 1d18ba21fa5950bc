"""Two workstations, two stores, one real FHIR server (Medplum kit): the pharmacy window
receives (patient name and DOB from the EHR, its KRESLADI MedicationRequest found) and sends the
product; the bedside window finds it with 'Check the EHR' and opens the infusion from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import SiteConfig, SyncConfig
from kresladi_bedside.receipt import awaiting_infusion
from kresladi_bedside.store import open_store
from tests.receipt.conftest import PIN_A, PIN_B, PIN_N, SAMPLE, START, sheet
from tests.receipt.workstation import Workstation

from .fhir_kit import put


def site(info: dict[str, Any], name: str) -> SiteConfig:
    return SiteConfig(site_name=name, sync=SyncConfig(
        base_url=info["base_url"], token=info["token"], mrn_system=info["mrn_system"],
        workstation=name))


def test_pharmacy_window_to_bedside_window_through_the_fhir_server(
        qtbot, fhir: dict[str, Any], tmp_path: Path) -> None:
    patient = put(fhir, {"resourceType": "Patient",
                         "identifier": [{"system": fhir["mrn_system"], "value": SAMPLE.mrn}],
                         "name": [{"use": "official", "family": "Rivera", "given": ["Mateo"]}],
                         "birthDate": "2024-03-15"})
    put(fhir, {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
               "subject": {"reference": f"Patient/{patient['id']}"},
               "medicationCodeableConcept": {"text": "KRESLADI"}})
    clock = FakeClock(START, utc_offset_s=-5 * 3600)
    pharmacy_store = open_store(tmp_path / "pharmacy.db")
    bedside_store = open_store(tmp_path / "bedside.db")
    pharmacy = Workstation(qtbot, clock, pharmacy_store, site(fhir, "Pharmacy"), "pharmacy")
    try:
        pharmacy.sign_in("P10001", PIN_A)
        dialog = pharmacy.open_receipt()
        pharmacy.scan(SAMPLE.mrn)  # asked off the GUI thread: "Checking the EHR…" meanwhile
        assert "Checking the EHR for MRN" in dialog.form.messageLabel.text()
        qtbot.waitUntil(lambda: dialog.state.ehr is not None, timeout=20_000)
        assert "RIVERA, MATEO" in dialog.form.patientLabel.text()
        assert "MedicationRequest/" in dialog.form.patientLabel.text()
        pharmacy.shot(dialog, "receipt-1-ehr-patient")
        pharmacy.enter_receipt(dialog, celsius=-185, location="LN2 tank 1, rack A")
        pharmacy.verify(dialog, sheet(), "P10002", PIN_B)  # agreeing completes, sends to the EHR
        assert dialog.state.outcome == "received", dialog.form.messageLabel.text()
        qtbot.waitUntil(lambda: "Sent to the EHR and read back"
                        in dialog.form.messageLabel.text(), timeout=20_000)
        pharmacy.shot(dialog, "receipt-2-sent")
    finally:
        pharmacy.close()

    bedside = Workstation(qtbot, clock, bedside_store, site(fhir, "Ward 4"), "bedside")
    try:
        assert awaiting_infusion(bedside_store) == []
        bedside.sign_in("N20002", PIN_N)
        chooser = bedside.window.current_page().received
        assert chooser.form.ehrButton.isVisible()
        chooser.form.ehrButton.click()
        qtbot.waitUntil(lambda: "read from the EHR" in chooser.form.chooserMessageLabel.text(),
                        timeout=20_000)
        assert chooser.form.productList.count() == 1, chooser.form.chooserMessageLabel.text()
        assert "from the EHR" in chooser.form.productList.item(0).text()
        bedside.shot(bedside.window, "bedside-1-from-ehr")
        chooser.form.openButton.click()  # claimed off the GUI thread: opens on the answer
        qtbot.waitUntil(lambda: bedside.window.session.state.order is not None,
                        timeout=20_000)
        state = bedside.window.session.state
        assert state.order is not None and state.order.patient.name == "RIVERA, MATEO"
        # nothing scanned at receipt carries over: the shipper and cassettes are matched to
        # the patient again on the infusion day (issue 23, §2.2)
        assert not state.labels and state.stored_at is not None
        assert awaiting_infusion(bedside_store) == []
        # claimed on the server before the procedure opened (issue 24), the product marked
        # given out there too
        assert "Claimed on the server: 2 bag(s) held by workstation Ward 4" in \
            chooser.form.chooserMessageLabel.text()
        bedside.shot(bedside.window, "bedside-2-gates")
        # The EHR now says the product is given out: a second bedside is not offered it.
        from kresladi_bedside.sync.ehr import EhrClient, received_products

        client = EhrClient(fhir["base_url"], token=fhir["token"])
        assert [p.available for p in received_products(client, SAMPLE.mrn)] == [False]
    finally:
        bedside.close()

    # The receiving workstation still lists its own receipt; opening it there is refused by the
    # server's custody, naming who holds it (issue 24: A opened it too).
    again = Workstation(qtbot, clock, pharmacy_store, site(fhir, "Pharmacy"), "pharmacy-2")
    try:
        again.sign_in("N20002", PIN_N)
        chooser = again.window.current_page().received
        assert chooser.form.productList.count() == 1
        chooser.form.openButton.click()
        qtbot.waitUntil(lambda: "Not opened" in chooser.form.chooserMessageLabel.text(),
                        timeout=20_000)
        text = chooser.form.chooserMessageLabel.text()
        assert "Not opened" in text and "workstation Ward 4" in text and "Nora Nurse" in text, \
            text
        assert again.window.session.state.order is None
        again.shot(again.window, "pharmacy-3-refused-held-elsewhere")
    finally:
        again.close()
        pharmacy_store.close()
        bedside_store.close()
