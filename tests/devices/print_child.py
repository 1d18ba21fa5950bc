"""Run in its own process (CUPS_SERVER must be set before Qt's print plugin first asks CUPS):
make a procedure record, and print it with the window's path to the default printer."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from record.record_builder import ZONE, completed_two_bags

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.printing import (
    PrintError,
    ensure_app,
    print_to_printer,
    printer_to_use,
    save_pdf,
)
from kresladi_bedside.record import load_record, record_document
from kresladi_bedside.store import open_store


def main(db: str, configured: str | None) -> None:
    ensure_app()
    store = open_store(db)
    pid = completed_two_bags(store)
    site = SiteConfig(timezone=ZONE)
    doc = record_document(load_record(store, pid, load_profile(), site), site.paper_size)
    try:
        queue = printer_to_use(configured)
    except PrintError as exc:
        print(json.dumps({"refused": str(exc)}))
        return
    pages = print_to_printer(doc, queue)
    reference = Path(db).with_suffix(".reference.pdf")  # the same document, straight to a file
    save_pdf(doc, reference)
    print(json.dumps({"queue": queue, "pages": pages, "title": doc.title,
                      "reference": str(reference)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
