"""The window's side of custody on the hospital's server, off the GUI thread
(`background.run_in_background`; the core is `sync/open_custody.py`):

- the fence's questions: the guard only reads answers; this asks the server when an answer is
  missing or stale (every `period_ms` too, so a workstation that was taken over learns it
  without a click) and, once answered, has the pages ask the engine again;
- the notice: a procedure that moved is said in red under the clocks (where, who, when), and
  every command for it is refused by the fence;
- reconciliation: a procedure opened offline is claimed once the server answers again;
  `custody_reconciled` or `custody_conflict` is recorded, and a conflict raises the program's
  alarm (someone else holds a bag, or the server shows it given by another procedure).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel

from ..engine import Outcome, Signature
from .background import run_in_background
from .session import Result

CONFLICT_ALARM = "custody_conflict"
# moved or in conflict: red, as alarms are; opened offline and not yet claimed: amber, a state
NOTICE_ALARM = ("background: #c00000; color: #ffffff; font-size: 20px; font-weight: bold;"
                " padding: 6px;")
NOTICE_PENDING = ("background: #ffd966; color: #000000; font-size: 18px; font-weight: bold;"
                  " padding: 6px;")


class CustodyWatch(QObject):
    def __init__(self, window: Any, fence: Any, site: Any, *,
                 period_ms: int = 15_000) -> None:
        from ..sync import SyncSettings

        super().__init__(window)
        self.window = window
        self.session = window.session
        self.fence = fence
        self.settings = SyncSettings.from_config(site)
        fence.ask_later = self._ask
        self.notice = QLabel()
        self.notice.setObjectName("custodyNotice")
        self.notice.setAccessibleName("Custody notice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._reconciling = False
        self.answers = 0  # answers received (tests wait on it)
        self.timer = QTimer(self)
        self.timer.setInterval(period_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        QTimer.singleShot(0, self.poll)  # a restarted workstation learns it moved at once
        self.session.changed.connect(lambda _outcome: self.show_state())  # e.g. a new procedure

    # ------------------------------------------------------------------ the fence's questions
    def _ask(self, procedure_id: str, dins: list[str]) -> None:
        before = self.fence.known(procedure_id)
        run_in_background(lambda: self.fence.refresh(procedure_id, dins), owner=self,
                          success=lambda _why: self._answered(procedure_id, before),
                          failure=lambda _exc: self._answered(procedure_id, before))

    def _answered(self, procedure_id: str, before: Any) -> None:
        self.answers += 1
        self.show_state()
        if self.fence.known(procedure_id) != before:
            # the verdict changed (first answer, or moved): the pages ask the engine again;
            # not at every answer, so a page being typed in is left alone
            self.session.changed.emit(Outcome(()))

    def poll(self) -> None:
        state = self.session.state
        if state.order is None or state.procedure_id is None:
            self.show_state()
            return
        self.fence.answer(state.procedure_id, [b.bag_id for b in state.order.bags])
        self._maybe_reconcile(state)
        self.show_state()

    def show_state(self) -> None:
        state = self.session.state
        pid = state.procedure_id
        text, alarm = "", True
        known = self.fence.known(pid) if pid and state.order is not None else None
        conflict = next((d for k, _, d in state.custody_notes if k == "conflict"), None)
        if known is not None and known[0] == "moved":
            text = (f"THIS PROCEDURE MOVED: {known[1]}. This workstation refuses every command "
                    "for it; continue on the workstation that holds it.")
        elif conflict is not None:
            text = str(conflict.get("reason", "CUSTODY CONFLICT"))
        elif self._offline_pending(state):
            text, alarm = ("Opened OFFLINE: the claim on the hospital's server is made when the "
                           "server answers again."), False
        if text != self.notice.text():  # restyled on a change only (the tick calls here)
            self.notice.setStyleSheet(NOTICE_ALARM if alarm else NOTICE_PENDING)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # ------------------------------------------------------------------ opening offline
    @staticmethod
    def _offline_pending(state: Any) -> bool:
        kinds = [k for k, _, _ in state.custody_notes]
        if "opened_offline" not in kinds:
            return False
        after = kinds[len(kinds) - 1 - kinds[::-1].index("opened_offline"):]
        return not any(k in ("reconciled", "conflict") for k in after)

    def opened_offline(self, args: dict[str, Any], nurse: Signature,
                       witness: Signature) -> Result:
        """The signed reason, recorded before the order (the fence lets notes through)."""
        result: Result = self.session.submit("note_custody", args, signatures=(nurse,),
                                             witness=witness)
        return result

    def _maybe_reconcile(self, state: Any) -> None:
        from ..sync import ISBT128_DIN_SYSTEM, Who, receipt_of, reconcile

        store = self.session.store
        if self._reconciling or store is None or not self._offline_pending(state):
            return
        receipt = receipt_of(store, state.procedure_id)
        if receipt is None:
            return
        signer: dict[str, Any] = next(
            (s for _, _, d in state.custody_notes for s in d.get("signatures", ())
             if s.get("meaning") == "performed"), {})
        who = Who(self.settings.workstation, str(signer.get("user", "")),
                  str(signer.get("name", "")))
        client = self.settings.client(timeout_s=self.settings.custody_timeout_s)
        systems = (ISBT128_DIN_SYSTEM, self.settings.site.din_system)
        pid = state.procedure_id
        last = getattr(self.window, "custody_last", None)

        def op() -> Any:
            from ..sync import CustodyUnknown, LastKnown

            try:
                return reconcile(client, receipt, who, pid, last or LastKnown(), systems)
            except CustodyUnknown:
                return None  # still away: asked again at the next poll
            finally:
                client.close()

        self._reconciling = True
        run_in_background(op, owner=self, success=lambda r: self._reconciled(pid, r),
                          failure=lambda _exc: self._reconciled(pid, None))

    def _reconciled(self, procedure_id: str, result: Any) -> None:
        self._reconciling = False
        if result is None or self.session.state.procedure_id != procedure_id:
            return
        if result.kind == "conflict":
            self.window.alarms.raise_technical(CONFLICT_ALARM, "CUSTODY CONFLICT: "
                                               + result.message)
        self.fence.forget(procedure_id)
        # recorded by whoever is signed in; nobody → asked again at the next poll
        self.session.submit("note_custody", result.note_args())
        self.show_state()
        self.window.tick()
