"""The one thing every scanner produces: a payload with where it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..labels.model import Source

if TYPE_CHECKING:
    from ..config import IdentityConfig
    from ..labels.model import Scan

Point = tuple[int, int]
Position = tuple[Point, Point, Point, Point]  # the code's corners in the frame, clockwise

# AIM ISO/IEC 15424 symbology identifier: "]", a code character, a modifier character.
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")


@dataclass(frozen=True)
class RawScan:
    payload: str  # as read, GS kept as \x1d, without AIM prefix or suffix
    source: Source
    symbology: str | None = None  # AIM identifier ("]C0", "]C1", "]d2", "]Q1"), if known
    position: Position | None = None  # camera only: where the code is, for drawing
    frame: int | None = None  # camera only: index of the frame it was read in


def split_aim(text: str) -> tuple[str | None, str]:
    """Split a leading AIM symbology identifier off a scanner's output, if it sent one."""
    if _AIM.match(text):
        return text[:3], text[3:]
    return None, text


def to_scan(raw: RawScan, config: IdentityConfig | None = None,
            shelf_life_days: int | None = None) -> Scan:
    """Parse a raw scan into a typed `Scan` (raises the labels package's `LabelError`); a printed
    expiry past `shelf_life_days` (the product profile's longest shelf life) is a misread."""
    from ..labels.parse import parse

    return parse(raw.payload, raw.source, raw.symbology, config=config,
                 shelf_life_days=shelf_life_days)
