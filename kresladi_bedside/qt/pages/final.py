"""The last pages: post-infusion instructions, and the end of a procedure (complete or
stopped) with nothing left but the record."""

from __future__ import annotations

from ...engine.summary import any_given, stop_summary
from ..display import deviation_line, stop_view
from .base import AttestList, StepPage, add_correction_button


class PostInfusionPage(StepPage):
    form_name = "post_infusion.ui"
    instruction_steps = ("post_infusion",)

    def setup(self) -> None:
        profile = self.win.session.profile
        self.checks = AttestList(self.form.attestBox, profile.attestations_for("post_infusion"))
        if profile.acknowledged_as_one("post_infusion"):
            self.checks.as_one(self.form.attestBox, self.form.acknowledgeButton,
                               "&ACKNOWLEDGE and finish")
        self.form.acknowledgeButton.clicked.connect(
            lambda: self.submit("acknowledge_post_infusion", {"attest": self.checks.values()}))
        add_correction_button(self)


class FinalPage(StepPage):
    """The end of a procedure (complete or stopped): nothing follows but printing the record."""

    def setup(self) -> None:
        self.form.printButton.clicked.connect(self.win.print_record)
        self.setFinalPage(True)
        # nothing is refused here any more: the room goes to the result and the print button
        self.form.messageLabel.setFixedHeight(0)

    def nextId(self) -> int:
        return -1

    def isComplete(self) -> bool:
        return True


class CompletePage(FinalPage):
    form_name = "complete.ui"

    def refresh(self) -> None:
        state = self.win.session.state
        self.form.instructionLabel.setText(
            "The procedure is complete and recorded. Print the record for the chart. The "
            "patient must never donate blood, organs, tissues or cells.")
        lines = []
        for b in state.bags:
            given = b.infusion_ended.local().strftime("%H:%M") if b.infusion_ended else "—"
            lines.append(f"Bag {b.number}: infusion ended {given}, flush {b.flush_ml or 0:g} mL")
        lines += [deviation_line(d.rule, d.bag, d.reason) for d in state.deviations]
        self.form.summaryLabel.setText("\n".join(lines))


class StoppedPage(FinalPage):
    form_name = "stopped.ui"

    def refresh(self) -> None:
        state = self.win.session.state
        profile = self.win.session.profile
        finding = next((e for e in reversed(self.win.session.events)
                        if e.type == "hard_stop"), None)
        field = finding.data.get("details", {}).get("field") if finding else None
        view = stop_view(state.stop_rule, state.stop_reason, field)
        # After a bag was given the child received part of the dose: the page says what was
        # given and not "do not give this product" (engine.summary).
        summary = stop_summary(state, profile)
        self.form.titleLabel.setText(summary.title if any_given(state) else view.title)
        lines = [view.what, "", *summary.given]
        if summary.post_infusion_acknowledged is not None:
            lines.append("Post-infusion instructions acknowledged "
                         f"{summary.post_infusion_acknowledged.local():%H:%M}: irradiate blood "
                         "products for 3 months; the patient must never donate blood, organs, "
                         "tissues or cells.")
        if summary.backup:
            lines += ["", summary.backup]
        self.form.whatLabel.setText("\n".join(lines))
        self.form.contactLabel.setText(f"Call {profile.manufacturer_contact}\n"
                                       f"({profile.manufacturer_when})"
                                       if summary.call_manufacturer else "")
        last = next((e for e in reversed(self.win.session.events)
                     if e.type == "procedure_stopped"), None)
        when = last.at.local().strftime("%Y-%m-%d %H:%M:%S") if last else "—"
        self.form.recordedLabel.setText(
            f"Recorded in the procedure log at {when}. No step can follow; print the record, "
            "follow local guidelines, and keep the product for the manufacturer.")
