"""Reading the printed record back: pypdf text, flattened so wrapped lines still match."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader


def flat(text: str) -> str:
    """Whitespace and zero-width break opportunities removed: a payload wrapped over three
    lines of a table cell reads as the payload again."""
    return re.sub(r"[\s\u200b]+", "", text)


@dataclass
class Printed:
    pages: list[str]

    @classmethod
    def read(cls, path: Path, pages: slice = slice(None)) -> Printed:
        """The text of `pages` (all by default: ~0.4 s a page, so read only what is needed)."""
        return cls([page.extract_text() or "" for page in PdfReader(path).pages[pages]])

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def has(self, needle: object) -> bool:
        return flat(str(needle)) in flat(self.text)

    def missing(self, *needles: object) -> list[str]:
        return [str(n) for n in needles if not self.has(n)]
