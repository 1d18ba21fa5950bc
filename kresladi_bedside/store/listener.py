"""The engine's events go to the log through this listener.

The engine calls its listeners with a command's events before applying them; if the write fails
the listener raises a `StorageError` subclass, the engine applies nothing, and the caller shows a
blocking "not recorded" alarm. When the call returns, the events are committed (fsynced).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..engine.model import Event
from .db import Store
from .rows import EventRow


class StoreListener:
    def __init__(self, store: Store,
                 on_written: Callable[[Sequence[EventRow]], None] | None = None) -> None:
        self.store = store
        # Told after each commit (e.g. to wake the sync worker); never before.
        self.on_written = on_written

    def __call__(self, events: Sequence[Event]) -> None:
        rows = self.store.append(events)
        if self.on_written is not None and rows:
            self.on_written(rows)
