"""Issue 27: labels as current printers print them (ICCBBA ST-001 v6.2.2, GS1, AIM symbology
identifiers) are read; only a malformed or unknown structure is refused, and the refusal names
it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kresladi_bedside.labels import LabelError, parse, samples
from kresladi_bedside.labels.compare import same_value
from kresladi_bedside.labels.isbt128 import parse_isbt128
from kresladi_bedside.profile import ProfileError, default_profile_path, load_profile

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _isbt(payload: str) -> dict[str, str]:
    return dict(parse(payload, "camera", "]d1", now=NOW).identifiers)


# ---------------------------------------------------------------- symbology identifiers

@pytest.mark.parametrize(("payload", "gtin"), [
    ("]E496385074", "00000096385074"),           # EAN-8: its digits are never an MRN
    ("]E05901234123457", "05901234123457"),      # EAN-13
    ("]E0036000291452", "00036000291452"),       # UPC-A as 12 digits
    ("]I105901234123457", "05901234123457"),     # ITF-14
])
def test_ean_and_upc_are_product_codes_never_a_wristband(payload: str, gtin: str) -> None:
    scan = parse(payload, "wedge")
    assert scan.kind == "unknown" and dict(scan.identifiers) == {"gtin": gtin}


def test_only_the_symbology_tells_an_ean8_from_a_linear_mrn_wristband() -> None:
    assert parse("96385074", "wedge", "]C0").kind == "wristband"
    assert parse("96385074", "wedge", "]E4").kind == "unknown"


def test_ean_with_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(LabelError, match="check digit") as err:
        parse("]E496385075", "wedge")
    assert err.value.code == "gs1_check"


def test_the_issues_gsrn_wristband_is_read() -> None:
    scan = parse("8018318609139099603081", "wedge", "]d2")
    assert scan.kind == "wristband" and scan.identifiers["gsrn"] == "318609139099603081"


def test_a_91_with_a_character_gs1_does_not_allow_is_not_blamed_on_a_lost_separator() -> None:
    with pytest.raises(LabelError) as err:
        parse("0109506000134352" "10LOT1\x1d" "91BAG#", "wedge", "]d2")
    assert err.value.code == "gs1_malformed" and "'#'" in str(err.value)


# ---------------------------------------------------------------- ISBT 128 structures

def test_structures_a_cell_therapy_label_may_carry_are_read_or_stepped_over() -> None:
    payload = ("=+10000=W12342610000100=<AE134A00&>0270741200&,1000000000KR26A0417"
               "&/CHW12342600A417=#0020240315&#0006kr0417=%6200&(N0001&}0260321015")
    ids = _isbt(payload)
    assert ids == {"din": "W123426100001", "din_flags": "00", "product_code": "AE134A00",
                   "expiry": "2027-03-15T12:00", "lot": "KR26A0417", "coi": "CHW12342600A417",
                   "dob": "2024-03-15", "patient_id": "kr0417"}
    scan = parse(payload, "camera", "]d1", now=NOW)
    assert {"blood_group", "special_testing", "production_datetime"} <= set(scan.structures)


@pytest.mark.parametrize(("payload", "named"), [
    ("=+03000=W12342610000100=%62&(N0001", "Blood Groups"),          # =% cut short
    ("=+03000=W12342610000100&(N00!1=%6200", "Special Testing: General"),
    ("=+02000=W12342610000100&,1KR26A0417        ", "MPHO Lot Number"),  # the old 17+spaces
    ("=+02000=W12342610000100&/CHW1234260a0417", "Chain of Identity"),
    ("=+02000=W12342610000100=<ae134A00", "Product Code"),
])
def test_a_malformed_structure_is_refused_naming_it(payload: str, named: str) -> None:
    with pytest.raises(LabelError, match=named) as err:
        parse(payload, "camera", "]d1", now=NOW)
    assert err.value.code == "malformed_structure"


@pytest.mark.parametrize(("payload", "named"), [
    ("=+02000=W12342610000100&a1234", "not defined by ICCBBA"),
    ("=+02000=W12342610000100&;1234", "nationally specified Donor Identification Number"),
    ("=+02000=W12342610000100=~1234", "no data structure of ISBT 128"),
])
def test_an_unknown_structure_is_refused_naming_it(payload: str, named: str) -> None:
    with pytest.raises(LabelError, match=named) as err:
        parse(payload, "camera", "]d1", now=NOW)
    assert err.value.code == "unknown_structure"


def test_an_expiry_past_the_longest_shelf_life_is_refused_naming_it() -> None:
    # the bound of the profile the caller holds (resources/products/kresladi.toml here)
    days = load_profile().longest_shelf_life_days
    with pytest.raises(LabelError, match="2927-03-15 12:00") as err:
        parse("&>9270741200", "camera", now=NOW, shelf_life_days=days)
    assert err.value.code == "expiry_implausible"
    assert parse("&>0351001200", "camera", now=NOW,
                 shelf_life_days=days).identifiers["expiry"] == "2035-04-10T12:00"
    # the bound is the caller's: another profile's shorter shelf life refuses the 2035 expiry
    with pytest.raises(LabelError, match="2035-04-10 12:00"):
        parse("&>0351001200", "camera", now=NOW, shelf_life_days=365)


def test_every_sample_and_training_label_conforms() -> None:
    for payload in (samples.bag_payload(1), samples.bag_payload(2), samples.cassette_payload(1),
                    samples.cassette_payload(2), samples.shipper_payload()):
        msg = parse_isbt128(payload)
        assert "mpho_lot" in msg.structures or "consignment" in msg.structures
        assert "&,1" not in payload or "&,1000000000KR26" in payload


@pytest.mark.parametrize("typed", ["w123426100001x", "w1234 26 100001 x", "=w123426100001X"])
def test_a_typed_din_in_lower_case_is_the_same_din(typed: str) -> None:
    scan = parse(typed, "typed", typed_reason="label frosted")
    assert scan.kind == "bag" and scan.identifiers["din"] == "W123426100001"


def test_a_lot_compares_without_its_zero_padding() -> None:
    assert same_value("lot", "KR26A0417", "KR26A0417")
    assert same_value("lot", "0KR26A0417", "KR26A0417")
    assert not same_value("lot", "KR26A0418", "KR26A0417")


def test_the_profiles_shelf_life_must_be_a_positive_number_of_days(tmp_path: Path) -> None:
    text = default_profile_path().read_text(encoding="utf-8")
    assert load_profile().longest_shelf_life_days == 3653
    bad = tmp_path / "p.toml"
    bad.write_text(text.replace("longest_shelf_life_days = 3653",
                                "longest_shelf_life_days = 0"), encoding="utf-8")
    with pytest.raises(ProfileError, match="longest_shelf_life_days"):
        load_profile(bad)
