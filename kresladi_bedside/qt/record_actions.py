"""The Procedure menu's record: this procedure's record (or the previous one's) as the log holds
it now, printed on the site's printer or saved as a PDF; a received product's receipt record;
the training label sheet. The record is made by `record/` (no Qt); this module only asks where
it goes, then makes and paints it off the GUI thread (qt/print_jobs.py) and says what happened.

The record is read off the GUI thread on a read-only connection of its own (a SQLite connection
belongs to the thread that opened it), so verifying a long chain never stops the countdowns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from ..config import SiteConfig
from ..record.document import PrintDocument
from .print_jobs import PrintJobs
from .session import Session

MakeDocument = Callable[[], PrintDocument]


class RecordActions:
    def __init__(self, window: QMainWindow, session: Session, site: SiteConfig) -> None:
        self.window = window
        self.session = session
        self.site = site
        self.previous_procedure_id: str | None = None  # the procedure before a new one
        self.jobs = PrintJobs(window)

    @property
    def busy(self) -> bool:
        return self.jobs.busy is not None

    # ------------------------------------------------------------------ what is printed
    def record_maker(self, procedure_id: str | None = None) -> MakeDocument | None:
        """How to make the current (or `procedure_id`'s) record as the log holds it when it is
        made (printed 'in progress' while it is open); None, with the reason shown, when there
        is nothing to print."""
        from ..record import load_record, record_document

        store, proc = self.session.store, self.session.procedure
        procedure_id = procedure_id or proc.state.procedure_id
        if store is None or procedure_id is None:
            QMessageBox.information(self.window, "Record", "There is no procedure record yet.")
            return None
        pid, profile, site = procedure_id, self.session.profile, self.site
        printed_at = self.session.clock.now()
        read = self._reader()

        def make() -> PrintDocument:
            with read() as log:
                view = load_record(log, pid, profile, site, printed_at=printed_at)
            return record_document(view, site.paper_size)

        return make

    def receipt_maker(self, receipt_id: str) -> MakeDocument | None:
        """How to make the receipt record of `receipt_id` (qt/receipt_dialog.py prints it)."""
        from ..record import load_receipt, receipt_document

        if self.session.store is None:
            QMessageBox.information(self.window, "Receipt", "There is no log to print from.")
            return None
        site, printed_at, read = self.site, self.session.clock.now(), self._reader()

        def make() -> PrintDocument:
            with read() as log:
                view = load_receipt(log, receipt_id, site, printed_at=printed_at)
            return receipt_document(view, site.paper_size)

        return make

    def _reader(self) -> Callable[[], Any]:
        from ..store import open_store

        assert self.session.store is not None
        path, key = self.session.store.path, self.session.store.key  # its seals, checked
        return lambda: open_store(path, read_only=True, key=key)

    # ------------------------------------------------------------------ the menu's actions
    def print_record(self) -> None:
        make = self.record_maker()
        if make is not None:
            self.print(make, self._record_title())

    def print_previous(self) -> None:
        if self.previous_procedure_id is None:
            QMessageBox.information(self.window, "Record", "There is no previous procedure.")
            return
        make = self.record_maker(self.previous_procedure_id)
        if make is not None:
            self.print(make, self._record_title(self.previous_procedure_id))

    def print_receipt(self, receipt_id: str) -> None:
        make = self.receipt_maker(receipt_id)
        if make is not None:
            self.print(make, f"{self.session.profile.name} receipt {receipt_id}")

    def save_record(self, path: str | None = None) -> bool:
        """Save the record as a PDF (asks where unless `path`), off the GUI thread; True when
        it started (`jobs.last` says how it ended)."""
        make = self.record_maker()
        return make is not None and self.save(make, self._record_title(), path)

    def print_training_labels(self) -> None:
        from ..training.label_sheet import label_sheet_document

        now, paper = self.session.clock.now(), self.site.paper_size
        self.print(lambda: label_sheet_document(now, paper), "Training labels")

    def _record_title(self, procedure_id: str | None = None) -> str:
        pid = procedure_id or self.session.procedure.state.procedure_id
        return f"{self.session.profile.name} record {pid}"

    # ------------------------------------------------------------------ where it goes
    def print(self, make: MakeDocument, title: str) -> None:
        from .printing import PrintError, choose_printer, paint, print_to_printer, printer_to_use

        try:  # the site's printer or the default queue; never a PDF file in its place
            queue: str | None = printer_to_use(self.site.printer)
            problem = ""
        except PrintError as exc:
            queue, problem = None, str(exc)
        question = (f"{title}\nPrint it on {queue}, or save it as a PDF file?" if queue else
                    f"{title}\nIt cannot be printed: {problem}. Save it as a PDF file?")
        box = QMessageBox(QMessageBox.Icon.Question, title, question,
                          QMessageBox.StandardButton.Cancel, self.window)
        direct = box.addButton(f"&Print on {queue}", QMessageBox.ButtonRole.AcceptRole) \
            if queue else None
        other = box.addButton("&Other printer…", QMessageBox.ButtonRole.ActionRole) \
            if queue else None
        pdf = box.addButton("Save as P&DF…", QMessageBox.ButtonRole.ActionRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is pdf:
            self.save(make, title, None)
        elif clicked is direct and queue:
            self.jobs.run(f"Printing {title} on {queue}",
                          lambda: print_to_printer(make(), queue),
                          lambda pages: f"{title}: {pages} page(s) sent to {queue}.")
        elif clicked is other and queue:
            try:
                printer = choose_printer(title, self.site.paper_size, self.window, queue)
            except PrintError as exc:
                QMessageBox.warning(self.window, "Print", f"Not printed: {exc}")
                return
            if printer is not None:
                chosen = printer.printerName()
                self.jobs.run(f"Printing {title} on {chosen}", lambda: paint(make(), printer),
                              lambda pages: f"{title}: {pages} page(s) sent to {chosen}.")

    def save(self, make: MakeDocument, title: str, path: str | None) -> bool:
        from .printing import save_pdf

        if not path:
            path, _ = QFileDialog.getSaveFileName(self.window, "Save as PDF", f"{title}.pdf",
                                                  "PDF (*.pdf)")
            if not path:
                return False
        target = path
        return self.jobs.run(f"Saving {title} as {target}", lambda: save_pdf(make(), target),
                             lambda pages: f"{title}: {pages} page(s) saved to {target}.")
