"""What a page may read and what it may ask of the window that holds it, declared here so that
`qt.pages` does not import `qt.window` (which builds the pages).

- `ProcedureModel`: the procedure as a page reads it (state, events, the step, the engine's
  preview of a command, the clocks) and its `changed` signal. `Session` is the one model; a page
  sees no `submit`, no store and no engine object through it.
- `PageHost`: the actions (a command with its witness and deviation, dialogs, printing)
  and the model.
  `BedsideWindow` is the one host."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget

from ..clock import Clock, Instant
from ..config import SiteConfig
from ..engine import Countdown, Event, Rejection, State
from ..engine.steps import Step
from ..people import People, User
from ..profile import Profile
from .session import Result

if TYPE_CHECKING:
    from ..store import Store


class ProcedureModel(Protocol):
    """Read-only: the procedure, and a signal carrying each command's Outcome."""

    @property
    def changed(self) -> SignalInstance: ...

    @property
    def state(self) -> State: ...

    @property
    def events(self) -> Sequence[Event]: ...

    @property
    def profile(self) -> Profile: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def training(self) -> bool: ...

    @property
    def user(self) -> User | None: ...

    def step(self) -> Step: ...

    def countdowns(self, now: Instant) -> Sequence[Countdown]: ...

    def preview(self, name: str, args: Mapping[str, Any] | None = None) -> Rejection | None: ...


class PageHost(Protocol):
    people: People
    site: SiteConfig

    @property
    def model(self) -> ProcedureModel: ...

    def run(self, name: str, args: dict[str, Any] | None = None) -> Result:
        """The command, with a witness where the site wants one and a signed deviation where
        the engine says a limit is passed (qt/signed_commands.py)."""

    def page_id_for(self, step: Step) -> int: ...

    def signed_in(self, who: User) -> None: ...

    def type_identifier(self) -> None: ...

    def attach_camera(self, box: QWidget) -> None: ...

    def print_record(self) -> None: ...

    def take_done_note(self) -> str: ...

    def correct_flush(self) -> None: ...

    def receive_product(self) -> None: ...  # the receipt dialog (pharmacy)

    def thaw_allowed(self, bag: int) -> bool: ...

    def not_recorded(self, command: str, error: str) -> None: ...

    @property
    def log(self) -> Store | None:
        """The log itself, for the order page's received-products chooser only: receipts are
        procedures of their own in it, read and dispensed outside this procedure's session."""
