"""A real (not training) workstation window for the receipt tests: its own store, the site's
settings, pharmacists, a nurse and a witness; scans arrive through the window as the scanners
deliver them; witness dialogs are answered by the witness; screenshots on request."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import PeopleConfig, SiteConfig
from kresladi_bedside.engine.procedure import default_verifier
from kresladi_bedside.labels import samples
from kresladi_bedside.people import People, User
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.dialogs import WitnessDialog
from kresladi_bedside.qt.receipt_dialog import ReceiptDialog
from kresladi_bedside.qt.receipt_sheet import fill_sheet
from kresladi_bedside.qt.receipt_verify import ReceiptVerifyDialog
from kresladi_bedside.qt.session import Session
from kresladi_bedside.qt.window import BedsideWindow
from kresladi_bedside.store import Store

from .conftest import PIN_A, PIN_B, PIN_N, badge, cheap_hasher, sheet

PIN_W = "36925814"
SHOTS = os.environ.get("KRESLADI_RECEIPT_SHOTS")  # a folder: the walk saves its screenshots


class SilentPlayer:
    available = True
    problem = ""

    def play(self, sound: str | None) -> None:
        pass


@dataclass
class Workstation:
    qtbot: Any
    clock: FakeClock
    store: Store
    site: SiteConfig
    name: str
    people: People = field(init=False)
    window: BedsideWindow = field(init=False)
    users: dict[str, User] = field(init=False)
    procedure: Any = None  # a procedure rebuilt from the log (a workstation that restarted)
    zone: tzinfo | None = None  # the site's IANA zone (config `timezone`), as app.py passes it

    def __post_init__(self) -> None:
        self.people = People(self.store, PeopleConfig(), self.clock, hasher=cheap_hasher())
        if self.people.first_run():
            admin = self.people.init_admin("Ada Okafor", "A10001", "58204716")
            self.people.sign_in(badge("A10001"), "58204716")
            for name, number, pin, roles in (("Alice Pharm", "P10001", PIN_A, ["pharmacy"]),
                                             ("Bob Lab", "P10002", PIN_B, ["pharmacy"]),
                                             ("Nora Nurse", "N20002", PIN_N, ["nurse"]),
                                             ("Walt Witness", "W30003", PIN_W, ["witness"])):
                self.people.add_user(name, number, pin, roles, by=admin.id)
            self.people.sign_out()
        self.users = {u.badge: u for u in self.people.users()}
        profile = load_profile()
        verifier = (default_verifier(profile, None, self.zone) if self.zone is not None
                    else None)
        session = Session(profile, self.clock, store=self.store, verifier=verifier,
                          training=False, procedure=self.procedure)
        settings = QSettings(str(Path(tempfile.mkdtemp()) / "bedside.ini"),
                             QSettings.Format.IniFormat)  # never the user's own settings
        settings.setValue(BedsideWindow.MAXIMISED_KEY, False)
        self.window = BedsideWindow(session, people=self.people, player=SilentPlayer(),
                                    tick_ms=60_000, site=self.site, settings=settings)
        self.qtbot.addWidget(self.window)
        self.window.show()
        self._timer = QTimer(self.window)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._answer_witness)
        self._timer.start()

    def _answer_witness(self) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, WitnessDialog) and not dialog.property("answered"):
            dialog.setProperty("answered", True)
            self.window.scans.receive_payload(badge("W30003"))
            dialog.form.pinEdit.setText(PIN_W)
            dialog.form.signButton.click()

    def close(self) -> None:
        from PySide6.QtWidgets import QDialog

        self._timer.stop()
        for dialog in self.window.findChildren(QDialog):
            dialog.close()  # a dialog left open would take the next test's scans
        self.window.close()

    # ------------------------------------------------------------------ people
    def sign_in(self, number: str, pin: str) -> None:
        if self.people.current_user is not None:
            self.window.sign_out()
        self.window.scans.receive_payload(badge(number))
        page = self.window.current_page()
        page.form.pinEdit.setText(pin)
        page.form.signInButton.click()
        assert self.people.current_user is not None, page.form.messageLabel.text()

    def scan(self, payload: str) -> str:
        return self.window.scans.receive_payload(payload)

    # ------------------------------------------------------------------ receipt
    def open_receipt(self) -> ReceiptDialog:
        dialog = self.window.procedure_actions.receive_product()
        self.qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog, timeout=3000)
        return dialog

    def enter_receipt(self, dialog: ReceiptDialog, *, celsius: int, location: str,
                      labels: tuple[str, ...] | None = None) -> None:
        """After the patient: the shipper's and both cassettes' labels (the samples, unless
        `labels` gives them), the storage and the typed sheet, up to the blind double check."""
        for payload in labels or (samples.shipper_payload(), samples.cassette_payload(1),
                                  samples.cassette_payload(2)):
            self.scan(payload)
        dialog.form.storageSpin.setValue(celsius)
        dialog.form.locationEdit.setText(location)
        dialog.form.cassetteCheck.setChecked(True)
        dialog.form.storageButton.click()
        fill_sheet(dialog.form, sheet())
        dialog.form.enterButton.click()

    def verify(self, dialog: ReceiptDialog, values: dict[str, Any], number: str,
               pin: str) -> Any:
        """The second person types the paper sheet's values blind, scans their badge, signs."""
        check = ReceiptVerifyDialog(dialog)
        fill_sheet(check.form, values)
        check.take_scan(badge(number), "wedge")
        check.form.pinEdit.setText(pin)
        self.shot(check, "receipt-5-verify-blind")

        def exec_() -> int:
            check.sign()
            return int(check.result())

        check.exec = exec_  # type: ignore[method-assign]
        return dialog.verify(check)

    # ------------------------------------------------------------------ screenshots
    def shot(self, widget: QWidget, name: str) -> Path | None:
        if not SHOTS:
            return None
        folder = Path(SHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        path = folder / f"{self.name}-{name}.png"
        widget.grab().save(str(path))
        return path
