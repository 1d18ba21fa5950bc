"""The flush page (volume and end, with the engine's figures as typed) and the wait between
bags."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import QBoxLayout, QDateTimeEdit, QLabel

from ..forms import BetweenBagsForm, FlushForm, box_layout
from ..one_press import focus_first
from ..page_views import between_bags_text, flush_cue, flush_figures
from .base import StepPage, add_correction_button


def volume_row(form: FlushForm) -> QBoxLayout:
    """The form's row that holds the volume field."""
    column = box_layout(form.widget)
    for i in range(column.count()):
        item = column.itemAt(i)
        row = item.layout() if item is not None else None
        if isinstance(row, QBoxLayout) and row.indexOf(form.volumeSpin) >= 0:
            return row
    raise RuntimeError("flush.ui: the volume field is not in a row of the form")


class FlushPage(StepPage[FlushForm]):
    instruction_steps = ("flush",)
    primary = ("flushButton",)

    def setup(self) -> None:
        # empty until the nurse types the volume: a 0.0 already in the field reads as an entry
        self.form.volumeSpin.setSpecialValueText(" ")
        self.form.volumeSpin.setValue(self.form.volumeSpin.minimum())
        # When the flush ended is a clinical time the nurse enters (default: now).
        self.endedEdit = QDateTimeEdit()
        self.endedEdit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.endedEdit.setAccessibleName("Flush ended at")
        self.endedEdit.setMinimumHeight(44)
        # touched: changed by the nurse (not by the page keeping it at "now", nor a Tab through)
        self._showing_now = False
        self.endedEdit.dateTimeChanged.connect(
            lambda _dt: self._showing_now or self.endedEdit.setProperty("touched", True))
        ended_caption = QLabel("Flush ended at:")
        ended_caption.setBuddy(self.endedEdit)
        # on the volume's row (the two values of one flush; a 768-line screen then shows
        # the totals below them whole)
        row = volume_row(self.form)
        at = row.indexOf(self.form.volumeSpin) + 1
        row.insertSpacing(at, 24)
        row.insertWidget(at + 1, ended_caption)
        row.insertWidget(at + 2, self.endedEdit)
        self.form.volumeSpin.valueChanged.connect(lambda _value: self.show_figures())
        self.form.flushButton.clicked.connect(self.log)

    def cue(self) -> str:
        """What the engine would say to this volume, as it is typed (nothing is recorded): a
        volume large for the child's weight is flagged before the nurse logs it."""
        volume = self.form.volumeSpin.value()
        if volume == self.form.volumeSpin.minimum():
            return ""
        return flush_cue(self.model.preview("log_flush", {"bag": self.bag,
                                                          "volume_ml": volume}))

    def initializePage(self) -> None:
        self.form.volumeSpin.setValue(self.form.volumeSpin.minimum())
        self.endedEdit.setProperty("touched", False)
        super().initializePage()
        focus_first(self.form.volumeSpin)  # after QWizard has placed its own focus

    def log(self) -> None:
        if self.form.volumeSpin.value() == self.form.volumeSpin.minimum():
            self.form.messageLabel.setText("Type the saline flush volume in mL first.")
            self.form.volumeSpin.setFocus()
            return
        args: dict[str, object] = {"bag": self.bag, "volume_ml": self.form.volumeSpin.value()}
        ended = self.ended_at()
        if ended is not None:
            args["ended_at"] = ended
        self.submit("log_flush", args)

    def ended_at(self) -> str | None:
        """The entered flush end as an ISO instant with the workstation's offset; None when the
        nurse left the field as shown (the flush ends now: the engine takes its own clock, to
        the second — the field shows minutes, and the minute the page opened is earlier than
        an infusion that ended within it). A typed minute means "during that minute": its last
        second, never later than now, so a flush typed in the minute the infusion ended is not
        refused as ending before it."""
        if not self.endedEdit.property("touched"):
            return None
        clock_now = self.model.clock.now()
        offset = timedelta(seconds=clock_now.utc_offset_s)
        secs = self.endedEdit.dateTime().toSecsSinceEpoch()
        secs = min(secs - secs % 60 + 59, int(clock_now.wall.timestamp()))
        return datetime.fromtimestamp(secs, timezone(offset)).isoformat()

    def show_figures(self) -> None:
        """mL and mL/kg, this bag's and all flushes', against the site's threshold, as the
        nurse types (the engine's own figures)."""
        state = self.model.state
        if state.order is None or self.bag is None:
            return
        typed = self.form.volumeSpin.value()
        blank = typed == self.form.volumeSpin.minimum()
        cue = self.cue() if self.here() else ""
        self.form.totalLabel.setText(flush_figures(state, self.bag, None if blank else typed, cue))

    def refresh(self) -> None:
        # The workstation's clock as the engine reads it (training runs faster), with its offset.
        clock_now = self.model.clock.now()
        zone = QTimeZone.fromSecondsAheadOfUtc(clock_now.utc_offset_s)
        now = QDateTime.fromSecsSinceEpoch(int(clock_now.wall.timestamp()), zone)
        self._showing_now = True  # the page's own changes are not the nurse's
        try:
            self.endedEdit.setTimeZone(zone)
            self.endedEdit.setMaximumDateTime(now.addSecs(60))
            if not self.endedEdit.property("touched"):
                self.endedEdit.setDateTime(now)
        finally:
            self._showing_now = False
        self.show_figures()



class BetweenBagsPage(StepPage[BetweenBagsForm]):
    instruction_steps = ("between_bags",)

    def setup(self) -> None:
        self.correctButton = add_correction_button(self)

    def refresh(self) -> None:
        now = self.model.clock.now()
        self.form.waitLabel.setText(
            between_bags_text(self.model.countdowns(now), now, self.number, self.model.state))
