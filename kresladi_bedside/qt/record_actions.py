"""The Procedure menu's record: this procedure's record (or the previous one's) as the log holds
it now, printed on the site's printer or saved as a PDF, and the training label sheet. The
record is made by `record/` (no Qt); this module only asks where it goes and says what happened."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from ..config import SiteConfig
from .session import Session


class RecordActions:
    def __init__(self, window: QMainWindow, session: Session, site: SiteConfig) -> None:
        self.window = window
        self.session = session
        self.site = site
        self.previous_procedure_id: str | None = None  # the procedure before a new one

    def document(self, procedure_id: str | None = None) -> Any:
        """The current (or `procedure_id`'s) procedure's record as the log holds it now (printed
        'in progress' while it is open), or None with the reason shown."""
        from ..record import RecordError, load_record, record_document

        store, proc = self.session.store, self.session.procedure
        procedure_id = procedure_id or proc.state.procedure_id
        if store is None or procedure_id is None:
            QMessageBox.information(self.window, "Record", "There is no procedure record yet.")
            return None
        try:
            view = load_record(store, procedure_id, self.session.profile, self.site,
                               printed_at=self.session.clock.now())
            return record_document(view, self.site.paper_size)
        except (RecordError, ValueError) as exc:
            QMessageBox.warning(self.window, "Record", f"The record cannot be made: {exc}")
            return None

    def print_record(self) -> None:
        doc = self.document()
        if doc is not None:
            self.print(doc)

    def print_previous(self) -> None:
        if self.previous_procedure_id is None:
            QMessageBox.information(self.window, "Record", "There is no previous procedure.")
            return
        doc = self.document(self.previous_procedure_id)
        if doc is not None:
            self.print(doc)

    def save_record(self, path: str | None = None) -> int:
        """Save the record as a PDF (asks where unless `path`); returns the pages written."""
        doc = self.document()
        return 0 if doc is None else self.save(doc, path)

    def print_training_labels(self) -> None:
        from ..training.label_sheet import label_sheet_document

        self.print(label_sheet_document(self.session.clock.now(), self.site.paper_size))

    def print(self, doc: Any) -> None:
        from .printing import PrintError, print_to_printer, print_with_dialog, printer_to_use

        try:  # the site's printer or the default queue; never a PDF file in its place
            queue: str | None = printer_to_use(self.site.printer)
            problem = ""
        except PrintError as exc:
            queue, problem = None, str(exc)
        question = (f"{doc.title}\nPrint it on {queue}, or save it as a PDF file?" if queue else
                    f"{doc.title}\nIt cannot be printed: {problem}. Save it as a PDF file?")
        box = QMessageBox(QMessageBox.Icon.Question, doc.title, question,
                          QMessageBox.StandardButton.Cancel, self.window)
        direct = box.addButton(f"&Print on {queue}", QMessageBox.ButtonRole.AcceptRole) \
            if queue else None
        other = box.addButton("&Other printer…", QMessageBox.ButtonRole.ActionRole) \
            if queue else None
        pdf = box.addButton("Save as P&DF…", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is pdf:
            self.save(doc, None)
            return
        try:
            if clicked is direct and queue:
                pages = print_to_printer(doc, queue)
            elif clicked is other and queue:
                pages = print_with_dialog(doc, self.window, queue)
            else:
                return
        except PrintError as exc:
            QMessageBox.warning(self.window, "Print", f"Not printed: {exc}")
            return
        if pages:
            self.window.statusBar().showMessage(
                f"{doc.title}: {pages} page(s) sent to the printer.", 15_000)

    def save(self, doc: Any, path: str | None) -> int:
        from .printing import PrintError, save_pdf

        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.window, "Save as PDF", f"{doc.title}.pdf",
                                                  "PDF (*.pdf)")
            if not path:
                return 0
        try:
            return save_pdf(doc, path)
        except PrintError as exc:
            QMessageBox.warning(self.window, "Save as PDF", f"Not saved: {exc}")
            return 0
