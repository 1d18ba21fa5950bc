"""Render the record view as HTML with Jinja2, autoescape on.

Every `{{ value }}` passes through `text.printable` (controls made visible, long runs made
breakable) and is then escaped, so nothing from a label can become markup.
"""

from __future__ import annotations

from functools import cache

import jinja2

from ..paths import resource
from .document import PrintDocument
from .text import cells, ml, printable
from .view import ReceiptView, RecordView


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource("templates"))),
        autoescape=True,
        finalize=printable,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(cells=cells, ml=ml)  # numbers held as numbers (receipt.model.SheetBag)
    return env


def render_template(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)


def render_html(view: RecordView) -> str:
    return render_template("record.html.j2", r=view)


def record_document(view: RecordView, paper: str = "letter") -> PrintDocument:
    """The record, ready for `qt.printing.save_pdf` or `print_with_dialog`."""
    return PrintDocument(html=render_html(view), title=f"{view.product} record "
                         f"{view.procedure_id}", header=view.page_header, paper=paper,
                         watermark=view.watermark)


def receipt_document(view: ReceiptView, paper: str = "letter") -> PrintDocument:
    """The receipt's own record (record/receipt.py), ready to save or print like the record."""
    return PrintDocument(html=render_template("receipt.html.j2", rc=view),
                         title=f"{view.product} receipt {view.receipt_id}",
                         header=view.page_header, paper=paper, watermark=view.watermark)
