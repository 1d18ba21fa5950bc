"""`kresladi-bedside decode FILE...`: what the camera path reads from images and videos.

One JSON line per decoded code: file, frame, symbology, payload (GS shown as \\u001d), the parsed
identifiers (or the reason the label was refused) and the code's position in the frame. Sites use
it to check what their camera and their labels give; it runs the same pipeline as the window.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..config import InvalidConfigError, load_site_config
from ..labels.errors import LabelError
from ..profile import ProfileError, load_profile
from ..scanning.capture import FrameResult, ScanPipeline, SourceError, open_source
from ..scanning.decoders import BACKENDS, BackendError, make_decoder
from ..scanning.raw import RawScan, to_scan


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "decode", help="decode barcodes in images or videos; one JSON line per code"
    )
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="image, video, or folder of images (a camera index such as 0 works too)")
    p.add_argument("--backend", choices=BACKENDS,
                   help="decoder (default: the site's camera.backend, else zxing)")
    p.add_argument("--once", action="store_true",
                   help="print a code once while it stays in view, as the window scans it "
                        "(default: every frame it is read in)")
    p.add_argument("--profile", help="a product profile TOML (default: KRESLADI): its longest "
                   "shelf life bounds a printed expiry")
    p.set_defaults(func=run)


def describe(file: str, scan: RawScan, identity: Any, shelf_life_days: int | None
             ) -> dict[str, Any]:
    line: dict[str, Any] = {
        "file": file,
        "frame": scan.frame,
        "symbology": scan.symbology,
        "payload": scan.payload,
    }
    try:
        parsed = to_scan(scan, identity, shelf_life_days)
    except LabelError as exc:
        line["error"] = str(exc)
        line["error_code"] = exc.code
    else:
        line["kind"] = parsed.kind
        line["identifiers"] = dict(parsed.identifiers)
    line["position"] = [list(p) for p in scan.position] if scan.position else None
    return line


def run(args: argparse.Namespace) -> int:
    try:
        site = load_site_config(getattr(args, "config", None))
        decoder = make_decoder(args.backend or site.camera.backend)
        shelf_life_days = load_profile(args.profile).longest_shelf_life_days
    except (InvalidConfigError, BackendError, ProfileError) as exc:
        print(f"decode: {exc}", file=sys.stderr)
        return 2
    status = 0
    for file in args.files:

        def emit(result: FrameResult, file: str = file) -> None:
            for scan in result.new if args.once else result.codes:
                line = describe(file, scan, site.identity, shelf_life_days)
                print(json.dumps(line, ensure_ascii=False), flush=True)

        try:
            ScanPipeline(open_source(file), decoder, realtime=False, on_frame=emit).run()
        except SourceError as exc:
            print(f"decode: {exc}", file=sys.stderr)
            status = 1
    return status
