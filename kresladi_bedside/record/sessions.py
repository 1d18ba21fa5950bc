"""Who was signed in at the workstation during a procedure: every sign-in, unlock, take-over,
lock and sign-out from the people log (people/audit.py), in words. An unlock by the nurse's own
badge alone (no PIN: people.unlock_by_badge) is said as such, with the time her PIN was last
entered, so a reviewer can tell it from an unlock that proved the PIN."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .view import Row

SESSION_EVENTS = frozenset({"signed_in", "session_unlocked", "session_unlocked_by_badge",
                            "session_taken_over", "session_locked", "signed_out"})
LOCK_REASONS = {"manual": "locked by the user", "idle": "locked after no activity"}


def people_events_during(store: Any, procedure_id: str, open_ended: bool) -> list[Any]:
    """The sign-in events stored on this workstation from the sign-in under which the procedure
    was opened to its last event (`open_ended`: to now, for a procedure still in progress). By
    storage position, not by the wall clock, which can be moved."""
    from ..people.audit import PEOPLE_LOG

    first, last = store.conn.execute(
        "SELECT min(pos), max(pos) FROM events WHERE procedure_id = ?",
        (procedure_id,)).fetchone()
    if first is None:
        return []
    opened_under = store.conn.execute(
        "SELECT max(pos) FROM events WHERE procedure_id = ? AND pos < ? AND type IN "
        "('signed_in', 'session_unlocked', 'session_unlocked_by_badge', 'session_taken_over')",
        (PEOPLE_LOG, first)).fetchone()[0]
    marks = ", ".join("?" for _ in SESSION_EVENTS)
    sql = (f"SELECT id FROM events WHERE procedure_id = ? AND type IN ({marks}) "
           "AND pos >= ?" + ("" if open_ended else " AND pos < ?"))
    params: tuple[Any, ...] = (PEOPLE_LOG, *sorted(SESSION_EVENTS), opened_under or first) + (
        () if open_ended else (last,))
    wanted = {row[0] for row in store.conn.execute(sql, params)}
    return [e for e in store.events(PEOPLE_LOG) if e.id in wanted] if wanted else []


def session_rows(events: Sequence[Any], at: Callable[[Any], str | None]) -> tuple[Row, ...]:
    """One row per sign-in event: when and who, then what was proved."""
    rows = []
    for e in events:
        what = _what(e.type, e.data, at)
        if what is not None:
            name = e.data.get("name") or e.user
            rows.append(Row(f"{at(e.at)} · {name}", what[0], what[1]))
    return tuple(rows)


def _what(kind: str, d: Mapping[str, Any], at: Callable[[Any], str | None]
          ) -> tuple[str, str | None] | None:
    how = _how(d)
    if kind == "signed_in":
        return f"signed in ({how})", None
    if kind == "session_unlocked":
        return f"unlocked the screen ({how})", None
    if kind == "session_unlocked_by_badge":
        from ..clock import Instant

        pin_at = d.get("pin_entered_at")
        when = at(Instant.from_dict(pin_at)) if isinstance(pin_at, dict) else None
        since = f"; PIN last entered at {when}" if when else ""
        return (f"unlocked the screen with a scan of their own badge, without the PIN{since}",
                "BADGE ONLY")
    if kind == "session_taken_over":
        locked = " (the screen was locked)" if d.get("was_locked") else ""
        return (f"took over from {d.get('from_name') or d.get('from_user')}{locked} ({how})",
                "TAKE-OVER")
    if kind == "session_locked":
        return LOCK_REASONS.get(str(d.get("reason")), "screen locked"), None
    if kind == "signed_out":
        return "signed out", None
    return None


def _how(d: Mapping[str, Any]) -> str:
    """How the badge came: scanned, or typed (with the reason given)."""
    badge = f"badge {d['badge']}" if d.get("badge") else "badge"
    if d.get("source") == "typed":
        reason = f", reason: {d['typed_reason']}" if d.get("typed_reason") else ""
        return f"{badge} typed{reason}, and PIN"
    return f"{badge} scanned, and PIN"
