"""`kresladi-bedside record PROCEDURE_ID --pdf FILE [--html FILE]`: print a procedure's record
headless (an offscreen Qt application is created when none is running). A receipt's id
(`receipt-…`) prints the receipt's own record."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from ..config import InvalidConfigError, SiteConfig
from ..profile import Profile, ProfileError, load_profile
from ..receipt.model import is_receipt_id
from ..record import (
    PrintDocument,
    RecordError,
    load_receipt,
    load_record,
    receipt_document,
    record_document,
)
from ..record.times import RecordTimezoneError
from ..record.view import ChainStatus
from ..store import StorageError, Store, database_path, open_store
from .config_cmd import config_for_args

BROKEN_CHAIN_EXIT = 1
ERROR_EXIT = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("record", help="print a procedure's (or a receipt's) record to PDF "
                       "(and HTML)",
                       description="Render the procedure record from the log, after verifying "
                       "its hash chain; a receipt's id (receipt-…) renders the receipt's own "
                       "record. Exit 1 if the chain is broken (the record is still "
                       "written, with the problem printed at its top); 2 on any other error.")
    p.add_argument("procedure_id", help="the procedure's (or receipt's) id (see the log)")
    p.add_argument("--pdf", required=True, metavar="FILE", help="the PDF to write")
    p.add_argument("--html", metavar="FILE", help="also write the HTML the PDF is made from")
    p.add_argument("--paper", choices=("letter", "a4"),
                   help="paper size (default: the site's paper_size)")
    p.add_argument("--profile", help="a product profile TOML (default: KRESLADI)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = config_for_args(args)
        if args.paper:
            config = dataclasses.replace(config, paper_size=args.paper)
        path = database_path(getattr(args, "db", None), config)
        if not path.is_file():
            raise RecordError(f"there is no procedure log at {path}")
        profile = load_profile(args.profile)
        with open_store(path, read_only=True) as store:
            doc, status, chain = _document(store, args.procedure_id, profile, config)
        if args.html:
            Path(args.html).write_text(doc.html, encoding="utf-8")
        from ..qt.printing import PrintError, save_pdf  # Qt only when there is something to print

        try:
            pages = save_pdf(doc, args.pdf)
        except PrintError as exc:
            raise RecordError(str(exc)) from exc
    except (RecordError, RecordTimezoneError, InvalidConfigError, ProfileError,
            StorageError, OSError) as exc:
        print(f"record: {exc}", file=sys.stderr)
        return ERROR_EXIT
    print(f"{args.pdf}: {pages} page(s), {status}, chain head {chain.head_hash}")
    if not chain.ok:
        print(f"record: WARNING: the log failed verification: {chain.problem}",
              file=sys.stderr)
        return BROKEN_CHAIN_EXIT
    return 0


def _document(store: Store, chain_id: str, profile: Profile, config: SiteConfig
              ) -> tuple[PrintDocument, str, ChainStatus]:
    """The procedure's record, or the receipt's own record for a receipt id."""
    if is_receipt_id(chain_id):
        receipt = load_receipt(store, chain_id, config)
        assert receipt.chain is not None  # a receipt on its own is always verified
        return receipt_document(receipt, config.paper_size), receipt.status, receipt.chain
    view = load_record(store, chain_id, profile, config)
    return record_document(view, config.paper_size), view.status, view.chain
