"""Decide a receipt command: the events it produces, or the rejection that says why not.

Pure (no clock, store or Qt). Every refusal names its rule and cites the prescribing information
through the product profile, as the engine does; the Lot Information Sheet's rules (bag count,
lots, minimum dose) are the engine's own, run on the order the receipt would hand to the bedside,
so they are written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from ..clock import Instant
from ..engine.custody import Custody, NoCustody, bar_reason
from ..engine.model import (
    Command,
    Order,
    OrderBag,
    OrderError,
    Patient,
    Rejection,
    number_in,
)
from ..engine.ruling import Refusal, Ruling
from ..labels import expiry
from ..labels.compare import FIELD_NAMES, same_value
from ..profile import Profile
from .blind import double_check, merged, retyped_values
from .identity import (
    EHR_ORDER,
    EHR_PATIENT,
    Source,
    first_difference,
    independent_sources,
    label_difference,
    label_source,
    sheet_difference,
)
from .model import Sheet, SheetError, field_words
from .state import EhrPatient, ReceiptState, ReceivedLabel

# Not a prescribing-information rule: the hospital's independent double check of transcribed
# values (ISMP), and 21 CFR Part 11 for who may sign.
DOUBLE_CHECK_CITATION = (
    "Independent double check (ISMP): a second person verifies the transcribed Lot Information "
    "Sheet values against the paper sheet without seeing the first entry; 21 CFR Part 11 "
    "§11.200(a)(2): each signature is its owner's own.")
RECEIPT_KINDS = ("shipper", "cassette")


@dataclass
class ReceiptDecision(Ruling[ReceiptState]):
    """The receipt's ruling (engine/ruling.py): its citations and its hard stop; `zone` is the
    site's time zone, in which printed expiry is read (labels.expiry)."""

    zone: tzinfo | None = field(default=None, kw_only=True)

    def cite(self, rule: str) -> str:
        """The sentence behind `rule`; none for the receipt's own order of work (`sequence`)
        and for rules no label sentence governs (the sheet entry, `order`): a refusal never
        quotes a sentence that is not about it."""
        if rule == "double_check":
            return DOUBLE_CHECK_CITATION
        if rule == "receipt_concerns":
            return next(i.citation for i in self.profile.instructions if i.id == rule)
        if rule == "sequence":
            return ""
        found = self.profile.rules.get(rule)
        return found.citation if found is not None else ""

    def stopped(self, rule: str, reason: str, citation: str, contact: str,
                details: Mapping[str, Any]) -> None:
        self.emit("receipt_stopped", rule=rule, reason=reason, citation=citation,
                  contact=contact, details=details)


def decide(state: ReceiptState, command: Command, now: Instant, profile: Profile,
           custody: Custody | None = None, zone: tzinfo | None = None) -> ReceiptDecision:
    """`custody`: the product ledger over the store (other receipts and procedures); `zone`:
    the site's time zone (`labels.expiry.site_zone`), in which printed expiry is read."""
    d = ReceiptDecision(state, command, now, profile, custody or NoCustody(), zone=zone)
    name = command.name
    if name in ("open_receipt", "import_receipt"):
        if state.opened_at is not None:
            d.refuse("sequence", "This receipt is already open.")
        (_open if name == "open_receipt" else _import)(d)
        return d
    if name == "record_sent":
        if state.outcome != "received":
            d.refuse("sequence", "Only a received product is written to the EHR.")
        d.emit("receipt_sent", server=d.args.get("server"),
               resources=list(d.args.get("resources") or ()))
        return d
    if name == "record_custody":
        _record_custody(d)
        return d
    if name == "dispense":
        if state.outcome != "received":
            d.refuse("sequence", "Only a received product (receipt complete) can go to the "
                     "bedside.")
        _dispense(d)
        return d
    if not state.active:
        d.refuse("sequence", "This receipt is not open (it was completed or stopped)."
                 if state.receipt_id else "Open a receipt first.")
    handler = HANDLERS.get(name)
    if handler is None:
        d.refuse("sequence", f"'{name}' is not a receipt step.")
    handler(d)
    return d


# ---------------------------------------------------------------------------------- handlers
def _open(d: ReceiptDecision) -> None:
    mrn = d.args.get("mrn")
    if not isinstance(mrn, str) or not mrn.strip():
        d.refuse("identity", "Enter or scan the patient's MRN to receive a product for them.")
    ehr = d.args.get("ehr")
    if ehr is not None:
        for key in ("mrn", "name", "dob"):
            if not isinstance(ehr.get(key), str) or not ehr[key].strip():
                d.refuse("identity", f"The EHR's patient for MRN {mrn} has no {FIELD_NAMES[key]}"
                         ": it cannot be the source of truth for identity.")
        if not same_value("mrn", ehr["mrn"], mrn):
            d.refuse("identity", f"The EHR answered for MRN {ehr['mrn']}, not {mrn}.")
        coi = ehr.get("coi")
        if coi is not None and (not isinstance(coi, str) or not coi.strip()):
            d.refuse("identity", "The EHR's KRESLADI order carries an empty chain-of-identity "
                     "identifier.")
    bar = d.custody.patient_bar(mrn.strip(), None, excluding=d.state.receipt_id)
    if bar is not None:
        d.refuse("custody_patient", bar_reason(bar, d.profile.manufacturer_contact),
                 "hard_stop", bar=bar.to_dict())
    d.emit("receipt_opened", **_opened_data(d, mrn.strip(), ehr))


def _import(d: ReceiptDecision) -> None:
    """A product received on another workstation, read back from the EHR: the same checks as a
    receipt here (identity against the EHR patient now, the engine's sheet rules), then one chain
    that says where it came from."""
    payload = d.args.get("payload") or {}
    ehr = d.args.get("ehr")
    try:
        order = Order.from_dict(payload["order"])
        labels = [ReceivedLabel.from_dict(x) for x in payload.get("labels") or ()]
        storage = payload["storage"]
        temp = float(storage["temperature_c"])
    except (KeyError, TypeError, ValueError) as exc:
        d.refuse("order", f"The received product cannot be read: {exc}")
    d.state = ReceiptState(receipt_id=d.state.receipt_id, mrn=order.patient.mrn)
    if ehr is not None:
        product = Source("the received product", order.patient.identifiers())
        ehr_patient = EhrPatient.from_dict(ehr)
        sources = [Source(EHR_PATIENT, {"mrn": ehr_patient.mrn, "name": ehr_patient.name,
                                        "dob": ehr_patient.dob})]
        if ehr_patient.coi:
            sources.append(Source(EHR_ORDER, {"coi": ehr_patient.coi}))
        found = first_difference(product, sources)
        if found is not None:
            d.hard_stop("identity", f"Identity mismatch: {found.words}. Do not use this "
                        f"product; call {d.profile.manufacturer_contact}.", **found.details())
            d.events.insert(0, ("receipt_opened", _opened_data(d, order.patient.mrn, ehr)))
            return
    if temp > d.profile.rule("storage")["max_celsius"]:
        d.refuse("storage", f"The product was stored at {temp} °C.", "hard_stop")
    bar = d.custody.patient_bar(order.patient.mrn, order.patient.coi,
                                excluding=d.state.receipt_id)
    for line in order.bags:
        bar = bar or d.custody.bag_bar((line.bag_id,), excluding=d.state.receipt_id)
    if bar is not None:
        rule = "custody_patient" if bar.subject == "patient" else "custody_bag"
        d.refuse(rule, bar_reason(bar, d.profile.manufacturer_contact), "hard_stop",
                 bar=bar.to_dict())
    rejection = engine_order_check(order, d.profile, d.now)
    if rejection is not None:
        raise Refusal(rejection)
    d.emit("receipt_opened", **_opened_data(d, order.patient.mrn, ehr))
    for label in labels:
        d.emit("receipt_label_accepted", label=label.to_dict(), matched=[])
    d.emit("storage_recorded", temperature_c=temp, location=str(storage.get("location")),
           in_cassettes=True, recorded_at=storage.get("at"))
    d.emit("receipt_completed", order=order.to_dict(), storage=dict(storage),
           verified_by=payload.get("verified_by"), entered_by=payload.get("entered_by"),
           **({"double_check": dict(payload["double_check"])}
              if isinstance(payload.get("double_check"), Mapping) else {}),
           received_at=payload.get("completed_at"), imported=True)


def _opened_data(d: ReceiptDecision, mrn: str, ehr: Mapping[str, Any] | None) -> dict[str, Any]:
    return {"receipt_id": d.state.receipt_id, "product": d.profile.id,
            "product_name": d.profile.name, "mrn": mrn, "ehr": ehr,
            "training": bool(d.args.get("training", False)), "site": d.args.get("site"),
            "source": d.args.get("source"),
            "time_zone": getattr(d.zone, "key", None) if d.zone is not None else None,
            # where it was received (its labels scanned, its sheet typed): the printed records
            **({"workstation": str(d.args["workstation"])} if d.args.get("workstation") else {})}


def _scan(d: ReceiptDecision) -> None:
    scan = d.scanned()
    if scan.kind == "bag":
        d.refuse("storage", "At receipt the bags stay in their metal cassettes: scan the "
                 "cassette label, not the bag.")
    if scan.kind not in RECEIPT_KINDS:
        d.refuse("label_kind", f"A {scan.kind} label is not part of the shipment: scan the "
                 "shipper label and each cassette label.", label_kind=scan.kind)
    state = d.state
    what = "shipper label" if scan.kind == "shipper" else "cassette label"
    # Identity first: a label for another patient is the worst finding, whatever else is wrong.
    carried = scan.patient_identifiers()
    line_number = len(state.cassettes()) + 1 if scan.kind == "cassette" else None
    source = label_source(ReceivedLabel(scan.kind, line_number, scan, d.now))
    found = label_difference(state, source)
    if found is not None:
        d.hard_stop("identity", f"Identity mismatch: {found.words}. Do not receive this "
                    f"product; keep it in the shipper and call "
                    f"{d.profile.manufacturer_contact}.", label=what, **found.details(),
                    scan=scan.to_dict())
        return
    minimum = d.profile.rule("identity")["min_patient_identifiers"]
    if len(carried) < minimum:
        d.refuse("identity_incomplete", f"This {what} carries {len(carried)} patient "
                 f"identifier(s); at least {minimum} are needed. Scan its 2-D code.",
                 found=sorted(carried))
    line: int | None = None
    if scan.kind == "shipper":
        if state.shipper() is not None:
            d.refuse("already_accepted", "The shipper label is already recorded.")
    else:
        ids = scan.identifiers
        din = ids.get("din") or ids.get("bag_id")
        for key, value in (("din", din), ("lot", ids.get("lot")), ("expiry", ids.get("expiry"))):
            if not value:
                d.refuse("identity_incomplete", f"This cassette label carries no "
                         f"{FIELD_NAMES[key]}: scan its 2-D code, which holds the bag's data.",
                         missing=key)
        assert din is not None
        for other in state.cassettes():
            other_din = other.scan.identifiers.get("din") or other.scan.identifiers.get("bag_id")
            if other_din and same_value("din", din, other_din):
                d.refuse("already_accepted", f"Cassette {other.line} (DIN {din}) is already "
                         "recorded.")
        most = d.profile.rule("bag_count")["max"]
        if len(state.cassettes()) >= most:
            d.refuse("bag_count", f"A dose is at most {most} bags; {len(state.cassettes())} "
                     "cassettes are already recorded.", "hard_stop")
        bar = d.custody.bag_bar((din,), excluding=state.receipt_id)
        if bar is not None:
            d.hard_stop("custody_bag", bar_reason(bar, d.profile.manufacturer_contact),
                        field="din", label=what, found=din, bar=bar.to_dict(),
                        scan=scan.to_dict())
            return
        if expiry.is_expired(label_expiry(ids["expiry"], d.now, d.zone), d.now):
            d.hard_stop("expiry", f"The cassette label's bag (DIN {din}) expired on "
                        f"{ids['expiry']} (site time). Do not receive it; call "
                        f"{d.profile.manufacturer_contact}.", field="expiry", label=what,
                        found=ids["expiry"], scan=scan.to_dict())
            return
        line = len(state.cassettes()) + 1
    label = ReceivedLabel(scan.kind, line, scan, d.now)
    known = {k for other in independent_sources(state) for k in other.values}
    d.emit("receipt_label_accepted", label=label.to_dict(), matched=sorted(
        k for k in carried if k in known))


def label_expiry(printed: str, now: Instant, zone: tzinfo | None = None) -> datetime:
    """A printed expiry (local wall time, or a date meaning 23:59) as an instant, read in the
    site's zone for the date it names (DST included) by the one definition the bedside uses
    too (`labels.expiry.label_instant`); without a zone (rehearsals, tests) at the clock's
    offset when `now` was taken."""
    found = expiry.label_instant(printed, zone, None, now.utc_offset_s)
    if found is None:
        raise ValueError(f"not an expiry date: {printed!r}")
    return found.astimezone(zone or now.local().tzinfo)


def _record_storage(d: ReceiptDecision) -> None:
    limit = d.profile.rule("storage")["max_celsius"]
    try:  # the engine's physical range for a storage reading
        temp = number_in(d.args.get("temperature_c"), "storage temperature", "storage_celsius")
    except OrderError as exc:
        d.refuse("storage", f"{str(exc)[0].upper()}{str(exc)[1:]}.", field="storage temperature")
    location = d.args.get("location")
    if not isinstance(location, str) or not location.strip():
        d.refuse("storage", "Name the on-site storage unit (and position) the cassettes went to.")
    if d.args.get("in_cassettes") is not True:
        d.refuse("storage", "Confirm the bags stayed in their metal cassettes.")
    if temp > limit:
        d.refuse("storage", f"The storage unit reads {temp} °C, warmer than {limit} °C: do not "
                 f"store KRESLADI there; use vapor-phase LN2 at ≤ {limit} °C, and for any "
                 f"concern call {d.profile.manufacturer_contact}.", "hard_stop")
    d.emit("storage_recorded", temperature_c=float(temp), location=location.strip(),
           in_cassettes=True)


def _record_concern(d: ReceiptDecision) -> None:
    text = d.args.get("text")
    if not isinstance(text, str) or not text.strip():
        d.refuse("receipt_concerns", "Describe the concern.")
    instruction = next(i for i in d.profile.instructions if i.id == "receipt_concerns")
    d.emit("concern_recorded", text=text.strip(), contact=d.profile.manufacturer_contact,
           instruction=instruction.text, citation=instruction.citation)


def _sheet(d: ReceiptDecision, values: Mapping[str, Any] | None = None) -> Sheet:
    try:
        sheet = Sheet.from_dict(d.args.get("sheet") or {} if values is None else values)
    except SheetError as exc:
        d.refuse("order", f"The Lot Information Sheet entry is not usable: {exc}",
                 field=exc.field)
    cassettes = len(d.state.cassettes())
    if len(sheet.bags) != cassettes:
        d.refuse("bag_count", f"Values were entered for {len(sheet.bags)} bag(s) but "
                 f"{cassettes} cassette(s) were scanned.", field="bags")
    return sheet


def _enter_sheet(d: ReceiptDecision) -> None:
    if not d.state.cassettes():
        d.refuse("sequence", "Scan the cassette labels first: the bags' data come from them.")
    sheet = _sheet(d)
    d.emit("sheet_entered", sheet=sheet.to_dict())


def _verify_sheet(d: ReceiptDecision) -> None:
    state = d.state
    if state.sheet is None:
        d.refuse("sequence", "No Lot Information Sheet values have been entered yet.")
    verifier = d.command.witness
    if not verifier:
        d.refuse("double_check", "A second person verifies the values: they sign with their "
                 "own badge and PIN.")
    if verifier == state.sheet_by:
        d.refuse("double_check", "The person who typed the values cannot verify them: another "
                 "person checks them against the paper sheet.", code="self_verify")
    check = double_check(state)
    given = d.args.get("sheet")
    if not isinstance(given, Mapping):
        d.refuse("double_check", "The verifier's values were not received: type them again.")
    supplied = retyped_values(given)
    for key in check.retyped:  # a value the rule asks for is never taken as agreeing unseen
        if key not in supplied:
            d.refuse("double_check", f"The verification has no {field_words(key)}: the second "
                     "person types it from the paper sheet (it is checked only by being typed "
                     "twice).", field=key)
    again = _sheet(d, merged(state.sheet.to_dict(), given))
    typed, checked = state.sheet.flat(), again.flat()
    compared = set(check.retyped) | set(supplied)  # whatever the verifier typed counts
    for key in typed:  # form order: the first field that differs is named, its values never
        if key in compared and typed[key] != checked.get(key):
            d.refuse("double_check", f"The verifier's {field_words(key)} differs from the "
                     "value typed first. Check that value on the paper sheet: the person who "
                     "typed it corrects it, or the verifier enters it again.", field=key)
    # The typed values are now what the paper says: the sheet against the EHR, and every label
    # against the sheet, field by field (COI and patient ID included).
    found = sheet_difference(state)
    if found is not None:
        d.hard_stop("identity", f"Identity mismatch: {found.words}. Do not use this product; "
                    f"call {d.profile.manufacturer_contact}.", **found.details())
        return
    d.emit("sheet_verified", verified_by=verifier, double_check=check.to_dict())


def order_for(state: ReceiptState, zone: tzinfo | None = None) -> Order:
    """The order the bedside will use: the patient (EHR name and DOB where there is an EHR; the
    chain-of-identity number and patient ID from the verified sheet, never from a label: the
    bedside checks labels against these), every bag's data read from its cassette label, the
    typed values from the verified sheet."""
    sheet = state.sheet
    assert sheet is not None
    name, dob = (state.ehr.name, state.ehr.dob) if state.ehr else (sheet.name,
                                                                  sheet.dob.isoformat())
    patient = Patient(mrn=state.mrn or sheet.mrn, name=name,
                      dob=datetime.fromisoformat(dob).date(), coi=sheet.coi or None,
                      patient_id=sheet.patient_id or None)
    assert state.opened_at is not None
    bags = []
    for cassette, typed in zip(state.cassettes(), sheet.bags, strict=True):
        cid = cassette.scan.identifiers
        bags.append(OrderBag(number=typed.number, bag_id=(cid.get("din") or cid["bag_id"])[:13],
                             lot=cid["lot"], expiry=label_expiry(cid["expiry"], cassette.at, zone),
                             cd34_per_kg=typed.cd34_per_kg, volume_ml=typed.volume_ml))
    return Order(patient=patient, weight_kg=sheet.weight_kg, bags=tuple(bags),
                 sheet_bag_count=sheet.sheet_bag_count)


def _complete(d: ReceiptDecision) -> None:
    state = d.state
    step = state.step()
    missing = {"labels": "scan the shipper label and every cassette label",
               "storage": "record the transfer to on-site LN2 storage and its temperature",
               "sheet": "enter the Lot Information Sheet",
               "verify": "have a second person verify the sheet's values"}
    if step in missing:
        d.refuse("sequence", f"Not yet received: {missing[step]}.")
    order = order_for(state, d.zone)
    rejection = engine_order_check(order, d.profile, d.now)
    if rejection is not None:
        raise Refusal(rejection)
    shipper = state.shipper()
    d.emit("receipt_completed", order=order.to_dict(),
           storage={"temperature_c": state.storage_celsius, "location": state.storage_location},
           product_codes=sorted({c.scan.identifiers.get("product_code", "")
                                 for c in state.cassettes()} - {""}),
           consignment=shipper.scan.identifiers.get("consignment") if shipper else None,
           verified_by=state.verified_by, entered_by=state.sheet_by,
           **({"double_check": state.double_check.to_dict()} if state.double_check else {}))


def engine_order_check(order: Order, profile: Profile, now: Instant) -> Rejection | None:
    """The engine's own Lot Information Sheet rules on this order (a procedure in memory that
    is opened and given the order, then dropped): None when the bedside will accept it."""
    from ..engine.procedure import Procedure

    trial = Procedure(profile, _Fixed(now))
    trial.handle(Command("open", {}, user="receipt"))
    outcome = trial.handle(Command("prepare_order", {"order": order.to_dict()}, user="receipt"))
    return outcome.rejection


class _Fixed:
    def __init__(self, at: Instant) -> None:
        self.at = at

    def now(self) -> Instant:
        return self.at


def _dispense(d: ReceiptDecision) -> None:
    """The bedside opened an infusion procedure from this received product."""
    procedure = d.args.get("procedure_id")
    if not isinstance(procedure, str) or not procedure:
        d.refuse("sequence", "Name the infusion procedure the product goes to.")
    if d.state.dispensed_to:
        d.refuse("already_accepted", f"This product already went to procedure "
                 f"{d.state.dispensed_to[0]}: one product, one infusion.", "hard_stop")
    if d.state.handed_over:
        d.refuse("already_accepted", "This product was handed over to another workstation "
                 f"({d.state.custody[-1][1]}): it is opened there, never here.", "hard_stop")
    custody = d.args.get("custody")
    d.emit("receipt_dispensed", procedure_id=procedure,
           **({"custody": list(custody)} if custody else {}))


def _record_custody(d: ReceiptDecision) -> None:
    """A custody step taken on the hospital's server, recorded in the receipt's own chain:
    `released` (a pharmacist's signed release, with its reason: the product may go to another
    infusion) or `handed_over` (exported to another workstation without a server)."""
    kind = d.args.get("kind")
    reason = d.args.get("reason")
    if d.state.outcome != "received":
        d.refuse("sequence", "Only a received product has custody to record.")
    if kind not in ("released", "handed_over"):
        d.refuse("sequence", f"'{kind}' is not a custody step.")
    if kind == "handed_over" and (d.state.dispensed_to or d.state.handed_over):
        d.refuse("sequence", "Only a product still awaiting its infusion here is handed over.")
    if not isinstance(reason, str) or not reason.strip():
        d.refuse("sequence", "Say why (recorded with the custody step).")
    d.emit(f"custody_{kind}", reason=reason.strip(), signed_by=d.command.user,
           steps=list(d.args.get("steps") or ()), server=d.args.get("server"))


def _stop(d: ReceiptDecision) -> None:
    reason = d.args.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        d.refuse("sequence", "Say why the receipt ends (recorded).")
    d.emit("receipt_stopped", rule=None, reason=reason.strip(),
           contact=d.profile.manufacturer_contact)


HANDLERS = {
    "scan": _scan,
    "record_storage": _record_storage,
    "record_concern": _record_concern,
    "enter_sheet": _enter_sheet,
    "verify_sheet": _verify_sheet,
    "complete_receipt": _complete,
    "stop_receipt": _stop,
}
