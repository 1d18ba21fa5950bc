"""The one error the label parsers raise: a sentence a nurse can act on."""

from __future__ import annotations


class LabelError(ValueError):
    """A payload that cannot be read as a label. `code` names the problem for logs and tests;
    the message says, in plain words, what was wrong and what to do."""

    def __init__(self, message: str, *, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code
