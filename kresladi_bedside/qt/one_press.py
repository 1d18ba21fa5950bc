"""Fewer presses for the same checks (issue 17, finding 18): the keyboard already in the first
entry of a page, Enter on to the next entry the page needs, and a press that records one step
carrying on with the next page's action where a nurse does both at one moment (the bag into the
bath once it is inspected; the infusion once the line is checked). Nothing here decides what
is checked: every step is still its own engine command, refused or recorded on its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QScrollArea, QWidget, QWizardPage


def into(field: QWidget) -> None:
    """Put the keyboard in `field` with its text selected, so the first key typed replaces a
    blank's hint ("enter the storage temperature") instead of being refused after it."""
    field.setFocus(Qt.FocusReason.TabFocusReason)
    if isinstance(field, (QAbstractSpinBox, QLineEdit)):
        field.selectAll()
    area = field.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    if area is not None:  # on a small screen the entry typed into is in view, not under it
        in_view(area, field)
        # and again once a page just shown has its final layout
        QTimer.singleShot(0, lambda: in_view(area, field))


def in_view(area: QScrollArea, field: QWidget, margin: int = 12) -> None:
    """Scroll so that the whole field shows (QScrollArea.ensureWidgetVisible is content with
    its text cursor, leaving half a spin box under the edge)."""
    inner = area.widget()
    if inner is None or not inner.isAncestorOf(field):
        return
    top = field.mapTo(inner, QPoint(0, 0)).y()
    bar, view = area.verticalScrollBar(), area.viewport().height()
    if top < bar.value():
        bar.setValue(top - margin)
    elif top + field.height() > bar.value() + view:
        bar.setValue(top + field.height() - view + margin)


def focus_first(field: QWidget) -> None:
    """The page opens with the keyboard in its first entry (after QWizard has placed its own
    focus, hence the next turn of the event loop)."""
    QTimer.singleShot(0, lambda: into(field) if field.isEnabled() and field.isVisible()
                      else None)


def _return_pressed(field: QWidget) -> Any:
    if isinstance(field, QAbstractSpinBox):
        edit = field.findChild(QLineEdit)  # a spin box's Enter is its line edit's returnPressed
        assert edit is not None
        return edit.returnPressed
    assert isinstance(field, QLineEdit)
    return field.returnPressed


def enter_moves_on(fields: Sequence[QWidget], last: Callable[[], None] | None = None,
                   owner: QObject | None = None) -> None:
    """Enter in each field goes to the next one still open (the optional fields between them
    are reached with Tab); Enter in the last does `last` (the page's own button)."""
    for n, field in enumerate(fields):
        rest = fields[n + 1:]

        def on(rest: Sequence[QWidget] = rest) -> None:
            nxt = next((f for f in rest if f.isEnabled() and f.isVisible()), None)
            if nxt is not None:
                into(nxt)
            elif last is not None:
                last()
        _return_pressed(field).connect(on)


def reading_order(fields: Sequence[QWidget]) -> None:
    """Tab (and Shift+Tab back) through `fields` in the order a person reads them, top to bottom
    and left to right. Qt's own order is the order widgets were made: entries a page adds to a
    Designer form (the optional instants, the profile's attestations) would come after the
    form's own, so Tab jumped from the back-up count past its "confirmed at" (issue 25)."""
    for before, after in pairwise(fields):
        QWidget.setTabOrder(before, after)


P = TypeVar("P", bound=QWizardPage)


def carry_on(page: QWizardPage, kind: type[P], act: Callable[[P], None]) -> bool:
    """After `page` recorded its step: if the window moved on to the `kind` page of the same
    bag, do that page's action there (its own checks and refusals, shown on it)."""
    wizard = page.wizard()
    nxt = wizard.currentPage() if wizard is not None else None
    if not isinstance(nxt, kind) or nxt is page:
        return False
    here = getattr(nxt, "here", None)
    if getattr(nxt, "bag", None) != getattr(page, "bag", None) or not callable(here) \
            or not here():
        return False
    act(nxt)
    return True
