"""The short per-bag steps: inspect the bag, check the line, infuse."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel

from ...engine.summary import site_policy
from ..deliberate import PressSource
from ..forms import InfusionForm, InspectForm, LineChecksForm, box_layout
from ..one_press import carry_on
from ..page_views import infusion_started
from ..session import Result
from .base import AttestList, StepPage
from .thaw import THAW_METHODS, ThawPage


class InspectPage(StepPage[InspectForm]):
    instruction_steps = ("inspect", "thaw")  # the thaw's reminders: the bag goes in from here
    steps = ("inspect", "between_bags")
    DAMAGED = "Bag is &damaged"
    CONFIRM = "Press again: bag is DAMAGED (ends the procedure)"

    def setup(self) -> None:
        self.form.intactButton.clicked.connect(self.intact)
        self.form.compromisedButton.clicked.connect(self.compromised)
        # Inspected, into its sterile bag and into the bath: one moment, one press. The
        # inspection and the thaw stay two commands (two events, the thaw page's own checks:
        # the hospital's record, any check the profile adds, the timer).
        for value, text in THAW_METHODS:
            self.form.methodCombo.addItem(text, value)
        before = self.model.profile.attestations_for("thaw")
        said = before[0].text + " " if len(before) == 1 and not before[0].values else ""
        self.form.thawButton.setText(f"Intact. {said}— &START THAW (timer starts)")
        self.form.thawButton.setAccessibleName(
            f"Bag intact, no breaks or cracks; start the thaw now. {said}")
        self.form.thawButton.clicked.connect(self.intact_and_thaw)

    def intact_and_thaw(self) -> None:
        method = self.form.methodCombo.currentIndex()

        def thaw(page: ThawPage) -> None:
            page.form.methodCombo.setCurrentIndex(method)
            page.start()
        if self.intact().accepted:
            carry_on(self, ThawPage, thaw)

    def refresh(self) -> None:
        self.form.compromisedButton.setText(self.DAMAGED)

    def intact(self) -> Result:
        self.form.compromisedButton.setText(self.DAMAGED)
        return self.submit("inspect_bag", {"bag": self.bag, "intact": True,
                                    "note": self.form.noteEdit.text().strip() or None})

    def compromised(self) -> None:
        # Two presses: a damaged bag ends the procedure for good, so a slip must not do it.
        if self.form.compromisedButton.text() != self.CONFIRM:
            self.form.compromisedButton.setText(self.CONFIRM)
            return
        self.submit("inspect_bag", {"bag": self.bag, "intact": False,
                                    "note": self.form.noteEdit.text().strip() or None})

    def here(self) -> bool:
        step = self.model.step()
        return step.name == "inspect" and step.bag == self.bag



class LineChecksPage(StepPage[LineChecksForm]):
    instruction_steps = ("line_checks", "infusion")  # how to connect, before the start

    def setup(self) -> None:
        self.checks = AttestList(self.form.attestBox,
                                 self.model.profile.attestations_for("line_checks"))
        self.form.confirmButton.clicked.connect(self.checked_and_start)
        # §2.3: the tubing's priming volume counts in the volume infused; the site's default,
        # changed here for the set actually used (the engine checks its range)
        self.primingSpin = QDoubleSpinBox()
        self.primingSpin.setObjectName("primingSpin")
        self.primingSpin.setAccessibleName("Priming volume of this tubing set in mL")
        self.primingSpin.setRange(0.0, 200.0)
        self.primingSpin.setDecimals(1)
        self.primingSpin.setSuffix(" mL")
        self.primingSpin.setMinimumHeight(44)
        caption = QLabel("Priming volume of this tubing set (saline that reaches the child):")
        caption.setBuddy(self.primingSpin)
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.primingSpin)
        row.addStretch(1)
        layout = box_layout(self.form.widget)
        layout.insertLayout(layout.indexOf(self.form.attestBox) + 1, row)

    def initializePage(self) -> None:
        super().initializePage()
        self.primingSpin.setValue(site_policy(self.model.state).priming_volume_ml)

    def checked_and_start(self) -> None:
        """Line checked, port connected: the infusion starts with the same press (two
        commands, two events; a refused start stays on the infusion page with its reason)."""
        def start(page: InfusionPage) -> None:
            page.submit("start_infusion", {"bag": page.bag})
        if self.submit("check_line", {"bag": self.bag, "items": self.checks.values(),
                                      "priming_ml": self.primingSpin.value()}).accepted:
            carry_on(self, InfusionPage, start)


class InfusionPage(StepPage[InfusionForm]):
    instruction_steps = ("infusion", "infusion_end")

    def setup(self) -> None:
        self.end_checks = AttestList(self.form.attestBox,
                                     self.model.profile.attestations_for("infusion_end"))
        self.end_checks.as_button(self.form.attestBox, self.form.endButton, "&END INFUSION")
        self.form.startButton.clicked.connect(
            lambda: self.submit("start_infusion", {"bag": self.bag}))
        self.end_press = PressSource(self.form.endButton)
        self.form.endButton.clicked.connect(self.end)

    def initializePage(self) -> None:
        super().initializePage()
        self.end_press.shown()

    def end(self) -> None:
        """END INFUSION. Pressed from the keyboard (a held Tab, then Enter), or by the second
        half of a double click begun on the line checks: asked first, "keep infusing" the
        default (Enter, Escape). A click aimed at the button records at once."""
        if not self.end_press.aimed():
            from ..dialogs import ConfirmDialog

            said = self.end_checks.text_of(self.end_checks.by_button) \
                if self.end_checks.by_button else ""
            ask = ConfirmDialog(
                "End the infusion?",
                f"END THE INFUSION OF BAG {self.number} NOW?\n\n{said}\n\nThis instant is "
                "recorded as the end of the infusion and cannot be taken back.",
                f"&Yes — END INFUSION of bag {self.number}", "&No — keep infusing", self)
            if ask.exec() != ConfirmDialog.DialogCode.Accepted:
                return
        self.submit("end_infusion", {"bag": self.bag, "attest": self.end_checks.values()})

    def refresh(self) -> None:
        started = infusion_started(self.model.state, self.number)
        self.form.startButton.setEnabled(not started)
        self.form.attestBox.setEnabled(started)
        self.form.endButton.setEnabled(started)
