"""A wizard page whose title is shown in the header's row kept for alarms (header_form.py),
not above the page: QWizard drew it below that row, which stood empty (60 px) whenever no alarm
showed. QWizard is given no title, so it draws none; `title()` is the page's own, and the
wizard (wizard.py) sends it to the header on every change of page or title."""

from __future__ import annotations

from PySide6.QtWidgets import QWizardPage


class HeadedPage(QWizardPage):
    _heading = ""

    def setTitle(self, title: str) -> None:
        self._heading = title
        super().setTitle("")
        wizard = self.wizard()
        changed = getattr(wizard, "headingChanged", None)
        if changed is not None and wizard.currentPage() is self:
            changed.emit(title)

    def title(self) -> str:
        return self._heading
