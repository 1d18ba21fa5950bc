"""Issue 25: the blind double check re-types only what no independent source checks
(receipt/blind.py): with the EHR's patient read, the verifier types the chain-of-identity
number, patient ID, weight and each bag's CD34+ cells/kg and volume; offline, MRN, name and date
of birth too. A required value missing is refused naming it; a differing one is refused naming
the field, never the value."""

from __future__ import annotations

from typing import Any

from kresladi_bedside.labels import samples
from kresladi_bedside.receipt import double_check

from .conftest import PIN_B, SAMPLE, Desk, sheet

EHR = {"mrn": SAMPLE.mrn, "name": "RIVERA^MATEO", "dob": "2024-03-15"}
WITH_EHR = ("coi", "patient_id", "weight_kg", "bag1.cd34_per_kg", "bag1.volume_ml",
            "bag2.cd34_per_kg", "bag2.volume_ml")


def opened(desk: Desk, ehr: dict[str, Any] | None = EHR, typed: dict[str, Any] | None = None
           ) -> None:
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn, "ehr": ehr}).accepted
    for payload in (samples.shipper_payload(), samples.cassette_payload(1),
                    samples.cassette_payload(2)):
        assert desk.scan(payload).accepted
    assert desk.do("record_storage", {"temperature_c": -185, "location": "LN2 tank 2",
                                      "in_cassettes": True}).accepted
    assert desk.do("enter_sheet", {"sheet": typed or sheet()}).accepted


def only(keys: tuple[str, ...], values: dict[str, Any] | None = None) -> dict[str, Any]:
    """The verifier's entry holding just `keys` (flat keys) of `values`."""
    values = values or sheet()
    out: dict[str, Any] = {k: values[k] for k in keys if "." not in k}
    out["bags"] = [{f: b[f] for f in ("cd34_per_kg", "volume_ml") if f"bag{n}.{f}" in keys}
                   for n, b in enumerate(values["bags"], start=1)]
    return out


def verify(desk: Desk, entry: dict[str, Any]) -> Any:
    return desk.do("verify_sheet", {"sheet": entry}, verifier=(desk.bob, PIN_B))


def test_with_the_ehr_patient_the_verifier_types_coi_patient_id_weight_and_bag_values(
        desk: Desk) -> None:
    opened(desk)
    check = double_check(desk.receipt.state)
    assert check.retyped == WITH_EHR
    assert dict(check.checked) == {"mrn": "the EHR's patient", "name": "the EHR's patient",
                                   "dob": "the EHR's patient",
                                   "sheet_bag_count": "the cassettes scanned"}
    outcome = verify(desk, only(WITH_EHR))  # no MRN, name, DOB nor bag count: not asked
    assert outcome.accepted, outcome.rejection
    assert desk.do("complete_receipt").accepted
    state = desk.receipt.state
    assert state.outcome == "received" and state.double_check == check
    logged = [e for e in desk.store.events(state.receipt_id or "")
              if e.type in ("sheet_verified", "receipt_completed")]
    assert [e.data["double_check"]["retyped"] for e in logged] == [list(WITH_EHR)] * 2


def test_offline_the_verifier_also_types_mrn_name_and_date_of_birth(desk: Desk) -> None:
    opened(desk, ehr=None)
    check = double_check(desk.receipt.state)
    assert check.retyped == ("mrn", "name", "dob", *WITH_EHR)
    assert dict(check.checked) == {"sheet_bag_count": "the cassettes scanned"}
    outcome = verify(desk, only(WITH_EHR))  # the online set is not enough offline
    assert outcome.rejection.rule == "double_check"
    assert outcome.rejection.details["field"] == "mrn"
    assert verify(desk, only(("mrn", "dob", *WITH_EHR))).rejection.details["field"] == "name"
    outcome = verify(desk, only(check.retyped, sheet(dob="2024-03-16")))
    assert outcome.rejection.details["field"] == "dob"
    assert "2024" not in outcome.rejection.reason
    assert verify(desk, only(check.retyped)).accepted


def test_a_verification_missing_a_required_value_is_refused_naming_it(desk: Desk) -> None:
    opened(desk)
    for key, words in (("coi", "chain-of-identity number"), ("patient_id", "patient ID"),
                       ("bag2.volume_ml", "bag 2: volume (mL)")):
        entry = only(tuple(k for k in WITH_EHR if k != key))
        outcome = verify(desk, entry)
        assert not outcome.accepted and outcome.rejection.details["field"] == key
        assert f"has no {words}" in outcome.rejection.reason
    blank = only(WITH_EHR)
    blank["coi"] = "   "  # typed spaces are not a value
    assert verify(desk, blank).rejection.details["field"] == "coi"
    assert desk.receipt.state.verified_by is None


def test_a_differing_retyped_value_is_refused_naming_the_field_never_the_value(
        desk: Desk) -> None:
    opened(desk)
    outcome = verify(desk, only(WITH_EHR, sheet(patient_id="PX0099")))
    assert outcome.rejection.details["field"] == "patient_id"
    assert SAMPLE.patient_id not in outcome.rejection.reason
    assert "PX0099" not in outcome.rejection.reason
    outcome = verify(desk, only(WITH_EHR, sheet(weight_kg=9.8)))
    assert outcome.rejection.details["field"] == "weight_kg"
    assert "9.8" not in outcome.rejection.reason and "9.5" not in outcome.rejection.reason
    # a value the verifier typed beyond the set is compared too, never ignored
    extra = only(WITH_EHR)
    extra["name"] = "RIVERA, MARIO"
    assert verify(desk, extra).rejection.details["field"] == "name"
    assert desk.receipt.state.verified_by is None


def test_a_single_typing_unlike_its_source_is_typed_twice_before_anything_is_decided(
        desk: Desk) -> None:
    """A name mistyped by the first pharmacist no longer agrees with the EHR: the verifier is
    asked for it too; their (right) name differs from the first entry, so the first person
    corrects it — the typo never becomes an identity stop. Both typing it alike is a sheet for
    another patient: the identity stop (test_receipt.py)."""
    opened(desk, typed=sheet(name="RIVERA, MATTEO", sheet_bag_count=1))
    check = double_check(desk.receipt.state)
    assert check.retyped == ("name", "coi", "patient_id", "weight_kg", "sheet_bag_count",
                             *WITH_EHR[3:])
    outcome = verify(desk, only(WITH_EHR))
    assert outcome.rejection.details["field"] == "name"
    outcome = verify(desk, only(check.retyped))
    assert outcome.rejection.details["field"] == "name"
    assert "differs from the value typed first" in outcome.rejection.reason
    assert desk.receipt.state.outcome is None  # not stopped: corrected by the first person
    assert desk.do("enter_sheet", {"sheet": sheet()}).accepted
    assert double_check(desk.receipt.state).retyped == WITH_EHR
    assert verify(desk, only(WITH_EHR)).accepted


def _rows(events: list[Any]) -> list[Any]:
    """The events as a file's rows, chained and hashed as a forger with the key would."""
    from kresladi_bedside.store.rows import row_for

    rows, prev = [], "0" * 64
    for seq, event in enumerate(events, start=1):
        row = row_for(event, seq, prev)
        rows.append(row)
        prev = row.hash
    return rows


def test_a_receipt_file_claiming_a_double_check_the_rule_did_not_ask_is_refused(
        desk: Desk) -> None:
    """The record of what was typed again blind is printed and sent: a file whose record is
    not what the rule asks of its receipt (here: nothing typed twice) is not imported."""
    from dataclasses import replace

    import pytest

    from kresladi_bedside.store.transfer import TransferError
    from kresladi_bedside.sync.receipt_file import judged_receipt

    assert desk.receive().accepted
    events = list(desk.store.events(desk.receipt.receipt_id))
    assert judged_receipt(_rows(events)).double_check == desk.receipt.state.double_check
    forged = [replace(e, data={**e.data, "double_check": {"retyped": [], "checked": []}})
              if e.type in ("sheet_verified", "receipt_completed") else e for e in events]
    with pytest.raises(TransferError, match="typed again blind"):
        judged_receipt(_rows(forged))
