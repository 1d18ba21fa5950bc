"""GS1 element strings: the AIs the program reads, and a lost GS separator refused."""

from __future__ import annotations

import pytest

from kresladi_bedside.labels import gs1
from kresladi_bedside.labels.conventions import DEFAULT_CONVENTIONS
from kresladi_bedside.labels.errors import LabelError
from kresladi_bedside.labels.gs1 import GS, encode_gs1, gs1_check_digit, parse_gs1

KINDS = tuple(DEFAULT_CONVENTIONS.gs1_kind_values)


def test_check_digit_of_a_known_gtin() -> None:
    assert gs1_check_digit("0950600013435") == "2"  # GTIN 09506000134352 (GS1 example)


@pytest.mark.parametrize(("payload", "expected"), [
    ("0109506000134352", {"gtin": "09506000134352"}),
    ("17270315", {"expiry": "2027-03-15"}),
    ("17280200", {"expiry": "2028-02-29"}),           # day 00: the month's last day (leap)
    ("10KR26A0417", {"lot": "KR26A0417"}),
    ("21W123426100001", {"serial": "W123426100001"}),
    ("8018095060001343524176", {"gsrn": "095060001343524176"}),
    ("8017095060001343500019", {"staff_gsrn": "095060001343500019"}),
    ("0109506000134352" "17270315" "10KR26A0417" + GS + "21SN0001",
     {"gtin": "09506000134352", "expiry": "2027-03-15", "lot": "KR26A0417", "serial": "SN0001"}),
])
def test_application_identifiers(payload: str, expected: dict[str, str]) -> None:
    assert parse_gs1(payload).identifiers == expected


def test_leading_fnc1_as_gs_is_ignored() -> None:
    assert parse_gs1(GS + "10LOT1").identifiers == {"lot": "LOT1"}


def test_kind_ai_is_read_as_a_value() -> None:
    msg = parse_gs1("10LOT1" + GS + "91CASSETTE", kind_ai="91")
    assert msg.values["91"] == "CASSETTE"


@pytest.mark.parametrize("payload", [
    "0109506000134353",          # GTIN check digit wrong
    "8018095060001343524177",    # GSRN check digit wrong
    "17271345",                  # month 13
    "99",                        # AI without data
    "ZZ12",                      # not an AI
])
def test_bad_element_strings_are_refused(payload: str) -> None:
    with pytest.raises(LabelError):
        parse_gs1(payload)


def test_lost_separator_inside_a_full_variable_field_is_refused() -> None:
    # (10) is at most 20 characters: with GS lost it runs into (21) and leaves data behind.
    payload = "0109506000134352" "17270315" "10KR26A0417" "21W123426100001"
    with pytest.raises(LabelError, match="dropped the GS separator") as err:
        parse_gs1(payload)
    assert err.value.code == "gs1_lost_separator"


def test_lost_separator_that_swallows_the_container_type_is_refused() -> None:
    # (10) 'LOT1' + (91) 'BAG' fits in one 20-character field: refused, not re-split.
    with pytest.raises(LabelError, match=r"\(10\) 'LOT191BAG' seems to contain \(91\)"):
        parse_gs1("0109506000134352" "10LOT191BAG", kind_ai="91", kind_values=KINDS)


@pytest.mark.parametrize("serial", ["5591234567", "A91X", "1234567891", "SN91CASSETTES"])
def test_a_serial_ending_in_91_and_anything_else_is_read(serial: str) -> None:
    # (91) is evidence of a lost GS only when it holds a kind it names (BAG, CASSETTE, SHIPPER)
    msg = parse_gs1("0109506000134352" "17270315" "21" + serial, kind_ai="91", kind_values=KINDS)
    assert msg.identifiers["serial"] == serial


@pytest.mark.parametrize("payload", [
    "8018318609139099603081",   # the wristband: one GSRN, check digit valid
    "8017" + "09506000134359123" + gs1_check_digit("09506000134359123"),  # holds "91234"
])
def test_fixed_length_fields_are_never_suspected_of_a_lost_separator(payload: str) -> None:
    ai = payload[:4]
    value = payload[4:]
    assert gs1_check_digit(value[:-1]) == value[-1]
    got = parse_gs1(payload, kind_ai="91", kind_values=KINDS).identifiers
    assert got == {"gsrn" if ai == "8018" else "staff_gsrn": value}


def test_a_fixed_length_field_followed_by_more_data_without_gs_is_read() -> None:
    # (8018) is N18: it cannot swallow what follows, whatever biip's separator flag says
    msg = parse_gs1("8018318609139099603081" "0109506000134352")
    assert msg.identifiers == {"gsrn": "318609139099603081", "gtin": "09506000134352"}


def test_a_91_value_with_a_character_gs1_does_not_allow_is_named_not_blamed_on_gs() -> None:
    with pytest.raises(LabelError, match=r"\(91\) 'BAG' is followed by '#'") as err:
        parse_gs1("0109506000134352" "10LOT1" + GS + "91BAG#1", kind_ai="91", kind_values=KINDS)
    assert err.value.code == "gs1_malformed"


def test_every_exception_biip_raises_becomes_a_label_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Surprise(Exception):
        pass

    def explode(*args: object, **kwargs: object) -> None:
        raise Surprise("no such currency")

    monkeypatch.setattr(gs1._biip().Element, "extract", explode)
    with pytest.raises(LabelError, match="no such currency") as err:
        parse_gs1("39100001234")
    assert err.value.code == "gs1_malformed"


def test_amount_with_an_unknown_currency_is_a_label_error_with_the_money_extra() -> None:
    # biip's optional `money` extra (py-moneyed, installed by the test extra) turns (3910) with
    # ISO 4217 code 000 into CurrencyDoesNotExist
    import moneyed  # noqa: F401  (the extra must be present for this test to mean anything)

    with pytest.raises(LabelError) as err:
        parse_gs1("39100001234")
    assert err.value.code == "gs1_malformed" and "'39100001234'" in str(err.value)


def test_lost_separator_that_swallows_a_fixed_field_is_refused() -> None:
    with pytest.raises(LabelError, match=r"seems to contain \(17\) '270315'"):
        parse_gs1("10LOT1" "17270315")


def test_serial_holding_an_ai_lookalike_is_read_as_is() -> None:
    # "W123426100001" contains "10" "0001": not evidence of a lost GS (see _SENTINEL_AIS).
    assert parse_gs1("0109506000134352" "21W123426100001").identifiers["serial"] == \
        "W123426100001"


def test_same_string_with_its_separator_is_read() -> None:
    assert parse_gs1("0109506000134352" "10LOT1" + GS + "21S9").identifiers["serial"] == "S9"


def test_encoder_puts_gs_only_after_variable_fields() -> None:
    assert encode_gs1([("01", "09506000134352"), ("10", "L1"), ("21", "S1")]) == \
        "0109506000134352" "10L1" + GS + "21S1"
