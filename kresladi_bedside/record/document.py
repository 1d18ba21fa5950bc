"""What the Qt printer needs: HTML, a running header, a watermark, a paper size, images.

Both the procedure record and the training label sheet become a `PrintDocument`; the Qt side
(`kresladi_bedside.qt.printing`) only lays it out and paints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

PAPER_SIZES = ("letter", "a4")


@dataclass(frozen=True)
class PrintDocument:
    html: str
    title: str
    header: str  # printed at the top of every page
    paper: str = "letter"  # "letter" | "a4"
    watermark: str | None = None  # painted across every page ("TRAINING", "IN PROGRESS")
    images: Mapping[str, bytes] = field(default_factory=dict)  # <img src="NAME"> -> PNG bytes

    def __post_init__(self) -> None:
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"paper size {self.paper!r} is not one of {PAPER_SIZES}")
