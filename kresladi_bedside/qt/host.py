"""What a page may ask of the window that holds it: a narrow host, declared here so that
`qt.pages` does not import `qt.window` (which builds the pages). `BedsideWindow` is the one host."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtWidgets import QWidget

from ..config import SiteConfig
from ..engine import Deviation, Rejection, Signature
from ..engine.steps import Step
from ..people import People, User
from .session import Result, Session


class PageHost(Protocol):
    session: Session
    people: People
    site: SiteConfig

    def submit(self, name: str, args: dict[str, Any] | None = None, *,
               deviation: Deviation | None = None,
               signatures: tuple[Signature, ...] = ()) -> Result: ...

    def page_id_for(self, step: Step) -> int: ...

    def signed_in(self, who: User) -> None: ...

    def type_identifier(self) -> None: ...

    def attach_camera(self, box: QWidget) -> None: ...

    def ask_deviation(self, rejection: Rejection) -> tuple[Deviation, Signature] | None: ...

    def print_record(self) -> None: ...

    def take_done_note(self) -> str: ...

    def correct_flush(self) -> None: ...

    def thaw_allowed(self, bag: int) -> bool: ...

    def not_recorded(self, command: str, error: str) -> None: ...
