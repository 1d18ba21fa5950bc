"""Gather a procedure's facts from its events into the record's view.

The engine's fold gives the derived values (per-bag instants, corrected flush volumes, the
outcome); the events themselves give who did what and when, every scan as received, every
rejection and every signature. Pure: no store, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from ..clock import Instant
from ..engine.events import fact
from ..engine.model import Event, Order, OrderBag, Signature
from ..engine.state import BagState, State, fold
from ..engine.summary import any_given, stop_summary
from ..profile import Profile
from .handover import COPY_NOTE, by_file, handover_rows
from .text import ml
from .times import duration, when, zone_note
from .view import (
    HANDED_OVER,
    BagView,
    ChainStatus,
    DeviationView,
    EventLine,
    RecordError,
    RecordView,
    RejectionView,
    Row,
    ScanView,
    SignatureView,
)

PATIENT_LABELS = (("name", "Name"), ("mrn", "Medical record number (MRN)"),
                  ("dob", "Date of birth"), ("coi", "Chain of identity (COI)"),
                  ("patient_id", "Patient identification number"), ("gsrn", "Patient GSRN"))
MEANINGS = {"performed": "performed by", "witnessed": "witnessed by",
            "deviation": "deviation signed by", "acknowledged": "acknowledged by"}


def gather(events: Sequence[Event], profile: Profile, chain: ChainStatus, *,
           zone: tzinfo | None, site: str, printed_at: Instant | None) -> RecordView:
    """The record of the procedure whose events (oldest first) are `events`."""
    if not events or events[0].type != "procedure_opened":
        pid = events[0].procedure_id if events else "?"
        raise RecordError(f"procedure {pid}: the log does not start with procedure_opened")
    try:
        state = fold(events)
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError(f"procedure {events[0].procedure_id}: an event cannot be read "
                          f"({exc!r})") from exc
    return _Gatherer(events, state, profile, zone).view(chain, site, printed_at)


class _Gatherer:
    def __init__(self, events: Sequence[Event], state: State, profile: Profile,
                 zone: tzinfo | None) -> None:
        self.events = events
        self.state = state
        self.profile = profile
        self.zone = zone
        self.instructions = {i.id: i for i in profile.instructions}

    def at(self, instant: Instant | None) -> str | None:
        return when(instant, self.zone)

    def of_type(self, *types: str) -> list[Event]:
        return [e for e in self.events if e.type in types]

    def first(self, type_: str, bag: int | None = None) -> Event | None:
        return next((e for e in self.events if e.type == type_
                     and (bag is None or e.data.get("bag") == bag)), None)

    # ---------------------------------------------------------------------------- the record
    def view(self, chain: ChainStatus, site: str, printed_at: Instant | None) -> RecordView:
        opened = self.events[0]
        order = self.state.order
        status = {"complete": "COMPLETE", "stopped": "STOPPED"}.get(
            self.state.outcome or "", HANDED_OVER if self.state.moved_out else "IN PROGRESS")
        return RecordView(
            procedure_id=opened.procedure_id,
            product=str(opened.data.get("product_name") or self.profile.name),
            status=status,
            training=self.state.training,
            site=str(opened.data.get("site") or site),
            zone_note=self.zone_note(),
            printed_at=self.at(printed_at),
            patient_line=_patient_line(order),
            patient=self.patient(order),
            order=self.order_rows(order),
            gates=self.gates(),
            bags=tuple(self.bag(order.bag(b.number), b) for b in self.state.bags) if order
            else (),
            totals=self.totals(order),
            intervals=self.intervals(),
            scans=self.scans(),
            rejections=self.rejections(),
            hard_stops=self.hard_stops(),
            deviations=self.deviations(),
            signatures=self.signatures(),
            alarms=self.alarms(),
            post_infusion=self.post_infusion(),
            stop=self.stop(),
            chain=chain,
            events=tuple(EventLine(seq, self.at(e.at), e.type, e.user, _summary(e))
                         for seq, e in enumerate(self.events, start=1)),
            handovers=handover_rows(self.events, self.at),
            handover_note=COPY_NOTE if by_file(self.events) else None,
        )

    def zone_note(self) -> str:
        return zone_note(self.zone)

    # ---------------------------------------------------------------------------- patient
    def patient(self, order: Order | None) -> tuple[Row, ...]:
        if order is None:
            return (Row("Patient", "no order (Lot Information Sheet) was entered", "MISSING"),)
        ids = order.patient.identifiers()
        rows = [Row(label, ids[key]) for key, label in PATIENT_LABELS if key in ids]
        rows.append(Row("Weight before first apheresis", f"{order.weight_kg:g} kg"))
        return tuple(rows)

    def order_rows(self, order: Order | None) -> tuple[Row, ...]:
        if order is None:
            return ()
        minimum = self.profile.rule("min_dose")["value"]
        return (
            Row("Product", f"{self.profile.name} ({self.profile.generic_name})"),
            Row("Lots", ", ".join(order.lots)),
            Row("Bags on the Lot Information Sheet", order.sheet_bag_count),
            Row("Bags entered", len(order.bags)),
            Row("Dose", f"{order.dose_cd34_per_kg:,.0f} CD34+ cells/kg "
                        f"(minimum {minimum:,.0f})"),
        )

    # ---------------------------------------------------------------------------- gates
    def gates(self) -> tuple[Row, ...]:
        rows: list[Row] = []
        rule = self.profile.rule("conditioning_window")
        end = self.state.conditioning_end
        recorded = self.first("conditioning_end_recorded")
        start = self.state.conditioning_start
        read = _from_ehr(recorded.data if recorded is not None else {})
        rows.append(Row("Myeloablative conditioning began",
                        f"{self.at(start)}{read}" if start else self.unknown("conditioning_start")))
        rows.append(Row("Myeloablative conditioning completed",
                        f"{self.at(end)}{read}" if end else "not recorded",
                        None if end else "MISSING"))
        if end is not None:
            rows.append(Row(f"Infusion window ({rule['min_hours']}–{rule['max_hours']} h after "
                            "conditioning)", f"{self.at(end.plus(rule['min_hours'] * 3600))} to "
                            f"{self.at(end.plus(rule['max_hours'] * 3600))}"))
            for bag in self.state.bags:
                if bag.infusion_started is not None:
                    gone = self.state.timeline.span(end, bag.infusion_started).best()
                    late = gone > rule["max_hours"] * 3600
                    rows.append(Row(f"Bag {bag.number} infusion started after conditioning",
                                    duration(gone), "DEVIATION" if late else None))
        if recorded is not None:
            rows.append(Row("Conditioning end entered", f"{self.at(recorded.at)} by "
                            f"{recorded.user}"))
        backup = self.first("backup_confirmed")
        read = _from_ehr(backup.data if backup is not None else {})
        rows.append(Row("Back-up CD34+ collection", "not confirmed" if backup is None else
                        f"available, {float(backup.data['cd34_per_kg']):,.0f} CD34+ cells/kg"
                        f"{read} (confirmed {self.at(backup.at)} by {backup.user})",
                        "MISSING" if backup is None else None))
        confirmed_at = self.state.backup_confirmed_at
        rows.append(Row("Back-up availability confirmed at",
                        f"{self.at(confirmed_at)}{read}" if confirmed_at
                        else self.unknown("backup_confirmed_at")))
        for aside in self.of_type("ehr_values_set_aside"):
            rows.append(Row("EHR values set aside (typed from the chart instead)",
                            f"{', '.join(_resource_words(s) for s in aside.data['sources'])} "
                            f"({self.at(aside.at)} by {aside.user})"))
        rows.append(Row("KRESLADI received and stored on site at",
                        self.at(self.state.stored_at) or self.unknown("stored_at")))
        storage = self.first("storage_confirmed")
        limit = self.profile.rule("storage")["max_celsius"]
        rows.append(Row(f"Storage, vapor-phase LN2 (≤ {limit} °C)", "not confirmed"
                        if storage is None else f"{storage.data['temperature_c']:g} °C "
                        f"(confirmed {self.at(storage.at)} by {storage.user})",
                        "MISSING" if storage is None else None))
        for event in self.of_type("attested"):
            for key, value in event.data.get("items", {}).items():
                rows.append(Row(self._instruction_text(key),
                                f"{_answer(value)} ({self.at(event.at)} by {event.user})"))
        return tuple(rows)

    def _instruction_text(self, key: str) -> str:
        found = self.instructions.get(key)
        return found.text if found else key

    # ---------------------------------------------------------------------------- bags
    def bag(self, line: OrderBag, bag: BagState) -> BagView:
        n = bag.number
        inspected = self.first("bag_inspected", n)
        line_checked = self.first("line_checked", n)
        flush = self.first("flush_logged", n)
        thaw_limit = self.profile.rule("thaw_time")["max_seconds"]
        window = self.profile.rule("infusion_window")["max_seconds"]
        thaw_s = self.seconds(bag.thaw_started, bag.thaw_completed)
        to_end_s = self.seconds(bag.thaw_started, bag.infusion_ended)
        # each attested item right after the step it was attested at
        rows = [
            Row("DIN / bag identifier", line.bag_id),
            Row("Lot", line.lot),
            Row("Expiry (Lot Information Sheet)", self.at(Instant.from_wall(line.expiry))),
            Row("CD34+ cells/kg in this bag", f"{line.cd34_per_kg:,.0f}"),
            Row("Bag volume", "not entered" if line.volume_ml is None
                else f"{line.volume_ml:g} mL"),
            Row("Integrity check", _integrity(inspected, self.at),
                "STOP" if bag.intact is False else None),
            Row("Identity before thaw", self._identity(n, "initial")),
            self._prethaw(n),
            Row("Thaw method", {"water_bath": "37 °C water bath", "dry": "dry thaw"}.get(
                bag.thaw_method or "", bag.thaw_method)),
            *self._attested_rows(n, "thaw_started"),
            Row("Thaw started", self.at(bag.thaw_started)),
            Row("Thaw completed", self.at(bag.thaw_completed)),
            *self._attested_rows(n, "thaw_completed"),
            Row(f"Thaw duration (limit {duration(thaw_limit)})", duration(thaw_s),
                _over(thaw_s, thaw_limit)),
            Row("Bedside identity check", self._identity(n, "bedside")),
            Row("Line checks", self._line_checks(line_checked)),
            Row("Infusion started", self.at(bag.infusion_started)),
            Row("Infusion ended", self.at(bag.infusion_ended)),
            *self._attested_rows(n, "infusion_ended"),
            Row(f"Thaw start to end of infusion (limit {duration(window)})", duration(to_end_s),
                _over(to_end_s, window)),
            Row("Saline flush", self._flush_text(bag, flush),
                "DEVIATION" if self.state.has_deviation("flush", n) else None),
            Row("Saline flush ended", self.at(bag.flush_ended)),
            Row("Bag completely administered (end of infusion)", self.at(bag.infusion_ended)),
        ]
        corrections = tuple(
            Row(f"Correction {self.at(e.at)} by {e.user}",
                f"saline flush {ml(e.data.get('previous', {}).get('volume_ml'))} → "
                f"{ml(e.data.get('changes', {}).get('volume_ml'))}; reason: "
                f"{e.data.get('reason')}")
            for e in self.of_type("correction") if e.data.get("bag") == n)
        return BagView(n, tuple(rows), corrections)

    def _attested_rows(self, bag: int, *types: str) -> list[Row]:
        """The items the nurse attested at this bag's steps (sterile overbag, no visible ice and
        room temperature, entire contents infused), each with when and by whom."""
        rows = []
        for event in self.of_type(*types):
            if event.data.get("bag") != bag:
                continue
            for key, value in (event.data.get("attested") or {}).items():
                rows.append(Row(self._instruction_text(key),
                                f"{_answer(value)} ({self.at(event.at)} by {event.user})"))
        return rows

    def _flush_text(self, bag: BagState, flush: Event | None) -> str | None:
        if bag.flush_ml is None:
            return None
        order = self.state.order
        text = f"{bag.flush_ml:g} mL"
        if order is not None:
            text += f" = {bag.flush_ml / order.weight_kg:.2f} mL/kg at {order.weight_kg:g} kg"
        threshold = flush.data.get("threshold_ml_per_kg") if flush else None
        if threshold is not None:
            text += f" (site threshold {float(threshold):g} mL/kg, all flushes together)"
        if flush is not None:
            text += f"; logged {self.at(flush.at)} by {flush.user}"
        return text

    def _prethaw(self, bag: int) -> Row:
        """What the hospital's record answered to the search before this bag's thaw."""
        checked = [e for e in self.of_type("prethaw_checked") if e.data.get("bag") == bag]
        if not checked:
            return Row("Hospital record checked before thaw", "no check recorded")
        e = checked[-1]
        verdict = str(e.data.get("verdict"))
        words = {"found": "FOUND — already given", "not_found": "not given before",
                 "not_checked": "NOT CHECKED"}.get(verdict, verdict)
        return Row("Hospital record checked before thaw",
                   f"{words} ({self.at(e.at)}): {e.data.get('detail')}",
                   "STOP" if verdict == "found" else None)

    def _identity(self, bag: int, stage: str) -> str | None:
        """The labels of this bag confirmed at `stage`: before thaw the cassette and bag
        labels; at the bedside the wristband and bag labels."""
        found = []
        for event in self.of_type("label_accepted"):
            label = event.data.get("label", {})
            if label.get("stage") == stage and label.get("bag") == bag:
                matched = ", ".join(label.get("matched") or ()) or "—"
                found.append(f"{label.get('role')} label {self.at(event.at)} by {event.user} "
                             f"(matched: {matched})")
        return "; ".join(found) or None

    def _line_checks(self, event: Event | None) -> str | None:
        if event is None:
            return None
        items = " ".join(self._instruction_text(k) for k, v in
                          event.data.get("items", {}).items() if v)
        return f"{items} ({self.at(event.at)} by {event.user})"

    # ---------------------------------------------------------------------------- totals
    def totals(self, order: Order | None) -> tuple[Row, ...]:
        if order is None:
            return ()
        infused = [b for b in self.state.bags if b.infusion_started is not None]
        volumes = [order.bag(b.number).volume_ml for b in infused]
        flush = sum(b.flush_ml or 0.0 for b in infused)
        threshold = self.state.policy.get("flush_warn_ml_per_kg")
        rows = [Row("Bags infused", f"{len(infused)} of {len(order.bags)}"),
                Row("Saline flush, total", f"{flush:g} mL = {flush / order.weight_kg:.2f} mL/kg"
                    + (f" (site threshold {float(threshold):g} mL/kg)" if threshold else ""),
                    "DEVIATION" if threshold and flush / order.weight_kg > float(threshold)
                    else None)]
        if any(v is None for v in volumes):
            rows.append(Row("Total volume infused", "unknown: a bag volume was not entered",
                            "MISSING"))
        else:
            total = sum(v or 0.0 for v in volumes) + flush
            rows.append(Row("Total volume infused (bags + flush)", f"{total:g} mL"))
            rows.append(Row("Volume per kg", f"{total / order.weight_kg:.2f} mL/kg "
                            f"(weight {order.weight_kg:g} kg)"))
        return tuple(rows)

    def intervals(self) -> tuple[Row, ...]:
        rule = self.profile.rule("interbag_window")
        rows = []
        for previous, bag in zip(self.state.bags, self.state.bags[1:], strict=False):
            done = self.state.administered_at(previous.number)
            gone = self.seconds(done, bag.thaw_started)
            flag = None
            if gone is not None and not rule["min_seconds"] <= gone <= rule["max_seconds"]:
                flag = "DEVIATION"
            rows.append(Row(f"Bag {previous.number}'s infusion ended",
                            self.at(previous.infusion_ended)))
            rows.append(Row(f"Bag {previous.number}'s flush ended (administered completely: "
                            "the wait counts from here)", self.at(done)))
            rows.append(Row(f"End of bag {previous.number}'s flush → bag {bag.number} thaw "
                            f"started ({duration(rule['min_seconds'])} to "
                            f"{duration(rule['max_seconds'])})",
                            duration(gone) or "bag not thawed", flag))
        return tuple(rows)

    def seconds(self, start: Instant | None, end: Instant | None) -> float | None:
        """On the procedure's timeline: never negative (timeline.py)."""
        if start is None or end is None:
            return None
        return self.state.timeline.span(start, end).best()

    # ---------------------------------------------------------------------------- scans
    def scans(self) -> tuple[ScanView, ...]:
        """Every label offered, by whom and where: the workstation is the one the procedure
        was opened on, last started again on, or taken over by (procedure_opened,
        program_started, procedure_taken_over or its retired name)."""
        found: list[ScanView] = []
        where: str | None = None
        for event in self.events:
            if event.type in ("procedure_opened", "program_started"):
                where = event.data.get("workstation") or where
            elif fact(event.type) == "procedure_taken_over":
                where = event.data.get("to_workstation") or where
            elif event.type == "label_accepted":
                label = event.data.get("label", {})
                role = str(label.get("role"))
                if label.get("bag"):
                    role += f" (bag {label['bag']})"
                carried = event.data.get("carried_from")  # a log from before issue 23
                if carried:  # scanned by the pharmacy, not by whoever opened the infusion
                    found.append(scan_view(
                        label.get("scan", {}), self.at(event.at), "accepted", role,
                        f"scanned at receipt {carried} (section 2a), carried into this "
                        "procedure", f"the pharmacy (carried over when {event.user} opened "
                        "the infusion)", None))
                    continue
                found.append(scan_view(label.get("scan", {}), self.at(event.at), "accepted",
                                       role, str(label.get("stage")), event.user, where))
            elif event.type == "command_rejected" and event.data.get("command") == "scan":
                scan = event.data.get("args", {}).get("scan")
                reason = event.data.get("rejection", {}).get("reason", "")
                found.append(scan_view(scan if isinstance(scan, Mapping) else {},
                                       self.at(event.at), f"rejected: {reason}", "—", "—",
                                       event.user, where))
            elif event.type == "hard_stop" and isinstance(
                    event.data.get("details", {}).get("scan"), Mapping):
                found.append(scan_view(event.data["details"]["scan"], self.at(event.at),
                                       f"HARD STOP: {event.data.get('reason')}", "—", "—",
                                       event.user, where))
        return tuple(found)

    # ---------------------------------------------------------------------------- problems
    def rejections(self) -> tuple[RejectionView, ...]:
        return tuple(
            RejectionView(self.at(e.at), str(e.data.get("command")), str(r.get("kind")),
                          str(r.get("rule")), str(r.get("reason")), str(r.get("citation")),
                          e.user)
            for e in self.of_type("command_rejected")
            for r in (e.data.get("rejection", {}),))

    def hard_stops(self) -> tuple[Row, ...]:
        return tuple(Row(f"{self.at(e.at)} · rule {e.data.get('rule')}",
                         f"{e.data.get('reason')} — {e.data.get('citation')}", "HARD STOP")
                     for e in self.of_type("hard_stop"))

    def unknown(self, instant: str) -> str:
        """A conditioning-order instant not recorded: attested unknown (by whom, why: its
        signature is on the deviation), or simply not recorded (an older log)."""
        for event in self.of_type("order_instant_unknown"):
            if event.data.get("instant") == instant:
                return (f"unknown — attested {self.at(event.at)} by {event.data.get('signed_by')}"
                        f": {event.data.get('reason')}")
        return "not recorded"

    def deviations(self) -> tuple[DeviationView, ...]:
        return tuple(
            DeviationView(self.at(e.at), str(e.data.get("rule")), e.data.get("bag"),
                          str(e.data.get("what", "")), _measured(e.data),
                          str(e.data.get("reason")), self._signer(e))
            for e in self.of_type("deviation_recorded"))

    def _signer(self, event: Event) -> str:
        signed = [Signature.from_dict(s) for s in event.data.get("signatures", ())]
        if signed:
            return "; ".join(f"{s.name} ({s.user}) {self.at(s.at)}" for s in signed)
        return str(event.data.get("signed_by"))

    def signatures(self) -> tuple[SignatureView, ...]:
        found: list[SignatureView] = []
        for event in self.events:
            act = f"{event.type} ({_summary(event)})" if _summary(event) else event.type
            for raw in event.data.get("signatures", ()):
                s = Signature.from_dict(raw)
                found.append(SignatureView(s.name, s.user, MEANINGS.get(s.meaning, s.meaning),
                                           self.at(s.at), act))
            if event.data.get("witness"):
                found.append(SignatureView("—", str(event.data["witness"]), "witness named",
                                           self.at(event.at), act))
        return tuple(found)

    def alarms(self) -> tuple[Row, ...]:
        rows = []
        for e in self.of_type("alarm_acknowledged", "alarm_silenced", "clock_change_noted"):
            if e.type in ("alarm_acknowledged", "alarm_silenced"):
                bag = f" (bag {e.data['bag']})" if e.data.get("bag") else ""
                how = "acknowledged" if e.type == "alarm_acknowledged" else \
                    f"sound silenced {e.data.get('seconds', 0) / 60:g} min"
                where = " at the lock screen" if e.data.get("screen") == "lock" else ""
                rows.append(Row(f"{self.at(e.at)} · {how} by {e.user}{where}",
                                f"alarm: {e.data.get('alarm')}{bag}"))
            else:
                detail = ", ".join(f"{k}: {v}" for k, v in e.data.items())
                rows.append(Row(f"{self.at(e.at)} · noted by {e.user}",
                                f"workstation clock changed{': ' + detail if detail else ''}",
                                "CLOCK"))
        return tuple(rows)

    def post_infusion(self) -> tuple[Row, ...]:
        acknowledged = self.first("post_infusion_acknowledged")
        flag = None
        if acknowledged is not None:
            note = f"acknowledged {self.at(acknowledged.at)} by {acknowledged.user}"
        elif not any_given(self.state):
            note = "not applicable: no KRESLADI was given"
        else:
            note, flag = "NOT ACKNOWLEDGED", "MISSING"
        return tuple(Row(i.text, note, flag)
                     for i in self.profile.instructions_for("post_infusion"))

    def stop(self) -> tuple[Row, ...]:
        if self.state.outcome != "stopped":
            return ()
        stopped = self.of_type("procedure_stopped")[-1]
        summary = stop_summary(self.state, self.profile)
        rows = [Row("Stopped", f"{self.at(stopped.at)} by {stopped.user}"),
                Row("Outcome", summary.title),
                *(Row("What was given", line) for line in summary.given),
                Row("Rule", self.state.stop_rule or "— (ended by the user)"),
                Row("Reason", self.state.stop_reason),
                Row("Manufacturer contact", f"{self.profile.manufacturer_contact} — "
                    f"{self.profile.manufacturer_when}")]
        if summary.backup:
            cited = f" {summary.backup_citation}" if summary.backup_citation else ""
            rows.append(Row("Back-up collection", summary.backup + cited))
        return tuple(rows)


# ---------------------------------------------------------------------------------- helpers
def _patient_line(order: Order | None) -> str:
    if order is None:
        return "patient not entered"
    p = order.patient
    return f"{p.name} · MRN {p.mrn} · DOB {p.dob.isoformat()}"


def _over(seconds: float | None, limit: float) -> str | None:
    return "DEVIATION" if seconds is not None and seconds > limit else None


def _measured(data: Mapping[str, Any]) -> str | None:
    """A deviation's measured value: a duration, or a number with its unit (mL/kg)."""
    if data.get("unit"):
        return f"{float(data.get('measured', 0)):.2f} {data['unit']}"
    return duration(data.get("measured_s"))


def _answer(value: Any) -> str:
    return "confirmed" if value is True else str(value)


def _integrity(event: Event | None, at: Any) -> str | None:
    if event is None:
        return None
    verdict = "intact" if event.data.get("intact") else "COMPROMISED"
    note = f"; note: {event.data['note']}" if event.data.get("note") else ""
    return f"{verdict} ({at(event.at)} by {event.user}){note}"


def scan_view(scan: Mapping[str, Any], at: str | None, outcome: str, role: str, stage: str,
              user: str, workstation: str | None = None) -> ScanView:
    """One label as the record prints it (the infusion's scans and the receipt's)."""
    source = str(scan.get("source", "?"))
    if source == "typed":
        arrival = f"TYPED — reason: {scan.get('typed_reason') or '(none)'}"
    else:
        arrival = f"scanned ({source})"
    identifiers = scan.get("identifiers") or {}
    shown = "; ".join(f"{k}={v}" for k, v in identifiers.items()) \
        if isinstance(identifiers, Mapping) else str(identifiers)
    return ScanView(at, outcome, role if role != "—" else f"offered as {scan.get('kind', '?')}",
                    stage, arrival, scan.get("symbology"), shown, str(scan.get("raw", "")), user,
                    workstation)


def _summary(event: Event) -> str:
    d = event.data
    parts = []
    label = d.get("label")
    if isinstance(label, Mapping):
        bag = f" of bag {label['bag']}" if label.get("bag") else ""
        parts.append(f"{label.get('role')} label{bag}, {label.get('stage')}")
    if d.get("bag") is not None:
        parts.append(f"bag {d['bag']}")
    for key in ("rule", "command", "alarm", "method"):
        if d.get(key):
            parts.append(f"{key}: {d[key]}")
    return ", ".join(parts)


def _resource_words(source: Mapping[str, Any]) -> str:
    version = source.get("version")
    return f"{source.get('resource')}" + (f", version {version}" if version else "")


def _from_ehr(data: Mapping[str, Any]) -> str:
    """" (from the EHR: Procedure/abc, version 2)" for values read from the hospital's EHR,
    "" for values typed at the bedside."""
    source = data.get("source")
    if not isinstance(source, Mapping):
        return ""
    return f" (from the EHR: {_resource_words(source)})"
