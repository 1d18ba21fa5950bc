"""The pages that wait for labels: wristband, shipper, cassettes and bags (at the start and
again at the bedside)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy

from ...engine.steps import Step
from ..forms import BedsideIdentityForm, IdentityForm, ScanForm, box_layout
from ..page_views import (
    NEEDED,
    bedside_needed,
    identity_needed,
    scan_progress,
    storage_reconfirmed,
)
from ..session import Result
from .base import StepPage

ScanFormT = TypeVar("ScanFormT", bound=ScanForm)


class ScanPage(StepPage[ScanFormT]):
    """A page that waits for labels: wristband, shipper, cassettes and bags."""

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
    NOT_KEPT = "✘ &Not kept (ends the procedure)"
    CONFIRM_NOT_KEPT = "Press again: NOT kept — ends the procedure"

    def setup(self) -> None:
        super().setup()
        self.keptButton: QPushButton | None = None
        self.notKeptButton: QPushButton | None = None
        if self.bag is not None and self.bag > 1:
            self.add_storage_row(self.bag)

    def add_storage_row(self, bag: int) -> None:
        """§2.2: a later bag stays in vapor-phase LN2 until its thaw; before it leaves its
        cassette the nurse confirms it was kept so until now (the engine refuses its label
        first). Above the progress list: the first thing to do on this page."""
        caption = QLabel(f"Bag {bag} was kept in vapor-phase liquid nitrogen at ≤ −150 °C "
                         "until now:")
        caption.setTextFormat(Qt.TextFormat.PlainText)
        caption.setWordWrap(True)
        kept = QPushButton("✔ &Kept frozen until now")
        kept.setAccessibleName(f"Bag {bag} kept in vapor-phase liquid nitrogen until now")
        not_kept = QPushButton(self.NOT_KEPT)
        not_kept.setAccessibleName(f"Bag {bag} was not kept frozen: ends the procedure")
        for button in (kept, not_kept):
            button.setMinimumHeight(48)
        kept.clicked.connect(lambda: self.storage_kept(True))
        not_kept.clicked.connect(lambda: self.storage_kept(False))
        row = QHBoxLayout()  # the sentence on its own line, the two answers under it
        row.addWidget(kept, 3)
        row.addWidget(not_kept, 2)
        column = box_layout(self.form.widget)
        at = column.indexOf(self.form.progressLabel)
        column.insertLayout(at, row)
        column.insertWidget(at, caption)
        self.keptButton, self.notKeptButton = kept, not_kept

    def storage_kept(self, kept: bool) -> None:
        button = self.notKeptButton
        # Two presses for "not kept": it ends the procedure for good, so a slip must not do it.
        if not kept and button is not None and button.text() != self.CONFIRM_NOT_KEPT:
            button.setText(self.CONFIRM_NOT_KEPT)
            return
        self.submit("confirm_bag_storage", {"bag": self.number, "kept_frozen": kept})

    def refresh(self) -> None:
        super().refresh()
        if self.keptButton is None or self.notKeptButton is None:
            return
        confirmed = storage_reconfirmed(self.model.state, self.number)
        self.keptButton.setEnabled(not confirmed)
        self.notKeptButton.setEnabled(not confirmed)
        self.notKeptButton.setText(self.NOT_KEPT)
        if confirmed:
            self.keptButton.setText(f"✔ Kept frozen (confirmed) — scan bag {self.number}")

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
