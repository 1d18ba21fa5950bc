"""The record as the template sees it: plain rows of already formatted text.

Every value here is still raw text (from labels, people or the log); the template escapes it and
`text.printable` makes invisible characters visible. No clinical decision is made here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class RecordError(ValueError):
    """The record cannot be built: names the procedure and what is wrong."""


@dataclass(frozen=True)
class Row:
    label: str
    value: object
    flag: str | None = None  # e.g. "DEVIATION", "STOP": printed beside the value


@dataclass(frozen=True)
class BagView:
    number: int
    rows: tuple[Row, ...]
    corrections: tuple[Row, ...] = ()


@dataclass(frozen=True)
class ScanView:
    at: str | None
    outcome: str  # "accepted", "rejected", "hard stop"
    role: str  # what the label was taken as (wristband, bag 1 …) or the label kind offered
    stage: str
    arrival: str  # "scanned (wedge)", "typed — reason: …"
    symbology: str | None
    identifiers: str
    raw: str
    user: str


@dataclass(frozen=True)
class RejectionView:
    at: str | None
    command: str
    kind: str
    rule: str
    reason: str
    citation: str
    user: str


@dataclass(frozen=True)
class DeviationView:
    at: str | None
    rule: str
    bag: object
    what: str
    measured: str | None
    reason: str
    signed_by: str


@dataclass(frozen=True)
class SignatureView:
    name: str
    user: str
    meaning: str
    at: str | None
    act: str  # what was signed: the event and its bag


@dataclass(frozen=True)
class EventLine:
    seq: int
    at: str | None
    type: str
    user: str
    summary: str


@dataclass(frozen=True)
class ChainStatus:
    """The log's verdict on this procedure's chain, taken just before printing."""

    seq: int
    head_hash: str
    ok: bool
    problem: str | None = None

    @property
    def grouped_hash(self) -> str:
        """The head hash in groups of 8, as people read a hash aloud and compare it."""
        return " ".join(self.head_hash[i:i + 8] for i in range(0, len(self.head_hash), 8))


@dataclass(frozen=True)
class RecordView:
    procedure_id: str
    product: str
    status: str  # "COMPLETE", "STOPPED", "IN PROGRESS"
    training: bool
    site: str
    zone_note: str
    printed_at: str | None
    patient_line: str  # for the running header
    patient: tuple[Row, ...]
    order: tuple[Row, ...]
    gates: tuple[Row, ...]
    bags: tuple[BagView, ...]
    totals: tuple[Row, ...]
    intervals: tuple[Row, ...]
    scans: tuple[ScanView, ...]
    rejections: tuple[RejectionView, ...]
    hard_stops: tuple[Row, ...]
    deviations: tuple[DeviationView, ...]
    signatures: tuple[SignatureView, ...]
    alarms: tuple[Row, ...]
    post_infusion: tuple[Row, ...]
    stop: tuple[Row, ...]  # empty unless the procedure was stopped
    chain: ChainStatus
    events: tuple[EventLine, ...] = field(default=())

    @property
    def watermark(self) -> str | None:
        """Painted across every page: training first (a training record is never clinical)."""
        words = (["TRAINING"] if self.training else []) + (
            ["IN PROGRESS"] if self.status == "IN PROGRESS" else [])
        return " · ".join(words) or None

    @property
    def page_header(self) -> str:
        return (f"{self.product} infusion record · {self.patient_line} · "
                f"procedure {self.procedure_id}")
