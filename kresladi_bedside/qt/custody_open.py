"""The claim at the server when a received product is opened, off the GUI thread
(`background.run_in_background`): "Checking custody on the hospital server…" meanwhile, the
chooser's buttons held, the clocks ticking; a deadline (`sync.custody_timeout_seconds`); nothing
opens until the server has answered that this workstation holds every bag (fail closed).

When the server cannot say and the site allows it (`sync.offline_opening = "signed"`), the nurse
may open it anyway on a reason signed by the nurse and a witness: `custody_opened_offline` is
recorded first, then the order; the claim is made when the server is back (`custody_watch`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

from ..receipt import ReceiptState
from ..sync import (
    ISBT128_DIN_SYSTEM,
    LastKnown,
    OpenDecision,
    SyncSettings,
    Who,
    claim_for_opening,
    unknown_decision,
)
from .background import run_in_background


class OpeningClaim:
    """One claim, from the button to the answer. `done(decision)` is called once, on the GUI
    thread: the server's answer, or the deadline's refusal."""

    def __init__(self, owner: QObject, settings: SyncSettings, state: ReceiptState, who: Who,
                 procedure_id: str, last: LastKnown,
                 done: Callable[[OpenDecision], None]) -> None:
        self.settings = settings
        self.state = state
        self.procedure_id = procedure_id
        self._done = done
        self._answered = False
        self.late: OpenDecision | None = None  # an answer after the deadline (shown, not acted)
        self.late_seen: Callable[[OpenDecision], None] | None = None
        client = settings.client(timeout_s=settings.custody_timeout_s)
        systems = (ISBT128_DIN_SYSTEM, settings.site.din_system)

        def op() -> OpenDecision:
            try:
                return claim_for_opening(client, state, who, procedure_id=procedure_id,
                                         last=last, din_systems=systems,
                                         offline=settings.offline_opening)
            finally:
                client.close()

        self._last = last
        self._timer = QTimer(owner)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one fires up to 5% early
        self._timer.timeout.connect(self._deadline)
        self._timer.start(int(settings.custody_timeout_s * 1000))
        run_in_background(op, owner=owner, success=self._answer,
                          failure=lambda exc: self._answer(unknown_decision(
                              f"{type(exc).__name__}: {exc}", self._known(),
                              settings.offline_opening)))

    def _known(self) -> str:
        assert self.state.receipt_id is not None
        return self._last.describe(self.state.receipt_id)

    def _answer(self, decision: OpenDecision) -> None:
        if self._answered:
            self.late = decision
            if self.late_seen is not None:
                self.late_seen(decision)
            return
        self._answered = True
        self._timer.stop()
        self._done(decision)

    def _deadline(self) -> None:
        if self._answered:
            return
        self._answered = True
        self._done(unknown_decision(
            f"no answer within {self.settings.custody_timeout_s:g} s", self._known(),
            self.settings.offline_opening))
