"""Where a scan goes. Every scan (wedge, serial port, camera, typed) arrives here, whatever has
the keyboard focus, and goes to the one place that may take it: an open dialog that takes scans
(witness, deviation, receipt), the lock screen (a badge), the sign-in page (a badge), or the
engine as a `scan` command shown on the page it was made on.

It parses and routes; the engine decides what a label is worth, and the text shown is built
from the command's outcome (qt/display.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication, QWidget, QWizardPage

from ..config import IdentityConfig
from ..labels.model import Source
from ..people import People
from .display import scan_tone
from .forms import box_layout
from .lock_screen import LockScreen
from .session import Result

Submit = Callable[..., Result]


class ScanRouter(QObject):
    def __init__(self, parent: QWidget, *, people: People, identity: IdentityConfig,
                 shelf_life_days: int | None,
                 submit: Submit, current_page: Callable[[], QWizardPage | None],
                 lock: LockScreen, is_locked: Callable[[], bool]) -> None:
        super().__init__(parent)
        self._parent = parent
        self.people = people
        self.identity = identity
        self.shelf_life_days = shelf_life_days  # the product profile's (labels.parse)
        self._submit = submit
        self._current_page = current_page
        self._lock = lock
        self._is_locked = is_locked
        self.last_text = ""  # what the last scan showed (tests read it as the nurse would)
        self.camera_panels: list[Any] = []

    @Slot(object)
    def receive_raw(self, raw: Any) -> None:
        """From the scanners (wedge filter, serial port, camera): a RawScan."""
        self.receive_payload(raw.payload, raw.source, raw.symbology)

    def receive_payload(self, payload: str, source: Source = "wedge",
                        symbology: str | None = None, typed_reason: str | None = None,
                        typed_kind: str | None = None) -> str:
        """Every scan arrives here, whatever has focus. Returns the text shown for it."""
        from .pages.signin import SignInPage

        self.people.touch()
        modal = QApplication.activeModalWidget()
        if modal is not None and hasattr(modal, "take_scan"):
            modal.take_scan(payload, source)
            return "badge"
        if self._is_locked():
            return self._lock.take_scan(payload, source, symbology, self.identity)
        page = self._current_page()
        if isinstance(page, SignInPage):
            page.take_scan(payload, source)
            return "badge"
        from ..labels.errors import LabelError
        from ..labels.parse import parse

        try:
            scan = parse(payload, source, symbology, config=self.identity,
                         typed_reason=typed_reason, typed_kind=typed_kind,
                         shelf_life_days=self.shelf_life_days)
        except LabelError as exc:
            text = f"✘ NOT READ — this label could not be read.\n{exc}"
            self._show(text, "refused", page)
            return text
        return self.receive_scan(scan)

    def receive_scan(self, scan: Any) -> str:
        """The scan as an engine command, its answer shown on the page it was made on (the
        window may have moved on meanwhile: the next page's note says what it recorded)."""
        from .pages.base import StepPage
        from .pages.scan import scan_feedback

        page = self._current_page()
        result = self._submit("scan", {"scan": scan.to_dict()})
        text = scan_feedback(result, scan.kind)
        self._show(text, "stop" if result.storage_error is not None
                   else scan_tone(result.rejection), page)
        if isinstance(page, StepPage):
            page.show_result(result)
        return text

    def _show(self, text: str, tone: str, page: QWizardPage | None) -> None:
        from .pages.base import StepPage
        from .pages.scan import ScanPage

        self.last_text = text
        if isinstance(page, ScanPage):
            page.show_scan(text, tone)
        elif isinstance(page, StepPage):
            page.form.messageLabel.setText(text)

    def type_identifier(self, kind: str | None = None) -> None:
        from .dialogs import TypedEntryDialog

        dialog = TypedEntryDialog(self._parent, kind)
        if dialog.exec() == TypedEntryDialog.DialogCode.Accepted:
            self.receive_payload(dialog.payload, "typed", typed_reason=dialog.reason,
                                 typed_kind=dialog.kind)
        elif dialog.scanned is not None:  # scanned after all, while the dialog was open
            self.receive_payload(*dialog.scanned)

    # ------------------------------------------------------------------ the camera
    @Slot(object)
    def show_camera_frame(self, result: Any) -> None:
        """A decoded frame (FrameResult) made into a preview here; the camera worker sends
        ready previews to `show_camera_preview` instead (see qt/camera.py)."""
        from .camera import make_preview

        outlines = [c.position for c in result.codes if c.position]
        self.show_camera_preview(make_preview(result.image, outlines, result.index))

    @Slot(object)
    def show_camera_preview(self, preview: Any) -> None:
        """A CameraPreview from the camera worker: only shown, on the visible panels."""
        for panel in self.camera_panels:
            if panel.isVisible():
                panel.show_preview(preview)

    def attach_camera(self, box: QWidget) -> None:
        """A camera panel on each scanning page, when the site has a camera (see camera_panel)."""
        from .camera_panel import CameraPanel

        panel = CameraPanel()
        box_layout(box).addWidget(panel)
        self.camera_panels.append(panel)
