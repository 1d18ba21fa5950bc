"""One sync pass: every due, finished procedure is verified, mapped and posted once.

A pass (`run_pass`):
1. marks training procedures as withheld (they never leave the machine);
2. verifies every hash chain (`store.verify`); a procedure whose chain is broken is parked with the
   break's description and never sent; if the database itself fails its integrity check, nothing
   is sent at all;
3. for each due procedure, oldest first: maps the rows read now to FHIR (validated once), finds
   the patient on the server by MRN (none or several: parked, nothing written), posts the
   transaction Bundle(s), and marks the rows up to that head delivered only when every Bundle
   came back as a FHIR transaction/batch response with every entry 2xx (transport.py) and, with
   `confirm_by_search`, a search then finds the procedure on the server; the worst entry decides
   otherwise (park, blocked, retry); the next procedure is mapped and validated while the
   current one is on the wire (`_Builder`: in a thread, or for a long queue in the worker
   process of build.py);
4. a transient failure is retried within the pass after a full-jitter backoff while the wait is
   short (`RetryPolicy.max_wait_in_pass_s`), else the procedure is rescheduled and the pass ends
   early (a struggling server is not hammered with the rest of the queue); `report.wait_s` says
   when the next pass is worth running.

Time, sleep and randomness are injected, so tests run a pass in milliseconds.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from ..config import SiteConfig, workstation_name
from ..people.audit import PEOPLE_LOG
from ..people.hospital_ids import hospital_ids, hospital_names
from ..profile import Profile
from ..store import EventRow, Store, verify
from . import build, formulary, outbox
from .anchor import AnchorReport, anchor_and_compare
from .build import Built
from .bundle import NoPatient, ProcedureRecord
from .identifiers import DEFAULT_MRN_SYSTEM, Namespace, SiteIds
from .outbox import OutboxSummary, Parked, Pending
from .sender_lock import sender_lock
from .staff import without_family_name
from .tokens import TokenError, Tokens, shared
from .transport import Answer, FhirClient

Now = Callable[[], datetime]
Sleep = Callable[[float], None]


class SyncNotConfigured(RuntimeError):
    """Sync is off on this workstation (no base URL, or a training workstation)."""


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = 2.0  # first backoff ceiling; doubles per attempt
    cap_s: float = 900.0  # the ceiling stops growing here
    tries_per_pass: int = 3  # posts of one procedure within one pass
    max_wait_in_pass_s: float = 10.0  # longer waits end the pass instead of sleeping
    max_attempts: int = 0  # park after this many failed attempts; 0 = never give up

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: uniform between 0 and min(cap, base·2^(attempt−1))."""
        return rng.uniform(0.0, min(self.cap_s, self.base_s * 2 ** max(0, attempt - 1)))


@dataclass(frozen=True)
class SyncSettings:
    base_url: str
    token: str | None = None
    mrn_system: str = DEFAULT_MRN_SYSTEM
    timeout_s: float = 30.0
    verify_tls: bool = True
    ca_bundle: str | None = None
    interval_s: float = 60.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    site: SiteIds = field(default_factory=SiteIds)  # identifier systems, staff ids, location
    max_entries: int = 8  # per transaction Bundle (a real server's atomic limit)
    deadline_s: float | None = None  # a whole request; None = twice the timeout
    max_response_bytes: int = 4 * 1024 * 1024
    precheck_timeout_s: float = 5.0
    custody_timeout_s: float = 15.0  # the claim at opening, whole
    offline_opening: str = "refused"  # or "signed" (config.OfflineOpening)
    confirm_by_search: bool = False  # delivered only when a search then finds the procedure
    tokens: Tokens | None = None  # renewable tokens (client credentials), shared by every client
    workstation: str = ""  # as custody claims name it

    @classmethod
    def from_config(cls, config: SiteConfig, *, mrn_system: str | None = None,
                    environ: dict[str, str] | None = None) -> SyncSettings:
        """The site's sync settings; the token from the file, else from `token_env`."""
        sync = config.sync
        if config.training:
            raise SyncNotConfigured("a training workstation never sends records")
        if not sync.base_url:
            raise SyncNotConfigured("sync.base_url is not set in the site configuration")
        env = os.environ if environ is None else environ
        token = sync.token or env.get(sync.token_env) or None
        tokens: Tokens | None = None
        if sync.token_url and sync.client_id:
            secret = env.get(sync.client_secret_env) or ""
            try:
                tokens = shared(sync.token_url, sync.client_id, secret,
                                timeout_s=sync.timeout_seconds)
            except TokenError as exc:
                raise SyncNotConfigured(str(exc)) from exc
        site = SiteIds(namespace=Namespace(sync.identifier_namespace),
                       coi_system=sync.coi_system, order_system=sync.order_system,
                       practitioners={p.user: (p.system, p.value) for p in sync.practitioners},
                       site_name=config.site_name, organization=_token(sync.organization),
                       location=_token(sync.location))
        return cls(base_url=sync.base_url, token=token,
                   mrn_system=mrn_system or sync.mrn_system or DEFAULT_MRN_SYSTEM,
                   timeout_s=sync.timeout_seconds, verify_tls=sync.verify_tls,
                   ca_bundle=sync.ca_bundle, interval_s=sync.interval_seconds,
                   policy=RetryPolicy(max_attempts=sync.max_attempts), site=site,
                   max_entries=sync.max_entries_per_bundle,
                   deadline_s=sync.request_deadline_seconds,
                   max_response_bytes=sync.max_response_kb * 1024,
                   precheck_timeout_s=sync.precheck_timeout_seconds,
                   custody_timeout_s=sync.custody_timeout_seconds,
                   offline_opening=sync.offline_opening,
                   confirm_by_search=sync.confirm_by_search, tokens=tokens,
                   workstation=workstation_name(config))

    @property
    def ids(self) -> SiteIds:
        return replace(self.site, mrn_system=self.mrn_system)

    def client(self, *, timeout_s: float | None = None) -> FhirClient:
        timeout = self.timeout_s if timeout_s is None else timeout_s
        deadline = self.deadline_s if timeout_s is None else timeout_s
        return FhirClient(self.base_url, token=self.token, timeout_s=timeout,
                          verify_tls=self.verify_tls, ca_bundle=self.ca_bundle,
                          deadline_s=deadline, max_response_bytes=self.max_response_bytes,
                          tokens=self.tokens)


@dataclass
class PassReport:
    delivered: list[str] = field(default_factory=list)
    parked: list[Parked] = field(default_factory=list)  # parked during this pass
    retrying: list[str] = field(default_factory=list)  # failed transiently this pass
    withheld: list[str] = field(default_factory=list)
    blocked: str | None = None  # why the pass stopped with nothing the items can fix
    wait_s: float | None = None  # ended early: the next pass is worth it after this long
    summary: OutboxSummary | None = None  # the outbox after the pass
    error: str | None = None  # an answer that was not FHIR at all: the network path is wrong
    anchor: AnchorReport | None = None  # the delivered heads anchored on the server (anchor.py)
    notes: list[str] = field(default_factory=list)  # e.g. no Encounter referenced, and why
    busy: str | None = None  # another sender holds this log: this pass sent nothing
    unpublished: list[str] = field(default_factory=list)  # open procedures not written (why)

    @property
    def exit_status(self) -> int:
        """0: nothing left to send; 1: procedures wait; 3: some are parked (IT must look)."""
        assert self.summary is not None
        if self.summary.parked:
            return 3
        return 1 if self.summary.waiting else 0


def with_staff_ids(store: Store, settings: SyncSettings) -> SyncSettings:
    """The staff identifiers and names the administrator set in the people log (`users set-id`,
    `users set-name`) over the site file's `[[sync.practitioners]]` (the caller has verified
    the people log's chain)."""
    set_here, named = hospital_ids(store), hospital_names(store)
    if not set_here and not named:
        return settings
    site = replace(settings.site, practitioners={**settings.site.practitioners, **set_here},
                   practitioner_names={**settings.site.practitioner_names, **named})
    return replace(settings, site=site)


def _token(value: str | None) -> tuple[str, str] | None:
    """`system|value` (checked by the configuration) as a pair."""
    if not value:
        return None
    system, _, ident = value.partition("|")
    return system, ident


def utc_now() -> datetime:
    return datetime.now(UTC)


def run_pass(store: Store, client: FhirClient, profile: Profile, settings: SyncSettings, *,
             now: Now = utc_now, sleep: Sleep = time.sleep,
             rng: random.Random | None = None, check_anchors: bool = False) -> PassReport:
    """`check_anchors`: compare the log with the heads anchored on the server even when
    nothing was delivered (the first pass after start, the `sync` command)."""
    rng = rng or random.Random()
    report = PassReport()
    outbox.ensure_schema(store)
    with sender_lock(store.path) as alone:
        if not alone:
            report.wait_s = settings.interval_s
            report.busy = "another sync process is sending from this log now"
            report.summary = outbox.summary(store)
            return report
        _pass(store, client, profile, settings, report, now, sleep, rng)
        if report.delivered or check_anchors:
            # In a request of its own, after the deliveries: their heads, kept by the server.
            report.anchor = anchor_and_compare(store, client, now())
            if report.anchor.problems:
                pid, _kind, detail = report.anchor.problems[0]
                more = len(report.anchor.problems) - 1
                report.blocked = (f"LOG ROLLED BACK OR CUT: procedure {pid}: {detail}"
                                  + (f" (and {more} more)" if more else "")
                                  + ". Call IT: kresladi-bedside verify --against-server")
        if settings.workstation and report.blocked is None:
            # open procedures this workstation holds, on the server for a hand-over
            from .handover import publish_open

            report.unpublished = publish_open(client, store, settings.workstation)
        report.summary = outbox.summary(store)
        if not report.delivered and report.blocked is None and report.error is None and \
                not report.summary.waiting and not report.summary.parked:
            # "All sent" with nothing sent: no request tested the token. Ask once, or the
            # status bar says "all sent" while the server refuses every call (issue 25, 13)
            from .probe import token_refused

            refused = token_refused(client)
            if refused is not None:
                report.blocked = refused.detail
    return report


def _pass(store: Store, client: FhirClient, profile: Profile, settings: SyncSettings,
          report: PassReport, now: Now, sleep: Sleep, rng: random.Random) -> None:
    outbox.withhold_training(store, now())
    due = [p for p in outbox.pending(store) if p.due(now())]
    if due:
        if len(due) >= build.REMOTE_FROM:
            build.WORKER.warm(profile, settings.ids)  # its start overlaps the check below
        checked = verify(store)
        if checked.integrity != "ok":
            report.blocked = f"database integrity check failed: {checked.integrity}"
        else:
            broken = {b.procedure_id: b for b in checked.breaks}
            if PEOPLE_LOG not in broken:  # a forged or cut people log names no one's NPI
                settings = with_staff_ids(store, settings)
            patients: dict[str, str] = {}  # MRN → the server's Patient id, for this pass
            encounters: dict[str, str | None] = {}  # Patient id → its one Encounter, this pass
            codes = formulary.ServerCodes(profile.name)  # the server's RxNorm, asked once
            sendable = [item for item in due if item.procedure_id not in broken]
            for item in due:
                if item.procedure_id in broken:
                    _park(store, report, item.procedure_id,
                          f"hash chain broken, not sent: {broken[item.procedure_id].describe()}")
            with _Builder(store, profile, settings.ids, due=len(sendable), patients=patients,
                          limit=settings.max_entries) as builder:
                for n, item in enumerate(sendable):
                    built = builder.take(item, sendable[n + 1] if n + 1 < len(sendable) else None)
                    if not _deliver(store, client, settings, item, built, report, now, sleep,
                                    rng, patients, codes, encounters):
                        break


class _Builder:
    """Maps and validates the next procedure while the current one is on the wire: in a thread
    of its own (waiting for the server's answer and for the outbox's commit release the GIL), or,
    for a pass with at least `build.REMOTE_FROM` procedures, in the worker process (build.py),
    which uses the second core. One request is in flight at a time, in queue order, exactly as
    without it; the store is read only from the calling thread (rows are read here and handed
    over), and a record built ahead for a pass that ends early is simply dropped. A worker that
    fails is replaced by the thread for the rest of the pass (and the program): same results."""

    def __init__(self, store: Store, profile: Profile, ids: SiteIds, *, due: int,
                 patients: dict[str, str], limit: int) -> None:
        self._store, self._profile, self._ids = store, profile, ids
        self._patients, self._limit = patients, limit
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-build")
        self._remote = build.WORKER.pool(profile, ids) if due >= build.REMOTE_FROM else None
        self._ahead: tuple[str, list[EventRow], Future[Built]] | None = None

    def __enter__(self) -> _Builder:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._ahead is not None:
            self._ahead[2].cancel()  # built ahead, not sent: dropped (the worker stays for later)

    def _start(self, rows: list[EventRow]) -> Future[Built]:
        if self._remote is not None:
            try:
                return build.submit_remote(self._remote, rows, self._patients, self._limit)
            except Exception as exc:  # (a broken pool refuses new work)
                self._lost(exc)
        return self._pool.submit(build.build, rows, self._profile, self._ids)

    def _lost(self, exc: BaseException) -> None:
        self._remote = None
        build.WORKER.failed(exc)

    def take(self, item: Pending, following: Pending | None) -> Built:
        """`item` built (started now unless it was started ahead); `following` starts building."""
        if self._ahead is not None and self._ahead[0] == item.procedure_id:
            rows, current = self._ahead[1], self._ahead[2]
        else:
            rows = list(self._store.rows(item.procedure_id))
            current = self._start(rows)
        if following is not None:
            ahead_rows = list(self._store.rows(following.procedure_id))
            self._ahead = (following.procedure_id, ahead_rows, self._start(ahead_rows))
        else:
            self._ahead = None
        try:
            return current.result(timeout=build.STALL_S if self._remote is not None else None)
        except Exception as exc:  # (the worker died or stalled, or rows could not be sent)
            self._lost(exc)
            return build.build(rows, self._profile, self._ids)

def _deliver(store: Store, client: FhirClient, settings: SyncSettings, item: Pending,
             built: Built, report: PassReport, now: Now, sleep: Sleep,
             rng: random.Random, patients: dict[str, str],
             codes: formulary.ServerCodes, encounters: dict[str, str | None]) -> bool:
    """Send one procedure; False when the pass should end (server struggling or refusing us)."""
    pid = item.procedure_id
    if isinstance(built.error, NoPatient):
        outbox.withhold(store, pid, str(built.error), now())
        report.withheld.append(pid)
        return True
    if built.error is not None or built.record is None:
        _park(store, report, pid, f"the record cannot be mapped to FHIR: {built.error}")
        return True
    record, head = built.record, built.rows[-1]
    attempts = item.attempts
    policy = settings.policy
    # leading entries the server verifiably holds, and the Bundle size that fits its quota: kept
    # across passes, so a procedure larger than a quota window goes in parts, never from the top
    stored, fitted = outbox.progress(store, pid, head.hash)
    chunk = fitted or settings.max_entries
    for tried in range(1, policy.tries_per_pass + 1):
        found = _patient(client, record, settings, patients)
        if isinstance(found, str):
            encounter = _encounter(client, found, report, encounters)
            if isinstance(encounter, Answer):  # the server is busy or unreachable: later
                answer = encounter
            else:
                before = (stored, chunk)
                answer, stored, chunk = _send(client, built, settings, found, stored, chunk,
                                              codes.ask(client), encounter)
                if answer.kind != "delivered" and (stored, chunk) != before:
                    outbox.save_progress(store, pid, head.hash, stored, chunk)
            if answer.kind == "delivered":
                outbox.mark_delivered(store, pid, head.seq, head.hash, now(),
                                      answer.status or 0, settings.base_url)
                report.delivered.append(pid)
                report.notes.extend(n for n in without_family_name(
                    e.resource for e in record.entries) if n not in report.notes)
                return True
        else:
            answer = found
        if answer.alarm:
            report.error = answer.detail
        if answer.kind == "park":
            _park(store, report, pid, f"refused by the server: {answer.detail}")
            return True
        attempts += 1
        wait = max(answer.retry_after_s or 0.0, policy.backoff(attempts, rng))
        if policy.max_attempts and attempts >= policy.max_attempts:
            _park(store, report, pid, f"gave up after {attempts} attempts: {answer.detail}")
            return True
        outbox.record_failure(store, pid, attempts, now() + timedelta(seconds=wait),
                              answer.detail)
        if answer.kind == "blocked":
            report.blocked, report.wait_s = answer.detail, wait
            return False
        if pid not in report.retrying:
            report.retrying.append(pid)
        if tried == policy.tries_per_pass or wait > policy.max_wait_in_pass_s:
            report.wait_s = wait
            return False
        sleep(wait)
    return False


def _send(client: FhirClient, built: Built, settings: SyncSettings, patient: str,
          stored: int, chunk: int,
          codings: formulary.Codings = (),
          encounter: str | None = None) -> tuple[Answer, int, int]:
    """Post the entries not yet stored (from entry `stored` on, `chunk` per Bundle), then
    confirm when the site asks. Returns the answer that decides, how many leading entries the
    server verifiably holds now, and the Bundle size to use next: halved when the server's quota
    refused a Bundle of which it kept nothing (an atomic Bundle costing more than a quota window
    would otherwise be refused for ever: a livelock)."""
    record = built.record
    assert record is not None
    total = len(record.entries)
    whole = built.bundles(patient, settings.max_entries, codings, encounter) \
        if chunk == settings.max_entries else None
    answer = Answer("delivered", None, "nothing to send")
    first = stored
    while stored < total:
        if whole is not None and stored % chunk == 0:
            body, labels = whole[stored // chunk]  # built ahead (the same bytes)
        else:
            body, labels = record.bundles(patient, chunk, codings, start=stored,
                                          encounter=encounter)[0]
        answer = client.post_bundle(body, labels)
        if answer.kind != "delivered":
            # refused whole by the quota with nothing else sent first: too big for a window
            if answer.quota and answer.stored == 0 and stored == first and chunk > 1:
                chunk = max(1, chunk // 2)
            stored += answer.stored
            return answer, stored, chunk
        stored += len(labels)
    if settings.confirm_by_search:
        confirmed = _confirm(client, record, settings)
        if confirmed.kind != "delivered":
            return confirmed, 0, chunk  # not held as it said it was: everything goes again
    return answer, stored, chunk


def _confirm(client: FhirClient, record: ProcedureRecord, settings: SyncSettings) -> Answer:
    """`sync.confirm_by_search`: the server said every entry is stored; ask it for the procedure
    by our identifier. Not found means the answer was not true (a proxy or a server that answers
    without storing): not delivered, retried, and flagged so the indicator turns red."""
    query = record.procedure_search(settings.ids.namespace)
    found = client.search(f"{query}&_count=2")
    if found.failure is not None:
        return found.failure
    matches = [r for r in found.resources if r.get("resourceType") == "Procedure"]
    if len(matches) == 1:
        return Answer("delivered", 200, f"confirmed by a search: {query}")
    what = "found nothing" if not matches else f"found {len(matches)} Procedures"
    return Answer("retry", 200, f"the server answered that every entry was stored, but a search "
                                f"for procedure {record.procedure_id} ({query}) {what}: not "
                                "delivered", alarm=True)


def _patient(client: FhirClient, record: ProcedureRecord, settings: SyncSettings,
             patients: dict[str, str]) -> str | Answer:
    """The server's id of the procedure's patient, found by MRN before anything is written (so
    an unknown patient leaves nothing behind); else what to do instead."""
    if record.mrn in patients:
        return patients[record.mrn]
    found = client.search(record.patient_search(settings.mrn_system) + "&_count=2")
    if found.failure is not None:
        return found.failure
    matches = [r for r in found.resources if r.get("resourceType") == "Patient" and r.get("id")]
    where = f"MRN {record.mrn} (system {settings.mrn_system})"
    if not matches:
        return Answer("park", 200, f"the hospital's server has no patient with {where}: "
                                   "nothing was sent (check sync.mrn_system and the MRN)")
    if len(matches) > 1:
        return Answer("park", 200, f"the hospital's server has {len(matches)} patients with "
                                   f"{where}: nothing was sent")
    patients[record.mrn] = str(matches[0]["id"])
    return patients[record.mrn]


def _encounter(client: FhirClient, patient: str, report: PassReport,
               encounters: dict[str, str | None]) -> str | Answer | None:
    """The server's id of the patient's one in-progress Encounter (asked once a pass), referenced
    by the Procedure and the administrations; none, several, or a server that refuses the
    search → no reference, said in the report (never a guess between two visits). A busy or
    unreachable server is answered as for any other request: try again later."""
    if patient in encounters:
        return encounters[patient]
    found = client.search(f"Encounter?patient=Patient/{patient}&status=in-progress&_count=2")
    if found.failure is not None and found.failure.kind != "park":
        return found.failure
    ids = [str(r["id"]) for r in found.resources
           if r.get("resourceType") == "Encounter" and r.get("id")]
    encounters[patient] = ids[0] if found.failure is None and len(ids) == 1 else None
    if encounters[patient] is None:
        why = (f"the search was refused: {found.failure.detail}" if found.failure is not None
               else "the server has no in-progress Encounter" if not ids
               else "the server has several in-progress Encounters")
        report.notes.append(f"Patient/{patient}: no Encounter referenced ({why})")
    return encounters[patient]


def _park(store: Store, report: PassReport, procedure_id: str, reason: str) -> None:
    outbox.park(store, procedure_id, reason)
    report.parked.append(Parked(procedure_id, reason))
