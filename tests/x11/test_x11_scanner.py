"""Finding 1 (issue 17): a real scanner presses Shift for capitals and symbols and Ctrl for GS,
and must still be read as a scan; a nurse typing (Shift included) must still be typing. Real X
key events (xdotool) into the real window on Xvfb, at scanner speed (1 ms a key) and at human
speed, on every kind of page: sign-in, a scan page, text fields and dialogs."""

from __future__ import annotations

from kresladi_bedside.labels import samples as S
from kresladi_bedside.qt.signin import TRAINING_NURSE, TRAINING_WITNESS

from .app import GS, human_delay
from .nav import IDENTITY_LABELS

# every scan the wedge reads, but the witness's badge (the harness's witness answers the witness
# dialogs of the identity scans with a scan of their own)
RECORD_SCANS = ("b.scans = []\n"
                "b.wedge.scanned.connect(lambda r: r.payload.startswith('BADGE:P') or "
                "b.scans.append([r.payload, r.symbology]))")
GS1_BAG = f"]C1010950600013437610KR26A0417{GS}17270430{GS}21W123426100001"


def test_badge_scanned_at_sign_in_is_a_scan_not_typing(bedside_x) -> None:
    b = bedside_x()
    b.run("b.window.sign_out()")
    b.wait_until("type(b.page).__name__ == 'SignInPage'")
    b.run(RECORD_SCANS)
    b.scan(TRAINING_NURSE.payload())  # BADGE:N40217|NAME:KIM, SORA — Shift for B, :, |, …
    b.settle()
    assert b.eval("b.scans") == [[TRAINING_NURSE.payload(), None]]
    # the page took it as a scan (no reason asked) and moved on to the PIN
    assert b.eval("b.page.badge()") == [TRAINING_NURSE.payload(), "wedge"]
    assert b.eval("focus()") == "PIN<QLineEdit>"
    b.type(TRAINING_NURSE.pin + "\r", human_delay())
    b.wait_until("b.window.session.user is not None")
    assert b.eval("b.window.session.user.name") == TRAINING_NURSE.name


def test_badge_typed_by_hand_with_shift_is_typing(bedside_x) -> None:
    b = bedside_x()
    b.run("b.window.sign_out()")
    b.wait_until("type(b.page).__name__ == 'SignInPage' and focus() == 'Badge<QLineEdit>'")
    b.run(RECORD_SCANS)
    b.type("BADGE:N40217", human_delay())
    b.settle()
    assert b.eval("b.scans") == []
    assert b.eval("b.page.badge()") == ["BADGE:N40217", "typed"]


def test_every_label_scanned_at_the_identity_page_is_read_as_a_scan(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_identity(b)")
    b.run(RECORD_SCANS + "\nb.window.activateWindow()")
    labels = list(IDENTITY_LABELS)
    for payload in labels:
        b.scan(payload)
        b.settle(0.3)
        assert "ACCEPTED" in b.eval("b.window.scans.last_text"), b.eval("b.window.scans.last_text")
    assert b.eval("b.scans") == [[p, None] for p in labels]
    # nothing opened and nothing typed anywhere: the wristband's letters are not shortcuts
    assert b.eval("QApplication.activeModalWidget()") is None
    assert b.eval("b.session.step().name") == "inspect"  # all six accepted: the engine moved on


def test_gs1_with_gs_and_aim_prefix_keeps_every_byte(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_identity(b)")
    b.run(RECORD_SCANS)
    b.scan(GS1_BAG)
    b.settle()
    assert b.eval("b.scans") == [[GS1_BAG[3:], "]C1"]]


def test_a_scan_into_a_text_field_does_not_land_in_it_and_typing_does(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_inspect(b)")
    b.run(RECORD_SCANS + "\nb.page.form.noteEdit.setFocus()")
    b.wait_until("focus().endswith('<QLineEdit>')")
    note = "Label FROSTED at top; Bag OK."
    b.type(note, human_delay())
    b.scan(S.bag_payload(1))
    b.settle()
    assert b.eval("b.page.form.noteEdit.text()") == note
    assert b.eval("b.scans") == [[S.bag_payload(1), None]]


def test_witness_badge_scanned_into_the_witness_dialog(bedside_x) -> None:
    b = bedside_x()
    b.run("nav.to_identity(b)\nb.witness_pin = None")
    b.run("from kresladi_bedside.qt.dialogs import WitnessDialog\n"
          "d = WitnessDialog(['identity'], b.people, b.window)\nd.open()")
    b.wait_until("focus() == 'Witness badge<QLineEdit>' or 'Badge' in focus()")
    b.scan(TRAINING_WITNESS.payload())
    b.settle()
    assert b.eval("d.form.badgeEdit.text()") == TRAINING_WITNESS.payload()
    assert b.eval("d._scanned") == [TRAINING_WITNESS.payload(), "wedge"]
    assert "PIN" in b.eval("focus()")
