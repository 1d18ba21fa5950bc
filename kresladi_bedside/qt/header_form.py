"""The header's Designer form laid out as the window shows it (row stretches, the alarm row's
kept height), without the clocks, and the window's body (the header over the page): used by the
header (qt/header.py), the window and the start shell (qt/start.py), which paints them before
the engine that the clocks need is loaded."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from .forms import HeaderForm, box_layout


def laid_out_header(training: bool) -> HeaderForm:
    form = HeaderForm.load()
    form.trainingBanner.setVisible(training)
    row = box_layout(form.patientLabel.parentWidget() or form.widget)
    row.setSpacing(24)
    for label, stretch in ((form.patientLabel, 3), (form.idsLabel, 3),
                           (form.bagLabel, 1), (form.userLabel, 1)):
        label.setWordWrap(False)
        _set_stretch(row, label, stretch)
    form.recordBanner.setVisible(False)
    # The alarm row keeps its height when no alarm shows: a warning appearing never pushes
    # the page down under the nurse's finger.
    for w in (form.alarmLabel, form.silenceButton, form.acknowledgeButton):
        policy = w.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        w.setSizePolicy(policy)
    form.alarmLabel.setFixedHeight(56)
    box_layout(form.countdownBox).setContentsMargins(0, 0, 0, 0)
    form.countdownBox.setFixedHeight(34)
    return form


def header_over(header: QWidget, below: QWidget) -> QWidget:
    """The window's body (the full window's and the start shell's): the header over the page."""
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(8, 8, 8, 8)
    layout.addWidget(header)
    layout.addWidget(below, 1)
    return central


def _set_stretch(layout: Any, widget: QWidget, stretch: int) -> None:
    # the row is a nested QHBoxLayout from the form: find the one that holds the widget
    for i in range(layout.count()):
        item = layout.itemAt(i)
        inner = item.layout()
        if inner is not None and inner.indexOf(widget) >= 0:
            inner.setStretch(inner.indexOf(widget), stretch)
            return
