"""Print a `PrintDocument` (HTML from the record or the training sheet) with Qt: to PDF, or to a
real printer through the print dialog.

QTextDocument has no running headers, so pages are painted here: the document is laid out to
the page body (the printable area less the header and footer bands), then each page is painted
with QPainter: the header (patient and procedure), the document's slice for that page, the
watermark, and "Page x of y". No clinical rule lives here: the text comes from the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter

from ..record.document import PrintDocument

if TYPE_CHECKING:  # the record command prints without loading the widgets
    from PySide6.QtWidgets import QWidget

PAGE_SIZES = {"letter": QPageSize.PageSizeId.Letter, "a4": QPageSize.PageSizeId.A4}
MARGIN_MM = 14.0
BAND_FONT_PT = 7.5
WATERMARK_COLOR = QColor(190, 0, 0, 48)
NO_LIGATURES = ("liga", "clig", "dlig")


class PrintError(RuntimeError):
    """The document could not be printed (names the file or the printer)."""


class _ClosedDocument(QTextDocument):
    """A text document that loads nothing it was not given: no file, no network, no image a
    label could name. Only the PNGs handed over with the document (training barcodes)."""

    def __init__(self, images: Mapping[str, bytes]) -> None:
        super().__init__()
        self._images = images

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        name = url.toString() if isinstance(url, QUrl) else str(url)
        data = self._images.get(name)
        if kind == QTextDocument.ResourceType.ImageResource.value and data is not None:
            # PySide6's stub types the format as bytes, but bytes here crashes Qt inside
            # setHtml (tests/record/test_training_labels.py); the str works
            return QImage.fromData(data, "PNG")  # type: ignore[arg-type]
        return None


def ensure_app() -> QGuiApplication:
    """The running Qt application, or a headless (offscreen) one for command-line printing.
    A full QApplication, not a QGuiApplication: whatever runs next in this process (the print
    dialog, the self-test dialog, a test) may need widgets, which a QGuiApplication can't host."""
    from PySide6.QtWidgets import QApplication

    app = QGuiApplication.instance()
    if app is None:
        app = QApplication(["kresladi-bedside", "-platform", "offscreen"])
    return app  # type: ignore[return-value]


def make_printer(doc: PrintDocument, pdf: Path | str | None = None) -> QPrinter:
    return new_printer(doc.title, doc.paper, pdf)


def new_printer(title: str, paper: str, pdf: Path | str | None = None) -> QPrinter:
    """A printer for a document of that title and paper (before the document is made)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(PAGE_SIZES[paper]))
    printer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                           QPageLayout.Unit.Millimeter)
    printer.setDocName(title)
    printer.setCreator("kresladi-bedside")
    if pdf is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf))
    return printer


def save_pdf(doc: PrintDocument, path: Path | str) -> int:
    """Write `doc` to the PDF file `path`; returns the number of pages."""
    ensure_app()
    path = Path(path)
    if not path.parent.is_dir():
        raise PrintError(f"cannot write {path}: the folder {path.parent} does not exist")
    pages = paint(doc, make_printer(doc, path))
    if not path.is_file() or path.stat().st_size == 0:
        raise PrintError(f"the PDF {path} was not written")
    return pages


def printer_to_use(configured: str | None = None) -> str:
    """The print queue a record goes to: the site's configured printer, else the system's
    default. Raises PrintError naming what is missing: never a silent PDF file instead (with no
    queue, Qt's printer falls back to writing a PDF in the home folder)."""
    from PySide6.QtPrintSupport import QPrinterInfo

    ensure_app()
    names = QPrinterInfo.availablePrinterNames()
    if configured:
        if configured not in names:
            raise PrintError(f"the configured printer {configured!r} is not available on this "
                             f"workstation (printers: {', '.join(names) or 'none'})")
        return configured
    default = QPrinterInfo.defaultPrinterName()
    if not default:
        raise PrintError("no printer is set up on this workstation" if not names else
                         f"no default printer is set (printers: {', '.join(names)})")
    return default


def print_to_printer(doc: PrintDocument, name: str) -> int:
    """Print `doc` to the print queue `name` (a real queue: never to a file); returns pages."""
    ensure_app()
    printer = make_printer(doc)
    printer.setPrinterName(name)
    if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat or \
            printer.printerName() != name:
        raise PrintError(f"the printer {name!r} cannot be opened")
    return paint(doc, printer)


def print_with_dialog(doc: PrintDocument, parent: QWidget | None = None,
                      printer_name: str | None = None) -> int:
    """Ask with the print dialog, then print to the chosen printer; returns the pages printed
    (0 if the user cancelled). Needs a QApplication (widgets). With no print queue at all this
    refuses (PrintError) rather than let the dialog default to a PDF file in the home folder."""
    printer = choose_printer(doc.title, doc.paper, parent, printer_name)
    return 0 if printer is None else paint(doc, printer)


def choose_printer(title: str, paper: str, parent: QWidget | None = None,
                   printer_name: str | None = None) -> QPrinter | None:
    """The print dialog (on the GUI thread): the printer chosen, or None if cancelled. The
    document is then painted on it with `paint`, which may run off the GUI thread."""
    from PySide6.QtPrintSupport import QPrintDialog

    name = printer_to_use(printer_name)
    printer = new_printer(title, paper)
    printer.setPrinterName(name)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print — {title}")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return printer


def layout(doc: PrintDocument, printer: QPrinter) -> tuple[QTextDocument, QRectF, float]:
    """The document laid out for `printer`: (document, page body rectangle, band height)."""
    text = _ClosedDocument(doc.images)
    text.documentLayout().setPaintDevice(printer)
    text.setDocumentMargin(0)
    _without_ligatures(text)  # before the HTML: one layout, with the features already off
    area = printer.pageRect(QPrinter.Unit.DevicePixel)
    band = QFontMetricsF(_band_font(), printer).height() * 2.2
    body = QRectF(0, band, area.width(), area.height() - 2 * band)
    text.setPageSize(body.size())  # before the HTML too: the pages are set once
    text.setHtml(doc.html)
    return text, body, band


def paint(doc: PrintDocument, printer: QPrinter) -> int:
    text, body, band = layout(doc, printer)
    pages = text.pageCount()
    painter = QPainter()
    if not painter.begin(printer):
        target = printer.outputFileName() or printer.printerName()
        raise PrintError(f"the printer could not be opened ({target})")
    try:
        for index in range(pages):
            if index:
                printer.newPage()
            _paint_page(painter, text, body, band, index, pages, doc)
    finally:
        painter.end()
    return pages


def _paint_page(painter: QPainter, text: QTextDocument, body: QRectF, band: float, index: int,
                pages: int, doc: PrintDocument) -> None:
    width = body.width()
    painter.save()
    painter.translate(0, body.top() - index * body.height())
    text.drawContents(painter, QRectF(0, index * body.height(), width, body.height()))
    painter.restore()
    painter.save()
    painter.setFont(_band_font())
    painter.setPen(QPen(QColor(0, 0, 0)))
    header = QRectF(0, 0, width, band * 0.8)
    painter.drawText(header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                     | Qt.TextFlag.TextWordWrap, doc.header)
    painter.drawLine(QPointF(0, band * 0.85), QPointF(width, band * 0.85))
    footer = QRectF(0, body.bottom() + band * 0.2, width, band * 0.8)
    painter.drawLine(QPointF(0, footer.top()), QPointF(width, footer.top()))
    painter.drawText(footer, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     doc.title)
    painter.drawText(footer, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                     f"Page {index + 1} of {pages}")
    painter.restore()
    if doc.watermark:
        _paint_watermark(painter, body, doc.watermark)


def _paint_watermark(painter: QPainter, body: QRectF, word: str) -> None:
    painter.save()
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPointSizeF(54 if len(word) < 12 else 38)
    painter.setFont(font)
    painter.setPen(QPen(WATERMARK_COLOR))
    painter.translate(body.center())
    painter.rotate(-35)
    span = body.width() + body.height()
    painter.drawText(QRectF(-span / 2, -body.height() / 4, span, body.height() / 2),
                     Qt.AlignmentFlag.AlignCenter, word)
    painter.restore()


def _band_font() -> QFont:
    font = QFont("DejaVu Sans")
    font.setPointSizeF(BAND_FONT_PT)
    for tag in NO_LIGATURES:
        font.setFeature(QFont.Tag(tag), 0)
    return font


def _without_ligatures(text: QTextDocument) -> None:
    """Identifiers and hashes must copy out of the PDF exactly: an "ff" ligature turns the
    hash "…4715ff" into "…4715ﬀ" for anyone who pastes or machine-reads it.

    Set on the document's default font before the HTML goes in, so every run's font inherits
    it at the one layout. (Selecting the whole document and merging a char format afterwards
    re-laid the document out a second time: 27 % of the record's PDF time.)"""
    font = text.defaultFont()
    for tag in NO_LIGATURES:
        font.setFeature(QFont.Tag(tag), 0)
    text.setDefaultFont(font)
