"""The sign-in page: badge and PIN through the people layer (or, on a first start, the first
administrator)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout

from ...labels.model import Source
from ...people import PeopleError
from ..forms import SignInForm
from ..headed_page import HeadedPage
from ..signin import training_signin_text

if TYPE_CHECKING:
    from ..host import PageHost
from .base import scrolling


class SignInPage(HeadedPage):
    """Badge + PIN through the people layer. With no user at all, the same page creates the
    first administrator (name, badge scan, PIN twice) and signs them in."""

    def __init__(self, win: PageHost) -> None:
        super().__init__()
        self.win = win
        self.model = win.model
        self.form = SignInForm.load()
        QVBoxLayout(self).addWidget(scrolling(self.form.widget))
        self.setTitle("Sign in")
        self.setAccessibleName("Sign in")
        self._scanned: tuple[str, Source] | None = None
        self.form.signInButton.clicked.connect(self.sign_in)
        self.form.pinEdit.returnPressed.connect(self.sign_in)
        self.form.pinAgainEdit.returnPressed.connect(self.sign_in)

    @property
    def first_run(self) -> bool:
        return self.win.people.first_run()

    def show_mode(self) -> None:
        first = self.first_run
        for widget in (self.form.nameEdit, self.form.pinAgainEdit, self.form.nurseCheck):
            widget.setVisible(first)
        if first:
            self.setTitle("First start: create the administrator")
            self.form.instructionLabel.setText(
                "No user exists on this workstation yet. The first person becomes its "
                "administrator (who adds the other users): type your name, scan your badge, "
                "choose a PIN of 4 to 12 digits and type it twice.")
            self.form.signInButton.setText("&Create and sign in")
        else:
            self.setTitle("Sign in")
            self.form.instructionLabel.setText("Scan your badge, then enter your PIN.")
            self.form.signInButton.setText("&Sign in")
        training = training_signin_text(self.win.people) if self.model.training else ""
        self.form.trainingLabel.setText(training)
        self.form.trainingLabel.setVisible(bool(training))

    def take_scan(self, payload: str, source: Source = "wedge") -> None:
        self._scanned = (payload, source)
        self.form.badgeEdit.setText(payload)
        (self.form.pinEdit if self.form.nameEdit.text() or not self.first_run
         else self.form.nameEdit).setFocus()

    def badge(self) -> tuple[str, Source]:
        """The badge as scanned; anything else in the field was typed (and needs a reason)."""
        text = self.form.badgeEdit.text()
        if self._scanned is not None and self._scanned[0] == text:
            return self._scanned
        return text, "typed"

    def sign_in(self) -> None:
        payload, source = self.badge()
        people = self.win.people
        try:
            if self.first_run:
                self._create_administrator(payload, source)
            who = people.sign_in(payload, self.form.pinEdit.text(), source=source)
        except PeopleError as exc:
            self.form.pinEdit.clear()
            self.form.pinAgainEdit.clear()
            self.form.messageLabel.setText(str(exc))
            return
        self.form.pinEdit.clear()
        self.form.pinAgainEdit.clear()
        self.form.badgeEdit.clear()
        self._scanned = None
        self.form.messageLabel.setText("")
        self.win.signed_in(who)
        self.show_mode()
        self.completeChanged.emit()
        self.wizard().next()

    def _create_administrator(self, payload: str, source: Source) -> None:
        from ...people import InvalidUserData

        pin = self.form.pinEdit.text()
        if pin != self.form.pinAgainEdit.text():
            raise InvalidUserData("The two PINs are not the same: type the PIN twice.",
                                  code="pin_mismatch")
        scan = self.win.people.read_badge(payload, source)
        badge = scan.identifiers.get("badge") or scan.identifiers.get("staff_gsrn")
        if scan.kind != "badge" or not badge:
            raise InvalidUserData(f"That was a {scan.kind} label, not a staff badge.",
                                  code="not_a_badge")
        roles = ("nurse",) if self.form.nurseCheck.isChecked() else ()
        self.win.people.init_admin(self.form.nameEdit.text(), str(badge), pin, roles)

    def initializePage(self) -> None:
        self.show_mode()
        first = self.form.nameEdit if self.first_run else self.form.badgeEdit
        QTimer.singleShot(0, first.setFocus)

    def isComplete(self) -> bool:
        return self.model.user is not None

    def nextId(self) -> int:
        return self.win.page_id_for(self.model.step())
