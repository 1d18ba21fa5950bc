"""Text copied out of a printed PDF is the text that was printed: no "ff"/"fi"/"fl" ligatures
in identifiers, hashes or words, in any element or font the record's HTML uses."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kresladi_bedside.qt.printing import save_pdf
from kresladi_bedside.record.document import PrintDocument

LIGATURES = {chr(c) for c in range(0xFB00, 0xFB07)}
HTML = """
<h1>Official record office</h1>
<p>chain head 9c4715ffa0 affix <b>offline fluff</b> <i>fjord efficient</i></p>
<table><tr><td style="font-family: 'DejaVu Serif'; font-size: 14pt">buffalo stiff 4715ff</td>
<td><tt>ffff fifi flfl</tt></td></tr></table>
"""


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_no_ligatures_in_any_element(qapp: object, tmp_path: Path) -> None:
    pdf = tmp_path / "lig.pdf"
    save_pdf(PrintDocument(html=HTML, title="t", header="h", paper="letter"), pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert not LIGATURES & set(text), sorted(LIGATURES & set(text))
    for word in ("Official", "office", "9c4715ffa0", "offline", "fluff", "efficient",
                 "buffalo", "4715ff", "ffff", "fifi", "flfl"):
        assert word in text
