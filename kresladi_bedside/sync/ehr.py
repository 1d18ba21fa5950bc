"""The EHR side of receipt: the patient and the order read from the hospital's FHIR server, and
the received product written there and read back so another workstation can find it.

Patient by MRN (`Patient?identifier=<mrn system>|<MRN>`): name and date of birth come from it
(the source of truth). A `MedicationRequest` for KRESLADI for that patient, where the EHR has one,
is recorded with the receipt.

The received product is one **BiologicallyDerivedProduct per bag**, not a Medication with a
batch: KRESLADI is the child's own cells, a patient-specific product with a collection source
(the patient), a storage history (vapor-phase LN2, temperature, since when, until the bag's
expiry) and a status (available until it goes to the bedside, then unavailable) — all elements of
BiologicallyDerivedProduct in R4. A Medication describes a drug that any patient could receive;
its `batch` has a lot and an expiry but nothing ties it to one child or one storage unit.
Each bag carries, as structured elements: the DIN under ICCBBA's system, the chain-of-identity
number and the ISBT 128 patient id as identifiers, the ISBT 128 product description code of its
cassette label, the patient as collection source, the storage, and typed extensions where R4 BDP
has no element (receipt_fhir.py: the Lot Information Sheet's line, lot, CD34+ cells/kg and
volume, the EHR patient as read, each label read); a narrative says all of it. Who received and
who verified, and when, is a Provenance targeting the bags (agents: the people as the hospital
knows them, on behalf of the site's Organization), with the concerns raised. Another workstation
rebuilds the received product from these elements alone (one search, the Provenance included
with `_revinclude`).

Medplum (and R4 itself) has no `identifier` search on BiologicallyDerivedProduct, so our keys are
`meta.tag`s, searched with `_tag`: `urn:kresladi-bedside:received|<product>` finds every received
product, `urn:kresladi-bedside:receipt-bag|<receipt>-<n>` one bag, and ICCBBA's DIN system tags
the bag by its DIN; writes are conditional updates on the DIN tag (one product resource per bag,
which the infusion record then finds and links to), so a repeat write changes nothing new. Reads
and writes reuse the sync transport's connection and TLS settings (`FhirClient`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from ..engine.model import Order, OrderError
from ..labels.compare import same_value
from ..receipt.state import EhrPatient, ReceiptState
from .codes import isbt128_codings
from .identifiers import DIN_SYSTEM, OUR_PREFIX, OurId, SiteIds, patient_search, token
from .narrative import narrative
from .receipt_fhir import (
    ReceiptUnreadable,
    bag_extensions,
    portable,
    provenance_extensions,
    read_receipt,
    when,
)
from .staff import hospital_id, practitioner
from .transport import Exchange, FhirClient, outcome_text

RECEIVED_TAG_SYSTEM = f"{OUR_PREFIX}:received"
RECEIPT_BAG_SYSTEM = f"{OUR_PREFIX}:receipt-bag"
RECEIPT_PROVENANCE_SYSTEM = f"{OUR_PREFIX}:receipt-provenance"
ISBT128_DIN_SYSTEM = DIN_SYSTEM  # one DIN system everywhere (identifiers.py)
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"


class EhrError(RuntimeError):
    """The EHR could not be asked or answered something unusable (names what); `status`: the
    HTTP status when the EHR answered one it refused with."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class EhrClient(FhirClient):
    """`FhirClient` (same connection, token and TLS handling, size cap and overall deadline)
    with the reads and the writes the receipt needs; `site`: the site's identifier systems,
    staff identifiers, Organization and Location (`client_for` sets them from the site file)."""

    site: SiteIds = SiteIds()

    def request(self, method: str, path: str, body: Mapping[str, Any] | None = None
                ) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode("utf-8")
        url = self._path.rstrip("/") + "/" + path.lstrip("/")
        got = self.exchange(method, url, data)
        if not isinstance(got, Exchange) and got.status is None:
            # no HTTP answer (a kept-alive connection the server closed): one fresh retry
            got = self.exchange(method, url, data)
        if not isinstance(got, Exchange):
            raise EhrError(f"the EHR at {self.base_url} did not answer: {got.detail}")
        try:
            answer = json.loads(got.body) if got.body else None
        except ValueError as exc:
            raise EhrError(f"the EHR answered {got.status} with something that is not "
                           "JSON") from exc
        return got.status, answer

    def get(self, path: str) -> Any:
        status, answer = self.request("GET", path)
        if status != 200:
            raise EhrError(f"the EHR refused GET {path.split('?')[0]}: HTTP {status}"
                           f"{outcome_text(answer)}", status)
        return answer

    def get_resource(self, path: str, kind: str) -> dict[str, Any]:
        """A resource of type `kind`, or EhrError naming what came back instead (a list, null,
        a string or another resource type never reaches the caller: issue 26)."""
        answer = self.get(path)
        if not isinstance(answer, dict) or answer.get("resourceType") != kind:
            raise EhrError(f"the EHR answered GET {path.split('?')[0]} with {_shape(answer)} "
                           f"where a {kind} belongs")
        return answer

    def search_entries(self, path: str, kind: str) -> list[dict[str, Any]]:
        """The `kind` resources of a searchset; anything else in it is refused by name."""
        bundle = self.get_resource(path, "Bundle")
        entries = bundle.get("entry") or []
        if not isinstance(entries, list):
            raise EhrError(f"the EHR's answer to {path.split('?')[0]} has entries of the wrong "
                           f"shape ({_shape(entries)})")
        found = []
        for entry in entries:
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(entry, dict) and (entry.get("search") or {}).get("mode") == "include":
                continue
            if not isinstance(resource, dict) or resource.get("resourceType") != kind:
                raise EhrError(f"the EHR answered a search for {kind} with {_shape(resource)}: "
                               "not used")
            found.append(resource)
        return found


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _shape(value: Any) -> str:
    """What an answer is, in words, for a message (never its content)."""
    if isinstance(value, dict):
        kind = value.get("resourceType")
        return f"a {kind}" if isinstance(kind, str) else "a JSON object that is no resource"
    if value is None:
        return "nothing (null)"
    return f"a JSON {type(value).__name__}"


# ------------------------------------------------------------------------------ reading
def find_patient(client: EhrClient, mrn_system: str, mrn: str) -> EhrPatient:
    """The EHR's Patient for the MRN: exactly one, with a name and a birth date."""
    # Only Patients count: a Practitioner (or anything else) with that identifier is never the
    # patient (issue 26); search_entries refuses such an answer by name.
    found = client.search_entries(patient_search(mrn_system, mrn.strip()), "Patient")
    if not found:
        raise EhrError(f"The EHR has no patient with MRN {mrn}.")
    if len(found) > 1:
        raise EhrError(f"The EHR has {len(found)} patients with MRN {mrn}: identity cannot be "
                       "confirmed; call the EHR team.")
    patient = found[0]
    names = patient.get("name") or []
    if not isinstance(names, list) or not all(isinstance(n, dict) for n in names):
        raise EhrError(f"The EHR's patient with MRN {mrn} has a name of the wrong shape.")
    name = _name(names)
    if not name:
        raise EhrError(f"The EHR's patient with MRN {mrn} has no name.")
    if not isinstance(patient.get("birthDate"), str) or not patient.get("birthDate"):
        raise EhrError(f"The EHR's patient with MRN {mrn} has no date of birth.")
    if not isinstance(patient.get("id"), str):
        raise EhrError(f"The EHR's patient with MRN {mrn} has no id.")
    return EhrPatient(mrn=mrn.strip(), name=name, dob=str(patient["birthDate"])[:10],
                      reference=f"Patient/{patient['id']}")


def find_medication_request(client: EhrClient, patient: EhrPatient,
                            product_names: Sequence[str]) -> str | None:
    """An active (or draft) MedicationRequest for the product for this patient, if any."""
    found = find_order(client, patient, product_names)
    return None if found is None else found[0]


def chain_of_identity(request: Mapping[str, Any]) -> str | None:
    """The manufacturer's chain-of-identity identifier a MedicationRequest carries, if any: an
    identifier whose type says "chain of identity" (text, display or code `COI`). It is a source
    of the COI independent of the labels and of the typed Lot Information Sheet."""
    for identifier in request.get("identifier") or ():
        kind = identifier.get("type") or {}
        words = [kind.get("text") or ""] + [
            f"{c.get('display') or ''} {c.get('code') or ''}" for c in kind.get("coding") or ()]
        text = " ".join(words).casefold().replace("-", " ")
        value = str(identifier.get("value") or "").strip()
        if value and ("chain of identity" in text or "coi" in text.split()):
            return value
    return None


def find_order(client: EhrClient, patient: EhrPatient,
               product_names: Sequence[str]) -> tuple[str, str | None] | None:
    """The product's active (or draft) MedicationRequest for this patient, if any, and the
    chain-of-identity identifier it carries."""
    if not patient.reference:
        return None
    requests = client.search_entries(
        f"MedicationRequest?subject={quote(patient.reference, safe='/')}&_count=50",
        "MedicationRequest")
    wanted = [n.casefold() for n in product_names]
    for request in requests:
        if request.get("status") not in ("active", "draft", "on-hold"):
            continue
        concept = request.get("medicationCodeableConcept") or {}
        texts = [concept.get("text") or ""] + [c.get("display") or ""
                                                for c in concept.get("coding") or ()]
        if any(w in t.casefold() for t in texts for w in wanted):
            return f"MedicationRequest/{request['id']}", chain_of_identity(request)
    return None


def lookup(client: EhrClient, mrn_system: str, mrn: str,
           product_names: Sequence[str]) -> EhrPatient:
    """The patient and, where there is one, their KRESLADI MedicationRequest (with the
    manufacturer's chain-of-identity identifier when it carries one)."""
    patient = find_patient(client, mrn_system, mrn)
    found = find_order(client, patient, product_names)
    request, coi = found if found is not None else (None, None)
    return EhrPatient(patient.mrn, patient.name, patient.dob, patient.reference, request, coi)


def _name(names: Sequence[Mapping[str, Any]]) -> str:
    chosen = next((n for n in names if n.get("use") == "official"), names[0] if names else None)
    if not chosen:
        return ""
    family = chosen.get("family") or ""
    given = " ".join(g for g in chosen.get("given") or () if isinstance(g, str))
    if not isinstance(family, str):
        family = ""
    if family and given:
        return f"{family.upper()}, {given.upper()}"
    return (chosen.get("text") or family or given).upper()


# ------------------------------------------------------------------------------ the product
@dataclass(frozen=True)
class ReceivedProduct:
    """A received product as the EHR holds it: what the bedside needs to open the infusion."""

    receipt_id: str
    order: Order
    payload: Mapping[str, Any]  # the receipt, rebuilt from the EHR's elements (`portable`)
    resources: tuple[str, ...]  # "BiologicallyDerivedProduct/<id>" per bag
    available: bool


def receipt_payload(state: ReceiptState, names: Mapping[str, str]) -> dict[str, Any]:
    """The receipt as written to the EHR (receipt_fhir.py): enough to rebuild the received
    product elsewhere."""
    assert state.order is not None and state.receipt_id is not None
    assert state.stored_at is not None and state.completed_at is not None
    return {
        "receipt_id": state.receipt_id,
        "order": state.order.to_dict(),
        "storage": {"temperature_c": state.storage_celsius, "location": state.storage_location,
                    "at": state.stored_at.to_dict()},
        "labels": [label.to_dict() for label in state.labels],
        "ehr": state.ehr.to_dict() if state.ehr else None,
        "entered_by": names.get(state.sheet_by or "", state.sheet_by),
        "verified_by": names.get(state.verified_by or "", state.verified_by),
        "completed_at": state.completed_at.to_dict(),
        "concerns": [text for text, _ in state.concerns],
        **({"double_check": state.double_check.to_dict()} if state.double_check else {}),
    }


def product_bundle(state: ReceiptState, payload: Mapping[str, Any], mrn_system: str,
                   profile_name: str, *, available: bool = True,
                   site: SiteIds | None = None) -> dict[str, Any]:
    """A transaction: one BiologicallyDerivedProduct per bag (conditional update on its DIN tag),
    the Practitioner of each person the hospital knows (conditional create), and the receipt's
    Provenance (conditional update on its tag)."""
    site = site or SiteIds(mrn_system=mrn_system)
    order = state.order
    assert order is not None and state.receipt_id is not None and state.stored_at is not None
    patient = order.patient
    subject = {"reference": state.ehr.reference if state.ehr and state.ehr.reference
               else patient_search(mrn_system, patient.mrn),
               "identifier": {"system": mrn_system, "value": patient.mrn},
               "display": patient.name}
    codes: dict[int, list[str]] = {}
    for label in state.labels:
        code = label.scan.identifiers.get("product_code")
        if label.line is not None and code:
            codes.setdefault(label.line, []).append(code)
    expiries = {b["number"]: b["expiry"] for b in payload["order"]["bags"]}
    entries, products = [], []
    for bag in order.bags:
        key = f"{state.receipt_id}-{bag.number}"
        our = OurId(DIN_SYSTEM, bag.bag_id, tag=True)
        products.append(our)
        identifiers = [{"system": DIN_SYSTEM, "value": bag.bag_id},
                       {"system": RECEIPT_BAG_SYSTEM, "value": key}]
        if patient.coi:
            identifiers.append({"system": site.coi_system, "value": patient.coi})
        if patient.patient_id:
            identifiers.append({"system": site.namespace.patient_id_system,
                                "value": patient.patient_id})
        product_code: dict[str, Any] = {"text": f"{profile_name} bag {bag.number} of "
                                                f"{len(order.bags)}, lot {bag.lot}"}
        coding = isbt128_codings(codes.get(bag.number, ()))
        if coding:
            product_code["coding"] = coding
        extensions = bag_extensions(payload, bag.number, site)
        storage = (f"{state.storage_location or 'storage unit not named'}, "
                   f"{state.storage_celsius:g} °C" if state.storage_celsius is not None
                   else state.storage_location or "")
        resource = {
            "resourceType": "BiologicallyDerivedProduct",
            "meta": {"tag": [{"system": DIN_SYSTEM, "code": bag.bag_id},
                             {"system": RECEIVED_TAG_SYSTEM, "code": "kresladi"},
                             {"system": RECEIPT_BAG_SYSTEM, "code": key},
                             *([{"system": site.coi_system, "code": patient.coi}]
                               if patient.coi else [])]},
            "text": narrative([
                f"{profile_name}, bag {bag.number} of {len(order.bags)}: DIN {bag.bag_id}, "
                f"lot {bag.lot}, expiry {bag.expiry.isoformat()}"
                + (f", {bag.volume_ml:g} mL" if bag.volume_ml is not None else "")
                + f", {bag.cd34_per_kg:,.0f} CD34+ cells/kg.",
                f"For {patient.name}, MRN {patient.mrn}"
                + (f", chain of identity {patient.coi}" if patient.coi else "")
                + (f", ISBT 128 patient id {patient.patient_id}" if patient.patient_id else "")
                + ".",
                f"Stored since {state.stored_at.wall.isoformat()}: {storage}.",
                "Available for infusion." if available else "Given out to an infusion.",
                *(f"ISBT 128 product code {c}." for c in codes.get(bag.number, ()))]),
            "identifier": identifiers,
            "productCategory": "cells",
            "productCode": product_code,
            "status": "available" if available else "unavailable",
            "quantity": 1,
            "collection": {"source": subject},
            "storage": [{"description": payload["storage"]["location"],
                         "temperature": payload["storage"]["temperature_c"],
                         "scale": "celsius",
                         "duration": {"start": when(payload["storage"]["at"]),
                                      "end": expiries[bag.number]}}],
            "extension": extensions,
        }
        entries.append({"fullUrl": our.full_url, "resource": resource, "request": {
            "method": "PUT", "url": f"BiologicallyDerivedProduct?{our.search()}"}})
    people, provenance = _receipt_provenance(state, payload, site, products)
    entries += people
    if provenance is not None:
        entries.append(provenance)
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def _receipt_provenance(state: ReceiptState, payload: Mapping[str, Any], site: SiteIds,
                        products: Sequence[OurId]
                        ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Who received the product (typed the sheet) and who verified it, as a Provenance on the
    bags, each person referenced as the hospital knows them; their Practitioner entries."""
    assert state.receipt_id is not None and state.completed_at is not None
    people: dict[str, dict[str, Any]] = {}
    agents, lines = [], []
    organization = site.site_reference("Organization")
    for user, name, code, display, role in (
            (state.sheet_by, payload.get("entered_by"), "author", "Author",
             "received the product and typed the Lot Information Sheet"),
            (state.verified_by, payload.get("verified_by"), "verifier", "Verifier",
             "verified the Lot Information Sheet (blind double check)")):
        if not user:
            continue
        shown = str(name or "a person with no name on record")
        who: dict[str, Any] = {"display": shown}
        ident = hospital_id(site.practitioners, user)
        if ident is not None:
            person = OurId(*ident)
            who["reference"] = person.full_url
            people.setdefault(user, {
                "fullUrl": person.full_url,
                "resource": {"resourceType": "Practitioner",
                             "identifier": [{"system": ident[0], "value": ident[1]}],
                             **practitioner(shown, ident, site.practitioner_names.get(user))},
                "request": {"method": "POST", "url": "Practitioner",
                            "ifNoneExist": person.search()}})
        agent: dict[str, Any] = {"type": {"coding": [{"system": PARTICIPANT_TYPE, "code": code,
                                                      "display": display}]},
                                 "role": [{"text": role}], "who": who}
        if organization and "reference" in organization:
            agent["onBehalfOf"] = organization
        agents.append(agent)
        lines.append(f"{shown} {role}.")
    if not agents:
        return [], None
    ours = OurId(RECEIPT_PROVENANCE_SYSTEM, state.receipt_id, tag=True)
    resource: dict[str, Any] = {
        "resourceType": "Provenance",
        "meta": {"tag": [{"system": ours.system, "code": ours.value},
                         *({"system": DIN_SYSTEM, "code": p.value} for p in products)]},
        "text": narrative([f"Receipt {state.receipt_id} of {len(products)} bag(s) "
                           f"({', '.join(p.value for p in products)}), completed "
                           f"{state.completed_at.wall.isoformat()}.", *lines]),
        "target": [{"reference": p.full_url, "display": f"DIN {p.value}"} for p in products],
        "recorded": when(payload["completed_at"]),
        "activity": {"text": "Receipt of the product into on-site storage"},
        "agent": agents,
    }
    if state.double_check is not None:
        retyped, against = state.double_check.words()
        lines.append(f"Typed again blind by the second person: {retyped}. Typed once, checked "
                     f"against an independent source: {against}.")
    extensions = provenance_extensions(payload, site)  # concerns, the double check's rule
    if extensions:
        resource["extension"] = extensions
    location = site.site_reference("Location")
    if location and "reference" in location:
        resource["location"] = location
    return list(people.values()), {"fullUrl": ours.full_url, "resource": resource, "request": {
        "method": "PUT", "url": f"Provenance?{ours.search()}"}}


def publish(client: EhrClient, bundle: Mapping[str, Any]) -> list[str]:
    """Write the product, reading every entry's own status (HTTP 200 is not 'stored')."""
    status, answer = client.request("POST", "", bundle)
    if status != 200 or not isinstance(answer, dict):
        raise EhrError(f"the EHR refused the received product: HTTP {status}{outcome_text(answer)}")
    answered = list(answer.get("entry") or ())
    if len(answered) != len(bundle["entry"]):
        raise EhrError("the EHR answered for fewer entries than were sent")
    locations = []
    for sent, entry in zip(bundle["entry"], answered, strict=True):
        response = entry.get("response") or {}
        code = str(response.get("status", ""))[:3]
        kind = sent["resource"]["resourceType"]
        if code not in ("200", "201"):
            what = (f"bag {sent['resource']['identifier'][0]['value']}"
                    if kind == "BiologicallyDerivedProduct" else kind)
            raise EhrError(f"the EHR did not store {what}: {response.get('status')}"
                           f"{outcome_text(response.get('outcome'))}")
        if kind == "BiologicallyDerivedProduct":
            locations.append("/".join(str(response.get("location", "")).split("/")[:2]))
    return locations


def received_products(client: EhrClient, mrn: str | None = None,
                      problems: list[str] | None = None) -> list[ReceivedProduct]:
    """Every received product the EHR holds (optionally for one MRN), one per receipt, rebuilt
    from the structured elements of its bags and its receipt Provenance (one search: the
    Provenance comes with `_revinclude`).

    One malformed product never hides the others (issue 26): it is left out, and why is added
    to `problems` (when given) for the person who asked."""
    bundle = client.get_resource(
        f"BiologicallyDerivedProduct?_tag={token(RECEIVED_TAG_SYSTEM, 'kresladi')}"
        "&_revinclude=Provenance:target&_count=200", "Bundle")
    resources, provenances = _products_and_provenances(bundle)
    notes: list[str] = [] if problems is None else problems
    by_receipt: dict[str, list[Mapping[str, Any]]] = {}
    for resource in resources:
        key = _receipt_of(resource)
        if key is None:
            notes.append(f"BiologicallyDerivedProduct/{resource.get('id')} names no receipt "
                         "and bag: not used")
            continue
        by_receipt.setdefault(key, []).append(resource)
    found = []
    for receipt_id, group in by_receipt.items():
        try:
            product = _product(receipt_id, group, provenances.get(receipt_id), client.site)
        except (EhrError, ReceiptUnreadable) as exc:
            notes.append(str(exc))
            continue
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            notes.append(f"receipt {receipt_id}: unusable on the EHR ({type(exc).__name__})")
            continue
        if mrn is None or same_value("mrn", product.order.patient.mrn, mrn):
            found.append(product)
    return found


def _products_and_provenances(bundle: Mapping[str, Any]
                              ) -> tuple[list[Mapping[str, Any]], dict[str, Mapping[str, Any]]]:
    """The searchset's products, and the receipt Provenances it included, by receipt id (any
    other resource, or another Provenance, is not used)."""
    products: list[Mapping[str, Any]] = []
    provenances: dict[str, Mapping[str, Any]] = {}
    for entry in _list(bundle.get("entry")):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            raise EhrError(f"the EHR answered a search for received products with "
                           f"{_shape(resource)}: not used")
        kind = resource.get("resourceType")
        if kind == "BiologicallyDerivedProduct" and (entry.get("search") or {}).get(
                "mode") != "include":
            products.append(resource)
        elif kind == "Provenance":
            for tag in _list((resource.get("meta") or {}).get("tag")):
                if isinstance(tag, dict) and tag.get("system") == RECEIPT_PROVENANCE_SYSTEM:
                    provenances[str(tag.get("code"))] = resource
        elif (entry.get("search") or {}).get("mode") != "include":
            raise EhrError(f"the EHR answered a search for received products with "
                           f"{_shape(resource)}: not used")
    return products, provenances


def _receipt_of(resource: Mapping[str, Any]) -> str | None:
    """The receipt a product belongs to: its receipt-bag identifier is `<receipt>-<bag>`."""
    for ident in _list(resource.get("identifier")):
        if isinstance(ident, dict) and ident.get("system") == RECEIPT_BAG_SYSTEM:
            receipt, dash, bag = str(ident.get("value") or "").rpartition("-")
            if dash and receipt and bag.isdigit():
                return receipt
    return None


def _product(receipt_id: str, resources: Sequence[Mapping[str, Any]],
             provenance: Mapping[str, Any] | None, site: SiteIds) -> ReceivedProduct:
    payload = read_receipt(receipt_id, resources, provenance, site)
    try:
        order = Order.from_dict(payload["order"])
    except (KeyError, TypeError, ValueError, AttributeError, OrderError) as exc:
        raise EhrError(f"receipt {receipt_id}: the order on the EHR is unusable ({exc})") from exc
    available = all(r.get("status") == "available" for r in resources)
    return ReceivedProduct(receipt_id, order, payload,
                           tuple(f"BiologicallyDerivedProduct/{r.get('id')}" for r in resources),
                           available)


def mark_dispensed(client: EhrClient, resources: Sequence[str]) -> None:
    """The product went to an infusion: every bag becomes `unavailable` on the EHR, so no other
    workstation offers it again (one product, one infusion, across workstations)."""
    for ref in resources:
        resource = client.get_resource(ref, "BiologicallyDerivedProduct")
        if resource.get("status") == "unavailable":
            continue
        resource["status"] = "unavailable"
        status, answer = client.request("PUT", ref, resource)
        if status not in (200, 201):
            raise EhrError(f"the EHR did not mark {ref} as given out: HTTP {status}"
                           f"{outcome_text(answer)}")


# ------------------------------------------------------------------------------ the two ends
def send_receipt(client: EhrClient, store: Any, profile: Any, clock: Any, receipt_id: str,
                 mrn_system: str, user: str) -> list[str]:
    """Pharmacy end: write the received product and read it back; the receipt's chain records
    where it went (`receipt_sent`). Raises `EhrError` when the server did not keep it as sent."""
    from ..engine.model import Command
    from ..receipt import Receipt
    from ..store import StoreListener

    receipt = Receipt.rebuild(profile, clock, store.events(receipt_id))
    state = receipt.state
    names = {u.id: u.name for u in _users(store)}
    payload = receipt_payload(state, names)
    from ..people.hospital_ids import hospital_ids, hospital_names

    site = replace(client.site, mrn_system=mrn_system, practitioners={
        **client.site.practitioners, **hospital_ids(store)}, practitioner_names={
        **client.site.practitioner_names, **hospital_names(store)})
    locations = publish(client, product_bundle(state, payload, mrn_system, profile.name,
                                               site=site))
    back = [p for p in received_products(client, state.mrn) if p.receipt_id == receipt_id]
    if len(back) != 1 or back[0].payload != portable(payload):
        raise EhrError(f"receipt {receipt_id}: the EHR does not give back what was written")
    receipt.subscribe(StoreListener(store))
    receipt.handle(Command("record_sent", {"server": client.base_url, "resources": locations},
                           user=user))
    return locations


def import_from_ehr(client: EhrClient, store: Any, profile: Any, clock: Any,
                    product: ReceivedProduct, mrn_system: str, user: str) -> Any:
    """Bedside end: a received product read back from the EHR becomes a receipt chain here,
    checked again against the EHR's Patient now (name and date of birth: a difference is a hard
    stop naming the field). Returns the engine `Outcome` (None when it is already here)."""
    from ..engine.model import Command
    from ..receipt import Receipt, receipt_ids
    from ..store import StoreListener

    if product.receipt_id in receipt_ids(store):
        return None
    from ..ledger import StoreLedger

    patient = find_patient(client, mrn_system, product.order.patient.mrn)
    receipt = Receipt(profile, clock, product.receipt_id, custody=StoreLedger(store))
    receipt.subscribe(StoreListener(store))
    return receipt.handle(Command("import_receipt", {
        "payload": dict(product.payload), "ehr": patient.to_dict(),
        "source": {"kind": "fhir", "server": client.base_url,
                   "resources": list(product.resources)}}, user=user))


def _users(store: Any) -> list[Any]:
    from ..people.directory import UserDirectory

    try:
        return UserDirectory(store.conn).all()
    except Exception:  # a store without the people tables: names stay user ids
        return []


def client_for(site: Any) -> tuple[EhrClient, str] | None:
    """The EHR client and MRN system of a site with sync configured (None: no EHR here, or a
    training workstation, which never talks to the hospital)."""
    from .deliver import SyncNotConfigured, SyncSettings

    try:
        settings = SyncSettings.from_config(site)
    except SyncNotConfigured:
        return None
    client = EhrClient(settings.base_url, token=settings.token, timeout_s=settings.timeout_s,
                       verify_tls=settings.verify_tls, ca_bundle=settings.ca_bundle,
                       deadline_s=settings.deadline_s,
                       max_response_bytes=settings.max_response_bytes,
                       tokens=settings.tokens)
    client.site = settings.ids
    return client, settings.mrn_system
