"""parse(): from raw payload to a typed scan, and every refusal typed."""

from __future__ import annotations

import pytest

from kresladi_bedside.config import IdentityConfig, LabelFormat
from kresladi_bedside.labels import LabelError, parse, samples
from kresladi_bedside.labels.conventions import LabelConventions
from kresladi_bedside.labels.model import Scan


@pytest.mark.parametrize(("payload", "kind"), [
    (samples.wristband_payload(), "wristband"),
    (samples.wristband_payload(style="mrn"), "wristband"),
    (samples.wristband_payload(style="gs1"), "wristband"),
    (samples.badge_payload(), "badge"),
    (samples.badge_payload(style="gs1"), "badge"),
    (samples.shipper_payload(), "shipper"),
    (samples.cassette_payload(), "cassette"),
    (samples.cassette_payload(2), "cassette"),
    (samples.bag_payload(), "bag"),
    (samples.bag_payload(2), "bag"),
    (samples.gs1_product_payload("bag"), "bag"),
    (samples.gs1_product_payload("cassette"), "cassette"),
    (samples.gs1_product_payload("shipper"), "shipper"),
    ("=W12342610000100", "bag"),          # a linear DIN alone: a bag, by default
    ("=$W123426004170101", "shipper"),    # a consignment alone: a shipper
    ("=<S5001A00", "unknown"),
])
def test_kind_of_every_sample(payload: str, kind: str) -> None:
    assert parse(payload, "camera").kind == kind


def test_scan_keeps_raw_payload_and_round_trips() -> None:
    payload = samples.with_aim(samples.gs1_product_payload(), "]d2")
    scan = parse(payload.encode("ascii"), "serial")
    assert scan.raw == payload and scan.symbology == "]d2" and scan.source == "serial"
    assert scan.identifiers["bag_id"] == samples.SAMPLE_BAGS[0].din
    assert Scan.from_dict(scan.to_dict()) == scan


@pytest.mark.parametrize("aim", ["]C0", "]d1", "]Q1"])
def test_aim_prefix_in_wedge_text(aim: str) -> None:
    scan = parse(aim + samples.bag_payload(), "wedge")
    assert scan.symbology == aim and scan.identifiers["din"] == samples.SAMPLE_BAGS[0].din


def test_gs1_symbology_reads_digits_as_element_strings() -> None:
    # The same digits are GS1 on ]C1 (or with no identifier) and not GS1 on plain Code 128.
    digits = "0109506000134352"
    assert parse(digits, "camera", "]C1").identifiers == {"gtin": "09506000134352"}
    with pytest.raises(LabelError):
        parse(digits, "camera", "]C0")  # 16 digits: no wristband format, and GS1 needs ]C1
    assert parse(digits, "wedge").identifiers == {"gtin": "09506000134352"}


def test_symbology_argument_and_prefix() -> None:
    assert parse("00417356", "camera", "]Q1").symbology == "]Q1"
    with pytest.raises(LabelError, match="symbology"):
        parse("00417356", "camera", "Q1")


def test_scanner_enter_suffix_is_dropped() -> None:
    assert parse("00417356\r\n", "wedge").identifiers == {"mrn": "00417356"}
    assert parse(b"00417356\r", "serial").raw == "00417356"


def test_latin1_bytes_are_read() -> None:
    scan = parse("MRN:00417356|NAME:NÚÑEZ^JOSÉ".encode("latin-1"), "serial")
    assert scan.identifiers["name"] == "NÚÑEZ^JOSÉ"


@pytest.mark.parametrize(("payload", "code"), [
    ("", "empty"),
    ("\x1d\x1d", "empty"),
    ("]d2", "empty"),
    ("A" * 2001, "too_long"),
    (b"A" * 9000, "too_long"),
    ("0041\x007356", "control_character"),
    ("00417356\x1b[31m", "control_character"),
    ("MRN:00417356|NAME:\u202eOEDAM", "control_character"),   # right-to-left override
    ("MRN:00417356\u200b", "control_character"),              # zero-width space
    ("<script>alert(1)</script>", "unknown_structure"),
    ("'; DROP TABLE events; --", "unknown_structure"),
    ("=W12342610000100=<S5001A00=%51", "malformed_structure"),
    ("=W12342610000100=<S5001A00&a12345", "unknown_structure"),
])
def test_bad_payloads_raise_label_error_with_a_code(payload: str | bytes, code: str) -> None:
    with pytest.raises(LabelError) as err:
        parse(payload, "wedge")
    assert err.value.code == code
    assert str(err.value)


def test_payload_cap_comes_from_the_site_configuration() -> None:
    cfg = IdentityConfig(max_payload_chars=20)
    with pytest.raises(LabelError, match="at most 20"):
        parse(samples.wristband_payload(), "wedge", config=cfg)


def test_source_must_be_known_and_typed_needs_a_reason() -> None:
    with pytest.raises(LabelError, match="source"):
        parse("00417356", "telepathy")  # type: ignore[arg-type]
    with pytest.raises(LabelError, match="reason"):
        parse(samples.typed_din(), "typed")
    scan = parse(samples.typed_din(), "typed", typed_reason="label frosted over")
    assert scan.kind == "bag" and scan.typed_reason == "label frosted over"
    assert scan.identifiers["din"] == samples.SAMPLE_BAGS[0].din


def test_typed_din_with_wrong_check_is_refused_but_scanned_din_needs_none() -> None:
    din = samples.SAMPLE_BAGS[0].din
    with pytest.raises(LabelError) as err:
        parse(f"{din}Y", "typed", typed_reason="torn")
    assert err.value.code == "din_check"
    with pytest.raises(LabelError) as err:
        parse(f"={din}00", "typed", typed_reason="torn")
    assert err.value.code == "din_check_missing"
    assert parse(f"={din}00", "wedge").identifiers["din"] == din


def test_lost_gs_from_a_wedge_is_refused() -> None:
    payload = samples.gs1_product_payload().replace("\x1d", "")
    with pytest.raises(LabelError) as err:
        parse(payload, "wedge", "]d2")
    assert err.value.code == "gs1_lost_separator"


def test_site_formats_are_used() -> None:
    cfg = IdentityConfig(wristband_formats=(LabelFormat(r"H(?P<mrn>\d{6})D(?P<dob>\d{8})",
                                                        "%d%m%Y"),))
    scan = parse("H041735D15032024", "wedge", config=cfg)
    assert scan.kind == "wristband"
    assert scan.identifiers == {"mrn": "041735", "dob": "2024-03-15"}


def test_conventions_decide_the_kind() -> None:
    conv = LabelConventions(isbt_layouts={"555": "cassette"})
    payload = samples.bag_payload(layout="555")
    assert parse(payload, "camera").kind == "bag"  # unknown layout with a DIN: a bag
    assert parse(payload, "camera", conventions=conv).kind == "cassette"
