"""Custody of each bag on the hospital's FHIR server: claimed exactly once, whoever races.

What the kit's Medplum 5 honours (measured, README "Custody across workstations"):
- `PUT` with `If-Match: W/"<versionId>"` answers 412 to a stale version when writers come one
  after the other, but under a race of 8 writers on one version, 4 of 10 runs answered **200 to
  two writers** while only one new version was stored; inside a batch-mode transaction `ifMatch`
  is ignored altogether (a stale version answers 200). A 200 to a version-checked PUT therefore
  does not prove that this writer won.
- `POST` with `If-None-Exist: identifier=<system>|<value>` created exactly one resource in 15
  races of 10 writers (one 201, nine 200 that return the winner's resource).

So custody is an append-only chain of **steps per bag**, each a `Task` created by a conditional
create on the identifier `urn:kresladi-bedside:custody|<DIN>/<n>`: step n+1 can be written once,
by one workstation; everyone who raced for it gets the winner's Task back and reads from it who
holds the bag (workstation, nurse, when). Steps: `claim` (a workstation opened the product),
`handover` (another workstation took over the open procedure: the first is fenced),
`release` (a pharmacist, signed, with a reason: the procedure stopped before any thaw) and
`withdraw` (a workstation gave back a claim it could not complete, e.g. it won bag 1 and lost
bag 2). Every step also carries `urn:kresladi-bedside:custody-bag|<DIN>` (to read a bag's whole
chain) and `urn:kresladi-bedside:custody-attempt|<uuid>` (who wrote it: a retry of our own write
that comes back 200 is recognised as ours).

A bag is free only when: its chain is empty or ends in `release`/`withdraw`; the server holds no
administration of it (`MedicationAdministration` by DIN; `not-done` counts unless a pharmacist
released the bag after it); and its BiologicallyDerivedProduct history shows no `unavailable`
version that no step explains (a bag marked given out by hand, then set back to `available`, is
refused). The BDP's `status` is a display for other programs; the chain is the authority.

Every question that gets no usable answer raises `CustodyUnknown`: the caller refuses to open
(fail closed), never assumes the bag is free.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote

from .identifiers import DIN_SYSTEM, OUR_PREFIX, token
from .transport import Answer, Exchange, FhirClient, _json, outcome_text

STEP_SYSTEM = f"{OUR_PREFIX}:custody"
BAG_SYSTEM = f"{OUR_PREFIX}:custody-bag"
ATTEMPT_SYSTEM = f"{OUR_PREFIX}:custody-attempt"
KIND_SYSTEM = f"{OUR_PREFIX}:custody-step"
STEP_EXTENSION = f"{OUR_PREFIX}:extension:custody-step"
ISBT128_DIN_SYSTEM = DIN_SYSTEM  # one DIN system everywhere (identifiers.py)

StepKind = Literal["claim", "handover", "release", "withdraw"]
HOLDING: frozenset[str] = frozenset({"claim", "handover"})
NOT_GIVEN = frozenset({"entered-in-error"})
MAX_STEPS = 1000  # a bag's chain is a handful of steps; more is not a chain we wrote


class CustodyUnknown(RuntimeError):
    """The server gave no usable answer: custody cannot be known, so nothing is opened."""


@dataclass(frozen=True)
class Who:
    """Who acts: the workstation and the person signed in on it."""

    workstation: str
    user: str  # the user id (badge) on signatures
    name: str = ""  # as people read it

    def label(self) -> str:
        person = self.name or self.user
        return f"{person} on workstation {self.workstation}"


@dataclass(frozen=True)
class Step:
    din: str
    n: int
    kind: StepKind
    workstation: str
    user: str
    name: str
    at: str  # UTC ISO, as the writer recorded it
    procedure_id: str | None
    receipt_id: str | None
    reason: str
    attempt: str
    reference: str  # Task/<id>

    @property
    def holds(self) -> bool:
        return self.kind in HOLDING

    def describe(self) -> str:
        when = _readable(self.at)
        person = self.name or self.user
        if self.kind == "claim":
            return (f"held by workstation {self.workstation}, opened by {person} at {when}"
                    + (f" (procedure {self.procedure_id})" if self.procedure_id else ""))
        if self.kind == "handover":
            return (f"taken over by workstation {self.workstation}, {person}, at {when}"
                    + (f" (procedure {self.procedure_id})" if self.procedure_id else ""))
        verb = "released by pharmacist" if self.kind == "release" else "given back by"
        return f"{verb} {person} at {when}: {self.reason}"

    @classmethod
    def from_task(cls, task: Mapping[str, Any]) -> Step:
        data: dict[str, Any] = {}
        for ext in task.get("extension") or ():
            if isinstance(ext, dict) and ext.get("url") == STEP_EXTENSION:
                try:
                    loaded = json.loads(ext.get("valueString") or "")
                except ValueError:
                    loaded = None
                if isinstance(loaded, dict):
                    data = loaded
        ids = {str(i.get("system")): str(i.get("value", ""))
               for i in task.get("identifier") or () if isinstance(i, dict)}
        key = ids.get(STEP_SYSTEM, "")
        din, _, n = key.rpartition("/")
        kind = data.get("kind")
        if not din or not n.isdigit() or kind not in ("claim", "handover", "release",
                                                      "withdraw") \
                or data.get("din") != din or data.get("n") != int(n):
            raise CustodyUnknown(f"Task/{task.get('id')} on the server is not a custody step "
                                 f"this program wrote ({key or 'no custody identifier'})")
        return cls(din=din, n=int(n), kind=kind, workstation=str(data.get("workstation", "?")),
                   user=str(data.get("user", "?")), name=str(data.get("name", "")),
                   at=str(data.get("at", "")), procedure_id=data.get("procedure_id"),
                   receipt_id=data.get("receipt_id"), reason=str(data.get("reason", "")),
                   attempt=ids.get(ATTEMPT_SYSTEM, ""), reference=f"Task/{task.get('id')}")


@dataclass(frozen=True)
class BagCustody:
    """What the server says of one bag, now."""

    din: str
    steps: tuple[Step, ...] = ()
    given: tuple[str, ...] = ()  # why it counts as given: administrations, BDP history
    product: str | None = None  # BiologicallyDerivedProduct/<id>

    @property
    def head(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    @property
    def holder(self) -> Step | None:
        head = self.head
        return head if head is not None and head.holds else None

    @property
    def free(self) -> bool:
        return self.holder is None and not self.given

    def why_not_free(self) -> str:
        if self.holder is not None:
            return f"bag {self.din} is {self.holder.describe()}"
        if self.given:
            return f"bag {self.din}: " + "; ".join(self.given)
        return ""


@dataclass(frozen=True)
class ClaimResult:
    won: bool
    message: str
    steps: tuple[Step, ...] = ()  # ours, when won
    holder: Step | None = None  # who holds it, when refused by a holder
    problems: tuple[str, ...] = field(default_factory=tuple)  # best-effort follow-ups that failed


# ---------------------------------------------------------------------------------- reading
def _get(client: FhirClient, path: str) -> Any:
    got = client.exchange("GET", _url(client, path), None)
    if not isinstance(got, Exchange) and got.status is None:
        got = client.exchange("GET", _url(client, path), None)  # a kept-alive socket closed
    if not isinstance(got, Exchange):
        raise CustodyUnknown(f"the server did not answer ({got.detail})")
    data = _json(got.body)
    if got.status != 200 or not isinstance(data, dict):
        raise CustodyUnknown(f"the server answered HTTP {got.status} to GET "
                             f"{path.split('?')[0]}{outcome_text(data)}"
                             + (": the server refused the token" if got.status in (401, 403)
                                else ""))
    return data


def _search(client: FhirClient, query: str) -> list[dict[str, Any]]:
    data = _get(client, query)
    if data.get("resourceType") != "Bundle" or data.get("type") != "searchset":
        raise CustodyUnknown(f"the server's answer to {query.split('?')[0]} is not a search "
                             "result")
    if (data.get("link") and any(link.get("relation") == "next" for link in data["link"])):
        raise CustodyUnknown(f"the server has more results for {query.split('?')[0]} than "
                             "one page: too many to judge")
    return [e["resource"] for e in data.get("entry") or ()
            if isinstance(e, dict) and isinstance(e.get("resource"), dict)
            and (e.get("search") or {}).get("mode", "match") == "match"]


def steps_of(client: FhirClient, din: str) -> tuple[Step, ...]:
    return steps_of_bags(client, [din])[din]


BAGS_PER_SEARCH = 40  # identifiers OR'd in one search: its URL stays near 2 kB


def steps_of_bags(client: FhirClient, dins: Sequence[str]) -> dict[str, tuple[Step, ...]]:
    """Each bag's custody chain, many bags to a search: their identifiers joined by commas
    (FHIR's OR on a token, which the kit's Medplum honours:
    tests/integration/test_handover_search.py). Every chain must be whole."""
    found: dict[str, list[Step]] = {din: [] for din in dins}
    wanted = list(found)
    for start in range(0, len(wanted), BAGS_PER_SEARCH):
        tokens = ",".join(quote(token(BAG_SYSTEM, din), safe="|:")
                          for din in wanted[start:start + BAGS_PER_SEARCH])
        for task in _search(client, f"Task?identifier={tokens}&_count={MAX_STEPS}"):
            step = Step.from_task(task)
            if step.din not in found:
                raise CustodyUnknown(f"{step.reference} on the server answers for bag "
                                     f"{step.din}, which was not asked for: call IT")
            found[step.din].append(step)
    chains = {}
    for din, steps in found.items():
        steps.sort(key=lambda s: s.n)
        if [s.n for s in steps] != list(range(len(steps))):
            raise CustodyUnknown(f"bag {din}: its custody chain on the server is not whole "
                                 f"(steps {[s.n for s in steps]}): call IT")
        chains[din] = tuple(steps)
    return chains


def read_bag(client: FhirClient, din: str, product: str | None = None,
             din_systems: Iterable[str] = (ISBT128_DIN_SYSTEM,),
             own_procedure: str | None = None) -> BagCustody:
    """The bag's custody chain, its administrations and its product's history, read now.
    `own_procedure`: administrations that procedure wrote itself are not "given elsewhere" (a
    procedure opened offline whose records reached the server before its claim did)."""
    steps = steps_of(client, din)
    released_after = any(s.kind == "release" for s in steps)
    given: list[str] = []
    for system in dict.fromkeys(din_systems):
        for r in _search(client, "MedicationAdministration?identifier="
                                 f"{quote(token(system, din), safe='|:')}&_count=50"):
            status = r.get("status")
            if status in NOT_GIVEN or (status == "not-done" and released_after):
                continue
            if own_procedure and _written_by(r, own_procedure):
                continue
            given.append(f"the hospital record holds an administration "
                         f"(MedicationAdministration/{r.get('id')}, {status})")
    if product:
        history = _get(client, f"{product}/_history?_count=100")
        unavailable = [e.get("resource") or {} for e in history.get("entry") or ()
                       if (e.get("resource") or {}).get("status") == "unavailable"]
        if unavailable and not steps:
            versions = sorted(str((r.get("meta") or {}).get("versionId", "?"))[:8]
                              for r in unavailable)
            given.append(f"its history on the server shows it given out "
                         f"({len(unavailable)} 'unavailable' version(s), e.g. {versions[0]}) "
                         "with no claim: the pharmacy must look before anyone opens it")
    return BagCustody(din, steps, tuple(given), product)


def _written_by(administration: Mapping[str, Any], procedure_id: str) -> bool:
    """Our own administration identifiers are `…:medication-administration|<procedure>-bag-<n>`
    (identifiers.py), whatever the site's namespace."""
    return any(str(i.get("system", "")).endswith("medication-administration")
               and str(i.get("value", "")).startswith(f"{procedure_id}-bag-")
               for i in administration.get("identifier") or () if isinstance(i, dict))


def read_product(client: FhirClient, dins: Sequence[str],
                 products: Sequence[str] = (), din_systems: Iterable[str] = (
                     ISBT128_DIN_SYSTEM,)) -> list[BagCustody]:
    refs = _products_by_din(client, products, dins)
    return [read_bag(client, din, refs.get(din), din_systems) for din in sorted(dins)]


# ---------------------------------------------------------------------------------- writing
def _append(client: FhirClient, din: str, n: int, kind: StepKind, who: Who, *,
            procedure_id: str | None, receipt_id: str | None, reason: str = "",
            product: str | None = None, attempt: str | None = None,
            at: datetime | None = None) -> tuple[bool, Step]:
    """Write step `n` of bag `din` once (conditional create). Returns (ours, the step the server
    holds as step n). A retry of our own write comes back as ours."""
    attempt = attempt or str(uuid.uuid4())
    task = step_task(din, n, kind, who, procedure_id=procedure_id, receipt_id=receipt_id,
                     reason=reason, product=product, attempt=attempt, at=at)
    return _write_step(client, din, n, attempt, json.dumps(task).encode("utf-8"))


def step_task(din: str, n: int, kind: StepKind, who: Who, *, procedure_id: str | None,
              receipt_id: str | None, reason: str = "", product: str | None = None,
              attempt: str, at: datetime | None = None) -> dict[str, Any]:
    """Step `n` of bag `din` as the `Task` written for it."""
    when = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    data = {"din": din, "n": n, "kind": kind, "workstation": who.workstation,
            "user": who.user, "name": who.name, "at": when, "procedure_id": procedure_id,
            "receipt_id": receipt_id, "reason": reason}
    key = f"{din}/{n}"
    task: dict[str, Any] = {
        "resourceType": "Task",
        "identifier": [{"system": STEP_SYSTEM, "value": key},
                       {"system": BAG_SYSTEM, "value": din},
                       {"system": ATTEMPT_SYSTEM, "value": attempt}],
        "status": "in-progress" if kind in HOLDING else "completed",
        "intent": "order",
        "code": {"coding": [{"system": KIND_SYSTEM, "code": kind}],
                 "text": f"KRESLADI bag custody: {kind}"},
        "description": f"bag {din}: {kind} by {who.label()}",
        "authoredOn": when,
        "owner": {"display": f"workstation {who.workstation}"},
        "requester": {"display": who.name or who.user},
        "extension": [{"url": STEP_EXTENSION, "valueString": json.dumps(data, sort_keys=True)}],
    }
    if product:
        task["focus"] = {"reference": product}
    if reason:
        task["note"] = [{"text": reason}]
    return task


def _write_step(client: FhirClient, din: str, n: int, attempt: str,
                body: bytes) -> tuple[bool, Step]:
    key = f"{din}/{n}"
    headers = {"If-None-Exist": f"identifier={token(STEP_SYSTEM, key)}"}
    got: Exchange | Answer = client.exchange("POST", _url(client, "Task"), body, headers)
    if not isinstance(got, Exchange) and got.status is None:
        # no answer: send the same attempt again; if the first landed it comes back as ours
        got = client.exchange("POST", _url(client, "Task"), body, headers)
    if not isinstance(got, Exchange):
        raise CustodyUnknown(f"the server did not answer the custody write ({got.detail})")
    answer = _json(got.body)
    if got.status not in (200, 201) or not isinstance(answer, dict) or \
            answer.get("resourceType") != "Task":
        raise CustodyUnknown(f"the server did not take the custody write: HTTP {got.status}"
                             f"{outcome_text(answer)}"
                             + (": the server refused the token" if got.status in (401, 403)
                                else ""))
    step = Step.from_task(answer)
    if step.n != n or step.din != din:
        raise CustodyUnknown(f"the server answered the custody write for {key} with "
                             f"{step.din}/{step.n}")
    return step.attempt == attempt, step


def claim(client: FhirClient, dins: Sequence[str], who: Who, *, receipt_id: str | None,
          procedure_id: str | None = None, products: Sequence[str] = (),
          din_systems: Iterable[str] = (ISBT128_DIN_SYSTEM,),
          at: datetime | None = None) -> ClaimResult:
    """Claim every bag of a product for `who`, in DIN order (two racers meet on the first bag,
    so they never split a product). Won only when every bag is ours; refused naming the holder
    otherwise. `CustodyUnknown` when the server cannot say (the caller refuses to open). A bag
    this workstation already holds for this receipt (a restart after winning) is ours again."""
    systems = tuple(din_systems)
    refs = _products_by_din(client, products, dins)
    ours: list[Step] = []
    try:
        for din in sorted(dins):
            bag = read_bag(client, din, refs.get(din), systems, own_procedure=procedure_id)
            holder = bag.holder
            if holder is not None and holder.workstation == who.workstation and \
                    holder.receipt_id == receipt_id and receipt_id is not None:
                ours.append(holder)
                continue
            if not bag.free:
                return _lost(client, ours, who, f"Not opened: {bag.why_not_free()}.",
                             bag.holder)
            n = len(bag.steps)
            won, step = _append(client, din, n, "claim", who, procedure_id=procedure_id,
                                receipt_id=receipt_id, product=refs.get(din), at=at)
            if not won:
                return _lost(client, ours, who, f"Not opened: bag {din} is "
                             f"{step.describe()} — that workstation opened it first.", step)
            ours.append(step)
    except CustodyUnknown:
        _withdraw(client, ours, who, "the custody check could not finish")
        raise
    problems = _mark(client, [refs[d] for d in sorted(dins) if d in refs], "unavailable")
    return ClaimResult(True, f"Claimed on the server: {len(ours)} bag(s) held by "
                             f"workstation {who.workstation}.", tuple(ours),
                       problems=tuple(problems))


def release(client: FhirClient, dins: Sequence[str], who: Who, reason: str, *,
            receipt_id: str | None, products: Sequence[str] = (),
            din_systems: Iterable[str] = (ISBT128_DIN_SYSTEM,)) -> tuple[Step, ...]:
    """A pharmacist releases a claimed product (its procedure stopped before any thaw): one
    `release` step per held bag; refused (ValueError) when a bag has an administration or is
    not held. The caller has checked the pharmacist's signature."""
    if not reason.strip():
        raise ValueError("Say why the product is released (recorded on the server).")
    refs = _products_by_din(client, products, dins)
    bags = [read_bag(client, din, refs.get(din), din_systems) for din in sorted(dins)]
    for bag in bags:
        real = [g for g in bag.given if "administration" in g]
        if real:
            raise ValueError(f"Bag {bag.din} cannot be released: {'; '.join(real)}. A bag "
                             "that was given, or whose thaw began, never returns to stock.")
        if bag.holder is None:
            raise ValueError(f"Bag {bag.din} is not held by anyone"
                             + (f" ({bag.head.describe()})" if bag.head else "") + ".")
    done = []
    for bag in bags:
        assert bag.holder is not None
        won, step = _append(client, bag.din, len(bag.steps), "release", who,
                            procedure_id=bag.holder.procedure_id, receipt_id=receipt_id,
                            reason=reason.strip(), product=bag.product)
        if not won:
            raise ValueError(f"Bag {bag.din} changed while it was released: {step.describe()}.")
        done.append(step)
    _mark(client, [b.product for b in bags if b.product], "available")
    return tuple(done)


def take_over(client: FhirClient, dins: Sequence[str], who: Who, *, procedure_id: str,
              receipt_id: str | None, products: Sequence[str] = ()) -> tuple[Step, ...]:
    """Move the claim of an open procedure to this workstation (hand-over): every bag must be
    held for `procedure_id`; one `handover` step each, written once. The workstation that held
    it is fenced: `holds` is False for it from now on."""
    refs = _products_by_din(client, products, dins)
    done = []
    for din in sorted(dins):
        steps = steps_of(client, din)
        head = steps[-1] if steps else None
        if head is None or not head.holds or head.procedure_id != procedure_id:
            raise ValueError(f"Bag {din} is not held for procedure {procedure_id}"
                             + (f" ({head.describe()})" if head else "") + ".")
        if head.workstation == who.workstation:
            done.append(head)
            continue
        won, step = _append(client, din, len(steps), "handover", who,
                            procedure_id=procedure_id, receipt_id=receipt_id,
                            reason=f"taken over from workstation {head.workstation}",
                            product=refs.get(din))
        if not won:
            raise ValueError(f"Bag {din} moved while it was taken over: {step.describe()}.")
        done.append(step)
    return tuple(done)


def holds(client: FhirClient, dins: Sequence[str], workstation: str,
          procedure_id: str | None = None) -> tuple[bool, str]:
    """Does `workstation` still hold every bag (for `procedure_id`)? (False, why) when another
    took it over or released it; `CustodyUnknown` when the server cannot say."""
    for din in sorted(dins):
        steps = steps_of(client, din)
        head = steps[-1] if steps else None
        if head is None or not head.holds or head.workstation != workstation or \
                (procedure_id is not None and head.procedure_id != procedure_id):
            return False, (f"bag {din} is {head.describe()}" if head else
                           f"bag {din} is not claimed")
    return True, ""


def moved_away(client: FhirClient, dins: Sequence[str], workstation: str,
               procedure_id: str) -> str | None:
    """Why `workstation` must no longer act on `procedure_id` (its bag was taken over by another
    workstation, released by the pharmacy, or is held by someone else), or None: still ours, or
    the bags are not under the server's custody at all (a procedure opened from an order file).
    `CustodyUnknown` when the server cannot say."""
    for din in sorted(dins):
        steps = steps_of(client, din)
        if not steps:
            continue
        head = steps[-1]
        ours = head.holds and head.workstation == workstation and \
            head.procedure_id == procedure_id
        was_ours = any(s.holds and s.workstation == workstation and
                       s.procedure_id == procedure_id for s in steps)
        if not ours and (was_ours or head.holds):
            return f"bag {din} is {head.describe()}"
    return None


# ---------------------------------------------------------------------------------- helpers
def _lost(client: FhirClient, ours: list[Step], who: Who, message: str,
          holder: Step | None) -> ClaimResult:
    problems = _withdraw(client, ours, who, "another bag of the product is held elsewhere")
    return ClaimResult(False, message, holder=holder, problems=tuple(problems))


def _withdraw(client: FhirClient, ours: Sequence[Step], who: Who, reason: str) -> list[str]:
    """Give back the bags this attempt won before it lost another (best effort: a failure here
    leaves the bag held by us, which is safe: the pharmacy releases it)."""
    problems = []
    for step in ours:
        try:
            _append(client, step.din, step.n + 1, "withdraw", who,
                    procedure_id=step.procedure_id, receipt_id=step.receipt_id, reason=reason)
        except CustodyUnknown as exc:
            problems.append(f"bag {step.din} stays held by this workstation: {exc}")
    return problems


def _mark(client: FhirClient, products: Iterable[str], status: str) -> list[str]:
    """Mirror custody into the BDP's status for other programs (not the authority: the chain
    is). Failures are returned, never raised."""
    problems = []
    for ref in products:
        try:
            resource = _get(client, ref)
            if resource.get("status") == status:
                continue
            resource["status"] = status
            got = client.exchange("PUT", _url(client, ref),
                                  json.dumps(resource).encode("utf-8"))
            if not isinstance(got, Exchange) or got.status not in (200, 201):
                problems.append(f"{ref} still shows its old status on the server")
        except CustodyUnknown as exc:
            problems.append(f"{ref}: {exc}")
    return problems


def _products_by_din(client: FhirClient, products: Sequence[str],
                     dins: Sequence[str]) -> dict[str, str]:
    """DIN → BiologicallyDerivedProduct/<id>, read from the products themselves."""
    refs: dict[str, str] = {}
    for ref in products:
        resource = _get(client, ref)
        for ident in resource.get("identifier") or ():
            if ident.get("system") == ISBT128_DIN_SYSTEM and ident.get("value") in dins:
                refs[str(ident["value"])] = ref
    return refs


def _url(client: FhirClient, path: str) -> str:
    return client.path_for(path)


def _readable(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()
    except ValueError:
        return at or "an unrecorded time"
