"""What the people layer refuses, as typed errors a nurse can read.

Every error carries `code` (a stable word for logs, tests and the window) and a message in plain
words that never contains a PIN.
"""

from __future__ import annotations


class PeopleError(ValueError):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class SignInRefused(PeopleError):
    """Badge + PIN did not open a session (unreadable badge, wrong PIN, locked, disabled…)."""


class SignatureRefused(PeopleError):
    """A signing act could not be completed (no session, wrong PIN, locked screen…)."""


class WitnessRefused(PeopleError):
    """The person offered as witness may not witness (themself, no role, wrong PIN…)."""


class NotAuthorized(PeopleError):
    """User administration by someone who is not a signed-in administrator."""


class InvalidUserData(PeopleError):
    """A name, badge, PIN or role that cannot be used: the message names which and why."""
