"""`kresladi-bedside training-labels --pdf FILE`: print the sheet of practice labels that
match the training sample order (headless)."""

from __future__ import annotations

import argparse
import sys

from ..clock import SystemClock
from ..config import InvalidConfigError
from ..training.label_sheet import LabelSheetError, label_sheet_document
from ..training.sample import TrainingSampleError
from .config_cmd import config_for_args


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("training-labels", help="print the training label sheet to PDF",
                       description="Practice labels (wristband, shipper, cassettes, bags, "
                       "badges, a wrong-patient bag and an expired bag) for training mode.")
    p.add_argument("--pdf", required=True, metavar="FILE", help="the PDF to write")
    p.add_argument("--paper", choices=("letter", "a4"),
                   help="paper size (default: the site's paper_size)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..qt.printing import PrintError, save_pdf

    try:
        config = config_for_args(args)
        doc = label_sheet_document(SystemClock().now(), args.paper or config.paper_size)
        pages = save_pdf(doc, args.pdf)
    except (InvalidConfigError, LabelSheetError, TrainingSampleError, PrintError,
            OSError) as exc:
        print(f"training-labels: {exc}", file=sys.stderr)
        return 2
    print(f"{args.pdf}: {pages} page(s) of training labels")
    return 0
