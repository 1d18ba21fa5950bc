"""The pages that wait for labels: wristband, shipper, cassettes and bags (at the start and
again at the bedside)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy

from ...engine.steps import Step
from ..forms import BedsideIdentityForm, IdentityForm, ScanForm, box_layout
from ..page_views import NEEDED, bedside_needed, identity_needed, scan_progress
from ..session import Result
from .base import StepPage

ScanFormT = TypeVar("ScanFormT", bound=ScanForm)


class ScanPage(StepPage[ScanFormT]):
    """A page that waits for labels: wristband, shipper, cassettes and bags."""

    primary = ("typedButton",)  # a label that will not scan: the way on, always in view

    def setup(self) -> None:
        self.form.typedButton.clicked.connect(self.win.type_identifier)
        self.win.attach_camera(self.form.cameraBox)
        # the scan's result, right under the header: the one thing to read after each scan
        result = self.form.scanResultLabel
        box_layout(self.form.widget).removeWidget(result)
        result.setFixedHeight(104)
        result.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.column.insertWidget(1, result)
        # here the message line carries only the citation (the reason is in the result box)
        self.form.messageLabel.setStyleSheet("font-size: 15px; font-weight: normal;"
                                             " color: #333333;")

    def show_scan(self, text: str, tone: str = "refused") -> None:
        """The scan's result, coloured by what it means: ACCEPTED green, NOT ACCEPTED amber,
        a stop red (never told apart only by ✔ and ✘)."""
        label = self.form.scanResultLabel
        label.setProperty("tone", tone)
        label.style().unpolish(label)
        label.style().polish(label)
        label.setText(text)  # after the tone's border is applied: the text is fitted inside it

    def show_result(self, result: Result) -> None:
        super().show_result(result)
        if result.rejection is not None:  # the reason is in the scan box: cite, don't repeat
            self.form.messageLabel.setText(result.rejection.citation)

    def needed(self) -> list[NEEDED]:
        return []

    def refresh(self) -> None:
        self.form.progressLabel.setText(scan_progress(self.model.state, self.needed()))


class IdentityPage(ScanPage[IdentityForm]):
    instruction_steps = ("identity",)

    def needed(self) -> list[NEEDED]:
        return identity_needed(self.model.state, Step(self.step_name, self.bag))


class BedsideIdentityPage(ScanPage[BedsideIdentityForm]):
    instruction_steps = ("bedside_identity",)

    def needed(self) -> list[NEEDED]:
        return bedside_needed(self.bag)



def scan_feedback(result: Result, scan_kind: str | None) -> str:
    """The scan's result box: not recorded, refused (why), or what was recorded."""
    from ..display import recorded_text, rejected_text

    if result.storage_error is not None:
        return f"✘ NOT RECORDED — {result.storage_error}"
    if result.rejection is not None:
        return rejected_text(result.rejection, scan_kind)
    return recorded_text(result.outcome.events if result.outcome else ()) or "Scan recorded."
