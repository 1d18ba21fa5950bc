"""The bridge between the window and the engine: one procedure, the store it writes to, the
signed-in user, the guards on every procedure (people), and signals the widgets listen to. It
decides nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..clock import Clock, Instant
from ..config import SiteConfig, opening_args
from ..engine import Command, Countdown, Deviation, Event, Outcome, Procedure, Signature
from ..engine.identity import IdentityVerifier
from ..engine.procedure import Guard
from ..engine.steps import Step
from ..ledger import StoreLedger
from ..people import User
from ..profile import Profile
from ..store import StorageError, Store, StoreListener


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
    # Every command's Outcome (events written, or the rejection logged), and an empty Outcome
    # when a new procedure starts: the window and the pages listen, no caller has to tell them.
    changed = Signal(object)
    notRecorded = Signal(str, str)  # command name, the storage error in words
    recorded = Signal()  # a write succeeded: a previous "not recorded" alarm can clear

    def __init__(self, profile: Profile, clock: Clock, *, store: Store | None = None,
                 verifier: IdentityVerifier | None = None, training: bool = False,
                 procedure: Procedure | None = None,
                 make_procedure: Callable[[], Procedure] | None = None,
                 guards: Sequence[Guard] = (), workstation: str | None = None) -> None:
        super().__init__()
        # this workstation's name (config.workstation_name(site)): written where a procedure is
        # opened and where the program is quit, so the record says where each step was made
        self.workstation = workstation
        # the site file (the window hands over its own): a procedure opens under its
        # `[clinical]` policy and name (config.opening_args)
        self.site: SiteConfig | None = None
        self.profile = profile
        self.clock = clock
        self.store = store
        self.verifier = verifier
        self.training = training
        self.user: User | None = None
        self._make = make_procedure
        self._guards = tuple(guards)
        # Every procedure asks the product ledger about the others in the store.
        self.ledger = StoreLedger(store) if store is not None else None
        if procedure is not None:  # a reopened procedure: replayed without guards, guarded now
            for guard in self._guards:
                procedure.add_guard(guard)
            if self.ledger is not None:
                procedure.custody = self.ledger
        self.procedure = procedure if procedure is not None else self._new_procedure()

    @property
    def zone(self) -> tzinfo | None:
        """The time zone printed expiry is read in at the bedside (the verifier's): a receipt on
        this workstation reads it in the same one."""
        zone = getattr(self.procedure.verifier, "zone", None)
        return zone if isinstance(zone, tzinfo) else None

    def _new_procedure(self) -> Procedure:
        return self._attach(self._make() if self._make else
                            Procedure(self.profile, self.clock, self.verifier))

    def _attach(self, proc: Procedure) -> Procedure:
        """Recorded in the store, asking the product ledger, under every guard."""
        if self.store is not None:
            proc.subscribe(StoreListener(self.store))
        if self.ledger is not None:
            proc.custody = self.ledger
        for guard in self._guards:
            proc.add_guard(guard)
        return proc

    def add_guard(self, guard: Guard) -> None:
        """A check on every command, of this procedure and of every later one."""
        self._guards = (*self._guards, guard)
        self.procedure.add_guard(guard)

    def start_new(self) -> None:
        self.procedure = self._new_procedure()
        self.changed.emit(Outcome(()))

    def resume(self, procedure_id: str) -> None:
        """Continue a procedure from the log (one taken over from another workstation): its
        countdowns run from the recorded instants; guarded and recorded here from now on."""
        assert self.store is not None
        self.procedure = self._attach(Procedure.rebuild(
            self.profile, self.clock, self.store.events(procedure_id), self.verifier))
        self.changed.emit(Outcome(()))

    # ------------------------------------------------------------------ reading
    def step(self) -> Step:
        return self.procedure.step(self.clock.now())

    @property
    def state(self) -> Any:
        return self.procedure.state

    @property
    def events(self) -> Sequence[Event]:
        return self.procedure.events

    def countdowns(self, now: Instant) -> list[Countdown]:
        return self.procedure.countdowns(now)

    def preview(self, name: str, args: Mapping[str, Any] | None = None) -> Any:
        """What the engine would answer to `name` now, without recording anything: its
        rejection, or None. Lets a page check every entry before it records any of them."""
        return self.procedure.preview(self.command(name, args))

    # ------------------------------------------------------------------ writing
    def command(self, name: str, args: Mapping[str, Any] | None = None, *,
                deviation: Deviation | None = None, signatures: tuple[Signature, ...] = (),
                witness: Signature | None = None) -> Command:
        """The command as the signed-in user gives it; a witness adds their signature."""
        if witness is not None:
            signatures = (*signatures, witness)
        args = dict(args or {})
        if name == "open" and self.site is not None:
            args = opening_args(self.site, args)
        if name == "open" and self.workstation:
            args.setdefault("workstation", self.workstation)
        return Command(name, args, user=self.user.id if self.user else "",
                       deviation=deviation, signatures=signatures,
                       witness=witness.user if witness is not None else None)

    def note_quit(self) -> None:
        """The program is quit: recorded in the open procedure (engine/runs.py), so the next
        start can tell this quit from a kill or a crash. Nothing when no procedure is open."""
        if self.workstation is None or self.store is None:
            return
        try:
            self.procedure.note_program_quit(self.workstation,
                                             self.user.id if self.user else None)
        except StorageError as exc:
            self.notRecorded.emit("note_program_quit", str(exc))

    def submit(self, name: str, args: Mapping[str, Any] | None = None, *,
               deviation: Deviation | None = None, signatures: tuple[Signature, ...] = (),
               witness: Signature | None = None) -> Result:
        command = self.command(name, args, deviation=deviation, signatures=signatures,
                               witness=witness)
        try:
            outcome = self.procedure.handle(command)
        except StorageError as exc:
            self.notRecorded.emit(name, str(exc))
            return Result(None, exc)
        self.recorded.emit()
        self.changed.emit(outcome)
        return Result(outcome)
