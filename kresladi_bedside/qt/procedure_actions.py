"""What the window's menus and its last page do to the procedure as a whole: stop it (signed),
correct a recorded flush volume, start the next patient's procedure, and receive a product.
Each asks in a dialog and gives the engine's command; the engine decides."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from .session import Result

# The window is typed Any: it imports this module (the acyclic contract in pyproject).
BedsideWindow = Any


class ProcedureActions:
    def __init__(self, window: BedsideWindow) -> None:
        self.window = window

    def stop_procedure(self) -> None:
        from .dialogs import StopDialog

        win = self.window
        if "stop_procedure" not in win.session.procedure.allowed():
            QMessageBox.information(win, "Stop", "There is no open procedure to stop.")
            return
        dialog = StopDialog(win.people, win)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signature is None:
            return
        self._show_on_page(win.submit("stop_procedure", {"reason": dialog.reason},
                                      signatures=(dialog.signature,)))

    def correct_flush(self) -> None:
        """A recorded flush volume corrected through the engine's `correct` command."""
        from .dialogs import CorrectionDialog

        win = self.window
        state = win.session.state
        flushes = [(b.number, b.flush_ml, b.flush_event) for b in state.bags
                   if b.flush_event and b.flush_ml is not None]
        if not state.active or not flushes:
            QMessageBox.information(win, "Correct a flush volume",
                                    "No flush volume is recorded in an open procedure.")
            return
        dialog = CorrectionDialog(flushes, win)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._show_on_page(win.submit("correct", {
            "event_id": dialog.event_id, "reason": dialog.reason,
            "changes": {"volume_ml": dialog.volume}}))

    def hand_over_by_file(self, path: str | None = None, to: str | None = None) -> Result | None:
        """Without a server: the open procedure handed over to another workstation by a signed
        file (store/handover_file.py). The engine records the hand-over, then the file is
        written; from then on this workstation refuses every command for it and shows where it
        went. `path` given (tests): no dialogs."""
        from PySide6.QtWidgets import QFileDialog, QInputDialog

        from ..config import workstation_name
        from ..store.handover_file import (
            HandoverFileError,
            hand_over_args,
            signing_key_of,
            write_handover_file,
        )

        win = self.window
        session = win.session
        store = session.store
        pid = session.procedure.procedure_id
        if store is None or "hand_over" not in session.procedure.allowed():
            QMessageBox.information(win, "Hand over", "There is no open procedure with its "
                                    "product to hand over on this workstation.")
            return None
        if win.site.sync.base_url is not None:
            QMessageBox.information(win, "Hand over", "This workstation has the hospital's "
                                    "server: the other workstation takes the procedure over "
                                    "(custody take-over), no file is needed.")
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(win, "Hand the procedure over",
                                                  f"handover-{pid}.jsonl", "Hand-over (*.jsonl)")
            if not path:
                return None
            to, ok = QInputDialog.getText(win, "Hand over", "Which workstation takes it over? "
                                          "(printed on the record)")
            if not ok or QMessageBox.question(
                    win, "Hand over", "After the hand-over this workstation refuses every step "
                    "of this procedure. The clocks keep running: take it over on the other "
                    "workstation at once (kresladi-bedside handover import FILE). Hand over?"
            ) != QMessageBox.StandardButton.Yes:
                return None
        try:
            key = signing_key_of(store)
        except HandoverFileError as exc:
            QMessageBox.warning(win, "Hand over", str(exc))
            return None
        user = win.people.current_user
        result: Result = win.submit("hand_over", hand_over_args(
            path, from_workstation=workstation_name(win.site), to_workstation=to or None,
            user_name=user.name if user is not None else None))
        if not result.accepted:
            self._show_on_page(result)
            return result
        try:
            write_handover_file(store, pid, path, key)
        except HandoverFileError as exc:
            QMessageBox.critical(win, "Hand-over file NOT written",
                                 f"{exc}\n\nkresladi-bedside handover export {pid} FILE "
                                 "--as BADGE writes it again.")
        return result

    def _show_on_page(self, result: Result) -> None:
        from .pages.base import StepPage

        page = self.window.current_page()
        if isinstance(page, StepPage):
            page.show_result(result)

    def new_procedure(self) -> None:
        """Start the next patient's procedure, only when confirmed; the finished one's record
        stays reachable (Procedure ▸ Print the previous procedure's record)."""
        from .dialogs import ConfirmDialog

        win = self.window
        state = win.session.state
        if state.procedure_id is not None:
            dialog = ConfirmDialog(
                "Start a new procedure?",
                "Start a NEW procedure for another patient? This procedure is finished and "
                "stays in the log; its record can still be printed from Procedure ▸ Print the "
                "previous procedure's record.",
                "Yes, start a &new procedure", "&No, stay here", win)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            win.records.previous_procedure_id = state.procedure_id
            win.previous_action.setEnabled(win.session.store is not None)
        win.session.start_new()
        win.alarms.reset()
        win.wizard.restart()
        if win.session.user is not None:
            win.wizard.next()
        win.tick()

    def receive_product(self) -> QDialog:
        """The receipt dialog (window-modal: scans go to it while it is open)."""
        from .receipt_dialog import ReceiptDialog

        win = self.window
        dialog = ReceiptDialog(win)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _r: win.tick())
        dialog.finished.connect(lambda _r: self._refresh_received())
        dialog.open()
        return dialog

    def _refresh_received(self) -> None:
        from .wizard import page_id

        page = self.window.wizard.page(page_id("order", None))
        if hasattr(page, "received"):
            page.received.refresh()
