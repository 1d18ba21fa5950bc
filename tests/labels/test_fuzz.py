"""Fuzzing: whatever arrives from a scanner, parse raises nothing but LabelError, and a scan it
returns can be judged without an exception. 10,600 examples in all, split across the tests."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kresladi_bedside.clock import Instant
from kresladi_bedside.engine.identity import IdentityContext
from kresladi_bedside.engine.verifier import LabelIdentityVerifier
from kresladi_bedside.labels import LabelError, parse, samples
from kresladi_bedside.labels.model import LABEL_KINDS, SOURCES
from kresladi_bedside.training.sample import patient_order

FUZZ = settings(deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ORDER = patient_order()
VERIFIER = LabelIdentityVerifier()
NOW = Instant(datetime(2026, 11, 21, 9, 0, tzinfo=UTC), 0, 1000.0, "fuzz")

TOKENS = [
    "=+", "=<", "=>", "&>", "=#", "&#", "&/", "&/CH", "=$", "&,1", "=", "&", "=W1234261000",
    "=%", "&(", "=\\", "&{", "=*", "&}", "=)", "&)", "=;", "='", "&$", "&%", "=(", "=,", "&+",
    "=/", "&,2", "&,4", "&:", "&a", "&;", "]E4", "]E0", "]I1", "https://", "3910",
    "01", "17", "10", "21", "91", "8017", "8018", "\x1d", "]d2", "]C1", "]C0", "]Q1", "]Q3",
    "MRN:", "NAME:", "DOB:", "BADGE:", "GSRN:", "|", ":", "^", ",", " ", "00", "99", "366",
    "0000", "W123426100001", "S5001A00", "<script>alert(1)</script>", "'; DROP TABLE x;--",
    "\" OR 1=1 --", "&amp;", "\u202e", "\u200f", "\u061c", "\ufeff", "\x00", "\r", "\n", "\t",
    "\x7f", "\x85", "é", "Ñ", "中", "😀", "\ud800",
]
SAMPLES = [samples.wristband_payload(), samples.badge_payload(), samples.shipper_payload(),
           samples.cassette_payload(), samples.bag_payload(2), samples.gs1_product_payload(),
           samples.wristband_payload(style="gs1"), samples.typed_din()]


def _check(payload: bytes | str, source: str, symbology: str | None) -> None:
    try:
        scan = parse(payload, source, symbology,  # type: ignore[arg-type]
                     typed_reason="fuzz" if source == "typed" else None)
    except LabelError as exc:
        assert str(exc) and exc.code
        return
    assert scan.kind in LABEL_KINDS
    VERIFIER.judge(scan, IdentityContext(ORDER, (), "initial", None, NOW))


sources = st.sampled_from(SOURCES)
symbologies = st.one_of(st.none(), st.sampled_from(["]C0", "]C1", "]d2", "]Q1", "]Q3", "]d1"]))


@settings(FUZZ, max_examples=3000)
@given(st.binary(max_size=300), sources, symbologies)
def test_random_bytes(payload: bytes, source: str, symbology: str | None) -> None:
    _check(payload, source, symbology)


@settings(FUZZ, max_examples=2500)
@given(st.text(max_size=200), sources, symbologies)
def test_random_text_with_any_character(payload: str, source: str,
                                        symbology: str | None) -> None:
    _check(payload, source, symbology)


@settings(FUZZ, max_examples=3000)
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text("0123456789ABCXYZ", max_size=20)),
                max_size=25), sources, symbologies)
def test_label_like_token_soup(tokens: list[str], source: str, symbology: str | None) -> None:
    _check("".join(tokens), source, symbology)


@settings(FUZZ, max_examples=1800)
@given(st.sampled_from(SAMPLES), st.integers(0, 200), st.integers(0, 5),
       st.sampled_from([*TOKENS, "", "X", "9"]), sources, symbologies)
def test_samples_with_one_edit(sample: str, at: int, cut: int, insert: str, source: str,
                               symbology: str | None) -> None:
    at = at % (len(sample) + 1)
    _check(sample[:at] + insert + sample[at + cut:], source, symbology)


@settings(FUZZ, max_examples=300)
@given(st.integers(1990, 100_000), st.sampled_from(["A", "0", "=", "\x1d", "é", "|"]),
       st.booleans())
def test_huge_payloads(n: int, ch: str, as_bytes: bool) -> None:
    payload = ch * n
    _check(payload.encode("utf-8") if as_bytes else payload, "wedge", None)
