"""The independent double check: the second person types the sheet's values again, without
seeing the first entry, and signs with their own badge and PIN (pharmacy role)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QGridLayout, QVBoxLayout

from ..engine.model import Signature
from ..people import PeopleError
from ..receipt import RECEIPT_ROLE, double_check
from .fitted import fit_to_screen
from .forms import ReceiptVerifyForm
from .receipt_sheet import BAG_ENTRIES, ENTRIES, entry_of, read_sheet, show_bag_rows

# The receipt dialog is typed Any: it imports this module (import contracts in pyproject).
ReceiptDialog = Any


class ReceiptVerifyDialog(QDialog):
    def __init__(self, parent: ReceiptDialog) -> None:
        super().__init__(parent)
        self.receipt_dialog = parent
        self.people = parent.win.people
        self.form = ReceiptVerifyForm.load()
        QVBoxLayout(self).addWidget(self.form.widget)
        self.setWindowTitle("Verify the Lot Information Sheet")
        self.setAccessibleName("Verify the Lot Information Sheet")
        cassettes = parent.state.cassettes()
        self.bags = len(cassettes)
        show_bag_rows(self.form, [str(c.scan.identifiers.get("din")) for c in cassettes])
        # the rule's fields only (receipt/blind.py); the rest were checked against an
        # independent source, which the dialog names (never a value)
        self.check = double_check(parent.state)
        self.retyped = self.check.retyped
        self._ask_only(self.retyped)
        _asked, against = self.check.words()
        self.form.whatLabel.setText(
            f"Values typed by {parent._name(parent.state.sheet_by)} are hidden. You cannot "
            "verify your own entry.")
        self.form.instructionLabel.setText(
            "Second person: read the PAPER Lot Information Sheet and type the values asked "
            "below. You do not see the first entry. Then sign with your own badge and PIN."
            + (f"\nNot asked, checked by the workstation: {against}." if self.check.checked
               else ""))
        self.sheet: dict[str, Any] = {}
        self.signature: Signature | None = None
        self._scanned: tuple[str, str] | None = None
        self.form.signButton.clicked.connect(self.sign)
        self.form.cancelButton.clicked.connect(self.reject)
        self.form.pinEdit.returnPressed.connect(self.sign)
        fit_to_screen(self, 1300, 800)  # the sheet's values two to a row: no scrolling

    def take_scan(self, payload: str, source: str) -> None:
        """A badge scanned while this dialog is open is the verifier's."""
        self._scanned = (payload, source)
        self.form.badgeEdit.setText(payload)
        self.form.pinEdit.setFocus()

    def sign(self) -> None:
        text = self.form.badgeEdit.text()
        payload, source = self._scanned if self._scanned and self._scanned[0] == text else (
            text, "typed")
        try:
            self.signature = self.people.witness(
                payload, self.form.pinEdit.text(), source=source,
                typed_reason="badge typed at the double check" if source == "typed" else None,
                roles=(RECEIPT_ROLE,))
        except PeopleError as exc:
            self.form.pinEdit.clear()
            self.form.messageLabel.setText(str(exc))
            return
        self.sheet = read_sheet(self.form, self.bags, self.retyped)
        self.accept()

    def _ask_only(self, keys: tuple[str, ...]) -> None:
        """Only the entries of `keys` are shown (Tab skips hidden ones); the first of them has
        the keyboard when the dialog opens."""
        f = self.form
        grid = next(g for g in f.widget.findChildren(QGridLayout) if g.indexOf(f.coiEdit) >= 0)
        shown = 0
        for key, (entry, label) in ENTRIES.items():
            for name in (entry, label):
                widget = getattr(f, name)
                widget.setVisible(key in keys)
                grid.removeWidget(widget)
            if key in keys:  # the asked ones two to a row, in the sheet's order: no gaps
                row, column = divmod(shown, 2)
                grid.addWidget(getattr(f, label), row, 2 * column)
                grid.addWidget(getattr(f, entry), row, 2 * column + 1)
                shown += 1
        for column in (1, 3):  # the entries take the width, not the labels
            grid.setColumnStretch(column, 1)
        for identifier in (f.coiEdit, f.patientIdEdit):  # a whole identifier in view as typed
            identifier.setMinimumWidth(240)
        for n in range(1, self.bags + 1):
            for name in BAG_ENTRIES:
                entry_of(f, f"bag{n}.{name}").setVisible(f"bag{n}.{name}" in keys)
            getattr(f, f"bag{n}Label").setVisible(
                any(f"bag{n}.{name}" in keys for name in BAG_ENTRIES))
        if keys:
            entry_of(f, keys[0]).setFocus()
