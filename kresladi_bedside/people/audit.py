"""The people log: every sign-in, refusal, lock, signature and user change, as events.

Choice: these events go into the same append-only, hash-chained event store as the procedures,
under the pseudo-procedure id `PEOPLE_LOG` ("people"). They are therefore verified by
`store.verify`, exported by `store.transfer` and protected by the same triggers, with no second
chain to maintain. Readers that list procedures (record, sync, the window's list) skip this id.

What an event holds: the user it is about or by (`Event.user`: the acting user's id; "anonymous"
for an attempt with a badge nobody holds), the badge where one was presented, a `code` for
refusals, a reason in words. Never a PIN, never a PIN hash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..clock import Clock
from ..engine.model import Event
from ..store import Store
from ..store.rows import COLUMNS, EventRow

PEOPLE_LOG = "people"
ANONYMOUS = "anonymous"

# Events that say "this badge's owner proved the PIN": they end a run of failures.
AUTHENTICATED = frozenset({"signed_in", "session_unlocked", "session_taken_over",
                           "witness_signed", "signature_given"})


class AuditLog:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def record(self, event_type: str, user: str, **data: Any) -> Event:
        event = Event(Event.new_id(), PEOPLE_LOG, event_type, data, user, self.clock.now())
        self.store.append([event])
        return event

    def record_with(self, event_type: str, user: str, write: Callable[[], None],
                    **data: Any) -> Event:
        """The event and `write` (the users row it explains) in ONE transaction: a kill between
        the two left an event without its row, and that user locked out (issue 26, item 12)."""
        event = Event(Event.new_id(), PEOPLE_LOG, event_type, data, user, self.clock.now())

        def decide(_store: Store) -> list[Event]:
            write()
            return [event]

        self.store.append_decided(decide)
        return event

    def events(self) -> list[Event]:
        return self.store.events(PEOPLE_LOG)

    def badge_history(self, badge: str) -> Iterator[Event]:
        """This badge's events, newest first (read lazily: callers stop at the last reset)."""
        cursor = self.store.conn.execute(
            f"SELECT {', '.join(COLUMNS)} FROM events WHERE procedure_id = ? "
            "AND json_extract(data, '$.badge') = ? ORDER BY pos DESC", (PEOPLE_LOG, badge))
        for values in cursor:
            yield EventRow(*values).to_event()
