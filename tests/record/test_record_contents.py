"""Three procedures driven through the engine into a real log, printed to PDF by Qt, read back
with pypdf: every field the issue lists must be in the text."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pdftext import Printed
from record_builder import DEVIATION_REASON, NURSE_NAME, WITNESS_NAME, ZONE

from kresladi_bedside.clock import elapsed
from kresladi_bedside.engine.model import Event
from kresladi_bedside.record.times import duration


def local(event: Event) -> str:
    """The instant as the site reads it, formatted independently of the record code."""
    return event.at.wall.astimezone(ZoneInfo(ZONE)).strftime("%Y-%m-%d %H:%M:%S %z")[:-2] + ":00"


def bedside_wristband(p, n: int):
    """The wristband scan that re-confirmed bag `n` at the bedside."""
    return next(e for e in p.of("label_accepted") if e.data["label"]["stage"] == "bedside"
                and e.data["label"]["role"] == "wristband" and e.data["label"]["bag"] == n)


def test_completed_two_bag_record_has_every_field(printouts):
    p = printouts("completed")
    order, printed = p.order, p.printed
    patient = order.patient
    assert printed.missing(
        patient.name, patient.mrn, patient.dob.isoformat(), patient.coi, patient.patient_id,
        patient.gsrn, f"{order.weight_kg:g} kg", "KRESLADI", "marnetegragene autotemcel",
        *order.lots, "COMPLETE") == []
    for line in order.bags:
        n = line.number
        thaw, thawed = p.of("thaw_started", n)[0], p.of("thaw_completed", n)[0]
        started, ended = p.of("infusion_started", n)[0], p.of("infusion_ended", n)[0]
        assert printed.missing(
            f"Bag {n} of 2", line.bag_id, line.lot, "2035-12-31", "intact",
            f"Thaw started{local(thaw)}", f"Thaw completed{local(thawed)}",
            "Thaw duration (limit 5 min 00 s)4 min 00 s",
            f"Infusion started{local(started)}", f"Infusion ended{local(ended)}",
            "Thaw start to end of infusion (limit 30 min 00 s)15 min 00 s",
            f"wristband label {local(bedside_wristband(p, n))}",
            "Central venous access is used.", "No infusion pump is used.",
        ) == [], f"bag {n}"
    assert printed.missing(
        "Saline flush5 mL", "saline flush 4.5 mL → 5 mL; reason: flush syringe re-read: 5 mL",
        "Saline flush, total9.5 mL", "Total volume infused (bags + flush)49.5 mL",
        f"{49.5 / order.weight_kg:.2f} mL/kg",
        # Issue 23: the 1–2 h wait counts from the end of bag 1's flush (the bag administered
        # completely); both instants are printed.
        f"Bag 1's infusion ended{local(p.of('infusion_ended', 1)[0])}",
        "Bag 1's flush ended (administered completely: the wait counts from here)",
        "End of bag 1's flush → bag 2 thaw started",
        duration(elapsed(p.of("flush_logged", 1)[0].at, p.of("thaw_started", 2)[0].at)),
    ) == []


def test_gates_scans_signatures_alarms_and_instructions_are_printed(printouts):
    p = printouts("completed")
    printed = p.printed
    conditioning = p.of("conditioning_end_recorded")[0]
    ended = conditioning.data["conditioning_end"]["wall"]
    assert ended[:10] in printed.text
    assert printed.missing(
        "Infusion window (24–48 h after conditioning)", "3,200,000 CD34+ cells/kg",
        "-178 °C", "Ustekinumab before infusion was considered", "not given",
        "Autologous HSC transplantation was confirmed appropriate",
    ) == []
    for event in p.of("label_accepted"):
        scan = event.data["label"]["scan"]
        assert printed.has(scan["raw"]), scan["raw"]
    assert printed.has("scanned (wedge)")
    assert printed.has("TYPED — reason: label torn")
    assert printed.missing(NURSE_NAME, WITNESS_NAME, "witnessed by", "performed by") == []
    signature = p.of("label_accepted")[0].data["signatures"][1]
    assert signature["name"] == WITNESS_NAME
    assert printed.has(f"{WITNESS_NAME}p.ortizwitnessed by{local(p.of('label_accepted')[0])}")
    assert printed.missing("interbag_wait", "acknowledged by n.kim") == []
    assert printed.missing(
        "Irradiate any blood products required within the first 3 months",
        "The patient must never donate blood, organs, tissues or cells.") == []
    rejected = [e.data["rejection"]["reason"] for e in p.of("command_rejected")]
    assert rejected and all(printed.has(reason) for reason in rejected)
    assert printed.has("Bag 2 stays in liquid nitrogen until 1 hour after bag 1 was "
                       "administered (the end of its flush).")


def test_chain_head_hash_and_running_header_on_every_page(printouts):
    p = printouts("completed")
    seq, head = p.head
    assert seq == len(p.events)
    assert p.printed.has(head)
    assert p.pages == len(p.printed.pages) >= 2
    for number, page in enumerate(p.printed.pages, start=1):
        one = Printed([page])
        assert one.has(f"Page {number} of {p.pages}"), number
        assert one.has(p.order.patient.mrn) and one.has(p.pid), number
    assert not p.printed.has("TRAINING") and not p.printed.has("IN PROGRESS")


def test_stopped_record_shows_the_stop_and_the_manufacturer(printouts):
    p = printouts("stopped")
    stop = p.of("hard_stop")[0]
    assert p.printed.missing(
        "STOPPED", "Procedure stopped", "Rule", "integrity", stop.data["reason"],
        "COMPROMISED", "Rocket Pharmaceuticals, 1-800-982-2410",
        "note: crack along the port <b>seam</b>", "HARD STOP",
    ) == []
    # The instructions are printed all the same; nothing was given, so they do not apply yet.
    assert p.printed.has("not applicable: no KRESLADI was given")


def test_completed_record_has_no_manufacturer_block(printouts):
    assert not printouts("completed").printed.has("Manufacturer contact")


def test_deviation_record_shows_each_deviation_with_reason_and_signer(printouts):
    p = printouts("deviations")
    deviations = p.of("deviation_recorded")
    assert {d.data["rule"] for d in deviations} == {
        "conditioning_window", "thaw_time", "infusion_window", "interbag_window"}
    for d in deviations:
        assert p.printed.has(d.data["rule"]) and p.printed.has(d.data["what"]), d.data
    assert p.printed.has(DEVIATION_REASON)
    assert p.printed.has("Patient in imaging; thaw delayed")
    assert p.printed.has("deviation signed by")
    assert p.printed.has("Thaw duration (limit 5 min 00 s)6 min 40 s[DEVIATION]")
    assert p.printed.has("TYPED — reason: DataMatrix smudged; DIN typed")
    assert p.printed.has("deviation_required")
    assert p.printed.has("IN PROGRESS")  # bag 2 was thawing when printed
