"""The header's Designer form laid out as the window shows it (row stretches, the alarm row's
kept height), without the clocks, and the window's body (the header over the page): used by the
header (qt/header.py), the window and the start shell (qt/start.py), which paints them before
the engine that the clocks need is loaded."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from .forms import HeaderForm, box_layout


def laid_out_header(training: bool) -> HeaderForm:
    form = HeaderForm.load()
    form.trainingBanner.setVisible(training)
    # One line (it fits 1366 px), never wrapped: a wrapped label's size hint is taken at a
    # narrow width (90 px tall) and the header kept that room empty under the banner.
    form.trainingBanner.setWordWrap(False)
    form.trainingBanner.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    column = box_layout(form.widget)  # the window's margins are the header's: none of its own
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)  # (24 was meant for the patient row and spaced the whole column)
    for label, stretch in ((form.patientLabel, 3), (form.idsLabel, 3),
                           (form.bagLabel, 1), (form.userLabel, 1)):
        label.setWordWrap(False)
        row = _set_stretch(column, label, stretch)
        if row is not None:
            row.setSpacing(24)
    form.recordBanner.setVisible(False)
    # The alarm row keeps its height when no alarm shows: a warning appearing never pushes
    # the page down under the nurse's finger. Meanwhile it shows the page's title (which
    # QWizard drew below the empty row: 60 px of nothing above every page).
    form.alarmLabel.setFixedHeight(ALARM_ROW_PX)
    step = QLabel()
    step.setObjectName("stepLabel")
    step.setAccessibleName("Step")
    step.setFixedHeight(ALARM_ROW_PX)
    step.setWordWrap(False)
    step.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    row = _set_stretch(column, form.alarmLabel, 1)
    if row is not None:
        row.insertWidget(0, step, 1)
    show_alarm_row(form, False)
    box_layout(form.countdownBox).setContentsMargins(0, 0, 0, 0)
    form.countdownBox.setFixedHeight(34)
    return form


ALARM_ROW_PX = 56


def step_label(form: HeaderForm) -> QLabel:
    """The page's title, in the alarm row while no alarm shows."""
    label = form.widget.findChild(QLabel, "stepLabel")
    assert label is not None
    return label


def show_alarm_row(form: HeaderForm, alarm: bool) -> None:
    """The row as an alarm row (its label and buttons keep their places while one of them
    hides) or as the page's title (the alarm's widgets hidden and given no room): the same
    height either way, so nothing below moves."""
    for w in (form.alarmLabel, form.silenceButton, form.acknowledgeButton):
        policy = w.sizePolicy()
        policy.setRetainSizeWhenHidden(alarm)
        w.setSizePolicy(policy)
        if not alarm:
            w.setVisible(False)
    step_label(form).setVisible(not alarm)


def header_over(header: QWidget, below: QWidget) -> QWidget:
    """The window's body (the full window's and the start shell's): the header over the page."""
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(8, 4, 8, 0)  # no room to spare on a 768-line screen
    layout.setSpacing(4)
    layout.addWidget(header)
    layout.addWidget(below, 1)
    return central


def _set_stretch(layout: Any, widget: QWidget, stretch: int) -> Any:
    """The row (a nested QHBoxLayout from the form) that holds the widget, its stretch set."""
    for i in range(layout.count()):
        item = layout.itemAt(i)
        inner = item.layout()
        if inner is not None and inner.indexOf(widget) >= 0:
            inner.setStretch(inner.indexOf(widget), stretch)
            return inner
    return None
