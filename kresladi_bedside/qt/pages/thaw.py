"""The thaw page: the checks before the bath, the thaw timer, and the thaw complete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from ..forms import ThawForm, box_layout
from ..page_views import thaw_view
from ..session import Result
from .base import AttestList, StepPage

THAW_METHODS = (("water_bath", "37 °C water bath"), ("dry", "Dry thaw"))


class ThawPage(StepPage[ThawForm]):
    instruction_steps = ("thaw", "thaw_complete")
    primary = ("startButton", "completeButton")
    MAX_QUESTIONS = 10  # at most one question per attestation the engine names

    def setup(self) -> None:
        profile = self.model.profile
        self.before = AttestList(self.form.attestBox, profile.attestations_for("thaw"))
        self.after = AttestList(self.form.completeAttestBox,
                                profile.attestations_for("thaw_complete"))
        for value, text in THAW_METHODS:
            self.form.methodCombo.addItem(text, value)
        self.form.startButton.setText("&Start thaw — the timer starts now")
        self.before.as_button(self.form.attestBox, self.form.startButton,
                              "&START THAW (timer starts)")
        self.after.as_button(self.form.completeAttestBox, self.form.completeButton,
                             "THAW &COMPLETE")
        self.form.startButton.clicked.connect(self.start)
        self.form.completeButton.clicked.connect(self.complete)
        # Whether the thaw timer runs, always in view: never silently absent.
        self.statusLabel = QLabel("")
        self.statusLabel.setObjectName("thawStatusLabel")
        self.statusLabel.setAccessibleName("Thaw timer status")
        self.statusLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setFixedHeight(72)  # two lines, running or not: nothing moves
        layout = box_layout(self.form.widget)
        layout.insertWidget(layout.indexOf(self.form.attestBox), self.statusLabel)

    def start(self) -> None:
        """Start the thaw. Where the engine names a check not yet ticked (the sterile overbag),
        ask it now, as the bag goes into the bath: answered yes, the timer starts at once."""
        if not self.win.thaw_allowed(self.number):  # the hospital's record (issue 14)
            return
        for _ in range(self.MAX_QUESTIONS):
            result = self.submit("start_thaw", {"bag": self.bag,
                                                "method": self.form.methodCombo.currentData(),
                                                "attest": self.before.values()})
            missing = self._unticked(result)
            if missing is None:
                return
            from ..dialogs import ConfirmDialog

            ask = ConfirmDialog(
                "Before the thaw timer starts",
                f"THE THAW TIMER IS NOT RUNNING YET.\n\n{missing[1]}\n\nIs that done?",
                "&Yes — start the thaw timer now", "&No — not yet", self)
            if ask.exec() != ConfirmDialog.DialogCode.Accepted:
                return
            self.before.set_one(missing[0])

    def _unticked(self, result: Result) -> tuple[str, str] | None:
        r = result.rejection
        if r is None or r.rule != "attestation":
            return None
        item = (r.details or {}).get("instruction")
        if item not in self.before.widgets:
            return None
        return item, self.before.text_of(item)

    def complete(self) -> None:
        self.submit("complete_thaw", {"bag": self.bag, "attest": self.after.values()})

    def refresh(self) -> None:
        view = thaw_view(self.model.state, self.number)
        started = view.started
        for w in (self.form.attestBox, self.form.methodCombo, self.form.startButton):
            w.setEnabled(not started)
        # once the timer runs, the start row gives its place to "thaw complete" (no scrolling
        # for the button that matters on a 768-pixel screen)
        for w in (self.form.methodCaption, self.form.methodCombo, self.form.startButton):
            w.setVisible(not started)
        self.form.attestBox.setVisible(not started and not self.before.by_button)
        for w in (self.form.completeAttestBox, self.form.completeButton):
            w.setEnabled(started)
        self.statusLabel.setText(view.status)
        self.statusLabel.setProperty("running", "true" if started else "false")
        self.statusLabel.style().unpolish(self.statusLabel)
        self.statusLabel.style().polish(self.statusLabel)
        (self.form.completeButton if started else self.form.startButton).setFocus()
