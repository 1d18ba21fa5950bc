"""Labels are untrusted: markup, entities, bidi controls and 500-character payloads must be
printed literally, never interpreted, and must not break the page layout."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pdftext import flat
from pypdf import PdfReader
from record_builder import HOSTILE, LONG_PAYLOAD

from kresladi_bedside.qt.printing import layout, make_printer
from kresladi_bedside.record.text import CHUNK, RUN_LIMIT, ZWSP, breakable, printable, visible


@pytest.fixture
def hostile(printouts):
    p = printouts("completed")
    return p.doc, p.pdf, p.printed


def test_markup_from_labels_is_escaped_in_the_html(hostile):
    doc, _, _ = hostile
    assert "<img" not in doc.html and "<b>not bold" not in doc.html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in doc.html
    assert "R&amp;amp;D" in doc.html  # the label's "&amp;" itself escaped


def test_hostile_labels_appear_literally_in_the_pdf(hostile):
    _, _, printed = hostile
    assert printed.missing(HOSTILE["bold"], HOSTILE["img"], HOSTILE["entity"],
                           "MRN<U+202E>4321<U+202C><U+200F>", LONG_PAYLOAD) == []
    assert "\u202e" not in printed.text  # a bidi override is shown, never obeyed


def test_no_image_is_rendered_from_a_label(hostile):
    _, pdf, _ = hostile
    for page in PdfReader(pdf).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.values())


def test_long_payloads_wrap_inside_the_page(hostile):
    doc, _, _ = hostile
    text, body, _ = layout(doc, make_printer(doc))
    assert text.size().width() <= body.width() + 1


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_nothing_is_drawn_in_the_right_margin(hostile, tmp_path: Path):
    import cv2

    _, pdf, _ = hostile
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert pages
    for png in pages:
        image = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
        margin = image[:, -int(image.shape[1] * 0.04):]  # the outer 4 % (margin is 14 mm)
        assert margin.min() > 200, f"{png.name}: ink in the right margin"


def test_visible_names_every_invisible_character():
    assert visible("A\x1dB\u202eC\u200bD\x07") == "A<GS>B<U+202E>C<U+200B>D<U+0007>"
    assert visible("RIVERA^MATEO é") == "RIVERA^MATEO é"


def test_visible_names_each_invisible_character_even_alone_in_plain_text():
    """`visible` skips the character-by-character pass for text `str.isprintable` accepts:
    every control, format (bidi included), line and paragraph separator in Unicode must still
    be named when it is the only odd character in an otherwise plain value."""
    odd = [chr(c) for c in range(0x110000)
           if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp")]
    assert len(odd) > 150
    for ch in odd:
        shown = visible(f"MRN 123{ch}456")
        assert ch not in shown and shown.startswith("MRN 123<") and shown.endswith(">456"), ch


@given(st.text(min_size=0, max_size=300))
def test_breakable_only_adds_break_opportunities(text: str):
    text = text.replace(ZWSP, "")
    out = breakable(text)
    assert out.replace(ZWSP, "") == text
    longest = max((len(run) for run in out.replace(ZWSP, " ").split()), default=0)
    assert longest <= max(RUN_LIMIT, CHUNK)


def test_printable_marks_missing_values():
    assert printable(None) == "—" and printable("") == "—"
    assert ZWSP in printable("x" * 45) and flat(printable("x" * 45)) == "x" * 45
