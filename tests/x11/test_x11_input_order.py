"""Issue 25, items 1, 3, 5 and 8: every key, click and scan is applied in the order the person
made them, with real X key and pointer events (xdotool), under a window manager and without one
(a kiosk session). The wedge filter holds a typed key up to 100 ms to tell a scanner from typing:
a click, a key's release and a dialog opened by a replayed key must not overtake or escape it."""

from __future__ import annotations

from kresladi_bedside.labels import samples as S
from kresladi_bedside.qt.signin import TRAINING_WITNESS

from .app import human_delay

FLUSH = "b.page.form.flushButton"
# every scan the wedge reads but the witness's badge (the harness's witness answers)
RECORD_SCANS = ("b.scans = []\n"
                "b.wedge.scanned.connect(lambda r: r.payload.startswith('BADGE:P') or "
                "b.scans.append(r.payload))")


def test_typed_volume_then_click_log_flush_at_once_logs_every_digit(bedside_xx) -> None:
    b = bedside_xx()
    b.run("nav.to_flush(b)")
    b.wait_until("focus().endswith('<QDoubleSpinBox>')")
    b.type_then_click("15", FLUSH, human_delay())
    b.wait_until("[e for e in b.session.events if e.type == 'flush_logged'] or "
                 "b.page.form.messageLabel.text()")
    logged = b.eval("[e.data['volume_ml'] for e in b.session.events "
                    "if e.type == 'flush_logged']")
    # (before: 1.0 mL — the click overtook the held "5"; and the first Log flush was refused:
    # "Flush ended at" held the page's minute, earlier than the end of the infusion)
    assert logged == [15.0], b.eval("b.window.scans.last_text + b.page.form.messageLabel.text()")


def test_conditioning_end_typed_then_click_keeps_its_last_digit(bedside_xx) -> None:
    b = bedside_xx()
    b.run("nav.to_gates(b)\nb.page.attest.set_all()\n"
          "b.page.form.backupSpin.setValue(2.4)\nb.page.form.storageSpin.setValue(-180)\n"
          "from datetime import timedelta as td\nnow = b.clock.now().local()\n"
          "b.page.set_order_instants(began=now - td(days=5), stored=now - td(days=10), "
          "confirmed=now - td(days=9))")
    b.ensure_focus()
    b.run("b.page.form.conditioningEdit.setFocus()")
    b.wait_until("focus().endswith('<QLineEdit>')")
    ended = b.eval("(b.clock.now().local() - __import__('datetime').timedelta(hours=30))"
                   ".strftime('%m%d%H%M')")
    b.type_then_click(ended, "b.page.form.recordButton", human_delay())
    b.wait_until("b.session.state.conditioning_end is not None or "
                 "b.page.form.messageLabel.text()")
    assert b.eval("b.session.state.conditioning_end.local().strftime('%m%d%H%M')") == ended


def test_a_quick_space_ticks_a_checkbox(bedside_xx) -> None:
    """A tap shorter than the hold: the release must come after the press, not before it."""
    b = bedside_xx()
    b.run("nav.to_gates(b)\nfrom PySide6.QtWidgets import QCheckBox\n"
          "box = b.page.findChildren(QCheckBox)[0]")
    b.ensure_focus()
    b.run("box.setFocus()")
    b.wait_until("focus().endswith('<QCheckBox>')")
    assert not b.eval("box.isChecked()")
    b.x.xdotool("key", "--delay", "20", "space")  # press and release 20 ms apart
    b.settle()
    assert b.eval("box.isChecked()")


def test_a_dialog_opened_by_enter_reads_scans_as_scans(bedside_xx) -> None:
    """Enter on a focused button opens its dialog while the filter replays that Enter: a label
    scanned in the dialog is still a scan (before: it was typed into the dialog's field and its
    Enter pressed the dialog's default button), and so is the witness's badge after it."""
    b = bedside_xx()
    b.run("nav.to_identity(b)\nb.witness_pin = None\n" + RECORD_SCANS)
    b.ensure_focus()
    b.run("b.page.form.typedButton.setFocus()")
    b.wait_until("focus().endswith('<QPushButton>')")
    b.key("Return")
    b.wait_until("type(QApplication.activeModalWidget()).__name__ == 'TypedEntryDialog'")
    b.run("d = QApplication.activeModalWidget()")
    b.scan(S.wristband_payload())
    # the typing dialog gave way to the scan, which went on as any scan at this page: the
    # identity check asks for its witness
    b.wait_until("type(QApplication.activeModalWidget()).__name__ == 'WitnessDialog'")
    assert b.eval("b.scans") == [S.wristband_payload()]
    assert b.eval("d.form.payloadEdit.text()") == ""  # not typed into the dialog
    b.wait_until("focus() == 'Witness badge<QLineEdit>' or 'Badge' in focus()")
    b.scan(TRAINING_WITNESS.payload())
    b.wait_until("'PIN' in focus()")
    b.type(TRAINING_WITNESS.pin + "\r", human_delay())
    b.wait_until("QApplication.activeModalWidget() is None")
    assert "ACCEPTED" in b.eval("b.window.scans.last_text")


def test_a_blank_spin_box_clicked_into_takes_the_digits_typed(bedside_xx) -> None:
    """Item 8: a click into the blank back-up count ("enter CD34+/kg of the back-up"), then
    digits: they are the count (before: ignored until Ctrl+A — the cursor sat inside the
    blank's text, and digits there make no number)."""
    b = bedside_xx()
    b.run("nav.to_gates(b)")
    b.ensure_focus()
    b.click("b.page.form.backupSpin")
    b.type("2.4", human_delay())
    b.settle()
    assert b.eval("b.page.form.backupSpin.value()") == 2.4
