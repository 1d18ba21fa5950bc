"""The window's side of the pre-thaw check (the check itself is `sync.prethaw`, Qt-free).

The search starts off the GUI thread as soon as a bag leaves its cassette (or is inspected), so
its answer is usually in long before the nurse presses *Start thaw*. Nothing on the GUI thread
ever waits for it: START THAW goes on while the search still runs ("checking…" on the status
bar), and every answer comes back on the GUI thread (`background.run_in_background`):
- recorded in the log as `prethaw_checked` (found, not found, not checked and why), so the
  printed record shows it;
- found → a hard stop at once, naming where and when (do not thaw; if the thaw had already
  started, do not infuse);
- no answer within the site's `sync.precheck_timeout_seconds` (+1 s) → "not checked (no answer
  in time)", recorded; an answer that still comes later is recorded too, and acts if found.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox

from ..profile import Profile
from ..sync import PrethawResult, SyncSettings, check_before_thaw, product_codes
from .background import run_in_background

Key = tuple[str, int]  # (procedure id, bag)
CHECKING = "Checking the hospital record for bag {bag}… (the thaw is not held up)"


class PrethawChecks(QObject):
    """One search per (procedure, bag); `answered(key, result)` on the GUI thread."""

    answered = Signal(object, object)

    def __init__(self, settings: SyncSettings, profile: Profile) -> None:
        super().__init__()
        self.settings = settings
        self.product = profile.name
        self._codes = product_codes(profile)
        self._answers: dict[Key, PrethawResult | None] = {}  # None: still checking
        self._closed = False

    def start(self, procedure_id: str, bag: int, din: str, mrn: str) -> bool:
        """Start the search unless it ran or runs already; True when it starts now."""
        key = (procedure_id, bag)
        if key in self._answers:
            return False
        self._answers[key] = None
        run_in_background(lambda: self._run(procedure_id, din, mrn), owner=self,
                          success=lambda result: self._answer(key, result, late=True),
                          failure=lambda exc: self._answer(key, PrethawResult(
                              "not_checked", reason=f"{type(exc).__name__}: {exc}"),
                              late=True))
        deadline_ms = int((self.settings.precheck_timeout_s + 1.0) * 1000)
        QTimer.singleShot(deadline_ms, self, lambda: self._answer(
            key, PrethawResult("not_checked", reason="no answer in time"), late=False))
        return True

    def answer(self, procedure_id: str, bag: int) -> PrethawResult | None:
        """The answer so far (never waits): None while the search runs or before it starts."""
        return self._answers.get((procedure_id, bag))

    def forget(self, procedure_id: str, bag: int) -> None:
        """A later thaw of the same bag (after a refusal) asks again."""
        self._answers.pop((procedure_id, bag), None)

    def close(self) -> None:
        self._closed = True

    def _answer(self, key: Key, result: PrethawResult, *, late: bool) -> None:
        if self._closed or key not in self._answers:
            return
        before = self._answers[key]
        if before is not None and (not late or before.verdict == result.verdict):
            return  # the deadline after the answer, or the same answer again
        self._answers[key] = result
        self.answered.emit(key, result)

    def _run(self, procedure_id: str, din: str, mrn: str) -> PrethawResult:
        try:
            client = self.settings.client(timeout_s=self.settings.precheck_timeout_s)
        except ValueError as exc:
            return PrethawResult("not_checked", reason=str(exc))
        try:
            return check_before_thaw(client, din=din, mrn=mrn,
                                     mrn_system=self.settings.mrn_system,
                                     din_system=self.settings.site.din_system,
                                     product_text=self.product,
                                     current_procedure=procedure_id)
        finally:
            client.close()


def bag_out(event: Any) -> int:
    """The bag an event takes out of its cassette (its label matched at the initial check) or
    inspects; 0 for any other event: the moment the pre-thaw search starts."""
    if event.type == "bag_inspected":
        return int(event.data.get("bag") or 0)
    label = (event.data.get("label") or {}) if event.type == "label_accepted" else {}
    if label.get("role") == "bag" and label.get("stage") == "initial":
        return int(label.get("bag") or 0)
    return 0


def bag_facts(state: Any, bag: int) -> tuple[str, str] | None:
    """(DIN, MRN) of a bag of the order, or None before there is an order."""
    order = getattr(state, "order", None)
    if order is None:
        return None
    try:
        return order.bag(bag).bag_id, order.patient.mrn
    except KeyError:
        return None


def facts_for(session: Any, bag: int) -> tuple[str, str, str] | None:
    """(procedure, DIN, MRN) for the search about `bag`, or None before there is an order."""
    facts = bag_facts(session.state, bag)
    pid = session.procedure.procedure_id
    return None if facts is None or pid is None else (pid, *facts)


def _status(window: Any, text: str, ms: int = 0) -> None:
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, ms)


def start_searches(window: Any, checks: Any, outcome: Any) -> None:
    """The search starts as the bag leaves its cassette (so its answer is in when the thaw
    starts, even with no pause); the status bar says it is checking."""
    for event in outcome.events:
        bag = bag_out(event)
        facts = facts_for(window.session, bag) if bag else None
        if facts is not None and checks.start(facts[0], bag, facts[1], facts[2]):
            _status(window, CHECKING.format(bag=bag))


def thaw_allowed(window: Any, checks: Any, bag: int) -> bool:
    """At START THAW, never waiting: found already → no thaw (the procedure was stopped when
    the answer came); still checking → the thaw goes on and the answer is recorded when it
    comes; not found or not checked → said on the status bar, never blocking."""
    facts = facts_for(window.session, bag)
    if facts is None:
        return True
    pid, din, mrn = facts
    result = checks.answer(pid, bag)
    if result is None:
        checks.start(pid, bag, din, mrn)  # not started yet (a reopened procedure): now
        _status(window, CHECKING.format(bag=bag))
        return True
    if result.verdict == "found":
        stop_for(window, result, bag)
        return False
    _status(window, result.message(), 60_000 if result.verdict == "not_found" else 0)
    return True


def answered(window: Any, checks: Any, key: Key, result: PrethawResult) -> None:
    """An answer back on the GUI thread: recorded, shown, and a hard stop when found."""
    session = window.session
    pid, bag = key
    if session.procedure.procedure_id != pid or not session.state.active:
        return
    session.submit("note_prethaw_check", {"bag": bag, "verdict": result.verdict,
                                          "detail": result.message()})
    _status(window, result.message(), 60_000 if result.verdict == "not_found" else 0)
    if result.verdict == "found":
        stop_for(window, result, bag)


def stop_for(window: Any, result: PrethawResult, bag: int) -> None:
    """Found in the hospital's record: a hard stop naming where and when."""
    session = window.session
    if not session.state.active:
        return
    thawed = session.state.bag(bag).thaw_started is not None
    what = ("Do not infuse this bag." if thawed else "Do not thaw.")
    window.submit("stop_procedure", {"reason": result.message()})
    QMessageBox.critical(window, "Stop: already given", result.message()
                         + f"\n\n{what} The procedure is stopped; call the "
                         f"manufacturer ({session.profile.manufacturer_contact}).")
