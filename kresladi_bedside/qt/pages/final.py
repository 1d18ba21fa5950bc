"""The last pages: post-infusion instructions, and the end of a procedure (complete or
stopped) with nothing left but the record."""

from __future__ import annotations

from typing import TypeVar

from ..forms import CompleteForm, FinalForm, PostInfusionForm, StoppedForm
from ..page_views import complete_view, stopped_view
from .base import AttestList, StepPage, add_correction_button


class PostInfusionPage(StepPage[PostInfusionForm]):
    instruction_steps = ("post_infusion",)
    primary = ("acknowledgeButton",)

    def setup(self) -> None:
        profile = self.model.profile
        self.checks = AttestList(self.form.attestBox, profile.attestations_for("post_infusion"))
        if profile.acknowledged_as_one("post_infusion"):
            self.checks.as_one(self.form.attestBox, self.form.acknowledgeButton,
                               "&ACKNOWLEDGE and finish")
        self.form.acknowledgeButton.clicked.connect(
            lambda: self.submit("acknowledge_post_infusion", {"attest": self.checks.values()}))
        self.correctButton = add_correction_button(self)


FinalFormT = TypeVar("FinalFormT", bound=FinalForm)


class FinalPage(StepPage[FinalFormT]):
    """The end of a procedure (complete or stopped): nothing follows but printing the record."""

    primary = ("printButton",)

    def setup(self) -> None:
        self.form.printButton.clicked.connect(self.win.print_record)
        self.setFinalPage(True)
        # nothing is refused here any more: the room goes to the result and the print button
        self.form.messageLabel.setFixedHeight(0)

    def nextId(self) -> int:
        return -1

    def isComplete(self) -> bool:
        return True


class CompletePage(FinalPage[CompleteForm]):

    def refresh(self) -> None:
        view = complete_view(self.model.state)
        self.form.instructionLabel.setText(view.instruction)
        self.form.summaryLabel.setText(view.summary)


class StoppedPage(FinalPage[StoppedForm]):

    def refresh(self) -> None:
        view = stopped_view(self.model.state, self.model.profile, self.model.events)
        self.form.titleLabel.setText(view.title)
        self.form.whatLabel.setText(view.what)
        self.form.contactLabel.setText(view.contact)
        self.form.recordedLabel.setText(view.recorded)
