"""Read a procedure from the log for its record: verify the chain first, then gather."""

from __future__ import annotations

from dataclasses import replace

from ..clock import Instant, SystemClock
from ..config import SiteConfig
from ..profile import Profile
from ..store import Store, verify
from .gather import gather
from .receipt import gather_receipt
from .sessions import people_events_during, session_rows
from .times import site_zone, when
from .view import ChainStatus, ReceiptView, RecordError, RecordView, for_people, rename


def chain_status(store: Store, procedure_id: str) -> ChainStatus:
    """This procedure's chain head (seq, hash) and whether the whole chain verifies."""
    seq, head = store.head(procedure_id)
    report = verify(store)
    broken = next((b for b in report.breaks if b.procedure_id == procedure_id), None)
    problem = None
    if broken is not None:
        problem = broken.describe()
    elif report.integrity != "ok":
        problem = f"database integrity check: {report.integrity}"
    elif report.key_problem is not None:
        problem = f"the seals could not be checked: {report.key_problem}"
    return ChainStatus(seq, head, problem is None, problem)


def load_record(store: Store, procedure_id: str, profile: Profile, site: SiteConfig,
                printed_at: Instant | None = None) -> RecordView:
    """The record of `procedure_id` as the log holds it now. A broken chain does not stop the
    print (the chart may need it) but is printed at the top of the record."""
    events = store.events(procedure_id)
    if not events:
        raise RecordError(f"procedure {procedure_id!r} is not in the log {store.path}")
    chain = chain_status(store, procedure_id)
    zone = site_zone(site.timezone)
    printed = printed_at or SystemClock().now()
    view = gather(events, profile, chain, zone=zone, site=site.site_name, printed_at=printed)
    receipt_id = receipt_of(store, procedure_id)
    if receipt_id is not None:
        view = replace(view, receipt=gather_receipt(store.events(receipt_id), zone=zone,
                                                    site=site.site_name, printed_at=printed))
    at = lambda i: when(i, zone)  # noqa: E731
    people = people_events_during(store, procedure_id, open_ended=view.status == "IN PROGRESS")
    view = replace(view, sessions=session_rows(people, at))
    return for_people(view, events, staff_names(store), at)


def receipt_of(store: Store, procedure_id: str) -> str | None:
    """The receipt whose product this procedure took (its `receipt_dispensed` names it)."""
    row = store.conn.execute(
        "SELECT procedure_id FROM events WHERE type = 'receipt_dispensed' "
        "AND json_extract(data, '$.procedure_id') = ? ORDER BY pos LIMIT 1",
        (procedure_id,)).fetchone()
    return None if row is None else str(row[0])


def load_receipt(store: Store, receipt_id: str, site: SiteConfig,
                 printed_at: Instant | None = None) -> ReceiptView:
    """The receipt `receipt_id` as its own printed record (its chain verified first)."""
    events = store.events(receipt_id)
    if not events or events[0].type != "receipt_opened":
        raise RecordError(f"receipt {receipt_id!r} is not in the log {store.path}")
    zone = site_zone(site.timezone)
    view = gather_receipt(events, zone=zone, site=site.site_name,
                          printed_at=printed_at or SystemClock().now(),
                          chain=chain_status(store, receipt_id))
    renamed = rename(view, staff_names(store))
    assert isinstance(renamed, ReceiptView)
    return renamed


def staff_names(store: Store) -> dict[str, str]:
    """User id -> "name (id)" for everyone the workstation knows: the record names people."""
    from ..people.directory import UserDirectory

    return {u.id: f"{u.name}" for u in UserDirectory(store.conn).all()}
