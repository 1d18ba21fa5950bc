"""Every generated label kind under every camera condition, per backend: what it must read."""

from __future__ import annotations

import sys

import pytest

from kresladi_bedside.labels.parse import GS1_SYMBOLOGIES
from kresladi_bedside.scanning import to_scan
from kresladi_bedside.scanning.decoders import (
    PYZBAR_MISSING,
    BackendError,
    BackendUnavailableError,
    make_decoder,
)
from kresladi_bedside.scanning.testimages import CONDITIONS, LABELS, frame_for

# R: reads exactly the label's payload. -: reads nothing (and above all nothing wrong).
# Columns follow testimages.CONDITIONS.
CONDITION_ORDER = (
    "upright", "rot15", "rot45", "rot90", "blurred", "low_contrast", "noisy", "small"
)
EXPECTED: dict[tuple[str, str], str] = {
    #                                      up  15  45  90  blur low noisy small
    ("zxing", "isbt_code128"):             "R   R   R   R   -    R   R     R",
    ("zxing", "isbt_datamatrix_compound"): "R   R   R   R   R    R   R     R",
    ("zxing", "gs1_datamatrix"):           "R   R   R   R   R    R   R     R",
    ("zxing", "gs1_128"):                  "R   R   R   R   -    R   R     R",
    ("zxing", "qr_wristband"):             "R   R   R   R   R    R   R     R",
    # ZBar reads no DataMatrix, and noise defeats its 1-D reading before zxing-cpp's. The short
    # ISBT 128 DIN at one pixel per module: ZBar misses it, and the deskew pass, which locates at
    # half size, does not find it either.
    ("pyzbar", "isbt_code128"):             "R   R   R   R   -    R   -     -",
    ("pyzbar", "isbt_datamatrix_compound"): "-   -   -   -   -    -   -     -",
    ("pyzbar", "gs1_datamatrix"):           "-   -   -   -   -    -   -     -",
    ("pyzbar", "gs1_128"):                  "R   R   R   R   -    R   -     R",
    ("pyzbar", "qr_wristband"):             "R   R   R   R   R    R   R     R",
}

# The AIM identifier zxing-cpp reports: how GS1 is told from ISBT 128 downstream.
ZXING_SYMBOLOGY = {
    "isbt_code128": "]C0",
    "gs1_128": "]C1",
    "gs1_datamatrix": "]d2",
    "qr_wristband": "]Q1",
}

CASES = [
    (backend, spec, condition, row.split()[i])
    for (backend, name), row in EXPECTED.items()
    for spec in LABELS
    if spec.name == name
    for i, condition in enumerate(CONDITION_ORDER)
]


def test_the_table_covers_every_label_condition_and_backend() -> None:
    assert set(CONDITION_ORDER) == set(CONDITIONS)
    assert {(b, s.name) for b in ("zxing", "pyzbar") for s in LABELS} == set(EXPECTED)


@pytest.fixture(scope="module")
def decoders() -> dict:
    return {"zxing": make_decoder("zxing"), "pyzbar": make_decoder("pyzbar")}


@pytest.mark.parametrize(
    ("backend", "spec", "condition", "expected"),
    CASES,
    ids=[f"{b}-{s.name}-{c}" for b, s, c, _ in CASES],
)
def test_decode_generated_label(decoders, backend, spec, condition, expected) -> None:
    found = decoders[backend].decode(frame_for(spec, condition))
    payloads = [s.payload for s in found]
    if expected == "R":
        assert payloads == [spec.payload]
        (scan,) = found
        assert scan.position is not None and len(scan.position) == 4
        if backend == "zxing":
            if spec.name in ZXING_SYMBOLOGY:
                assert scan.symbology == ZXING_SYMBOLOGY[spec.name]
            else:  # ISBT 128 in DataMatrix: a DataMatrix identifier, and not GS1's
                assert scan.symbology.startswith("]d")
                assert scan.symbology not in GS1_SYMBOLOGIES
        else:
            assert scan.symbology is None  # ZBar reports none
    else:
        assert payloads == []


def test_gs_is_kept_and_the_scan_parses_as_gs1(decoders) -> None:
    spec = next(s for s in LABELS if s.name == "gs1_datamatrix")
    (raw,) = decoders["zxing"].decode(frame_for(spec, "upright"))
    assert "\x1d" in raw.payload
    scan = to_scan(raw)
    assert scan.identifiers["lot"] == "KR26A0417"
    assert scan.identifiers["gtin"] == "09506000134376"


def test_isbt_compound_parses_into_bag_identifiers(decoders) -> None:
    spec = next(s for s in LABELS if s.name == "isbt_datamatrix_compound")
    (raw,) = decoders["zxing"].decode(frame_for(spec, "rot45"))
    scan = to_scan(raw)
    assert scan.kind == "bag"
    assert scan.identifiers["din"] == "W123426100001"


def test_position_is_where_the_label_is(decoders) -> None:
    spec = next(s for s in LABELS if s.name == "qr_wristband")
    (raw,) = decoders["zxing"].decode(frame_for(spec, "small"))  # centred at (1000, 520)
    xs = [x for x, _ in raw.position]
    ys = [y for _, y in raw.position]
    assert min(xs) < 1000 < max(xs)
    assert min(ys) < 520 < max(ys)


def test_unknown_backend_is_named() -> None:
    with pytest.raises(BackendError, match=r"'zbar'.*zxing, pyzbar"):
        make_decoder("zbar")


def test_pyzbar_without_libzbar_says_so(monkeypatch) -> None:
    # What pyzbar does when ctypes cannot find libzbar: its import raises ImportError.
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)
    monkeypatch.delitem(sys.modules, "pyzbar", raising=False)
    with pytest.raises(BackendUnavailableError) as info:
        make_decoder("pyzbar")
    assert str(info.value) == "pyzbar backend unavailable: libzbar0 not installed"
    assert str(info.value) == PYZBAR_MISSING


def test_zxing_is_the_default_and_reads_datamatrix() -> None:
    spec = next(s for s in LABELS if s.symbology == "datamatrix")
    decoder = make_decoder()
    assert decoder.name == "zxing"
    assert [s.payload for s in decoder.decode(frame_for(spec, "upright"))] == [spec.payload]
