"""Save a screenshot of every page of the bedside window into a folder.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tools/screenshots.py FOLDER
    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py [FOLDER] [--size 1366x768]

Drives a training procedure (sample order, sample labels, a fake clock) through the real window
— maximised on the screen it is given, as on a bedside workstation — and grabs each page as the
nurse sees it, plus the lock screen, the deviation, typed-entry, witness, stop, correction and
new-procedure dialogs, a refused thaw, an alarm, a storage failure, a wrong-patient and an
expired-bag stop. PNGs are saved with 256 colours: the walk stays a few MB.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from argon2 import PasswordHasher
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.config import PeopleConfig
from kresladi_bedside.engine import Rejection
from kresladi_bedside.labels import samples as S
from kresladi_bedside.people import People
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.dialogs import (
    ConfirmDialog,
    CorrectionDialog,
    DeviationDialog,
    StopDialog,
    TypedEntryDialog,
    WitnessDialog,
)
from kresladi_bedside.qt.display import refusal_text
from kresladi_bedside.qt.session import Session
from kresladi_bedside.qt.signin import TRAINING_NURSE, TRAINING_WITNESS, seed_training_users
from kresladi_bedside.qt.window import BedsideWindow
from kresladi_bedside.store import open_store


class NoSound:
    available = False
    problem = "No sound device: alarms are visual only."

    def play(self, sound: str | None) -> None:
        pass


class Shots:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.n = 0
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, widget: QWidget, name: str) -> Path:
        for _ in range(3):
            QApplication.processEvents()
        self.n += 1
        path = self.folder / f"{self.n:02d}_{name}.png"
        image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8)
        image.save(str(path), "PNG", 0)  # 0: smallest file
        return path



def fill_gates(g, clock) -> None:
    """Attest and enter the gates as a nurse would: conditioning ended 30 h ago."""
    g.attest.set_all()
    g.form.backupSpin.setValue(2.4)
    g.form.storageSpin.setValue(-180)
    ended = clock.now().local() - timedelta(hours=30)
    g.set_conditioning_end(ended)
    fmt = "%Y-%m-%d %H:%M"  # from the chart: stored and back-up confirmed before conditioning
    g.conditioningStart.setText((ended - timedelta(days=5)).strftime(fmt))
    g.storedWhen.setText((ended - timedelta(days=9)).strftime(fmt))
    g.backupWhen.setText((ended - timedelta(days=20)).strftime(fmt))
    g.form.recordButton.click()

SIZE: tuple[int, int] | None = None  # offscreen: the window's size (Xvfb: the screen's)


def new_window(clock: FakeClock) -> BedsideWindow:
    store = open_store(Path(tempfile.mkdtemp()) / "screenshots.db")
    people = People(store, PeopleConfig(idle_lock_minutes=600), clock,
                    hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    seed_training_users(people)
    session = Session(load_profile(), clock, store=store, training=True)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bedside.ini"),
                         QSettings.Format.IniFormat)
    w = BedsideWindow(session, people=people, player=NoSound(), tick_ms=3_600_000,
                      settings=settings)
    if SIZE is not None and QApplication.platformName() == "offscreen":
        settings.setValue(w.MAXIMISED_KEY, False)
        w.resize(*SIZE)
    w.show()  # maximised on the (Xvfb) screen, as the program starts at the bedside
    return w


def sign_in(w: BedsideWindow) -> None:
    w.scans.receive_payload(TRAINING_NURSE.payload(), "wedge")
    p = w.current_page()
    p.form.pinEdit.setText(TRAINING_NURSE.pin)
    p.form.signInButton.click()


def answer_dialogs(shot: Shots, saved: list[Path]) -> QTimer:
    """Witness and deviation dialogs are modal: answer them (and grab the first of each)."""
    seen: set[str] = set()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, WitnessDialog) and not dialog.property("answered"):
            dialog.setProperty("answered", True)
            dialog.take_scan(TRAINING_WITNESS.payload(), "wedge")
            if "witness" not in seen:
                seen.add("witness")
                saved.append(shot(dialog, "witness_dialog"))
            dialog.form.pinEdit.setText(TRAINING_WITNESS.pin)
            dialog.sign()
        elif isinstance(dialog, DeviationDialog) and not dialog.property("answered"):
            dialog.setProperty("answered", True)
            dialog.form.reasonEdit.setPlainText(
                "Screenshot walk-through: limit passed on purpose")
            if "deviation" not in seen:
                seen.add("deviation")
                saved.append(shot(dialog, "deviation_dialog_filled"))
            dialog.sign()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(answer)
    timer.start()
    return timer


def nxt(w: BedsideWindow) -> None:
    w.wizard.next()


def scan(w: BedsideWindow, payload: str) -> None:
    w.scans.receive_payload(payload, "wedge")


def run(folder: Path) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    clock = FakeClock(datetime(2026, 5, 4, 8, 0, tzinfo=UTC))
    shot = Shots(folder)
    saved: list[Path] = []
    w = new_window(clock)
    answering = answer_dialogs(shot, saved)
    w.scans.receive_payload(TRAINING_NURSE.payload(), "wedge")
    saved.append(shot(w, "signin"))
    sign_in(w)
    saved.append(shot(w, "order"))
    w.current_page().form.sampleButton.click()
    g = w.current_page()
    saved.append(shot(w, "gates"))
    g.form.conditioningEdit.setText("yesterday")
    g.form.recordButton.click()
    saved.append(shot(w, "gates_refused_nothing_recorded"))
    fill_gates(g, clock)
    saved.append(shot(w, "identity_empty"))
    scan(w, S.wristband_payload())
    scan(w, S.shipper_payload())
    scan(w, S.cassette_payload(1))
    saved.append(shot(w, "identity_partial_accepted"))
    scan(w, S.cassette_payload(1))
    saved.append(shot(w, "identity_not_accepted_repeat"))
    typed = TypedEntryDialog(w, "cassette")
    typed.form.payloadEdit.setText(S.typed_din(2))
    typed.form.reasonEdit.setText("cassette label frosted")
    typed.show()
    saved.append(shot(typed, "typed_entry_dialog"))
    typed.close()
    for payload in (S.cassette_payload(2), S.bag_payload(1)):  # bag 2 stays in its cassette
        scan(w, payload)
    saved.append(shot(w, "inspect_bag1_after_identity"))
    w.current_page().form.intactButton.click()
    saved.append(shot(w, "thaw_before_timer_not_running"))
    t = w.current_page()
    t.form.startButton.click()
    clock.advance(245)
    w.tick()
    saved.append(shot(w, "thaw_warning"))
    clock.advance(60)
    w.tick()
    saved.append(shot(w, "thaw_alarm"))
    dialog = DeviationDialog(refusal_text(Rejection(
        "thaw_time", "The thaw took 5:05, longer than 5:00. Continuing needs a deviation: a "
        "reason and a signature.", w.session.profile.rule("thaw_time").citation,
        "deviation_required")), w.people, w)
    dialog.show()
    saved.append(shot(dialog, "deviation_dialog"))
    dialog.close()
    w.header.form.acknowledgeButton.click()
    t.form.completeButton.click()  # over 5:00: the deviation dialog, answered above
    saved.append(shot(w, "bedside_identity"))
    scan(w, S.wristband_payload())
    scan(w, S.bag_payload(2))
    saved.append(shot(w, "bedside_wrong_bag"))
    scan(w, S.bag_payload(1))
    saved.append(shot(w, "line_checks"))
    w.current_page().checks.set_all()
    w.current_page().form.confirmButton.click()  # line checked: the infusion starts with it
    saved.append(shot(w, "infusion"))
    clock.advance(300)
    w.tick()
    saved.append(shot(w, "infusion_running"))
    w.current_page().form.endButton.click()
    saved.append(shot(w, "flush_empty"))
    w.current_page().form.volumeSpin.setValue(10)
    w.current_page().form.flushButton.click()
    clock.advance(600)
    w.tick()
    saved.append(shot(w, "between_bags"))
    correction = CorrectionDialog([(1, 10.0, "x")], w)
    correction.volumeSpin.setValue(12)
    correction.reasonEdit.setText("misread the syringe")
    correction.show()
    saved.append(shot(correction, "flush_correction_dialog"))
    correction.close()
    w.lock()
    saved.append(shot(w, "lock_screen"))
    w.lock_form.pinEdit.setText(TRAINING_NURSE.pin)
    w.unlock()
    w.not_recorded("inspect_bag", "the disk is full (database: /var/lib/kresladi/procedures.db)")
    saved.append(shot(w, "not_recorded"))
    if w.alarms.not_recorded_box is not None:
        w.alarms.not_recorded_box.accept()
    w.alarms.recorded()
    clock.advance(3000)
    w.tick()
    saved.append(shot(w, "identity_bag2_window_open"))
    # bag 2 out of its cassette: its storage until now confirmed, its label against the
    # cassette's, then quickly through
    scan(w, S.wristband_payload())
    w.current_page().keptButton.click()
    scan(w, S.bag_payload(2))
    w.current_page().form.thawButton.click()  # intact, in its sterile bag: START THAW
    clock.advance(200)
    w.current_page().form.completeButton.click()
    scan(w, S.wristband_payload())
    scan(w, S.bag_payload(2))
    w.current_page().checks.set_all()
    w.current_page().form.confirmButton.click()
    clock.advance(300)
    w.current_page().form.endButton.click()
    w.current_page().form.volumeSpin.setValue(95)  # with bag 1's: above the site's mL/kg
    saved.append(shot(w, "flush_bag2_above_threshold"))
    w.current_page().form.volumeSpin.setValue(8)
    w.current_page().form.flushButton.click()
    saved.append(shot(w, "post_infusion"))
    w.current_page().form.acknowledgeButton.click()  # the instructions, acknowledged together
    saved.append(shot(w, "complete"))
    confirm = ConfirmDialog("Start a new procedure?", "Start a NEW procedure for another "
                            "patient? This procedure is finished and stays in the log; its "
                            "record can still be printed from Procedure ▸ Print the previous "
                            "procedure's record.", "Yes, start a &new procedure",
                            "&No, stay here", w)
    confirm.show()
    saved.append(shot(confirm, "new_procedure_confirm"))
    confirm.close()
    w.close()

    # a wrong-patient stop, in a second procedure
    w2 = new_window(clock)
    sign_in(w2)
    w2.current_page().form.sampleButton.click()
    fill_gates(w2.current_page(), clock)
    scan(w2, S.wristband_payload(mrn="99999999", name="DOE^JANE", dob="2023-01-01"))
    saved.append(shot(w2, "stopped_wrong_patient"))
    w2.close()

    # a stop by the nurse, signed, in a third
    w3 = new_window(clock)
    sign_in(w3)
    w3.current_page().form.sampleButton.click()
    stop = StopDialog(w3.people, w3)
    stop.reasonEdit.setPlainText("Patient febrile: infusion postponed by the physician")
    stop.understoodCheck.setChecked(True)
    stop.show()
    saved.append(shot(stop, "stop_dialog"))
    stop.pinEdit.setText(TRAINING_NURSE.pin)
    stop.sign()
    w3.submit("stop_procedure", {"reason": stop.reason}, signatures=(stop.signature,))
    saved.append(shot(w3, "stopped_by_staff"))
    w3.close()
    answering.stop()
    del app
    return saved


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--size" in args:
        i = args.index("--size")
        width, height = args[i + 1].split("x")
        SIZE = (int(width), int(height))
        del args[i:i + 2]
    out = Path(args[0]) if args else Path("build/screenshots")
    for path in run(out):
        print(path)
