"""The printable procedure record: gathered from the log, rendered as HTML (pure Python).

    view = load_record(store, procedure_id, profile, site_config)   # verifies the chain
    doc = record_document(view, site_config.paper_size)             # HTML + header + watermark
    kresladi_bedside.qt.printing.save_pdf(doc, "record.pdf")         # or print_with_dialog(doc)
    receipt_document(load_receipt(store, receipt_id, site_config))  # a receipt on its own
"""

from .document import PrintDocument
from .gather import gather
from .receipt import gather_receipt
from .render import receipt_document, record_document, render_html
from .source import chain_status, load_receipt, load_record
from .view import ChainStatus, ReceiptView, RecordError, RecordView

__all__ = ["ChainStatus", "PrintDocument", "ReceiptView", "RecordError", "RecordView",
           "chain_status", "gather", "gather_receipt", "load_receipt", "load_record",
           "receipt_document", "record_document", "render_html"]
