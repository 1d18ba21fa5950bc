"""Issue 25, item 8 (three of its findings), with real X key events (xdotool, Shift pressed by
the keyboard as a person's hand does), under a window manager and without one:

- a held Tab walks the focus round the infusion page; Enter where it stopped must never record
  END INFUSION unasked: it asks, and the question's default (Enter again) keeps infusing;
- a reason typed into the deviation dialog at scanner speed (a text expander, a very quick
  typist, a scanner's payload sent into the field on purpose) keeps every character;
- the gates page's entries are reached by Tab (and Shift+Tab back) in the order they are read,
  top to bottom and left to right: nothing jumps past the back-up count."""

from __future__ import annotations

from .app import human_delay

END = "b.page.form.endButton"
ENDED = "[e for e in b.session.events if e.type == 'infusion_ended']"
# bag 1 thawed, checked at the bed and infusing (the walk of tests/qt/test_window_flow.py)
TO_INFUSING = ("nav.to_thaw(b)\n"
               "b.page.form.startButton.click()\nb.advance(200)\n"
               "b.page.form.completeButton.click()\n"
               "b.scan(nav.S.wristband_payload())\nb.scan(nav.S.bag_payload(1))\n"
               "b.page.checks.set_all()\nb.page.form.confirmButton.click()\n"
               "b.advance(120)\n"
               "assert type(b.page).__name__ == 'InfusionPage', type(b.page)\n"
               "assert b.session.state.bag(1).infusion_started is not None")


def _tab_to(b, target: str, *, shift: bool = False, most: int = 40) -> list[str]:
    """Tab (a key held down repeats it) until `target` has the keyboard; what it went through."""
    seen = [b.eval("focus()")]
    for _ in range(most):
        if b.eval(f"QApplication.focusWidget() is {target}"):
            return seen
        b.x.xdotool("key", "--delay", "30", "shift+Tab" if shift else "Tab")
        b.settle(0.15)
        seen.append(b.eval("focus()"))
    raise AssertionError(f"Tab never reached {target}: {seen}")


def test_held_tab_then_enter_asks_before_ending_the_infusion(bedside_xx) -> None:
    b = bedside_xx()
    b.run(TO_INFUSING)
    b.ensure_focus()
    _tab_to(b, END)
    b.x.xdotool("key", "Return")
    b.wait_until("QApplication.activeModalWidget() is not None or " + ENDED)
    assert b.eval(ENDED) == []  # (before: recorded at once, with its attestation)
    question = b.eval("QApplication.activeModalWidget().textLabel.text()")
    assert "BAG 1" in question.upper() and "END THE INFUSION" in question.upper()
    b.key("Return")  # the default: not yet, the infusion goes on
    b.wait_until("QApplication.activeModalWidget() is None")
    b.settle()
    assert b.eval(ENDED) == []
    assert b.eval("type(b.page).__name__") == "InfusionPage"
    assert b.eval("b.session.state.bag(1).infusion_ended") is None
    # asked again, and answered yes on purpose: recorded, attestation included
    _tab_to(b, END)
    b.x.xdotool("key", "space")
    b.wait_until("QApplication.activeModalWidget() is not None")
    b.run("QApplication.activeModalWidget().yesButton.setFocus()")
    b.key("space")
    b.wait_until(ENDED)
    assert b.eval(ENDED + "[0].data['attested']") == {"entire_contents": True}


def test_a_click_aimed_at_end_infusion_records_without_a_question(bedside_xx) -> None:
    """The button's text is the attestation: a real pointer click on it, once it has been on
    screen a moment, is the nurse's own act (a key, or a double click's second half, asks)."""
    b = bedside_xx()
    b.run(TO_INFUSING)
    b.settle(0.6)  # longer than a double click: the pointer is aimed, not carried over
    b.ensure_focus()
    b.click(END)
    b.wait_until(ENDED + " or QApplication.activeModalWidget() is not None")
    assert b.eval("QApplication.activeModalWidget()") is None
    assert b.eval(ENDED + "[0].data['attested']") == {"entire_contents": True}


def test_a_reason_typed_at_scanner_speed_keeps_every_character(bedside_xx) -> None:
    """The deviation dialog as a nurse meets it: Space on *Record these checks* records the
    gates, and conditioning begun before the product was stored asks for a signed reason (the
    dialog opens from that Space, which the scanner filter held and then let go)."""
    b = bedside_xx()
    b.run("nav.to_gates(b)\ng = b.page\nfrom datetime import timedelta\n"
          "now = b.clock.now().local()\nfmt = '%Y-%m-%d %H:%M'\n"
          "g.form.backupSpin.setValue(2.4)\ng.form.storageSpin.setValue(-180)\n"
          "g.set_conditioning_end(now - timedelta(hours=30))\n"
          "g.conditioningStart.setText((now - timedelta(hours=120)).strftime(fmt))\n"
          "g.storedWhen.setText((now - timedelta(hours=100)).strftime(fmt))\n"
          "g.backupWhen.setText((now - timedelta(hours=300)).strftime(fmt))\n"
          "g.attest.set_all()")
    b.ensure_focus()
    b.run("g.form.recordButton.setFocus()")
    b.wait_until("focus() == 'Record these checks<QPushButton>'")
    b.key("space")
    b.wait_until("type(QApplication.activeModalWidget()).__name__ == 'DeviationDialog'")
    b.run("d = QApplication.activeModalWidget()")
    b.wait_until("focus() == 'Reason for the deviation<QPlainTextEdit>'")
    reason = "Product stored late: conditioning had begun (RN Kim, #2 of 3)."
    b.type(reason, 1)  # 1 ms a key, as a scanner or a text expander types
    b.settle(0.8)
    assert b.eval("d.form.reasonEdit.toPlainText()") == reason  # (before: one character)
    b.type(" Then by hand.", human_delay())
    b.settle()
    assert b.eval("d.form.reasonEdit.toPlainText()") == reason + " Then by hand."
    if b.eval("d.pin_needed"):
        b.run("from kresladi_bedside.qt.signin import TRAINING_NURSE\n"
              "d.form.pinEdit.setText(TRAINING_NURSE.pin)")
    b.click("d.form.signButton")
    b.wait_until("QApplication.activeModalWidget() is None")
    rules = b.eval("[(d.rule, d.reason) for d in b.session.state.deviations]")
    assert rules == [["conditioning_order", reason + " Then by hand."]], rules


GATES_ENTRIES = ["Back-up collection CD34+ cells per kg, millions<QDoubleSpinBox>",
                 "Back-up confirmed at<QLineEdit>",
                 "On-site storage temperature in degrees Celsius<QDoubleSpinBox>",
                 "Product received and stored at<QLineEdit>",
                 "Conditioning end date and time<QLineEdit>",
                 "Conditioning began at<QLineEdit>",
                 "Record these checks<QPushButton>"]


def test_the_gates_entries_are_tabbed_in_reading_order_both_ways(bedside_xx) -> None:
    b = bedside_xx()
    b.run("nav.to_gates(b)")
    b.wait_until(f"focus() == {GATES_ENTRIES[0]!r}")  # where the page opens
    b.ensure_focus()
    forward = _tab_to(b, "b.page.form.recordButton")
    assert forward == GATES_ENTRIES, forward
    back = _tab_to(b, "b.page.form.backupSpin", shift=True)
    assert back == GATES_ENTRIES[::-1], back
    # the confirmations above the entries come just before the back-up count: Tab from the
    # last of them lands in the count, not past it (before: "Back-up confirmed at")
    b.x.xdotool("key", "--delay", "30", "shift+Tab")
    b.settle(0.15)
    above = b.eval("focus()")
    assert "Ustekinumab" in above and "<QRadioButton>" in above, above
    b.x.xdotool("key", "--delay", "30", "Tab")
    b.settle(0.15)
    assert b.eval("focus()") == GATES_ENTRIES[0]
