"""The pages that wait for labels: wristband, shipper, cassettes and bags (at the start and
again at the bedside)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy

from ...engine.steps import Step, labels_needed
from ..display import LABEL_NAMES, accepted_text
from ..session import Result
from .base import StepPage


class ScanPage(StepPage):
    """A page that waits for labels: wristband, shipper, cassettes and bags."""

    def setup(self) -> None:
        self.form.typedButton.clicked.connect(self.win.type_identifier)
        self.win.attach_camera(self.form.cameraBox)
        # the scan's result, right under the header: the one thing to read after each scan
        result = self.form.scanResultLabel
        self.form.widget.layout().removeWidget(result)
        result.setFixedHeight(104)
        result.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.layout().insertWidget(1, result)
        # here the message line carries only the citation (the reason is in the result box)
        self.form.messageLabel.setStyleSheet("font-size: 15px; font-weight: normal;"
                                             " color: #333333;")

    def show_scan(self, text: str, tone: str = "refused") -> None:
        """The scan's result, coloured by what it means: ACCEPTED green, NOT ACCEPTED amber,
        a stop red (never told apart only by ✔ and ✘)."""
        label = self.form.scanResultLabel
        label.setText(text)
        label.setProperty("tone", tone)
        label.style().unpolish(label)
        label.style().polish(label)

    def show_result(self, result: Result) -> None:
        super().show_result(result)
        if result.rejection is not None:  # the reason is in the scan box: cite, don't repeat
            self.form.messageLabel.setText(result.rejection.citation)

    def needed(self) -> list[tuple[str, str, int | None]]:
        return []

    def refresh(self) -> None:
        state = self.win.session.state
        lines = []
        for role, stage, bag in self.needed():
            done = state.label_accepted(role, stage, bag)
            name = LABEL_NAMES.get(role, role) + (f" (bag {bag})" if bag else "")
            lines.append(f"{'✔' if done else '○'} {name}")
        self.form.progressLabel.setText("\n".join(lines))


class IdentityPage(ScanPage):
    form_name = "identity.ui"
    instruction_steps = ("identity",)

    def needed(self) -> list[tuple[str, str, int | None]]:
        return labels_needed(self.win.session.state, Step(self.step_name, self.bag))


class BedsideIdentityPage(ScanPage):
    form_name = "bedside_identity.ui"
    instruction_steps = ("bedside_identity",)

    def needed(self) -> list[tuple[str, str, int | None]]:
        return [("wristband", "bedside", self.bag), ("bag", "bedside", self.bag)]



def scan_feedback(result: Result, scan_kind: str | None) -> str:
    from ..display import rejected_text

    if result.storage_error is not None:
        return f"✘ NOT RECORDED — {result.storage_error}"
    if result.rejection is not None:
        return rejected_text(result.rejection, scan_kind)
    for event in result.outcome.events if result.outcome else ():
        if event.type == "label_accepted":
            return accepted_text(event.data["label"])
    return "Scan recorded."
