"""Mapping a procedure's rows to validated FHIR, in this process or in a second one.

Mapping and validating a procedure (`fhir.resources`: ~318 nested models a procedure) is most of
the CPU a sync pass spends, and the GIL keeps it on one core however many threads build. So a
pass with many procedures to send (`REMOTE_FROM`) hands the rows to ONE worker process, which maps,
validates and writes the Bundle bodies while the pass's own thread reads the store, posts and
marks the outbox, in queue order, one request in flight (deliver.py).

The worker is started with the *spawn* method (the bedside window is a Qt process: it is never
forked; the packaged program calls `multiprocessing.freeze_support()` first thing in `cli.main`),
only when a pass needs it (a handful of procedures must not pay its ~0.5–1 s start), reused by
later passes, and shut down with the program (`shutdown`, also at exit). It sees no store, no
network and no secret: rows in, a record and bodies out.

A failure in the worker behaves as if the build had run here: a record that fails mapping or
validation comes back as the same error message (parked, nothing sent); a worker that died or a
task that could not be handed over is built in this process instead, and the log says so. After a
crash no new worker is started for the rest of the program's life (a worker that dies once is
likely to die again: the pass must not pay a start per procedure).
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from pydantic import ValidationError

from ..profile import Profile
from ..store import EventRow
from .bundle import MappingError, NoPatient, ProcedureRecord, procedure_record
from .identifiers import SiteIds

log = logging.getLogger(__name__)

REMOTE_FROM = 8  # procedures due in one pass before the worker process is worth its start
STALL_S = 60.0  # a build takes ~20 ms: a worker silent this long is stuck (killed, thread builds)

Bodies = list[tuple[bytes, list[str]]]


class BuildRefused(ValueError):
    """A mapping or validation error raised in the worker, carried back as its message (a
    pydantic `ValidationError` does not survive pickling; its text is what gets parked)."""


@dataclass(frozen=True)
class Built:
    """One procedure's rows as read for this send, and its validated record (or why not); with
    `bodies`, the Bundles already written for (patient id, entry limit)."""

    rows: list[EventRow]
    record: ProcedureRecord | None = None
    error: Exception | None = None
    bodies: tuple[str, int, Bodies] | None = None

    def bundles(self, patient: str, limit: int,
                codings: tuple[tuple[str, str, str], ...] = (),
                encounter: str | None = None) -> Bodies:
        """`codings`: the product's codes as the hospital's server holds them (formulary.py);
        `encounter`: the patient's in-progress Encounter on the server (deliver.py)."""
        assert self.record is not None
        if (self.bodies is not None and self.bodies[:2] == (patient, limit) and not codings
                and encounter is None):
            return self.bodies[2]
        return self.record.bundles(patient, limit, codings, encounter=encounter)


BUILD_ERRORS = (MappingError, ValidationError, KeyError, TypeError, ValueError)


def build(rows: list[EventRow], profile: Profile, ids: SiteIds) -> Built:
    """Map and validate here (the pass's build-ahead thread)."""
    try:
        return Built(rows, procedure_record([r.to_event() for r in rows], profile, ids))
    except BUILD_ERRORS as exc:
        return Built(rows, error=exc)


# --- in the worker process ----------------------------------------------------------------

_job: tuple[Profile, SiteIds] | None = None


def _init(profile: Profile, ids: SiteIds) -> None:
    global _job
    _job = (profile, ids)


def _remote(rows: list[EventRow], patients: Mapping[str, str], limit: int) -> Built:
    assert _job is not None
    try:
        record = procedure_record([r.to_event() for r in rows], *_job)
    except NoPatient as exc:
        return Built(rows, error=NoPatient(str(exc)))
    except BUILD_ERRORS as exc:
        return Built(rows, error=BuildRefused(str(exc)))
    patient = patients.get(record.mrn)
    bodies = None if patient is None else (patient, limit, record.bundles(patient, limit))
    return Built(rows, record, bodies=bodies)


def _warm() -> None:
    """Nothing: unpickling it makes the worker import this module, the mapping and the FHIR
    models, so that the worker's start (0.5–1 s) overlaps the pass's chain check."""


# --- in the program -----------------------------------------------------------------------

class _Worker:
    """The one worker process, started on first use, reused while profile and site ids stay."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._for: tuple[Profile, SiteIds] | None = None
        self.crashed = False

    def pool(self, profile: Profile, ids: SiteIds) -> ProcessPoolExecutor | None:
        with self._lock:
            if self.crashed:
                return None
            if self._pool is not None and self._for is not None and (
                    self._for != (profile, ids)):
                self._stop()
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_init, initargs=(profile, ids))
                self._for = (profile, ids)
                log.info("sync: started a process to build FHIR Bundles")
            return self._pool

    def warm(self, profile: Profile, ids: SiteIds) -> None:
        """Start the worker now (the pass has enough to send) without waiting for it."""
        pool = self.pool(profile, ids)
        if pool is not None:
            try:
                pool.submit(_warm)
            except Exception as exc:  # (a broken pool): the pass's first job finds out again
                log.info("sync: the Bundle-building process did not start early: %s", exc)

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            self.crashed = True
            self._stop(kill=True)
        log.warning("sync: the process building FHIR Bundles failed (%s: %s); building them in "
                    "this process from now on", type(exc).__name__, exc)

    def pid(self) -> int | None:
        """The worker's process id, once it has started (for the log and the tests)."""
        with self._lock:
            procs = getattr(self._pool, "_processes", None) or {}
            return next(iter(procs), None)

    def shutdown(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self, *, kill: bool = False) -> None:
        pool, self._pool, self._for = self._pool, None, None
        if pool is None:
            return
        if kill:  # a stuck or broken worker is not waited for
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.kill()
        pool.shutdown(wait=not kill, cancel_futures=True)


WORKER = _Worker()
atexit.register(WORKER.shutdown)


def shutdown() -> None:
    """Stop the worker process (the sync worker or the program is stopping)."""
    WORKER.shutdown()


def submit_remote(pool: ProcessPoolExecutor, rows: Sequence[EventRow],
                  patients: Mapping[str, str], limit: int) -> Future[Built]:
    return pool.submit(_remote, list(rows), dict(patients), limit)
