"""ISBT 128 data structures, read from real-shaped payloads."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kresladi_bedside.labels import isbt128
from kresladi_bedside.labels.errors import LabelError
from kresladi_bedside.labels.isbt128 import mod37_2, parse_isbt128, parse_typed_din


def test_check_character_of_the_st001_example() -> None:
    # ST-001 figure 2: DIN A9999 21 123456, check character 3.
    assert mod37_2("A999921123456") == "3"


@pytest.mark.parametrize("din13", ["W123426100001", "A999921123456", "G170926000111"])
def test_check_character_catches_every_single_substitution(din13: str) -> None:
    check = mod37_2(din13)
    for i in range(13):
        for ch in "0123456789":
            if ch != din13[i]:
                mutated = din13[:i] + ch + din13[i + 1:]
                assert mod37_2(mutated) != check, mutated


@pytest.mark.parametrize(("payload", "din", "flags"), [
    ("=W12342610000100", "W123426100001", "00"),
    ("=W12342610000101", "W123426100001", "01"),
    ("=A99992112345607", "A999921123456", "07"),
    ("=G17092600011192", "G170926000111", "92"),   # type 3: 60 + its mod 37-2 check (32)
    ("=G12341765432170", "G123417654321", "70"),   # ST-001 Appendix A.2's own example
])
def test_din_flags_are_kept_apart_from_the_din(payload: str, din: str, flags: str) -> None:
    msg = parse_isbt128(payload)
    assert msg.identifiers["din"] == din
    assert msg.identifiers["din_flags"] == flags
    assert msg.structures == ["din"]


@pytest.mark.parametrize("din13", ["W123426100001", "A999921123456", "G170926000111"])
def test_type3_flags_catch_every_single_character_substitution(din13: str) -> None:
    flags = f"{60 + isbt128.mod37_2_value(din13)}"
    assert parse_isbt128(f"={din13}{flags}").identifiers["din"] == din13
    for i in range(1, 13):  # the first character's alphabet is letters: digits 1–13
        for ch in "0123456789":
            mutated = din13[:i] + ch + din13[i + 1:]
            if mutated != din13:
                with pytest.raises(LabelError, match="check flags") as err:
                    parse_isbt128(f"={mutated}{flags}")
                assert err.value.code == "din_check"


@pytest.mark.parametrize("payload", ["=W123426100001", "=O12342610000100", "=W1234261000010"])
def test_malformed_din_is_refused(payload: str) -> None:
    with pytest.raises(LabelError):
        parse_isbt128(payload)


def test_product_code() -> None:
    assert parse_isbt128("=<S5001A00").identifiers["product_code"] == "S5001A00"
    with pytest.raises(LabelError, match="malformed"):
        parse_isbt128("=<S50")


@pytest.mark.parametrize(("payload", "expiry"), [
    ("&>0263652359", "2026-12-31T23:59"),   # last day of a common year
    ("&>0270010000", "2027-01-01T00:00"),   # first day of the next
    ("&>0283661200", "2028-12-31T12:00"),   # day 366 of a leap year
    ("&>0240601430", "2024-02-29T14:30"),   # day 60 of a leap year is 29 February
    ("&>0250600800", "2025-03-01T08:00"),   # day 60 of a common year is 1 March
    ("=>026365", "2026-12-31T23:59"),       # date only: 23:59 of that day
    ("=>028366", "2028-12-31T23:59"),
    ("=>024060", "2024-02-29T23:59"),
    ("=>100001", "2100-01-01T23:59"),       # century digit 1
])
def test_expiry_day_of_year(payload: str, expiry: str) -> None:
    assert parse_isbt128(payload).identifiers["expiry"] == expiry


@pytest.mark.parametrize("payload", [
    "&>0273661200",  # 2027 has no day 366
    "=>000000",      # there is no day 0
    "=>021400",
    "&>0261002400",  # hour 24
    "&>0261001260",  # minute 60
    "=>10036",       # short
])
def test_impossible_expiry_is_refused(payload: str) -> None:
    with pytest.raises(LabelError):
        parse_isbt128(payload)


@pytest.mark.parametrize("when", [datetime(2026, 12, 31, 23, 59), datetime(2028, 2, 29, 6, 5),
                                  datetime(2100, 1, 1, 0, 0), date(2032, 12, 31)])
def test_expiry_encoding_reads_back(when: datetime | date) -> None:
    got = parse_isbt128(isbt128.encode_expiry(when)).identifiers["expiry"]
    if isinstance(when, datetime):
        assert got == when.strftime("%Y-%m-%dT%H:%M")
    else:
        assert got == f"{when.isoformat()}T23:59"


def test_patient_date_of_birth() -> None:
    assert parse_isbt128("=#0020240315").identifiers["dob"] == "2024-03-15"
    assert parse_isbt128("=#0120240229").identifiers["dob"] == "2024-02-29"
    with pytest.raises(LabelError, match="not a date"):
        parse_isbt128("=#0020230229")
    # ST-001 §2.4.24: the location code aa is numeric {0–9}
    with pytest.raises(LabelError, match=r"Patient Date of Birth .* malformed"):
        parse_isbt128("=#A120240229")


def test_patient_identification_number_carries_its_length() -> None:
    assert parse_isbt128("&#0006KR0417").identifiers["patient_id"] == "KR0417"
    # the length decides where the next structure starts
    msg = parse_isbt128("&#0003ABC=#0020240315")
    assert msg.identifiers == {"patient_id": "ABC", "dob": "2024-03-15"}
    with pytest.raises(LabelError, match="cut off"):
        parse_isbt128("&#0010KR0417")


def test_chain_of_identity_identifier() -> None:
    assert parse_isbt128("&/CHW123426000417").identifiers["coi"] == "CHW123426000417"
    with pytest.raises(LabelError):
        parse_isbt128("&/XXW123426000417")


def test_mpho_lot_and_consignment() -> None:
    # ST-001 §2.4.35: 18 characters {A–Z, 0–9}, zero-padded at the beginning
    assert parse_isbt128("&,1000000000KR26A0417").identifiers["lot"] == "KR26A0417"
    assert parse_isbt128("&,10000000000005434RZ").identifiers["lot"] == "5434RZ"
    # the 17-character space-padded lot our labels once printed does not conform
    with pytest.raises(LabelError, match=r"MPHO Lot Number .*035.* malformed") as err:
        parse_isbt128("&,1KR26A0417        ")
    assert err.value.code == "malformed_structure"
    assert parse_isbt128("=$W123426004170102").identifiers["consignment"] == "W123426004170102"


def test_compound_message_holds_several_structures() -> None:
    payload = ("=+07101=W12342610000100=<S5001A00&>0270741200&,1000000000KR26A0417"
               "&/CHW123426000417=#0020240315&#0006KR0417")
    msg = parse_isbt128(payload)
    assert msg.layout == "101"
    assert msg.identifiers == {
        "din": "W123426100001", "din_flags": "00", "product_code": "S5001A00",
        "expiry": "2027-03-15T12:00", "lot": "KR26A0417", "coi": "CHW123426000417",
        "dob": "2024-03-15", "patient_id": "KR0417",
    }
    assert msg.structures[0] == "compound" and len(msg.structures) == 8


def test_compound_message_with_a_structure_missing_is_refused() -> None:
    with pytest.raises(LabelError, match="says it holds 3") as err:
        parse_isbt128("=+03101=W12342610000100=<S5001A00")
    assert err.value.code == "compound_count"


def test_linear_structures_concatenated_without_compound_header() -> None:
    msg = parse_isbt128("=W12342610000100=<S5001A00")
    assert msg.layout is None and msg.identifiers["product_code"] == "S5001A00"


def test_two_different_values_for_one_field_are_refused() -> None:
    with pytest.raises(LabelError, match="two different values for dob"):
        parse_isbt128("=#0020240315=#0020240316")


@pytest.mark.parametrize("payload", ["=%51", "&!", "=", "&", "=+0210"])
def test_unknown_or_broken_structures_are_refused(payload: str) -> None:
    with pytest.raises(LabelError):
        parse_isbt128(payload)


@pytest.mark.parametrize("typed", ["W123426100001X", "W123426100001 X", "=W123426100001X",
                                   "w1234 26 100001 x", "W12342610000100X"])
def test_typed_din_with_its_check_character(typed: str) -> None:
    assert mod37_2("W123426100001") == "X"
    assert parse_typed_din(typed).identifiers["din"] == "W123426100001"


def test_typed_din_with_type3_flags_that_do_not_fit_is_refused() -> None:
    assert parse_typed_din("W123426100001 93 X").identifiers["din_flags"] == "93"
    with pytest.raises(LabelError, match="check flags 61") as err:
        parse_typed_din("W123426100001 61 X")
    assert err.value.code == "din_check"


def test_typed_din_without_check_character_is_refused() -> None:
    with pytest.raises(LabelError, match="needs its check character") as err:
        parse_typed_din("W123426100001")
    assert err.value.code == "din_check_missing"


def test_typed_din_with_a_wrong_check_character_is_refused() -> None:
    with pytest.raises(LabelError, match="does not fit") as err:
        parse_typed_din("W123426100002X")  # one digit mistyped
    assert err.value.code == "din_check"
