"""The short per-bag steps: inspect the bag, check the line, infuse."""

from __future__ import annotations

from .base import AttestList, StepPage


class InspectPage(StepPage):
    form_name = "inspect.ui"
    instruction_steps = ("inspect",)
    steps = ("inspect", "between_bags")
    DAMAGED = "Bag is &damaged"
    CONFIRM = "Press again: bag is DAMAGED (ends the procedure)"

    def setup(self) -> None:
        self.form.intactButton.clicked.connect(self.intact)
        self.form.compromisedButton.clicked.connect(self.compromised)

    def refresh(self) -> None:
        self.form.compromisedButton.setText(self.DAMAGED)

    def intact(self) -> None:
        self.form.compromisedButton.setText(self.DAMAGED)
        self.submit("inspect_bag", {"bag": self.bag, "intact": True,
                                    "note": self.form.noteEdit.text().strip() or None})

    def compromised(self) -> None:
        # Two presses: a damaged bag ends the procedure for good, so a slip must not do it.
        if self.form.compromisedButton.text() != self.CONFIRM:
            self.form.compromisedButton.setText(self.CONFIRM)
            return
        self.submit("inspect_bag", {"bag": self.bag, "intact": False,
                                    "note": self.form.noteEdit.text().strip() or None})

    def here(self) -> bool:
        step = self.win.session.step()
        return step.name == "inspect" and step.bag == self.bag



class LineChecksPage(StepPage):
    form_name = "line_checks.ui"
    instruction_steps = ("line_checks",)

    def setup(self) -> None:
        self.checks = AttestList(self.form.attestBox,
                                 self.win.session.profile.attestations_for("line_checks"))
        self.form.confirmButton.clicked.connect(
            lambda: self.submit("check_line", {"bag": self.bag, "items": self.checks.values()}))


class InfusionPage(StepPage):
    form_name = "infusion.ui"
    instruction_steps = ("infusion", "infusion_end")

    def setup(self) -> None:
        self.end_checks = AttestList(self.form.attestBox,
                                     self.win.session.profile.attestations_for("infusion_end"))
        self.end_checks.as_button(self.form.attestBox, self.form.endButton, "&END INFUSION")
        self.form.startButton.clicked.connect(
            lambda: self.submit("start_infusion", {"bag": self.bag}))
        self.form.endButton.clicked.connect(
            lambda: self.submit("end_infusion", {"bag": self.bag,
                                                 "attest": self.end_checks.values()}))

    def refresh(self) -> None:
        started = self.win.session.state.bag(self.bag).infusion_started is not None
        self.form.startButton.setEnabled(not started)
        self.form.attestBox.setEnabled(started)
        self.form.endButton.setEnabled(started)
