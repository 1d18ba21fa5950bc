"""The training label sheet: every card's barcode reads back as its payload, the good labels
match the sample order, the bad ones do not."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from kresladi_bedside.cli import main
from kresladi_bedside.qt.printing import save_pdf
from kresladi_bedside.training.label_sheet import (
    LabelSheetError,
    barcode_png,
    label_sheet_document,
    training_cards,
)
from kresladi_bedside.training.sample import TrainingSampleError, sample_order

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def decode(png: bytes) -> list[str]:
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_each_barcode_reads_back_as_its_payload():
    doc = label_sheet_document(NOW)
    cards = training_cards(NOW)
    assert len(doc.images) == len(cards)
    for index, card in enumerate(cards):
        assert decode(doc.images[f"barcode:{index}"]) == [card.payload], card.title


def test_cards_cover_every_label_kind_and_three_that_must_fail():
    cards = training_cards(NOW)
    assert {c.role for c in cards} == {"wristband", "shipper", "cassette", "bag", "badge"}
    bad = [c for c in cards if c.bad]
    # the linear MRN carries one patient identifier: the bedside refuses it (two are needed)
    assert [c.title for c in bad] == ["WRONG PATIENT: bag 1", "EXPIRED: bag 2",
                                      "Wristband, linear MRN"]
    order = sample_order(NOW)
    good_bags = [c for c in cards if c.role == "bag" and not c.bad]
    for line, card in zip(order.bags, good_bags, strict=True):
        assert line.bag_id in card.payload and line.lot in card.payload
        assert order.patient.coi in card.payload
    assert order.patient.coi not in bad[0].payload
    assert "&>0250312359" in bad[1].payload  # ISBT expiry: 2025, day 031, 23:59


def test_sample_order_refuses_an_expired_sample():
    with pytest.raises(TrainingSampleError, match="expired"):
        sample_order(datetime(2036, 1, 1, tzinfo=UTC))


def test_an_unknown_symbology_is_named():
    with pytest.raises(LabelSheetError, match="aztec"):
        barcode_png("x", "aztec")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_printed_sheet_scans(tmp_path: Path):
    pdf = tmp_path / "sheet.pdf"
    save_pdf(label_sheet_document(NOW), pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "s")], check=True)
    read: set[str] = set()
    for png in sorted(tmp_path.glob("s-*.png")):
        read |= set(decode(png.read_bytes()))
    assert {c.payload for c in training_cards(NOW)} <= read


def test_training_labels_command(tmp_path: Path, capsys):
    assert main(["training-labels", "--pdf", str(tmp_path / "t.pdf")]) == 0
    assert "training labels" in capsys.readouterr().out
    assert (tmp_path / "t.pdf").stat().st_size > 0
