"""Taking over an interrupted procedure from another workstation, from the window (Procedure ▸
Take over a procedure from another workstation…; `custody take-over` is the command line's).

The server is asked off the GUI thread for the procedures another workstation holds and
published (`sync.published_open`); the nurse picks one and signs with a witness (a reason, the
nurse's PIN, the witness's badge and PIN); then, off the GUI thread again, its published log is
checked and imported here, the claim moves by a conditional write and the take-over is recorded
in one signed `procedure_taken_over` (from where, to where, the server's steps, the reason, both
signatures: `take_over_procedure`). The window continues it from the recorded instants
(`Session.resume`), and the first workstation is fenced (its fence refuses every command for it
and says where it went)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QMessageBox, QWidget

from ..engine import Signature
from .background import run_in_background

TITLE = "Take over a procedure"


class TakeOver:
    def __init__(self, window: Any) -> None:
        self.window = window
        self.found: list[Any] = []
        self.taken: Any = None  # the last TakenOver (tests read it)
        self.message = ""  # the last thing said (tests read it)

    def _say(self, text: str, box: bool = True) -> None:
        self.message = text
        self.window.statusBar().showMessage(text, 60_000)
        if box:
            QMessageBox.information(self.window, TITLE, text)

    def start(self, *, ask: bool = True) -> None:
        """Look for procedures to take over (off the GUI thread); `ask=False`: only list them
        (`self.found`), for a caller that picks one itself."""
        win = self.window
        watch = win.custody
        if watch is None:
            self._say("Taking over a procedure needs the hospital's server: this workstation "
                      "has no [sync] server configured.")
            return
        state = win.session.state
        if state.active and state.order is not None:
            self._say("A procedure with its product is open on this workstation: finish or "
                      "stop it before taking over another.")
            return
        settings = watch.settings
        client = settings.client(timeout_s=settings.custody_timeout_s)

        def op() -> list[Any]:
            from ..sync import published_open

            try:
                return published_open(client, settings.workstation)
            finally:
                client.close()

        self._say("Looking on the hospital server for procedures under way on other "
                  "workstations…", box=False)
        run_in_background(op, owner=win, success=lambda found: self._listed(found, ask),
                          failure=lambda exc: self._say(f"Not taken over: the hospital server "
                                                        f"could not say ({exc})."))

    def _listed(self, found: list[Any], ask: bool) -> None:
        self.found = found
        if not found:
            self._say("No procedure under way on another workstation was found on the "
                      "hospital server.", box=ask)
            return
        self._say(f"{len(found)} procedure(s) under way on other workstations.", box=False)
        if not ask:
            return
        items = [f.describe() for f in found]
        dialog = choice_dialog(self.window, items)
        ok = dialog.exec() == QInputDialog.DialogCode.Accepted
        choice = dialog.textValue()
        if ok and choice in items:
            self.sign_and_take(found[items.index(choice)])


    def sign_and_take(self, chosen: Any) -> None:
        from .custody_dialogs import ask_signed_reason

        win = self.window
        asked = ask_signed_reason(
            TITLE, f"Take over {chosen.describe()}?\n\nIts events come here from the hospital "
                   f"server and its clocks continue from what was recorded. Workstation "
                   f"{chosen.workstation} will refuse every command for it from then on.",
            "Sign and &take over", "take_over", win.people, win)
        if asked is None:
            self._say("Not taken over.", box=False)
            return
        self.take(chosen.procedure_id, *asked)

    def take(self, procedure_id: str, reason: str, nurse: Signature,
             witness: Signature) -> None:
        """Import and move the claim, off the GUI thread; then continue it here."""
        from ..sync import Who, take_over_procedure

        win = self.window
        settings = win.custody.settings
        store, profile = win.session.store, win.session.profile
        client = settings.client(timeout_s=settings.custody_timeout_s)
        who = Who(settings.workstation, nurse.user, nurse.name)

        def op() -> Any:
            try:
                return take_over_procedure(client, store, profile, procedure_id, who,
                                           reason=reason, signatures=(nurse, witness),
                                           witness=witness.user)
            finally:
                client.close()

        self._say(f"Taking over procedure {procedure_id}…", box=False)
        run_in_background(op, owner=win, success=self._taken,
                          failure=lambda exc: self._say(f"Not taken over: {exc}"))

    def _taken(self, taken: Any) -> None:
        win = self.window
        self.taken = taken
        win.custody.fence.note_ours(taken.procedure_id)
        win.session.resume(taken.procedure_id)
        win.alarms.reset()
        win.wizard.restart()
        if win.session.user is not None:
            win.wizard.next()
        win.tick()
        self._say(f"Taken over from workstation {taken.from_workstation}: {taken.imported} "
                  f"event(s) imported; the procedure continues here.", box=False)


def choice_dialog(parent: QWidget, items: list[str]) -> QInputDialog:
    """The list of procedures to take over. Each description is long (patient, last step,
    holder, procedure: ~170 characters) and a combo box sized to it made the dialog 2,439 px
    wide, its OK and Cancel off a 1366×768 screen: the box is kept to a screen's width, and the
    chosen procedure is written out in full, wrapped, above it."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(TITLE)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    combo = dialog.findChild(QComboBox)
    assert combo is not None  # QInputDialog's own, made by setComboBoxItems
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(50)
    for n, item in enumerate(items):
        combo.setItemData(n, item, Qt.ItemDataRole.ToolTipRole)

    def describe(text: str) -> None:
        dialog.setLabelText(f"Procedure under way on another workstation:\n\n{text}")
        label = dialog.findChild(QLabel)  # made by the dialog with its first text
        if label is not None:
            label.setWordWrap(True)
            label.setMinimumWidth(600)  # wrapped at a readable width, not squeezed

    dialog.textValueChanged.connect(describe)
    describe(items[0] if items else "")
    return dialog
