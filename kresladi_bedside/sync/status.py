"""What the window's sync indicator says, decided here (pure) so the Qt side only paints it.

Levels, worst first: `parked` (IT must look), `blocked` (the server refuses our credentials or
the database failed its check), `error` (sync cannot run: configuration, storage, or any failure
of the pass itself), `waiting`, `pending` (no pass has finished yet: nothing is claimed), `ok`
(nothing left), `off` (no server configured, or a training workstation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .deliver import PassReport
from .outbox import BLOCKED_PREFIX, OutboxSummary, Parked

Level = Literal["off", "pending", "ok", "waiting", "error", "blocked", "parked"]


@dataclass(frozen=True)
class SyncStatus:
    enabled: bool = True
    waiting: int = 0
    parked: tuple[Parked, ...] = ()
    last_success: str | None = None  # UTC ISO
    blocked: str | None = None
    error: str | None = None
    off_reason: str | None = None
    checked: bool = True  # False until the first pass has finished: the indicator claims nothing

    @classmethod
    def pending(cls) -> SyncStatus:
        return cls(checked=False)

    @classmethod
    def off(cls, reason: str) -> SyncStatus:
        return cls(enabled=False, off_reason=reason)

    @classmethod
    def failed(cls, error: str) -> SyncStatus:
        return cls(error=error)

    @classmethod
    def of(cls, summary: OutboxSummary, report: PassReport | None = None) -> SyncStatus:
        return cls(waiting=summary.waiting, parked=summary.parked,
                   last_success=summary.last_success,
                   blocked=report.blocked if report is not None else summary.blocked,
                   error=report.error if report is not None else None)

    @property
    def level(self) -> Level:
        if not self.enabled:
            return "off"
        if self.parked:
            return "parked"
        if self.blocked:
            return "blocked"
        if self.error:
            return "error"
        if not self.checked:
            return "pending"
        return "waiting" if self.waiting else "ok"

    def text(self) -> str:
        """One short line for the status bar."""
        last = f" · last sent {_local(self.last_success)}" if self.last_success else ""
        match self.level:
            case "off":
                return "Records: not sent from this workstation"
            case "parked":
                return f"Records: {len(self.parked)} not accepted by the hospital — call IT{last}"
            case "blocked":
                cause = ("the server refused the token" if self.blocked and
                         self.blocked.startswith(BLOCKED_PREFIX) else "sending blocked")
                return f"Records: {cause} — call IT ({self.waiting} waiting){last}"
            case "error":
                if self.waiting:
                    return (f"Records: the hospital's server did not answer as FHIR — call IT "
                            f"({self.waiting} waiting){last}")
                return "Records: sync cannot run — call IT"
            case "pending":
                return "Records: not checked yet"
            case "waiting":
                return f"Records: {self.waiting} waiting to be sent{last}"
        return f"Records: all sent{last}"

    def details(self) -> str:
        """The tooltip: everything IT needs, one item per line."""
        lines = [self.text()]
        if self.off_reason:
            lines.append(self.off_reason)
        if not self.checked:
            lines.append("No sync pass has finished since the program started.")
        if self.blocked:
            lines.append(f"Blocked: {self.blocked}")
        if self.error:
            lines.append(f"Error: {self.error}")
        lines += [f"Parked {p.procedure_id}: {p.reason}" for p in self.parked]
        return "\n".join(lines)


def _local(utc_iso: str) -> str:
    try:
        return datetime.fromisoformat(utc_iso).astimezone().strftime("%H:%M")
    except ValueError:
        return utc_iso
