"""One dialog shape for a reason signed with the PIN (issue 29): the stop and the acts of
custody (opening offline, taking over) are `dialogs.SignedReasonDialog`, each with its own words.
What differs is said, not copied: the stop's tick, its red banner and button, and Enter in its
PIN answering "Do not stop" (it cannot be undone); the custody act signs on Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from kresladi_bedside.qt.dialogs import SignedAsk, SignedReasonDialog, StopDialog
from kresladi_bedside.qt.signin import TRAINING_NURSE


def _custody(b) -> SignedReasonDialog:
    return SignedReasonDialog(SignedAsk("Take over a procedure", "Take over RIVERA?",
                                        ("Sign and &take over", "Sign")), b.window.people,
                              b.window)


def test_the_stop_and_the_custody_act_are_one_shape(bedside, qtbot) -> None:
    b = bedside()
    b.sign_in()
    stop, custody = StopDialog(b.window.people, b.window), _custody(b)
    assert type(custody) is SignedReasonDialog and isinstance(stop, SignedReasonDialog)
    for dialog in (stop, custody):
        assert dialog.cancelButton.isDefault() and not dialog.signButton.autoDefault()
        assert dialog.reasonEdit.tabChangesFocus()
    assert stop.understoodCheck is not None and custody.understoodCheck is None
    stop.signButton.click()
    custody.signButton.click()
    assert stop.messageLabel.text() == ("Not stopped — write why; tick that you understand "
                                        "the procedure ends; enter your PIN.")
    assert custody.messageLabel.text() == "Not signed — write why; enter your PIN."
    custody.take_scan("]C1BADGE")
    assert custody.messageLabel.text() == ("A scan is not needed here: write the reason and "
                                           "sign.")
    stop.take_scan("]C1BADGE")
    assert "write the reason, tick, and sign" in stop.messageLabel.text()


def test_enter_in_the_pin_signs_the_custody_act_but_never_the_stop(bedside, qtbot) -> None:
    b = bedside()
    b.sign_in()
    custody = _custody(b)
    custody.show()
    custody.reasonEdit.setPlainText("workstation A froze")
    custody.pinEdit.setText(TRAINING_NURSE.pin)
    qtbot.keyClick(custody.pinEdit, Qt.Key.Key_Return)
    assert custody.result() == QDialog.DialogCode.Accepted
    assert custody.reason == "workstation A froze"
    assert custody.signature is not None and custody.signature.meaning == "performed"

    stop = StopDialog(b.window.people, b.window)
    stop.show()
    stop.reasonEdit.setPlainText("Patient unwell")
    assert stop.understoodCheck is not None
    stop.understoodCheck.setChecked(True)
    stop.pinEdit.setText(TRAINING_NURSE.pin)
    qtbot.keyClick(stop.pinEdit, Qt.Key.Key_Return)
    assert stop.result() == QDialog.DialogCode.Rejected and stop.signature is None
