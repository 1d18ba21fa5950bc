"""Read a procedure from the log for its record: verify the chain first, then gather."""

from __future__ import annotations

from ..clock import Instant, SystemClock
from ..config import SiteConfig
from ..profile import Profile
from ..store import Store, verify
from .gather import gather
from .times import site_zone, when
from .view import ChainStatus, RecordError, RecordView, for_people


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
    view = gather(events, profile, chain, zone=zone, site=site.site_name,
                  printed_at=printed_at or SystemClock().now())
    return for_people(view, events, staff_names(store), lambda i: when(i, zone))


def staff_names(store: Store) -> dict[str, str]:
    """User id -> "name (id)" for everyone the workstation knows: the record names people."""
    from ..people.directory import UserDirectory

    return {u.id: f"{u.name}" for u in UserDirectory(store.conn).all()}
