"""The product ledger: a bag and a patient across every procedure of one store (finding 1)."""

from __future__ import annotations

from kresladi_bedside.ledger import Ledger, StoreLedger
from tests.engine.driver import DINS, PATIENT, Driver, order_dict, rejection

from .conftest import Ward


def _compromised(ward: Ward) -> Driver:
    first = ward.driver().open().order().gates().identity()
    out = first.do("inspect_bag", bag=1, intact=False, note="crack at the port")
    assert out.rejection is not None and out.rejection.kind == "hard_stop"
    return first


def test_finding_1_compromised_bag_cannot_enter_a_new_procedure(ward: Ward) -> None:
    first = _compromised(ward)
    ward.clock.advance(600)
    second = ward.driver().open()
    r = rejection(second.do("prepare_order", order=order_dict()))
    assert r["kind"] == "hard_stop" and r["rule"] == "custody_bag"
    earlier = r["details"]["earlier"]
    assert earlier["procedure_id"] == first.proc.procedure_id
    assert earlier["what"] == "compromised" and earlier["step"] == "inspect"
    assert first.proc.procedure_id[:8] in r["reason"] and "inspect" in r["reason"]
    assert "13:" in r["reason"]  # the time of the earlier inspection (local, START is 13:00 UTC)
    assert second.step == "order"  # nothing of the product entered the new procedure


def test_finding_1_infused_bag_cannot_be_given_again_and_patient_not_redosed(ward: Ward) -> None:
    first = ward.driver().complete()
    assert first.proc.state.outcome == "complete"
    ward.clock.advance(3600)
    # The same bags for the same child: the patient already received a dose.
    again = ward.driver().open()
    r = rejection(again.do("prepare_order", order=order_dict()))
    assert r["rule"] == "custody_patient" and r["kind"] == "hard_stop"
    assert r["details"]["earlier"]["what"] == "received"
    assert r["details"]["earlier"]["step"] == "infusion"
    # The same bag for another child (a relabelled order): the bag was given.
    other = order_dict()
    other["patient"] = {"mrn": "MRN0099999", "name": "DOE^JANE", "dob": "2023-01-01",
                        "coi": "CH0000000001"}
    r = rejection(ward.driver().open().do("prepare_order", order=other))
    assert r["rule"] == "custody_bag" and r["details"]["earlier"]["what"] == "infused"
    assert r["details"]["earlier"]["procedure_id"] == first.proc.procedure_id


def test_a_bag_of_an_open_procedure_is_resumed_never_restarted(ward: Ward) -> None:
    first = ward.driver().open().order()
    r = rejection(ward.driver().open().do("prepare_order", order=order_dict()))
    assert r["rule"] == "custody_patient" and r["details"]["earlier"]["what"] == "open"
    assert "resume" in r["reason"]
    assert r["details"]["earlier"]["procedure_id"] == first.proc.procedure_id


def test_a_procedure_stopped_before_any_thaw_frees_bags_and_patient(ward: Ward) -> None:
    first = ward.driver().open().order().gates().identity()
    first.ok("stop_procedure", reason="patient febrile, infusion postponed")
    ward.clock.advance(86400)
    second = ward.driver().open().order()  # accepted: nothing was thawed or given
    assert second.step == "gates"


def test_a_wrong_wristband_stops_the_procedure_but_not_the_product(ward: Ward) -> None:
    first = ward.driver().open().order().gates()
    out = first.scan("wristband", mrn="MRN0000001", name=PATIENT["name"])
    assert out.rejection is not None and out.rejection.kind == "hard_stop"
    ward.clock.advance(600)
    assert ward.driver().open().order().step == "gates"


def test_thawed_bag_is_barred_at_scan_when_the_order_names_it_otherwise(ward: Ward) -> None:
    """The first procedure knew the bag by its DIN and, from its label, its GS1 serial; the
    second order names it by a sheet identifier: the scan of its label (the serial) finds it."""
    first = ward.driver().open().order(bags=1, dose=(3.2e6,), lots=("LOT-A",)).gates()
    assert first.scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]).accepted
    assert first.scan("shipper", mrn=PATIENT["mrn"], coi=PATIENT["coi"]).accepted
    assert first.scan("cassette", din=DINS[0], serial="GS1-SER-0001", coi=PATIENT["coi"]).accepted
    assert first.scan("bag", din=DINS[0], serial="GS1-SER-0001", coi=PATIENT["coi"]).accepted
    first.ok("inspect_bag", bag=1, intact=True)
    first.ok("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    first.ok("stop_procedure", reason="line blocked")
    ward.clock.advance(3600)
    other = order_dict(bags=1, dose=(3.2e6,), lots=("LOT-A",))
    other["bags"][0]["bag_id"] = "SHEET-ID-7"  # the sheet's own identifier, not the DIN
    other["patient"] = {"mrn": "MRN0099999", "name": "DOE^JANE", "dob": "2023-01-01",
                        "coi": "CH0000000001"}
    second = ward.driver().open()
    second.ok("prepare_order", order=other)
    second.gates()
    assert second.scan("wristband", mrn="MRN0099999", name="DOE^JANE").accepted
    assert second.scan("shipper", mrn="MRN0099999", coi="CH0000000001").accepted
    out = second.scan("cassette", bag_id="SHEET-ID-7", serial="gs1 ser 0001",
                      coi="CH0000000001")
    assert out.rejection is not None and out.rejection.rule == "custody_bag"
    assert out.rejection.kind == "hard_stop"
    assert out.rejection.details["earlier"]["what"] == "thawed"
    assert second.proc.state.outcome == "stopped"
    # An order that names the serial is refused at once.
    other["bags"][0]["bag_id"] = "GS1SER0001"
    r = rejection(ward.driver().open().do("prepare_order", order=other))
    assert r["rule"] == "custody_bag"


def test_training_procedures_never_bar(ward: Ward) -> None:
    d = ward.driver()
    d.ok("open", training=True)
    d.order().gates().identity()
    assert d.do("inspect_bag", bag=1, intact=False).rejection is not None
    assert ward.driver().open().order().step == "gates"


def test_history_names_procedure_step_and_time(ward: Ward) -> None:
    first = ward.driver().complete()
    ledger = ward.ledger.ledger()
    history = ledger.bag(DINS[0].lower())  # case does not matter
    whats = [f.what for f in history.facts]
    assert whats[:2] == ["listed", "identified"]
    assert {"thawed", "infusion_started", "infused", "administered"} <= set(whats)
    thawed = next(f for f in history.facts if f.what == "thawed")
    assert thawed.procedure_id == first.proc.procedure_id and thawed.step == "thaw"
    assert history.used
    patient = ledger.patient(mrn=PATIENT["mrn"])
    assert patient.received and patient.procedures == (first.proc.procedure_id,)
    # The same from the events alone, without the store.
    pure = Ledger.from_events(first.proc.events)
    assert [f.what for f in pure.bag(DINS[0]).facts] == whats


def test_cache_folds_only_what_changed_and_survives_a_restart(ward: Ward) -> None:
    ward.driver().complete()
    ward.clock.advance(3600)
    ledger = ward.ledger
    ledger.ledger()
    before = ledger.folded_events
    ledger.ledger()
    assert ledger.folded_events == before  # nothing new: nothing folded
    d = Driver(clock=ward.clock)
    d.proc.custody = ledger
    from kresladi_bedside.store import StoreListener
    d.proc.subscribe(StoreListener(ward.store))
    d.ok("open")
    ledger.ledger()
    assert ledger.folded_events == before + 1  # only the new procedure's one event
    restarted = StoreLedger(ward.store)
    restarted.ledger()
    # The finished procedure comes from the cache table; only the open one is read.
    assert restarted.folded_events == 1
    assert restarted.ledger().bag(DINS[1]).used


def test_cache_row_that_does_not_match_the_chain_is_refolded(ward: Ward) -> None:
    first = ward.driver().complete()
    ward.ledger.ledger()
    ward.store.conn.execute("UPDATE ledger_facts SET hash = 'x' WHERE procedure_id = ?",
                            (first.proc.procedure_id,))
    fresh = StoreLedger(ward.store)
    assert fresh.ledger().bag(DINS[0]).used
    assert fresh.folded_events == len(first.proc.events)

