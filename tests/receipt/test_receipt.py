"""Receipt as its own procedure: labels against the patient, storage, the typed sheet and its
independent double check, and the order the bedside receives."""

from __future__ import annotations

from datetime import date

from kresladi_bedside.labels import samples
from kresladi_bedside.receipt import awaiting_infusion, fold, receipt_ids
from kresladi_bedside.store import verify

from .conftest import PIN_A, PIN_B, SAMPLE, Desk, sheet


def open_and_scan(desk: Desk, bags: int = 2) -> None:
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn,
                                    "ehr": {"mrn": SAMPLE.mrn, "name": "RIVERA^MATEO",
                                            "dob": "2024-03-15"}}).accepted
    assert desk.scan(samples.shipper_payload()).accepted
    for n in range(1, bags + 1):
        assert desk.scan(samples.cassette_payload(n)).accepted
    assert desk.do("record_storage", {"temperature_c": -185.5, "location": "LN2 tank 2",
                                      "in_cassettes": True}).accepted


def test_a_complete_receipt_gives_the_order_read_from_labels_and_the_verified_sheet(
        desk: Desk) -> None:
    outcome = desk.receive()
    assert outcome.accepted, outcome.rejection
    state = desk.receipt.state
    assert state.outcome == "received"
    order = state.order
    assert order is not None
    # Bag data came from the cassette labels, patient name and DOB from the EHR.
    assert [b.bag_id for b in order.bags] == [b.din for b in samples.SAMPLE_BAGS]
    assert [b.lot for b in order.bags] == [b.lot for b in samples.SAMPLE_BAGS]
    assert order.bags[0].expiry.strftime("%Y-%m-%dT%H:%M") == "2035-11-30T12:00"
    assert order.patient.coi == SAMPLE.coi and order.patient.patient_id == SAMPLE.patient_id
    assert order.patient.name == "Rivera, Mateo" and order.patient.dob == date(2024, 3, 15)
    assert order.weight_kg == 9.5 and order.bags[1].cd34_per_kg == 1.9e6
    # One chain in the store, verified, listed as awaiting infusion, and not a procedure.
    assert receipt_ids(desk.store) == [state.receipt_id]
    assert verify(desk.store).ok
    assert [r.receipt_id for r in awaiting_infusion(desk.store)] == [state.receipt_id]
    assert fold(desk.store.events(state.receipt_id or "")) == state


def test_a_typed_value_that_differs_from_the_verifiers_check_is_refused_naming_the_field(
        desk: Desk) -> None:
    open_and_scan(desk)
    assert desk.do("enter_sheet", {"sheet": sheet()}).accepted
    checked = sheet()
    checked["bags"][1]["cd34_per_kg"] = 1.8e6  # the verifier reads 1.8 on the paper
    outcome = desk.do("verify_sheet", {"sheet": checked}, verifier=(desk.bob, PIN_B))
    assert not outcome.accepted
    assert outcome.rejection.rule == "double_check"
    assert outcome.rejection.details["field"] == "bag2.cd34_per_kg"
    assert "bag 2: CD34+ cells/kg" in outcome.rejection.reason
    assert "1900000" not in outcome.rejection.reason and "1.9" not in outcome.rejection.reason
    assert desk.receipt.state.verified_by is None
    # The refusal is logged without either typed value.
    logged = desk.store.events(desk.receipt.receipt_id)[-1]
    assert logged.type == "receipt_rejected" and "sheet" not in logged.data["args"]
    assert not desk.do("complete_receipt").accepted
    # Weight differs: named too.
    outcome = desk.do("verify_sheet", {"sheet": sheet(weight_kg=5.9)},
                      verifier=(desk.bob, PIN_B))
    assert outcome.rejection.details["field"] == "weight_kg"
    assert desk.do("verify_sheet", {"sheet": sheet()}, verifier=(desk.bob, PIN_B)).accepted


def test_the_same_person_cannot_verify(desk: Desk) -> None:
    open_and_scan(desk)
    assert desk.do("enter_sheet", {"sheet": sheet()}).accepted
    # Alice typed; Bob takes over the workstation and names Alice as verifier: refused.
    desk.people.sign_in(f"BADGE:{desk.bob.badge}", PIN_B)
    outcome = desk.do("verify_sheet", {"sheet": sheet()}, verifier=(desk.alice, PIN_A))
    assert not outcome.accepted
    assert outcome.rejection.rule == "double_check"
    assert outcome.rejection.details["code"] == "self_verify"
    assert desk.receipt.state.verified_by is None


def test_a_verifier_without_the_pharmacy_role_cannot_sign(desk: Desk) -> None:
    import pytest

    from kresladi_bedside.people import PeopleError

    from .conftest import PIN_N

    open_and_scan(desk)
    assert desk.do("enter_sheet", {"sheet": sheet()}).accepted
    with pytest.raises(PeopleError):
        desk.do("verify_sheet", {"sheet": sheet()}, verifier=(desk.nurse, PIN_N))


def test_a_cassette_label_whose_patient_differs_from_the_ehr_patient_is_a_hard_stop(
        desk: Desk) -> None:
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn, "ehr": {
        "mrn": SAMPLE.mrn, "name": "RIVERA^MATEO", "dob": "2024-03-15"}}).accepted
    assert desk.scan(samples.shipper_payload()).accepted
    outcome = desk.scan(samples.cassette_payload(1, dob=date(2024, 3, 16)))
    assert outcome.rejection.kind == "hard_stop"
    assert outcome.rejection.details["field"] == "dob"
    assert "EHR" in outcome.rejection.reason and "1-800-982-2410" in outcome.rejection.reason
    assert desk.receipt.state.outcome == "stopped"
    assert [e.type for e in outcome.events] == ["receipt_stopped"]
    assert not desk.scan(samples.cassette_payload(1)).accepted  # nothing more is received


def test_a_cassette_from_another_shipment_is_a_hard_stop_naming_the_field(desk: Desk) -> None:
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn, "ehr": None}).accepted
    assert desk.scan(samples.shipper_payload()).accepted
    outcome = desk.scan(samples.cassette_payload(1, coi="CHW123426000999"))
    assert outcome.rejection.kind == "hard_stop" and outcome.rejection.details["field"] == "coi"


def test_sheet_name_or_dob_unlike_the_ehr_is_a_hard_stop_after_the_double_check(
        desk: Desk) -> None:
    open_and_scan(desk)
    typed = sheet(name="RIVERA, MATTEO")
    assert desk.do("enter_sheet", {"sheet": typed}).accepted
    outcome = desk.do("verify_sheet", {"sheet": typed}, verifier=(desk.bob, PIN_B))
    assert outcome.rejection.kind == "hard_stop" and outcome.rejection.details["field"] == "name"
    assert desk.receipt.state.outcome == "stopped"


def test_storage_warmer_than_minus_150_and_bags_out_of_cassettes_are_refused(
        desk: Desk) -> None:
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn}).accepted
    assert desk.scan(samples.bag_payload(1)).rejection.rule == "storage"
    out = desk.do("record_storage", {"temperature_c": -140, "location": "tank",
                                     "in_cassettes": True})
    assert out.rejection.rule == "storage" and "16.2" in out.rejection.citation
    nan = desk.do("record_storage", {"temperature_c": float("nan"), "location": "tank",
                                     "in_cassettes": True})
    assert not nan.accepted


def test_expired_cassette_is_a_hard_stop_and_a_duplicate_is_refused(desk: Desk) -> None:
    from datetime import UTC, datetime

    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn}).accepted
    assert desk.scan(samples.cassette_payload(1)).accepted
    assert desk.scan(samples.cassette_payload(1)).rejection.rule == "already_accepted"
    expired = samples.cassette_payload(2, expiry=datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    assert desk.scan(expired).rejection.rule == "expiry"


def test_a_dose_under_the_minimum_is_refused_with_the_engines_rule(desk: Desk) -> None:
    open_and_scan(desk, bags=1)
    low = sheet(1)
    low["bags"][0]["cd34_per_kg"] = 2.0e6
    assert desk.do("enter_sheet", {"sheet": low}).accepted
    assert desk.do("verify_sheet", {"sheet": low}, verifier=(desk.bob, PIN_B)).accepted
    outcome = desk.do("complete_receipt")
    assert outcome.rejection.rule == "min_dose" and "§2.1" in outcome.rejection.citation


def test_sheet_values_are_validated_naming_the_field(desk: Desk) -> None:
    open_and_scan(desk)
    bad = sheet()
    bad["bags"][0]["volume_ml"] = float("inf")
    out = desk.do("enter_sheet", {"sheet": bad})
    assert out.rejection.details["field"] == "bag1.volume_ml"
    assert desk.do("enter_sheet", {"sheet": sheet(dob="15/03/2024")}).rejection.details[
        "field"] == "dob"
    assert desk.do("enter_sheet", {"sheet": sheet(1)}).rejection.rule == "bag_count"


def test_a_nurse_cannot_receive(desk: Desk) -> None:
    from .conftest import PIN_N, badge

    desk.people.sign_in(badge(desk.nurse.badge), PIN_N)
    out = desk.do("open_receipt", {"mrn": SAMPLE.mrn})
    assert out.rejection.rule == "role"


def test_a_concern_is_recorded_with_the_manufacturer_contact(desk: Desk) -> None:
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn}).accepted
    out = desk.do("record_concern", {"text": "shipper seal broken"})
    assert out.events[0].data["contact"] == "Rocket Pharmaceuticals, 1-800-982-2410"


def test_the_listing_says_expired_and_shows_concerns(desk: Desk, clock) -> None:
    from kresladi_bedside.receipt import describe

    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn}).accepted
    assert desk.do("record_concern", {"text": "outer carton dented"}).accepted
    for payload in (samples.shipper_payload(), samples.cassette_payload(1),
                    samples.cassette_payload(2)):
        assert desk.scan(payload).accepted
    assert desk.do("record_storage", {"temperature_c": -180, "location": "tank",
                                      "in_cassettes": True}).accepted
    assert desk.do("enter_sheet", {"sheet": sheet()}).accepted
    from .conftest import PIN_B
    assert desk.do("verify_sheet", {"sheet": sheet()}, verifier=(desk.bob, PIN_B)).accepted
    assert desk.do("complete_receipt").accepted
    state = awaiting_infusion(desk.store)[0]
    text = describe(state, clock.now().wall)
    assert "Concern at receipt: outer carton dented" in text and "EXPIRED" not in text
    from datetime import UTC, datetime
    assert describe(state, datetime(2036, 1, 1, tzinfo=UTC)).splitlines()[1].startswith(
        "EXPIRED")


def test_a_disabled_pharmacist_is_told_the_account_is_disabled_by_the_one_guard(
        desk: Desk) -> None:
    # The receipt's guard is the people guard with the pharmacy's duty: a user disabled while
    # signed in (elsewhere: the CLI, another process) is told so, not "not signed in".
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn}).accepted
    desk.people.audit.record("user_disabled", desk.alice.id, user_id=desk.alice.id,
                             name=desk.alice.name, reason="left the unit")
    desk.store.conn.execute("UPDATE users SET active = 0 WHERE id = ?", (desk.alice.id,))
    outcome = desk.scan(samples.shipper_payload())
    assert outcome.rejection is not None
    assert (outcome.rejection.rule, outcome.rejection.details["code"]) == ("role", "disabled")
    assert outcome.rejection.reason == f"{desk.alice.name}'s account is disabled."
    assert desk.receipt.state.shipper() is None
    logged = desk.store.events(desk.receipt.receipt_id)[-1]
    assert logged.type == "receipt_rejected" and logged.data["rejection"]["details"] == {
        "code": "disabled"}


def test_a_nurse_cannot_receive_and_is_told_which_role_is_missing(desk: Desk) -> None:
    from .conftest import PIN_N

    desk.people.sign_in(f"BADGE:{desk.nurse.badge}", PIN_N)
    outcome = desk.do("open_receipt", {"mrn": SAMPLE.mrn})
    assert outcome.rejection is not None and outcome.rejection.details["code"] == "role"
    assert outcome.rejection.reason == (f"{desk.nurse.name} does not have the pharmacy role "
                                        "needed to receive KRESLADI.")
