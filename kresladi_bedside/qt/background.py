"""Work off the GUI thread that always reports back on it (Anki's `QueryOp` model).

    run_in_background(lambda: run_self_test(config), owner=dialog,
                      success=dialog.show_results, failure=dialog.show_failure)

`op` runs on a pool thread and must touch no widget. Exactly one of `success(result)` or
`failure(exception)` is then called on the GUI thread, whatever `op` raised (any `Exception`),
unless `owner` has been deleted meanwhile (a closed dialog has nothing left to paint).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

T = TypeVar("T")
log = logging.getLogger(__name__)

_in_flight: set[_Relay] = set()  # relays live until their answer has been delivered


class _Relay(QObject):
    """Created on the GUI thread, so its signals, emitted from the pool thread, are queued to
    the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, owner: QObject, success: Callable[[Any], None],
                 failure: Callable[[Exception], None]) -> None:
        super().__init__()
        self._owner = owner
        self._success = success
        self._failure = failure
        self.succeeded.connect(self._on_success)
        self.failed.connect(self._on_failure)

    @Slot(object)
    def _on_success(self, result: object) -> None:
        _in_flight.discard(self)
        if shiboken6.isValid(self._owner):
            self._success(result)

    @Slot(object)
    def _on_failure(self, exc: Exception) -> None:
        _in_flight.discard(self)
        if shiboken6.isValid(self._owner):
            self._failure(exc)


class _Job(QRunnable):
    def __init__(self, op: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self._op = op
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._op()
        except Exception as exc:  # every failure goes back to the GUI thread, none is lost
            log.exception("background operation failed")
            self._relay.failed.emit(exc)
            return
        self._relay.succeeded.emit(result)


def run_in_background(op: Callable[[], T], *, owner: QObject, success: Callable[[T], None],
                      failure: Callable[[Exception], None],
                      pool: QThreadPool | None = None) -> None:
    relay = _Relay(owner, success, failure)
    _in_flight.add(relay)
    (pool or QThreadPool.globalInstance()).start(_Job(op, relay))
