"""Rendering time of the two-bag record (run by hand):

    pytest -s -o addopts="" tests/bench/test_bench_record.py

Prints the time to read + verify + gather, to render the HTML, and to lay out and paint the PDF,
median of several runs, and the ratio of the PDF step to the whole.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "record"))

from record_builder import completed_two_bags

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.printing import save_pdf
from kresladi_bedside.record import load_record, record_document
from kresladi_bedside.store import open_store

RUNS = 7


def test_bench_two_bag_record(tmp_path: Path) -> None:
    profile, site = load_profile(), SiteConfig(timezone="America/New_York")
    gather_s, html_s, pdf_s, pages = [], [], [], 0
    with open_store(tmp_path / "log.db") as store:
        pid = completed_two_bags(store)
        events = len(store.events(pid))
        for run in range(RUNS):
            t0 = time.perf_counter()
            view = load_record(store, pid, profile, site)
            t1 = time.perf_counter()
            doc = record_document(view)
            t2 = time.perf_counter()
            pages = save_pdf(doc, tmp_path / f"r{run}.pdf")
            t3 = time.perf_counter()
            gather_s.append(t1 - t0)
            html_s.append(t2 - t1)
            pdf_s.append(t3 - t2)
    g, h, p = (statistics.median(x) * 1000 for x in (gather_s, html_s, pdf_s))
    total = g + h + p
    print(f"\ntwo-bag record: {events} events, {pages} pages, median of {RUNS} runs")
    print(f"  read+verify+gather {g:7.1f} ms")
    print(f"  render HTML        {h:7.1f} ms")
    print(f"  layout+paint PDF   {p:7.1f} ms  ({p / total:.0%} of the total)")
    print(f"  total              {total:7.1f} ms  ({total / pages:.1f} ms a page)")
    print(f"  first run (cold)   {(gather_s[0] + html_s[0] + pdf_s[0]) * 1000:7.1f} ms")
    assert pages >= 1
