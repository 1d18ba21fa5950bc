"""The wizard the pages live in, and which page shows which engine step.

Only the engine moves it: a recorded step moves on by itself (`BedsideWindow.follow_engine`),
there is no Back (the log is append-only), and Escape never closes it under the nurse's hands.
`page_id` is the one mapping from an engine step (and its bag) to a page of the wizard."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWizard

if TYPE_CHECKING:
    from .host import PageHost

SIGNIN_ID = 0
FIXED_IDS = {"new": 1, "order": 1, "gates": 2, "identity": 3, "post_infusion": 90,
             "complete": 91, "stopped": 92, "moved": 93}
PER_BAG = ("inspect", "thaw", "bedside_identity", "line_checks", "infusion", "flush",
           "between_bags", "identity")  # identity of a later bag: out of its cassette, at its turn
# bag 1's identity is the fixed identity page, and the first bag waits for nothing
BAG_ONE_SKIPS = ("identity", "between_bags")


def page_id(step: str, bag: int | None) -> int:
    if step in FIXED_IDS and not (step == "identity" and bag is not None):
        return FIXED_IDS[step]
    return 10 * (bag or 1) + PER_BAG.index(step)


class Wizard(QWizard):
    """A QWizard that only the engine moves; Finish on the last page calls `finished`."""

    headingChanged = Signal(str)  # the current page's title (headed_page.py): for the header

    def __init__(self, finished: Callable[[], None]) -> None:
        super().__init__()
        self._finished = finished
        self.currentIdChanged.connect(self._heading_of_current)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        # Enter never presses Next or "New procedure": each page's own button records its step
        self.setOption(QWizard.WizardOption.NoDefaultButton, True)
        # No Next: a recorded step moves on by itself (the button exists, off screen, for the
        # rare page that waits; see BedsideWindow.follow_engine). Only the last page has a button.
        self.setButtonLayout([QWizard.WizardButton.Stretch, QWizard.WizardButton.FinishButton])
        self.setButtonText(QWizard.WizardButton.NextButton, "&Next ▶")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&New procedure")
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton):
            b = self.button(which)
            b.setMinimumSize(180, 52)
            b.setAccessibleName(b.text().replace("&", "").replace(" ▶", ""))

    def _heading_of_current(self, _id: int) -> None:
        page = self.currentPage()
        self.headingChanged.emit(page.title() if page is not None else "")

    def reject(self) -> None:  # Escape: stay
        pass

    def accept(self) -> None:  # Finish on the last page: a new procedure, same window
        self._finished()

    def build_step_pages(self, host: PageHost, bag_count: int) -> None:
        """Every page after sign-in (once): one per fixed step, one per bag for each per-bag
        step. The step pages are imported here, not before: the sign-in page paints first."""
        if self.page(page_id("order", None)) is not None:
            return
        from .pages import STEP_PAGES

        # "new" shares the page built for "order" (page_id)
        for step, cls in STEP_PAGES.items():
            if step in FIXED_IDS and step != "new":
                self.setPage(page_id(step, None), cls(host, step))
        for bag in range(1, bag_count + 1):
            for step, cls in STEP_PAGES.items():
                if step not in PER_BAG or (bag == 1 and step in BAG_ONE_SKIPS):
                    continue
                self.setPage(page_id(step, bag), cls(host, step, bag))
