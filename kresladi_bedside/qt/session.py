"""The bridge between the window and the engine: one procedure, the store it writes to, the
signed-in user, and signals the widgets listen to. It decides nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..clock import Clock
from ..engine import Command, Deviation, Event, Outcome, Procedure, Signature
from ..engine.identity import IdentityVerifier
from ..engine.steps import Step
from ..profile import Profile
from ..store import StorageError, Store, StoreListener
from .signin import SignedIn


@dataclass(frozen=True)
class Result:
    """What a submitted command did: an engine outcome, or a storage failure (not recorded)."""

    outcome: Outcome | None
    storage_error: StorageError | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome is not None and self.outcome.accepted

    @property
    def rejection(self) -> Any:
        return None if self.outcome is None else self.outcome.rejection


class Session(QObject):
    changed = Signal()  # the procedure's state moved (or a command was refused and logged)
    notRecorded = Signal(str, str)  # command name, the storage error in words
    recorded = Signal()  # a write succeeded: a previous "not recorded" alarm can clear

    def __init__(self, profile: Profile, clock: Clock, *, store: Store | None = None,
                 verifier: IdentityVerifier | None = None, training: bool = False,
                 procedure: Procedure | None = None,
                 make_procedure: Callable[[], Procedure] | None = None) -> None:
        super().__init__()
        self.profile = profile
        self.clock = clock
        self.store = store
        self.verifier = verifier
        self.training = training
        self.user: SignedIn | None = None
        self._make = make_procedure
        self.procedure = procedure if procedure is not None else self._new_procedure()

    def _new_procedure(self) -> Procedure:
        proc = self._make() if self._make else Procedure(self.profile, self.clock, self.verifier)
        if self.store is not None:
            proc.subscribe(StoreListener(self.store))
        return proc

    def start_new(self) -> None:
        self.procedure = self._new_procedure()
        self.changed.emit()

    # ------------------------------------------------------------------ reading
    def step(self) -> Step:
        return self.procedure.step(self.clock.now())

    @property
    def state(self) -> Any:
        return self.procedure.state

    @property
    def events(self) -> Sequence[Event]:
        return self.procedure.events

    # ------------------------------------------------------------------ writing
    def submit(self, name: str, args: Mapping[str, Any] | None = None, *,
               deviation: Deviation | None = None,
               signatures: tuple[Signature, ...] = ()) -> Result:
        user = self.user.user_id if self.user else ""
        command = Command(name, dict(args or {}), user=user, deviation=deviation,
                          signatures=signatures)
        try:
            outcome = self.procedure.handle(command)
        except StorageError as exc:
            self.notRecorded.emit(name, str(exc))
            return Result(None, exc)
        self.recorded.emit()
        self.changed.emit()
        return Result(outcome)
