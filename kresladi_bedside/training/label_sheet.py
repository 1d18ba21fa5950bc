"""The training label sheet: practice labels for the sample order, printed on paper.

Wristband, shipper, cassettes, bags and badges that match `training.sample.sample_order`, plus
two that must fail: a bag labelled for another patient and an expired bag. Barcodes are drawn
with zxing-cpp's writer and handed to the printer as PNG resources (`PrintDocument.images`);
the HTML names them with `<img src="barcode:N">`, which only the printing document resolves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import cv2
import numpy as np

from ..clock import Instant
from ..labels import samples
from ..record.document import PrintDocument
from ..record.render import render_template
from .sample import EXPIRED_ON, expiry_of, sample_order

SYMBOLOGIES = ("qr", "datamatrix", "code128")
MODULE_PX = 6  # pixels per module in the PNG; the template sets the printed size


class LabelSheetError(ValueError):
    """A training label could not be drawn (names the label and the symbology)."""


@dataclass(frozen=True)
class LabelCard:
    title: str
    role: str  # what the label stands for at the bedside
    expect: str  # what the program should do when it is scanned
    payload: str
    symbology: str
    readable: tuple[str, ...] = ()  # eye-readable lines printed under the symbol
    bad: bool = False  # printed to fail: framed in red on the sheet

    @property
    def printed_width_px(self) -> int:
        return 240 if self.symbology == "code128" else 110


OTHER_PATIENT: dict[str, Any] = dict(coi="CHW123426009931", dob=date(2023, 7, 1),
                                     patient_id="KR9931")


def training_cards(now: Instant | datetime) -> tuple[LabelCard, ...]:
    order = sample_order(now)
    p = order.patient
    cards = [
        LabelCard("Patient wristband", "wristband", "accepted: the patient",
                  samples.wristband_payload(mrn=p.mrn, name=p.name, dob=p.dob), "qr",
                  (p.name, f"MRN {p.mrn}", f"DOB {p.dob.isoformat()}")),
        LabelCard("LN2 shipper", "shipper", "accepted: this patient's shipment",
                  samples.shipper_payload(), "datamatrix", (f"COI {p.coi}",)),
    ]
    for line in order.bags:
        n = line.number
        readable = (f"DIN {samples.typed_din(n)}", f"Lot {line.lot}",
                    f"Exp {line.expiry:%Y-%m-%d %H:%M} UTC")
        cards.append(LabelCard(f"Cassette, bag {n}", "cassette", f"accepted: cassette of bag {n}",
                               samples.cassette_payload(n, expiry=expiry_of(n)), "datamatrix",
                               readable))
        cards.append(LabelCard(f"Infusion bag {n}", "bag", f"accepted: bag {n}",
                               samples.bag_payload(n, expiry=expiry_of(n)), "datamatrix",
                               readable))
    cards += [
        LabelCard("WRONG PATIENT: bag 1", "bag", "HARD STOP: labelled for another patient",
                  samples.bag_payload(1, expiry=expiry_of(1), **OTHER_PATIENT), "datamatrix",
                  (f"DIN {samples.typed_din(1)}", f"COI {OTHER_PATIENT['coi']}"), bad=True),
        LabelCard("EXPIRED: bag 2", "bag", f"HARD STOP: expired {EXPIRED_ON:%Y-%m-%d}",
                  samples.bag_payload(2, expiry=EXPIRED_ON), "datamatrix",
                  (f"DIN {samples.typed_din(2)}", f"Exp {EXPIRED_ON:%Y-%m-%d %H:%M} UTC"),
                  bad=True),
        LabelCard("Nurse badge", "badge", "signs in the nurse (with a PIN)",
                  samples.badge_payload(), "qr", ("KIM, SORA", samples.SAMPLE_BADGE)),
        LabelCard("Witness badge", "badge", "signs in the witness (with a PIN)",
                  samples.badge_payload(badge="P20931", name="ORTIZ, PABLO"), "qr",
                  ("ORTIZ, PABLO", "P20931")),
        LabelCard("Wristband, linear MRN", "wristband",
                  "NOT ACCEPTED: MRN only, one identifier (two are needed)",
                  samples.wristband_payload(mrn=p.mrn, style="mrn"), "code128",
                  (f"MRN {p.mrn}",), bad=True),
    ]
    return tuple(cards)


def barcode_png(payload: str, symbology: str) -> bytes:
    """The symbol as a PNG (black on white, with quiet zones), drawn by zxing-cpp."""
    import zxingcpp

    formats = {"qr": zxingcpp.BarcodeFormat.QRCode, "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
               "code128": zxingcpp.BarcodeFormat.Code128}
    if symbology not in formats:
        raise LabelSheetError(f"unknown symbology {symbology!r} (one of {SYMBOLOGIES})")
    try:
        image = zxingcpp.create_barcode(payload, formats[symbology]).to_image(
            scale=MODULE_PX if symbology != "code128" else 3)
    except (ValueError, RuntimeError) as exc:
        raise LabelSheetError(f"{symbology} cannot encode {payload!r}: {exc}") from exc
    ok, png = cv2.imencode(".png", np.asarray(image, dtype=np.uint8))
    if not ok:
        raise LabelSheetError(f"the {symbology} symbol could not be written as PNG")
    return png.tobytes()


def label_sheet_document(now: Instant | datetime, paper: str = "letter") -> PrintDocument:
    """The training label sheet, ready for `qt.printing.save_pdf` or `print_with_dialog`."""
    cards = training_cards(now)
    images = {f"barcode:{i}": barcode_png(c.payload, c.symbology) for i, c in enumerate(cards)}
    order = sample_order(now)
    html = render_template("training_labels.html.j2", cards=list(enumerate(cards)), order=order)
    return PrintDocument(html=html, title="KRESLADI training labels",
                         header="TRAINING LABELS — not for clinical use · sample patient "
                                f"{order.patient.name} · MRN {order.patient.mrn}",
                         paper=paper, watermark="TRAINING", images=images)
