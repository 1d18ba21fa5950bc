"""The receipt of a product at the pharmacy, as printed: on the infusion record that took the
product (its own section) and as a record of its own (`receipt_document`).

Everything here is read from the receipt's own chain (`receipt-…`): who received the product and
where (the workstation it was opened on), each shipper and cassette label with who scanned it,
where and when, the storage (unit, since when, temperature, bags in their cassettes), the Lot
Information Sheet values as entered and who verified them (the blind double check), concerns,
and where the product went. Pure: no store, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from ..clock import Instant
from ..engine.model import Event, Signature
from ..receipt.model import FIELD_WORDS, DoubleCheck, SheetBag
from .gather import scan_view
from .times import when, zone_note
from .view import ChainStatus, ReceiptView, RecordError, Row, ScanView


def gather_receipt(events: Sequence[Event], *, zone: tzinfo | None, site: str,
                   printed_at: Instant | None, chain: ChainStatus | None = None
                   ) -> ReceiptView:
    """The receipt whose chain (oldest first) is `events`."""
    if not events or events[0].type != "receipt_opened":
        rid = events[0].procedure_id if events else "?"
        raise RecordError(f"receipt {rid}: the log does not start with receipt_opened")
    return _Receipt(events, zone).view(site, printed_at, chain)


class _Receipt:
    def __init__(self, events: Sequence[Event], zone: tzinfo | None) -> None:
        self.events = events
        self.zone = zone
        self.opened = events[0]
        self.workstation = str(self.opened.data.get("workstation") or "")

    def at(self, instant: Instant | None) -> str | None:
        return when(instant, self.zone)

    def last(self, *types: str) -> Event | None:
        return next((e for e in reversed(self.events) if e.type in types), None)

    def by_at(self, event: Event) -> str:
        """'Priya Shah (P10001) on PHARM-1, 2026-03-02 08:07:40 -05:00'"""
        where = f" on workstation {self.workstation}" if self.workstation else ""
        return f"{event.user}{where}, {self.at(event.at)}"

    def view(self, site: str, printed_at: Instant | None, chain: ChainStatus | None
             ) -> ReceiptView:
        completed = self.last("receipt_completed")
        stopped = self.last("receipt_stopped")
        status = "STOPPED" if stopped else "RECEIVED" if completed else "IN PROGRESS"
        training = bool(self.opened.data.get("training"))
        sheet = self.sheet()
        bags = [_sheet_bag(i, b) for i, b in enumerate(_bags(sheet), start=1)]
        return ReceiptView(
            receipt_id=self.opened.procedure_id,
            product=str(self.opened.data.get("product_name") or "KRESLADI"),
            status=status, training=training,
            site=str(self.opened.data.get("site") or site),
            zone_note=zone_note(self.zone),
            printed_at=self.at(printed_at),
            patient_line=self.patient_line(sheet),
            summary=self.summary(completed, stopped),
            patient=self.patient(sheet),
            sheet=self.sheet_rows(sheet) + tuple(b for b in bags if isinstance(b, Row)),
            sheet_bags=tuple(b for b in bags if isinstance(b, SheetBag)),
            scans=self.scans(),
            concerns=tuple(Row(f"{self.at(e.at)} · {e.user}", f"{e.data.get('text')} "
                               f"(manufacturer: {e.data.get('contact')})")
                           for e in self.events if e.type == "concern_recorded"),
            after=self.after(),
            signatures=self.signatures(),
            chain=chain,
        )

    # ------------------------------------------------------------------------ summary
    def summary(self, completed: Event | None, stopped: Event | None) -> tuple[Row, ...]:
        entered = self.last("sheet_entered")
        verified = self.last("sheet_verified")
        rows = [Row("Receipt opened", self.by_at(self.opened))]
        if completed is not None and completed.data.get("imported"):
            source = self.opened.data.get("source") or {}
            rows.append(Row("Received on another workstation", _source(source)))
            rows.append(Row("Received at (as that workstation recorded it)",
                            _instant_text(completed.data.get("received_at"), self.zone)))
            rows.append(Row("Sheet entered by (that workstation's user)",
                            completed.data.get("entered_by") or "not stated"))
            rows.append(Row("Sheet verified by, blind double check (that workstation's user)",
                            completed.data.get("verified_by") or "not stated",
                            None if completed.data.get("verified_by") else "MISSING"))
            rows += _double_check_rows(completed.data.get("double_check"))
        else:
            rows.append(Row("Lot Information Sheet entered by",
                            self.by_at(entered) if entered else "not entered",
                            None if entered else "MISSING"))
            rows.append(Row("Verified by (blind double check: a second person typed values "
                            "again from the paper sheet without seeing the first entry)",
                            f"{verified.data.get('verified_by')}, {self.at(verified.at)}"
                            if verified else "not verified",
                            None if verified else "MISSING"))
            if verified is not None:
                rows += _double_check_rows(verified.data.get("double_check"))
        rows += self.storage()
        if completed is not None:
            rows.append(Row("Receipt completed", self.by_at(completed)))
        if stopped is not None:
            rows.append(Row("Receipt stopped", f"{self.by_at(stopped)}: "
                            f"{stopped.data.get('reason')}", "STOP"))
        if completed is None and stopped is None:
            rows.append(Row("Receipt completed", "not yet", "IN PROGRESS"))
        return tuple(rows)

    def storage(self) -> list[Row]:
        stored = self.last("storage_recorded")
        if stored is None:
            return [Row("Storage on site", "not recorded", "MISSING")]
        since = _instant_text(stored.data.get("recorded_at"), self.zone) \
            if stored.data.get("recorded_at") else self.at(stored.at)
        return [Row("Storage unit (vapor-phase LN2)", stored.data.get("location")),
                Row("Stored since", since),
                Row("Storage temperature when stored",
                    f"{float(stored.data['temperature_c']):g} °C"),
                Row("Bags kept in their metal cassettes",
                    "confirmed" if stored.data.get("in_cassettes") else "not confirmed"),
                Row("Storage recorded by", self.by_at(stored))]

    # ------------------------------------------------------------------------ patient, sheet
    def sheet(self) -> Mapping[str, Any]:
        entered = self.last("sheet_entered")
        if entered is not None:
            return dict(entered.data.get("sheet") or {})
        completed = self.last("receipt_completed")
        if completed is not None:  # an imported receipt: its order is what was verified there
            order = completed.data.get("order") or {}
            patient = order.get("patient") or {}
            return {**patient, "weight_kg": order.get("weight_kg"),
                    "sheet_bag_count": order.get("sheet_bag_count"),
                    "bags": order.get("bags") or []}
        return {}

    def patient_line(self, sheet: Mapping[str, Any]) -> str:
        ehr = self.opened.data.get("ehr") or {}
        name = ehr.get("name") or sheet.get("name") or "patient not entered"
        dob = ehr.get("dob") or sheet.get("dob") or "—"
        return f"{name} · MRN {self.opened.data.get('mrn')} · DOB {dob}"

    def patient(self, sheet: Mapping[str, Any]) -> tuple[Row, ...]:
        ehr = self.opened.data.get("ehr") or {}
        rows = [Row("MRN the receipt was opened for", self.opened.data.get("mrn"))]
        if ehr:
            rows.append(Row("EHR patient (source of truth for name and date of birth)",
                            f"{ehr.get('name')} · DOB {ehr.get('dob')} · MRN {ehr.get('mrn')}"))
            if ehr.get("coi"):
                rows.append(Row("Chain of identity on the EHR's order", ehr.get("coi")))
        else:
            rows.append(Row("EHR patient", "none: this workstation has no EHR"))
        for key in ("mrn", "name", "dob", "coi", "patient_id"):
            if key in sheet:
                rows.append(Row(f"Sheet: {FIELD_WORDS[key]}", sheet.get(key)))
        return tuple(rows)

    def sheet_rows(self, sheet: Mapping[str, Any]) -> tuple[Row, ...]:
        if not sheet:
            return (Row("Lot Information Sheet", "not entered", "MISSING"),)
        weight = sheet.get("weight_kg")
        return (Row(f"Sheet: {FIELD_WORDS['weight_kg']}",
                    None if weight is None else f"{float(weight):g} kg"),
                Row(f"Sheet: {FIELD_WORDS['sheet_bag_count']}", sheet.get("sheet_bag_count")))

    # ------------------------------------------------------------------------ labels
    def scans(self) -> tuple[ScanView, ...]:
        found = []
        for e in self.events:
            if e.type != "receipt_label_accepted":
                continue
            label = e.data.get("label") or {}
            role = str(label.get("role"))
            if label.get("line"):
                role += f" (bag {label['line']})"
            found.append(scan_view(label.get("scan") or {}, self.at(e.at), "accepted", role,
                                   "receipt", e.user, self.workstation or None))
        return tuple(found)

    # ------------------------------------------------------------------------ afterwards
    def after(self) -> tuple[Row, ...]:
        rows = []
        for e in self.events:
            if e.type == "receipt_sent":
                rows.append(Row(f"{self.at(e.at)} · sent to the EHR by {e.user}",
                                ", ".join(e.data.get("resources") or ()) or "—"))
            elif e.type == "receipt_dispensed":
                rows.append(Row(f"{self.at(e.at)} · opened for infusion by {e.user}",
                                f"infusion procedure {e.data.get('procedure_id')}"))
            elif e.type in ("custody_released", "custody_handed_over"):
                what = e.type.removeprefix("custody_").replace("_", " ")
                rows.append(Row(f"{self.at(e.at)} · custody {what} by {e.user}",
                                e.data.get("reason")))
        return tuple(rows)

    def signatures(self) -> tuple[Row, ...]:
        rows = []
        for e in self.events:
            for raw in e.data.get("signatures", ()):
                s = Signature.from_dict(raw)
                rows.append(Row(s.user, f"{s.meaning}: {e.type.replace('_', ' ')} "
                                f"({self.at(s.at)})"))
        return tuple(rows)


def _double_check_rows(raw: Any) -> list[Row]:
    """Which values the second person typed again blind, and which were checked against which
    independent source instead (receipt/blind.py); a receipt verified before the rule
    was recorded says so rather than guess."""
    check = DoubleCheck.from_dict(raw)
    if check is None:
        return [Row("Values typed again blind", "not recorded (every value, before the rule "
                    "was recorded)")]
    retyped, against = check.words()
    return [Row("Values typed again blind by the second person", retyped),
            Row("Values typed once, checked against an independent source", against)]


def _bags(sheet: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    bags = sheet.get("bags")
    return [b for b in bags if isinstance(b, Mapping)] if isinstance(bags, list) else []


def _sheet_bag(number: int, raw: Mapping[str, Any]) -> SheetBag | Row:
    """A bag's sheet values as the receipt's model holds them; what cannot be read as numbers
    (a log written elsewhere) is printed as recorded and named, never guessed at."""
    try:
        return SheetBag(int(raw.get("number", number)), float(raw["cd34_per_kg"]),
                        float(raw["volume_ml"]))
    except (KeyError, TypeError, ValueError):
        return Row(f"Sheet: bag {number}", f"cannot be read as numbers: {dict(raw)}",
                   "UNREADABLE")


def _instant_text(raw: Any, zone: tzinfo | None) -> str | None:
    if isinstance(raw, Mapping):
        try:
            return when(Instant.from_dict(dict(raw)), zone)
        except (KeyError, TypeError, ValueError):
            return str(raw)
    return None if raw is None else str(raw)


def _source(source: Mapping[str, Any]) -> str:
    if not source:
        return "another workstation (not stated)"
    return "; ".join(f"{k}: {v}" for k, v in source.items() if v not in (None, "", [], {}))

