"""The lock screen under the header: patient data hidden, the countdowns and alarms still
running above it. The same user unlocks with their PIN, or with a scan of their own badge
within the site's time of that PIN (people.unlock_by_badge); another user's badge scanned here
means a take-over, with that user's PIN. The people layer decides (qt/lock.py says when the
screen may lock by itself)."""

from __future__ import annotations

from collections.abc import Callable

from ..config import IdentityConfig
from ..labels.model import Source
from ..people import People, PeopleError, User
from .forms import LockForm


class LockScreen:
    def __init__(self, people: People, unlocked: Callable[[User], None]) -> None:
        self.people = people
        self._unlocked = unlocked
        self.form = LockForm.load()
        self.widget = self.form.widget
        self.form.unlockButton.clicked.connect(self.unlock)
        self.form.pinEdit.returnPressed.connect(self.unlock)
        self._scanned: tuple[str, Source] | None = None

    def prepare(self) -> None:
        """The screen as it opens: who is signed in, empty fields, the PIN field focused."""
        user = self.people.current_user
        name = user.name if user else "—"
        self.form.instructionLabel.setText(
            f"LOCKED — {name} is signed in. The countdowns above keep running.\n"
            f"{name}: scan your badge (or enter your PIN and press Unlock).\n"
            "Another nurse: scan your own badge, then enter your PIN (you take over).\n"
            "An alarm can be silenced (F9) and acknowledged (F10) without unlocking.")
        self.form.messageLabel.setText("")
        self.form.badgeEdit.clear()
        self.form.pinEdit.clear()
        self._scanned = None
        self.form.pinEdit.setFocus()

    def take_scan(self, payload: str, source: Source, symbology: str | None = None,
                  identity: IdentityConfig | None = None) -> str:
        """A badge scanned at the lock screen: the next PIN is that user's. Only a badge
        belongs here: a product or patient label is not put in the badge field (where it would
        be taken for someone's badge), and the nurse is told. Returns the text shown."""
        from .lock import is_product_label

        if is_product_label(payload, source, symbology, identity):
            self._scanned = None
            self.form.badgeEdit.clear()
            text = ("That was a label, not a badge: nothing is recorded while the screen is "
                    "locked. Unlock first, then scan it again.")
            self.form.messageLabel.setText(text)
            return text
        try:  # her own badge, soon enough after her PIN: the scan alone unlocks
            who = self.people.unlock_by_badge(payload, source=source)
        except PeopleError as exc:
            # her badge, but her PIN is needed now: the PIN alone unlocks (the badge field
            # stays empty, or Unlock would take it for a take-over)
            why = str(exc) if exc.code == "pin_required" else ""
        else:
            self._done(who)
            return "unlocked"
        self._scanned = None if why else (payload, source)
        self.form.badgeEdit.setText("" if why else payload)
        self.form.messageLabel.setText(why)
        self.form.pinEdit.setFocus()
        return "badge"

    def unlock(self) -> None:
        """The same user's PIN unlocks; a badge scanned here means another user takes over.
        Refused: the reason shown, the PIN cleared."""
        text = self.form.badgeEdit.text()
        pin = self.form.pinEdit.text()
        try:
            if text.strip():
                payload, source = self._scanned if self._scanned and \
                    self._scanned[0] == text else (text, "typed")
                who = self.people.take_over(payload, pin, source=source)
            else:
                who = self.people.unlock(pin)
        except PeopleError as exc:
            self.form.pinEdit.clear()
            self.form.messageLabel.setText(str(exc))
            return
        self._done(who)

    def _done(self, who: User) -> None:
        self.form.pinEdit.clear()
        self.form.badgeEdit.clear()
        self.form.messageLabel.setText("")
        self._unlocked(who)
