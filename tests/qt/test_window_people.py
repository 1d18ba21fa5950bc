"""People in the window: sign-in refusals, first administrator, the idle lock (countdowns live,
patient hidden, unlock by PIN, take-over), a cancelled witness, and the menu's record PDF,
self-test and sync indicator."""

from __future__ import annotations

from pypdf import PdfReader

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.people import PEOPLE_LOG
from kresladi_bedside.qt.pages import IdentityPage, OrderPage, SignInPage, ThawPage
from kresladi_bedside.qt.signin import TRAINING_NURSE, TRAINING_WITNESS
from kresladi_bedside.selftest import check_configuration
from kresladi_bedside.store import open_store

from .test_window_clock import to_thaw


def test_wrong_pin_is_refused_and_logged_and_the_page_stays(bedside) -> None:
    b = bedside()
    b.sign_in(pin="9999")
    assert isinstance(b.page, SignInPage)
    assert "not right" in b.page.form.messageLabel.text()
    assert b.page.form.pinEdit.text() == ""
    assert b.session.user is None
    assert b.store.events(PEOPLE_LOG)[-1].data["code"] == "wrong_pin"
    b.sign_in()
    assert isinstance(b.page, OrderPage)
    assert "KIM, SORA" in b.window.header.form.userLabel.text()


def test_a_typed_badge_is_not_a_scan(bedside) -> None:
    b = bedside()
    b.page.form.badgeEdit.setText(TRAINING_NURSE.payload())  # typed, not scanned
    b.page.form.pinEdit.setText(TRAINING_NURSE.pin)
    b.page.form.signInButton.click()
    assert isinstance(b.page, SignInPage) and b.session.user is None
    assert "reason" in b.page.form.messageLabel.text()


def test_training_page_shows_the_training_badges_and_pins(bedside) -> None:
    b = bedside()
    text = b.page.form.trainingLabel.text()
    assert b.page.form.trainingLabel.isVisible()
    assert f"badge {TRAINING_NURSE.badge}, PIN {TRAINING_NURSE.pin}" in text
    assert f"badge {TRAINING_WITNESS.badge}, PIN {TRAINING_WITNESS.pin}" in text
    assert "not check" not in b.page.form.instructionLabel.text()


def test_first_run_creates_the_administrator_who_is_signed_in(qtbot, clock, tmp_path) -> None:
    from kresladi_bedside.config import PeopleConfig
    from kresladi_bedside.people import People
    from kresladi_bedside.profile import load_profile
    from kresladi_bedside.qt.session import Session
    from kresladi_bedside.qt.window import BedsideWindow

    from .conftest import SilentPlayer, cheap_hasher

    store = open_store(tmp_path / "fresh.db")
    people = People(store, PeopleConfig(), clock, hasher=cheap_hasher())
    window = BedsideWindow(Session(load_profile(), clock, store=store, training=False),
                           people=people, player=SilentPlayer(), tick_ms=60_000)
    qtbot.addWidget(window)
    page = window.current_page()
    assert isinstance(page, SignInPage) and page.form.nameEdit.isVisibleTo(window)
    assert not page.form.trainingLabel.isVisibleTo(window)
    page.form.nameEdit.setText("OKAFOR, ADA")
    window.scans.receive_payload("BADGE:A10001|NAME:OKAFOR, ADA", "wedge")
    page.form.pinEdit.setText("40172958")
    page.form.pinAgainEdit.setText("40172959")
    page.form.signInButton.click()
    assert "not the same" in page.form.messageLabel.text() and people.first_run()
    window.scans.receive_payload("BADGE:A10001|NAME:OKAFOR, ADA", "wedge")
    page.form.pinEdit.setText("40172958")
    page.form.pinAgainEdit.setText("40172958")
    page.form.signInButton.click()
    admin = people.current_user
    assert admin is not None and admin.name == "OKAFOR, ADA"
    assert admin.has_role("administrator") and admin.has_role("nurse")
    assert isinstance(window.current_page(), OrderPage)
    window.close()
    store.close()


def test_no_idle_lock_mid_thaw_a_hand_lock_keeps_the_countdown_live_then_pin_unlocks(
        bedside) -> None:
    b = bedside()
    to_thaw(b)
    b.advance(300, active=False)  # 5:00 without a key or a click: no idle lock mid-thaw
    assert not b.window.is_locked() and not b.people.locked  # (issue 17, finding 9)
    b.window.lock()  # by hand (Ctrl+L) it locks
    assert b.window.is_locked() and b.people.locked
    header = b.window.header
    assert header.tiles["thaw:1"].digits.text() == "0:00"  # nothing left of the 5:00
    assert "RIVERA" not in header.form.patientLabel.text()
    assert "00417356" not in header.form.idsLabel.text()
    b.advance(30, active=False)
    assert header.tiles["thaw:1"].digits.text() == "0:30"  # still counting on the lock screen
    assert header.tiles["thaw:1"].caption.text().startswith("OVER by")
    assert b.player.played[-1] == "alarm"  # alarms keep sounding on the lock screen
    # a command slipped past the lock screen is refused by the guard, and logged
    b.page.after.set_all()
    b.page.form.completeButton.click()
    assert b.session.events[-1].type == "command_rejected"
    assert b.session.events[-1].data["rejection"]["rule"] == "role"
    b.window.lock_form.pinEdit.setText("0000")
    b.window.lock_form.unlockButton.click()
    assert b.window.is_locked() and "not right" in b.window.lock_form.messageLabel.text()
    b.window.lock_form.pinEdit.setText(TRAINING_NURSE.pin)
    b.window.lock_form.unlockButton.click()
    assert not b.window.is_locked()
    assert "RIVERA" in header.form.patientLabel.text()
    assert isinstance(b.page, ThawPage)
    types = [e.type for e in b.store.events(PEOPLE_LOG)]
    assert "session_locked" in types and types[-1] == "session_unlocked"


def test_another_user_takes_over_a_locked_screen(bedside) -> None:
    b = bedside()
    b.sign_in()
    b.window.lock()
    assert b.window.is_locked()
    b.scan(TRAINING_WITNESS.payload())  # lands on the lock screen's badge field
    assert b.window.lock_form.badgeEdit.text() == TRAINING_WITNESS.payload()
    b.window.lock_form.pinEdit.setText(TRAINING_WITNESS.pin)
    b.window.lock_form.unlockButton.click()
    assert not b.window.is_locked()
    assert b.session.user.name == "ORTIZ, PABLO"
    taken = b.store.events(PEOPLE_LOG)[-1]
    assert taken.type == "session_taken_over" and taken.data["from_name"] == "KIM, SORA"


def test_a_cancelled_witness_leaves_the_scan_refused(bedside) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kresladi_bedside.labels import samples as S
    from kresladi_bedside.qt.dialogs import WitnessDialog

    b = bedside()
    b.sign_in()
    b.page.form.sampleButton.click()
    b.next()
    b.gates()
    b.next()
    assert isinstance(b.page, IdentityPage)
    b.witness_pin = None
    asked: list[str] = []

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, WitnessDialog):
            QTimer.singleShot(5, cancel)
            return
        asked.append(dialog.form.whatLabel.text())
        dialog.form.cancelButton.click()

    QTimer.singleShot(0, cancel)
    text = b.scan(S.wristband_payload())
    assert asked and "identity check before thaw" in asked[0]
    assert text.startswith("✘ NOT ACCEPTED") and "needs a witness" in text
    last = b.session.events[-1]
    assert last.type == "command_rejected" and last.data["rejection"]["rule"] == "witness"


def test_the_record_saves_as_pdf_during_the_procedure(bedside, tmp_path, qtbot) -> None:
    b = bedside()
    assert not b.window.print_action.isEnabled()  # nothing to print before a procedure
    to_thaw(b)
    assert b.window.print_action.isEnabled() and b.window.save_action.isEnabled()
    pdf = tmp_path / "record.pdf"
    assert b.window.save_record(str(pdf))  # made and painted off the GUI thread
    assert b.window.records.busy and "Saving" in b.window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not b.window.records.busy, timeout=60_000)
    last = b.window.records.jobs.last
    assert last is not None and last.error is None and last.pages >= 1
    assert "page(s) saved to" in b.window.statusBar().currentMessage()
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "RIVERA" in text and "00417356" in text
    assert "FAILED VERIFICATION" not in text  # read on its own connection, seals checked


def test_self_test_report_is_shown_as_plain_text(bedside, qtbot) -> None:
    from kresladi_bedside.selftest import format_report, run_self_test

    b = bedside()
    dialog = b.window.show_self_test([check_configuration])
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    text = dialog.report.toPlainText()
    assert text == format_report(run_self_test(b.window.site, [check_configuration]))
    assert "configuration" in text.lower()
    dialog.close()


def test_the_sync_indicator_is_off_in_training(qtbot, tmp_path) -> None:
    from PySide6.QtWidgets import QApplication

    from kresladi_bedside.clock import FakeClock
    from kresladi_bedside.qt.app import build_window
    from kresladi_bedside.qt.sync_status import SyncStatusIndicator

    from .conftest import START, cheap_hasher

    app = QApplication.instance()
    assert app is not None
    clock = FakeClock(START)
    store = open_store(tmp_path / "w.db")
    from kresladi_bedside.people import People

    people = People(store, SiteConfig(), clock, hasher=cheap_hasher())
    window = build_window(SiteConfig(), db=tmp_path / "w.db", training=True, clock=clock,
                          people=people)
    qtbot.addWidget(window)
    indicator = window.statusBar().findChild(SyncStatusIndicator)
    assert indicator is not None and indicator.level == "off"
    assert "training" in indicator.toolTip()
    assert not window.sync.running
    assert people.directory.by_badge(TRAINING_NURSE.badge) is not None  # seeded: no site file
    window.close()
    store.close()
