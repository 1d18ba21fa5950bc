"""Issue 25, item 10, on a real X display: a 1366×768 Xvfb screen under openbox. The window, as
the program shows it (maximised by the window manager), keeps its frame and its status bar on
the screen, and the primary buttons of the pages walked lie inside the screen in X's own
coordinates; Qt's print dialog, under the window's style, fits and cuts no button's text.
(Every page and dialog is walked offscreen by tests/qt/test_fit_1366.py.)"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from devices.servers import XServer

from .app import BedsideX

# Inside the window's process: where a widget is on the X screen, and whether its text is whole.
PLACE = ("(lambda w: (w.mapToGlobal(__import__('PySide6.QtCore').QtCore.QPoint(0, 0)).x(), "
         "w.mapToGlobal(__import__('PySide6.QtCore').QtCore.QPoint(0, 0)).y(), "
         "w.width(), w.height(), w.isVisible(), "
         "w.visibleRegion().boundingRect().size() == w.size()))")
WHOLE_TEXT = "(lambda w: w.sizeHint().width() <= w.width())"  # narrower than its text needs


def _small(window_manager: bool) -> Iterator[XServer]:
    why = XServer.why_not_wm() if window_manager else XServer.why_not()
    if why:
        pytest.skip(f"no X server{' with a window manager' if window_manager else ''}: {why}")
    started = XServer(1366, 768, window_manager=window_manager)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def small_screen() -> Iterator[XServer]:
    """1366×768 under openbox."""
    yield from _small(True)


@pytest.fixture(scope="module")
def small_kiosk() -> Iterator[XServer]:
    """1366×768, no window manager (a kiosk session)."""
    yield from _small(False)


def on_screen(x: BedsideX, expr: str, name: str, screen: tuple[int, int] = (1366, 768)
              ) -> list[str]:
    width_px, height_px = screen
    left, top, width, height, visible, whole = x.eval(f"{PLACE}({expr})")
    if not visible:
        return [f"{name}: hidden"]
    problems = []
    if left < 0 or top < 0 or left + width > width_px or top + height > height_px:
        problems.append(f"{name}: at {left},{top} {width}×{height}, outside "
                        f"{width_px}×{height_px}")
    if not whole:
        problems.append(f"{name}: clipped by its scroll area")
    return problems


def walk_primary_buttons(x: BedsideX, screen: tuple[int, int] = (1366, 768)) -> list[str]:
    """From sign-in to bag 1's flush the quick way: each page's primary button, and the status
    bar, inside the screen in X's own coordinates (what is wrong, by name)."""
    problems = on_screen(x, "win.statusBar()", "status bar", screen)
    problems += on_screen(x, "b.page.form.signInButton", "sign-in: Sign in", screen)
    x.run("nav.to_gates(b)")
    problems += on_screen(x, "b.page.form.recordButton", "gates: Record", screen)
    x.run("b.gates(); b.next()")
    x.run("[b.scan(p) for p in nav.IDENTITY_LABELS]; b.next()")
    problems += on_screen(x, "b.page.form.thawButton", "inspect: START THAW", screen)
    x.run("b.page.form.intactButton.click(); b.next()")
    x.run("b.page.before.set_all(); b.page.form.startButton.click(); b.advance(200)")
    problems += on_screen(x, "b.page.form.completeButton", "thaw: THAW COMPLETE", screen)
    x.run("b.page.after.set_all(); b.page.form.completeButton.click(); b.next()")
    x.run("from kresladi_bedside.labels import samples as S\n"
          "b.scan(S.wristband_payload()); b.scan(S.bag_payload(1)); b.next()")
    problems += on_screen(x, "b.page.form.confirmButton", "line checks: START INFUSION",
                          screen)
    x.run("b.page.checks.set_all(); b.page.form.confirmButton.click(); b.next()\n"
          "b.advance(300)")
    problems += on_screen(x, "b.page.form.endButton", "infusion: END INFUSION", screen)
    x.run("b.page.end_checks.set_all(); b.page.form.endButton.click(); b.next()")
    problems += on_screen(x, "b.page.form.flushButton", "flush: Log flush", screen)
    problems += on_screen(x, "win.statusBar()", "status bar after the walk", screen)
    return problems


def test_window_pages_and_print_dialog_fit_a_1366x768_screen_under_openbox(
        small_screen: XServer, print_queue: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the print dialog lists a real queue (a private cupsd): with none, Qt's dialog crashes
    for key, value in print_queue.env().items():
        monkeypatch.setenv(key, value)
    x = BedsideX(small_screen, tmp_path / "fit.db", as_started=True)
    try:
        # maximised by openbox, or kept on the screen by the window itself: the frame (title
        # bar included) inside the screen
        x.wait_until("win.isVisible() and win.height() > 600", timeout=20)
        x.settle(2.5)
        frame = x.eval("win.frameGeometry().getRect()")
        assert frame[1] >= 0 and frame[1] + frame[3] <= 768, frame
        problems = walk_primary_buttons(x)
        assert x.eval("win.frameGeometry().height()") <= 768
        # Qt's print dialog, parented to the window (its style sheet applies)
        x.run("from PySide6.QtPrintSupport import QPrinter\n"
              "from kresladi_bedside.qt.printing import print_dialog\n"
              f"printer = QPrinter(); printer.setPrinterName({print_queue.name!r})\n"
              "pd = print_dialog(printer, win); pd.show()")
        x.wait_until("pd.isVisible()")
        x.settle(0.5)
        pframe = x.eval("pd.frameGeometry().getRect()")
        if pframe[1] < 0 or pframe[1] + pframe[3] > 768 or pframe[0] + pframe[2] > 1366:
            problems.append(f"print dialog frame {pframe} outside 1366×768")
        cut = x.eval("[b.text() for b in pd.findChildren(__import__('PySide6.QtWidgets')"
                     ".QtWidgets.QPushButton) if b.isVisible() and not "
                     f"{WHOLE_TEXT}(b)]")
        problems += [f"print dialog: {text!r} cut" for text in cut]
        shots = os.environ.get("KRESLADI_FIT_SHOTS")
        if shots:
            x.run(f"win.grab().save({shots + '/x11-window.png'!r}); "
                  f"pd.grab().save({shots + '/x11-print-dialog.png'!r})")
        x.run("pd.close()")
        assert problems == [], "\n".join(problems)
    finally:
        x.close()


# Inside the window's process: the open modal dialog's class, its frame, and each visible push
# button's text, place (PLACE) on the X screen and whether its text is whole. In a function: the
# same look as a list comprehension in the harness's eval raised "Internal C++ object already
# deleted" for a QInputDialog's live buttons (PySide 6.11, measured), the function did not.
MODAL = "QApplication.activeModalWidget()"
LOOK_AT = ("from PySide6.QtWidgets import QPushButton as _PushButton\n"
           "def look_at(w):\n"
           "    shown = []\n"
           "    for button in w.findChildren(_PushButton):\n"
           "        if button.isVisible():\n"
           f"            shown.append((button.text(), {PLACE}(button), {WHOLE_TEXT}(button)))\n"
           "    return type(w).__name__, w.frameGeometry().getRect(), shown\n")


def dialog_on_screen(x: BedsideX, name: str, opener: str | None, kind: str,
                     close: str = f"{MODAL}.reject()") -> list[str]:
    """Open a dialog by the program's own path (`opener`, called from the event loop: its
    exec() does not block the harness; None: the previous dialog's answer opens it), look at it
    where X put it, and answer it (`close`)."""
    if opener is not None:
        x.run(f"{LOOK_AT}"
              f"__import__('PySide6.QtCore').QtCore.QTimer.singleShot(0, {opener})")
    x.wait_until(f"{MODAL} is not None and {MODAL}.isVisible() and "
                 f"type({MODAL}).__name__ == {kind!r}")
    x.settle(0.8)  # a window manager frames and places it
    try:
        _kind, (left, top, width, height), buttons = x.eval(f"look_at({MODAL})")
    except AssertionError as exc:
        raise AssertionError(f"looking at {name}: {exc}") from None
    problems = []
    if left < 0 or top < 0 or left + width > 1366 or top + height > 768:
        problems.append(f"{name}: its frame at {left},{top} {width}×{height}, outside "
                        "1366×768")
    if not buttons:
        problems.append(f"{name}: no button shown")
    for text, (bx, by, bw, bh, _visible, whole), text_whole in buttons:
        label = text.replace("&", "")
        if bx < 0 or by < 0 or bx + bw > 1366 or by + bh > 768:
            problems.append(f"{name}: {label!r} at {bx},{by} {bw}×{bh}, outside 1366×768")
        if not whole:
            problems.append(f"{name}: {label!r} clipped")
        if not text_whole:
            problems.append(f"{name}: {label!r} cut")
    x.run(f"m = {MODAL}\n{close}")
    x.wait_until(f"{MODAL} is not m")
    return problems


@pytest.mark.parametrize("manager", ["openbox", "kiosk"])
def test_minor_dialogs_and_the_lock_screen_fit_a_1366x768_screen(
        manager: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The dialogs the offscreen walk (tests/qt/test_fit_1366.py) does not open, each by the
    program's own path, on a real 1366×768 X screen with and without a window manager: each
    push button inside the screen, whole; and the lock screen's Unlock button (the TRAINING
    banner shown) inside the screen, not only inside the window."""
    screen = request.getfixturevalue("small_screen" if manager == "openbox" else "small_kiosk")
    x = BedsideX(screen, tmp_path / "dialogs.db", as_started=True)
    try:
        x.wait_until("win.isVisible() and win.height() > 600", timeout=20)
        x.settle(2.0)
        assert x.eval("win.header.form.trainingBanner.isVisible()")
        x.run("nav.to_identity(b)")
        problems = []
        x.run("win.lock()")
        problems += on_screen(x, "win.lock_form.unlockButton", "lock screen: Unlock")
        x.run("from kresladi_bedside.qt.signin import TRAINING_NURSE\n"
              "win.lock_form.pinEdit.setText(TRAINING_NURSE.pin); win.unlock()")
        assert not x.eval("win.is_locked()")
        for name, opener, kind in (
                ("attest the real time", "win.attest_time_action.trigger", "QInputDialog"),
                ("save the record as PDF", "win.save_record", "QFileDialog"),
                ("print or save", "win.print_record", "QMessageBox"),
                ("stop", "win.procedure_actions.stop_procedure", "StopDialog")):
            problems += dialog_on_screen(x, name, opener, kind)
        # the hand-over by file (no server): where, to whom, then the question (answered No)
        problems += dialog_on_screen(
            x, "hand over: the file", "win.procedure_actions.hand_over_by_file",
            "QFileDialog", f"m.selectFile({str(tmp_path / 'h.jsonl')!r}); m.accept()")
        problems += dialog_on_screen(x, "hand over: to which workstation", None,
                                     "QInputDialog", "m.setTextValue('bed 12'); m.accept()")
        problems += dialog_on_screen(x, "hand over?", None, "QMessageBox")
        x.wait_until(f"{MODAL} is None")
        # the pharmacy's receipt: "End this receipt" and its export, from the receipt dialog
        x.run("rd = win.procedure_actions.receive_product()")
        x.wait_until("rd.isVisible()")
        problems += dialog_on_screen(x, "end this receipt", "rd.stop", "QInputDialog")
        problems += dialog_on_screen(x, "export the receipt", "rd.export", "QFileDialog")
        x.run("rd.reject()")
        # the order page's files: a receipt exported elsewhere, and an order file (IT)
        x.run("order = win.wizard.page(1)")
        problems += dialog_on_screen(x, "import a receipt", "order.received.import_file",
                                     "QFileDialog")
        problems += dialog_on_screen(x, "open an order file", "order.open_file", "QFileDialog")
        assert problems == [], "\n".join(problems)
    finally:
        x.close()


def _unreplayable_log(db: Path) -> None:
    """A log whose procedure no fold can read (its order a bare string: the kind of shape a
    hostile import leaves, tests/security/test_startup_damaged_log.py), stored and sealed like
    any event, so start-up reports it damaged."""
    from kresladi_bedside.clock import FakeClock
    from kresladi_bedside.engine.model import Event
    from kresladi_bedside.store import open_store

    clock = FakeClock(datetime(2026, 5, 4, 8, 0, tzinfo=UTC))
    rows = (("procedure_opened", {"training": False}), ("order_prepared", {"order": "none"}))
    with open_store(db) as store:
        store.append([Event(Event.new_id(), "bad", kind, data, "u-x", clock.advance(5))
                      for kind, data in rows])


def box_text(x: BedsideX) -> str:
    """The text of the message box the program opened (waited for): the walk looks at the box
    meant, not at any box."""
    return str(x.wait_until(f"{MODAL} is not None and {MODAL}.isVisible() and "
                            f"{MODAL}.text()", timeout=15))


# Inside the window's process: a loopback FHIR server (tests/sync/fhir_server.py) whose
# hospital record already shows KRESLADI given to the training order's patient, asked by the
# window's own pre-thaw check (qt/prethaw.py), as tests/sync/test_qt_prethaw.py sets it up.
PRETHAW_SERVER = (
    "from sync.conftest import MRN_SYSTEM, settings_for\n"
    "from sync.fhir_server import FhirTestServer\n"
    "from sync.test_qt_prethaw import GIVEN, SAMPLE_MRN\n"
    "from kresladi_bedside.profile import load_profile\n"
    "from kresladi_bedside.qt.prethaw import PrethawChecks\n"
    "server = FhirTestServer(patients={(MRN_SYSTEM, SAMPLE_MRN): 'pat-9'}).start()\n"
    "server.resources['MedicationAdministration'] = {'ma-1': GIVEN}\n"
    "win.prethaw = PrethawChecks(settings_for(server), load_profile())\n")


@pytest.mark.parametrize("manager", ["openbox", "kiosk"])
def test_error_boxes_fit_a_1366x768_screen(manager: str, request: pytest.FixtureRequest,
                                            tmp_path: Path) -> None:
    """The boxes that say something went wrong, each opened by what opens it on a workstation:
    start-up finding a damaged log (the program's own start, qt/app.py), a PDF that cannot be
    written (the print job's failure box, qt/print_jobs.py), the pre-thaw check finding
    KRESLADI already given in the hospital's record (qt/prethaw.py, a loopback FHIR server): on
    a real 1366×768 X screen with
    and without a window manager, each push button inside the screen, whole."""
    screen = request.getfixturevalue("small_screen" if manager == "openbox" else "small_kiosk")
    problems: list[str] = []
    damaged = tmp_path / "damaged.db"
    _unreplayable_log(damaged)
    x = BedsideX(screen, damaged, program=True, as_started=True)
    try:
        x.run(LOOK_AT)
        for n in range(3):  # one box for each damaged thing start-up and its full check find
            assert "LOG DAMAGED" in box_text(x), "no damaged-log box"
            problems += dialog_on_screen(x, f"log damaged ({n + 1})", None, "QMessageBox",
                                         f"{MODAL}.accept()")
            x.settle(1.5)
            if x.eval(f"{MODAL} is None"):
                break
        assert "PROCEDURE LOG DAMAGED" in x.eval("win.header.form.alarmLabel.text()")
    finally:
        x.close()
    x = BedsideX(screen, tmp_path / "boxes.db", as_started=True)
    try:
        x.wait_until("win.isVisible() and win.height() > 600", timeout=20)
        x.settle(2.0)
        x.run(LOOK_AT)
        x.run(PRETHAW_SERVER + "nav.to_identity(b)")
        missing = tmp_path / "no such folder"
        x.run("QTimer = __import__('PySide6.QtCore').QtCore.QTimer\n"
              f"QTimer.singleShot(0, lambda: win.save_record({str(missing / 'r.pdf')!r}))")
        assert "does not exist" in box_text(x)
        problems += dialog_on_screen(
            x, "the PDF not written", None, "QMessageBox", f"{MODAL}.accept()")
        assert "does not exist" in x.eval("win.records.jobs.last.error")
        # bag 1 out of its cassette: the search starts; its answer stops the procedure
        x.run("[b.scan(p) for p in nav.IDENTITY_LABELS[:4]]")
        x.wait_until("b.session.state.outcome == 'stopped'", timeout=15)
        assert "Do not thaw." in box_text(x)
        problems += dialog_on_screen(x, "stop: already given", None, "QMessageBox",
                                     f"{MODAL}.accept()")
        x.run("server.stop()")
        assert problems == [], "\n".join(problems)
    finally:
        x.close()


def _published_elsewhere(server_url: str, db: Path) -> str:
    """Workstation A's open procedure (the training order's patient), its bags claimed by A on
    the hospital server and its log published there, as A's sync pass does (sync/handover.py):
    what the take-over lists. Returns its procedure id."""
    from kresladi_bedside.clock import FakeClock
    from kresladi_bedside.store import StoreListener, open_store
    from kresladi_bedside.sync import SyncSettings
    from kresladi_bedside.sync.custody import Who, claim
    from kresladi_bedside.sync.handover import publish_open
    from tests.engine.driver import START, Driver, order_dict

    order = order_dict()
    with open_store(db) as store:
        driver = Driver(clock=FakeClock(START))
        driver.proc.subscribe(StoreListener(store))
        driver.open()
        driver.ok("prepare_order", order=order)
        pid = driver.proc.procedure_id
        client = SyncSettings(base_url=server_url, token="t",
                              mrn_system="urn:oid:1.2.3.4.5").client()
        try:
            dins = [bag["bag_id"] for bag in order["bags"]]
            assert claim(client, dins, Who("A", "n-a", "Nurse A"), receipt_id=None,
                         procedure_id=pid).won
            assert publish_open(client, store, "A") == []
        finally:
            client.close()
    return str(pid)


@pytest.mark.parametrize("manager", ["openbox", "kiosk"])
def test_take_over_dialogs_fit_a_1366x768_screen(manager: str, request: pytest.FixtureRequest,
                                                 tmp_path: Path) -> None:
    """Procedure ▸ Take over…, on a workstation whose hospital server (the loopback one,
    tests/sync/fhir_server.py) lists a procedure workstation A holds: the choice, the nurse's
    signed reason and the witness, each where X put it on a 1366×768 screen with and without a
    window manager, each push button inside the screen, whole; the witness cancelled, nothing
    is taken over."""
    from tests.sync.fhir_server import FhirTestServer

    screen = request.getfixturevalue("small_screen" if manager == "openbox" else "small_kiosk")
    server = FhirTestServer(token="t").start()
    try:
        pid = _published_elsewhere(server.url, tmp_path / "a.db")
        x = BedsideX(screen, tmp_path / "ward4.db", as_started=True, sync_url=server.url)
        try:
            x.wait_until("win.isVisible() and win.height() > 600", timeout=20)
            x.settle(2.0)
            x.run("nav.signed_in(b); b.witness_pin = None")  # the witness dialog left to us
            assert x.eval("win.take_over_action.isEnabled()")
            x.run(LOOK_AT)
            problems = dialog_on_screen(
                x, "take over: which procedure", "win.take_over_action.trigger",
                "QInputDialog", f"{MODAL}.accept()")
            assert pid in x.eval("win.take_over.found[0].procedure_id")
            assert "RIVERA" in x.eval("win.take_over.found[0].describe()")
            problems += dialog_on_screen(
                x, "take over: the nurse's reason", None, "SignedReasonDialog",
                "from kresladi_bedside.qt.signin import TRAINING_NURSE\n"
                "m.reasonEdit.setPlainText('workstation A froze mid-thaw')\n"
                "m.pinEdit.setText(TRAINING_NURSE.pin); m.sign()")
            problems += dialog_on_screen(x, "take over: the witness", None, "WitnessDialog")
            x.wait_until("win.take_over.message == 'Not taken over.'")
            assert problems == [], "\n".join(problems)
        finally:
            x.close()
    finally:
        server.stop()
