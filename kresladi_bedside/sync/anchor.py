"""Chain heads anchored on the hospital's FHIR server, and the log compared with them (issue 26).

Why: the seals (store/seals.py) cannot show the newest events cut off together with their seals,
nor a whole file put back from a backup or a VM snapshot: every prefix of a sealed log is sealed.
Only a head kept where the attacker cannot write shows it. So after each sync pass the
workstation sends, in a request of its own, every head it delivered (the sealed
`delivery_seals`, store/anchors.py) that the server does not hold yet: one AuditEvent (DICOM
110106 "Export") per pass, tagged with this workstation's public signing-key id, each procedure
an `entity` with its head's seq and hash. The server keeps AuditEvents; nothing on the
workstation records what was anchored, so there is no local state to forge.

`compare(store, anchors)` then says, for each procedure the server holds a head of, whether the
log still holds that head: a procedure cut back (`anchor_cut`), rewritten (`anchor_rewritten`) or
gone (`anchor_missing`, a rollback to an older file). `kresladi-bedside verify --against-server`
runs it, and so does every sync pass (a restored backup is found at the next pass).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..store import Store
from ..store.signing import own_signing_key
from .transport import FhirClient

ANCHOR_TAG_SYSTEM = "urn:kresladi-bedside:chain-head-anchor"
DETAIL_SEQ = "head_seq"
DETAIL_HASH = "head_hash"
MAX_ANCHORS_READ = 1000  # one search page; a workstation's lifetime is far fewer passes


@dataclass(frozen=True)
class Anchored:
    procedure_id: str
    seq: int
    hash: str
    recorded: str


@dataclass
class AnchorReport:
    sent: int = 0  # heads anchored by this call
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (pid, kind, detail)
    failure: str | None = None  # the server could not be asked or did not keep the anchor

    @property
    def ok(self) -> bool:
        return not self.problems and self.failure is None


def workstation_id(store: Store) -> str | None:
    """This workstation's public name on the server: its signing key's id (store/signing.py)."""
    key = own_signing_key(store.key.path if store.key else None)
    return None if key is None else key.key_id


def audit_event(workstation: str, heads: Iterable[tuple[str, int, str]],
                now: datetime | None = None) -> dict[str, Any]:
    recorded = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return {
        "resourceType": "AuditEvent",
        "meta": {"tag": [{"system": ANCHOR_TAG_SYSTEM, "code": workstation}]},
        "type": {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110106",
                 "display": "Export"},
        "action": "E",
        "recorded": recorded,
        "outcome": "0",
        "agent": [{"requestor": False, "name": "kresladi-bedside workstation",
                   "who": {"identifier": {"system": ANCHOR_TAG_SYSTEM, "value": workstation}}}],
        "source": {"site": f"kresladi-bedside:{workstation}",
                   "observer": {"display": f"kresladi-bedside workstation {workstation}"}},
        "entity": [{"name": pid, "description": "procedure log chain head",
                    "detail": [{"type": DETAIL_SEQ, "valueString": str(seq)},
                               {"type": DETAIL_HASH, "valueString": head}]}
                   for pid, seq, head in heads],
    }


def read_anchors(client: FhirClient, workstation: str) -> tuple[dict[str, Anchored], str | None]:
    """The newest head the server holds for each procedure of this workstation, or why the
    server could not say (an answer of the wrong shape is refused, never trusted)."""
    found = client.search(f"AuditEvent?_tag={ANCHOR_TAG_SYSTEM}|{workstation}"
                          f"&_count={MAX_ANCHORS_READ}")
    if found.failure is not None:
        return {}, f"the server's anchors could not be read: {found.failure.detail}"
    anchors: dict[str, Anchored] = {}
    for resource in found.resources:
        for anchored in _entities(resource):
            known = anchors.get(anchored.procedure_id)
            if known is None or anchored.seq > known.seq:
                anchors[anchored.procedure_id] = anchored
    return anchors, None


def _entities(resource: Mapping[str, Any]) -> list[Anchored]:
    if resource.get("resourceType") != "AuditEvent":
        return []
    recorded = str(resource.get("recorded", ""))
    out = []
    for entity in resource.get("entity") or ():
        if not isinstance(entity, dict) or not isinstance(entity.get("name"), str):
            continue
        details = {d.get("type"): d.get("valueString") for d in entity.get("detail") or ()
                   if isinstance(d, dict)}
        try:
            seq = int(str(details.get(DETAIL_SEQ)))
        except ValueError:
            continue
        head = details.get(DETAIL_HASH)
        if isinstance(head, str) and len(head) == 64:
            out.append(Anchored(entity["name"], seq, head, recorded))
    return out


def sealed_heads(store: Store) -> list[tuple[str, int, str]]:
    """The heads this workstation delivered, as its key sealed them (forged rows left out)."""
    from ..store.anchors import delivery_text

    try:
        rows = store.conn.execute(
            "SELECT procedure_id, head_seq, head_hash, mac FROM delivery_seals").fetchall()
    except Exception:  # no delivery yet: the table is made by the first one
        return []
    return [(str(p), int(s), str(h)) for p, s, h, mac in rows
            if store.check_mac(delivery_text(str(p), int(s), str(h)), str(mac))]


def compare(store: Store, anchors: Mapping[str, Anchored]) -> list[tuple[str, str, str]]:
    """(procedure, kind, detail) for every anchored head the log no longer holds."""
    problems = []
    for pid, anchored in sorted(anchors.items()):
        found = store.conn.execute("SELECT hash FROM events WHERE procedure_id = ? AND seq = ?",
                                   (pid, anchored.seq)).fetchone()
        top, _ = store.head(pid)
        where = (f"the hospital's server holds its head at seq {anchored.seq} "
                 f"({anchored.hash[:16]}…, anchored {anchored.recorded})")
        if top == 0:
            problems.append((pid, "anchor_missing", f"{where}, but this log has no such "
                             "procedure: the file was put back from an older copy or the "
                             "procedure was deleted"))
        elif found is None:
            problems.append((pid, "anchor_cut", f"{where}, but this log ends at seq {top}: "
                             "events were cut off, or an older copy of the log was put back"))
        elif str(found[0]) != anchored.hash:
            problems.append((pid, "anchor_rewritten", f"{where}, but this log holds another "
                             "event there: the procedure was rewritten after it was sent"))
    return problems


def anchor_and_compare(store: Store, client: FhirClient,
                       now: datetime | None = None) -> AnchorReport:
    """One sync pass's anchoring: read the server's heads, compare the log with them, send the
    sealed delivered heads the server does not hold yet (one AuditEvent)."""
    report = AnchorReport()
    workstation = workstation_id(store)
    if workstation is None:
        report.failure = "this workstation has no signing key: heads are not anchored"
        return report
    anchors, failure = read_anchors(client, workstation)
    if failure is not None:
        report.failure = failure
        return report
    report.problems = compare(store, anchors)
    new = [(pid, seq, head) for pid, seq, head in sealed_heads(store)
           if pid not in anchors or anchors[pid].seq < seq]
    if not new or report.problems:
        return report  # a log that disagrees with the server is not anchored further
    event = audit_event(workstation, new, now)
    body = json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"resource": event, "request": {"method": "POST", "url": "AuditEvent"}}]}).encode()
    answer = client.post_bundle(body, ["chain heads (AuditEvent)"])
    if answer.kind != "delivered":
        report.failure = f"the heads could not be anchored: {answer.detail}"
    else:
        report.sent = len(new)
    return report
