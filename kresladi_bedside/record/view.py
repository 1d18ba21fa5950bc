"""The record as the template sees it: plain rows of already formatted text (but the sheet's
bags: the receipt model's `SheetBag`, numbers the template prints with its `cells` and `ml`
filters, record/render.py).

Every value here is still raw text (from labels, people or the log); the template escapes it and
`text.printable` makes invisible characters visible. No clinical decision is made here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from itertools import pairwise
from typing import Any

from ..receipt.model import SheetBag
from .times import duration


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
    workstation: str | None = None  # where it was scanned (None: the log does not say)


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


HANDED_OVER = "HANDED OVER"  # the status on the workstation a procedure left


def watermark(training: bool, status: str) -> str | None:
    """Painted across every page: training first (a training record is never clinical)."""
    words = (["TRAINING"] if training else []) + (
        ["IN PROGRESS"] if status == "IN PROGRESS" else []) + (
        ["HANDED OVER"] if status == HANDED_OVER else [])
    return " · ".join(words) or None


@dataclass(frozen=True)
class ReceiptView:
    receipt_id: str
    product: str
    status: str  # "RECEIVED", "STOPPED", "IN PROGRESS"
    training: bool
    site: str
    zone_note: str
    printed_at: str | None
    patient_line: str
    summary: tuple[Row, ...]  # received by, verified by, when, where, storage, outcome
    patient: tuple[Row, ...]  # the EHR's patient and the sheet's identifiers as verified
    sheet: tuple[Row, ...]  # the sheet's other values as verified
    # the sheet's bags as the receipt's model holds them (printed by the `cells`, `ml` filters)
    sheet_bags: tuple[SheetBag, ...]
    scans: tuple[ScanView, ...]  # shipper and cassettes: by whom, where, when
    concerns: tuple[Row, ...]
    after: tuple[Row, ...]  # sent to the EHR, dispensed to an infusion, custody steps
    signatures: tuple[Row, ...]
    chain: ChainStatus | None = None  # only on the receipt's own record

    @property
    def watermark(self) -> str | None:
        return watermark(self.training, self.status)

    @property
    def page_header(self) -> str:
        return (f"{self.product} receipt record · {self.patient_line} · "
                f"receipt {self.receipt_id}")


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
    restarts: tuple[Row, ...] = field(default=())
    # every move between workstations (record/handover.py); `handover_note`: a file was used
    handovers: tuple[Row, ...] = field(default=())
    handover_note: str | None = None
    # who was signed in on this workstation meanwhile: sign-ins, unlocks, locks (sessions.py)
    sessions: tuple[Row, ...] = field(default=())
    # the receipt of the product at the pharmacy (record/receipt.py), when the log holds it
    receipt: ReceiptView | None = None

    @property
    def watermark(self) -> str | None:
        return watermark(self.training, self.status)

    @property
    def page_header(self) -> str:
        return (f"{self.product} infusion record · {self.patient_line} · "
                f"procedure {self.procedure_id}")


# ------------------------------------------------------------------ people, restarts, alarms
# Fields printed exactly as read from a label: never rewritten (names included).
VERBATIM_FIELDS = frozenset({"raw", "identifiers"})
ALARM_EVENTS = {"alarm_raised": "raised", "alarm_silenced": "silenced",
                "alarm_cleared": "cleared"}


def hl7_name(name: str) -> str:
    """LAST^FIRST (as on some sheets and labels) printed as LAST, FIRST."""
    return ", ".join(part for part in name.split("^") if part) if "^" in name else name


def rename(value: object, names: Mapping[str, str]) -> object:
    """`value` (a view, a row, text) with each user id replaced by the person's name, label
    payloads left as read."""
    return _rename(value, names)


def _rename(value: object, names: Mapping[str, str]) -> object:
    if isinstance(value, str):
        for old, new in names.items():
            if old in value:
                value = value.replace(old, new)
        return value
    if isinstance(value, tuple):
        return tuple(_rename(v, names) for v in value)
    if is_dataclass(value) and not isinstance(value, type) and \
            not isinstance(value, ChainStatus):
        changes = {f.name: _rename(getattr(value, f.name), names) for f in fields(value)
                   if f.name not in VERBATIM_FIELDS}
        return replace(value, **changes)
    return value


def restart_rows(events: Sequence[Any], at: Callable[[Any], str | None]) -> tuple[Row, ...]:
    """Each time the program stopped during the procedure and started again: a quit, a kill or
    a crash (no quit recorded before the next start), a restart of the computer (a new boot id:
    the monotonic clock starts again). From the program's own notes (engine/runs.py); a boot
    change with no note (a log written before them) is listed too."""
    rows = []
    for before, after in pairwise(events):
        rebooted = bool(before.at.boot_id and after.at.boot_id
                        and before.at.boot_id != after.at.boot_id)
        if after.type == "program_started":
            rows.append(_restart_row(before, after, rebooted, at))
        elif rebooted and before.type != "program_started":
            rows.append(Row(f"between {at(before.at)} and {at(after.at)}",
                            f"the computer was restarted (last record before: {before.type}; "
                            f"first after: {after.type})", "RESTART"))
    return tuple(rows)


def _restart_row(before: Any, started: Any, rebooted: bool,
                 at: Callable[[Any], str | None]) -> Row:
    d = started.data
    if d.get("previous_end") == "quit":
        ended = f"The program was quit at {at(before.at)} by {before.user}"
        flag = "QUIT"
    else:
        ended = (f"The program ended without a quit (killed, crashed or power lost) after its "
                 f"last record at {at(before.at)} ({before.type})")
        flag = "UNCLEAN END"
    if rebooted:
        ended += "; the computer was restarted"
    away = d.get("away_s")
    basis = d.get("away_basis")
    if away is None:
        gap = "unknown: the workstation's clock now reads earlier than the last record"
    else:
        measured = "exact, monotonic clock" if basis == "monotonic" else "by the wall clock"
        gap = f"{duration(float(away))} ({measured})"
    where = f" on workstation {d['workstation']}" if d.get("workstation") else ""
    return Row(f"{at(started.at)} · program started again{where}",
               f"{ended}. Time without the program: {gap}.", flag)


def alarm_rows(events: Sequence[Any], at: Callable[[Any], str | None]) -> tuple[Row, ...]:
    """Alarms raised, silenced or cleared, where the log has them as events."""
    rows = []
    for e in events:
        what = ALARM_EVENTS.get(e.type)
        if what is not None:
            bag = f", bag {e.data['bag']}" if e.data.get("bag") else ""
            rows.append(Row(f"{at(e.at)} · {what} by {e.user or 'the workstation'}",
                            f"alarm: {e.data.get('alarm')}{bag}"))
    return tuple(rows)


def for_people(view: RecordView, events: Sequence[Any], names: Mapping[str, str],
               at: Callable[[Any], str | None]) -> RecordView:
    """The record as people read it: user ids replaced by names (the signatures table keeps
    both), the patient's name as LAST, FIRST, restarts and every alarm event listed. Raw label
    payloads and the identifiers read from them are left exactly as they were."""
    alarms = tuple(sorted(view.alarms + alarm_rows(events, at), key=lambda r: r.label))
    view = replace(view, alarms=alarms, restarts=restart_rows(events, at))
    renames = dict(names)
    patient = next((r.value for r in view.patient if r.label == "Name"), None)
    if isinstance(patient, str) and "^" in patient:
        renames[patient] = hl7_name(patient)
    signatures = view.signatures
    renamed = _rename(view, renames)
    assert isinstance(renamed, RecordView)
    return replace(renamed, signatures=tuple(
        replace(s, act=str(_rename(s.act, renames))) for s in signatures))
