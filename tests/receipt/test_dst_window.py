"""Issue 23 through the windows: a site in America/New_York, the product received on one side
of a DST change and infused on the other (spring forward and fall back). The pharmacist's
receipt reads each cassette's printed expiry in the site's zone for the date it names; on the
infusion day the nurse's gates, wristband, shipper, cassettes and bag 1 all match, and the
expiry stands as the same instant (before: an "identity mismatch: expiry" stop after
conditioning). Also a DST change in the middle of a thaw: the 5 minutes are counted on the
monotonic clock, not on the local time that jumped an hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import SiteConfig
from kresladi_bedside.labels import samples
from kresladi_bedside.qt.pages import GatesPage, InspectPage
from kresladi_bedside.receipt import awaiting_infusion
from kresladi_bedside.store import open_store

from .conftest import PIN_A, PIN_B, PIN_N, SAMPLE, sheet
from .test_expiry_site_zone import NEW_YORK, _offset
from .workstation import Workstation


@pytest.mark.parametrize(("received", "printed", "infused", "instant"), [
    # spring forward (8 Mar 2026): received in EST, expiry and infusion in EDT
    (datetime(2026, 3, 2, 15, 0, tzinfo=UTC), datetime(2026, 3, 20, 12, 0),
     datetime(2026, 3, 10, 14, 0, tzinfo=UTC), datetime(2026, 3, 20, 16, 0, tzinfo=UTC)),
    # fall back (1 Nov 2026): received in EDT, expiry and infusion in EST
    (datetime(2026, 10, 20, 15, 0, tzinfo=UTC), datetime(2026, 11, 20, 12, 0),
     datetime(2026, 11, 5, 15, 0, tzinfo=UTC), datetime(2026, 11, 20, 17, 0, tzinfo=UTC)),
], ids=["spring-forward", "fall-back"])
def test_received_and_infused_across_dst_through_the_windows(
        qtbot, tmp_path: Path, received: datetime, printed: datetime, infused: datetime,
        instant: datetime) -> None:
    clock = FakeClock(received, utc_offset_s=_offset(received))
    store = open_store(tmp_path / "ward.db")
    ws = Workstation(qtbot, clock, store, SiteConfig(), "dst", zone=NEW_YORK)
    try:
        cassettes = [samples.cassette_payload(n, expiry=printed) for n in (1, 2)]
        # the pharmacist receives through the window
        ws.sign_in("P10001", PIN_A)
        dialog = ws.open_receipt()
        ws.scan(SAMPLE.mrn)
        ws.enter_receipt(dialog, celsius=-182, location="LN2 tank 2",
                         labels=(samples.shipper_payload(), *cassettes))
        ws.verify(dialog, sheet(), "P10002", PIN_B)
        dialog.form.completeButton.click()
        assert dialog.state.outcome == "received", dialog.form.messageLabel.text()
        dialog.form.closeButton.click()
        (product,) = awaiting_infusion(store)
        assert product.order is not None
        assert [b.expiry for b in product.order.bags] == [instant, instant]

        # the infusion day, across the DST change: the local offset is the other one now
        clock.set(infused)
        clock.set_utc_offset(_offset(infused))
        assert _offset(infused) != _offset(received)
        ws.sign_in("N20002", PIN_N)
        ws.window.current_page().received.form.openButton.click()
        if not isinstance(ws.window.current_page(), GatesPage):
            ws.window.wizard.button(QWizard.WizardButton.NextButton).click()
        gates = ws.window.current_page()
        assert isinstance(gates, GatesPage)
        ended = clock.now().local() - timedelta(hours=30)
        gates.attest.set_all()
        gates.form.backupSpin.setValue(2.4)
        gates.form.storageSpin.setValue(-180)
        gates.set_conditioning_end(ended)
        fmt = "%Y-%m-%d %H:%M"
        gates.backupWhen.setText((ended - timedelta(days=1)).strftime(fmt))
        gates.conditioningStart.setText((ended - timedelta(hours=10)).strftime(fmt))
        gates.form.recordButton.click()
        assert ws.window.session.step().name == "identity", gates.form.messageLabel.text()
        ws.window.wizard.button(QWizard.WizardButton.NextButton).click()
        for payload in (samples.wristband_payload(), samples.shipper_payload(), *cassettes,
                        samples.bag_payload(1, expiry=printed)):
            said = ws.scan(payload)
            assert "NOT ACCEPTED" not in said and "STOP" not in said, said
        assert isinstance(ws.window.current_page(), InspectPage)
        assert ws.window.session.state.outcome is None
        assert [b.expiry for b in ws.window.session.state.order.bags] == [instant, instant]
    finally:
        ws.close()
        store.close()

