"""One wizard page per engine step, one module per page family (napari's layer controls):
`base` (the page that asks the engine), `signin`, `order`, `gates`, `scan` (labels), `bag`
(inspect, line, infusion), `thaw`, `flush` (and the wait between bags), `final`.

`STEP_PAGES` is the one mapping from an engine step to the page that shows it; the window builds
its wizard from it (a per-bag step gets one page per bag) and a test checks that every step of
the engine's table has a page. Each page loads its Designer form, turns the nurse's actions into
engine commands and shows what the engine answers; no page knows a limit, a dose or a time rule."""

from __future__ import annotations

from typing import Any

from .bag import InfusionPage, InspectPage, LineChecksPage
from .base import MESSAGE_PX, AttestList, StepPage, add_correction_button, scrolling
from .final import CompletePage, FinalPage, PostInfusionPage, StoppedPage
from .flush import BetweenBagsPage, FlushPage
from .gates import GatesPage
from .order import OrderPage
from .scan import BedsideIdentityPage, IdentityPage, ScanPage, scan_feedback
from .signin import SignInPage
from .thaw import THAW_METHODS, ThawPage

# Engine step -> the page that shows it. "new" (no procedure yet) is shown by the order page,
# which opens the procedure as it prepares the order (OrderPage.steps).
STEP_PAGES: dict[str, type[StepPage[Any]]] = {
    "new": OrderPage,
    "order": OrderPage,
    "gates": GatesPage,
    "identity": IdentityPage,
    "inspect": InspectPage,
    "thaw": ThawPage,
    "bedside_identity": BedsideIdentityPage,
    "line_checks": LineChecksPage,
    "infusion": InfusionPage,
    "flush": FlushPage,
    "between_bags": BetweenBagsPage,
    "post_infusion": PostInfusionPage,
    "complete": CompletePage,
    "stopped": StoppedPage,
}

__all__ = [
    "MESSAGE_PX",
    "STEP_PAGES",
    "THAW_METHODS",
    "AttestList",
    "BedsideIdentityPage",
    "BetweenBagsPage",
    "CompletePage",
    "FinalPage",
    "FlushPage",
    "GatesPage",
    "IdentityPage",
    "InfusionPage",
    "InspectPage",
    "LineChecksPage",
    "OrderPage",
    "PostInfusionPage",
    "ScanPage",
    "SignInPage",
    "StepPage",
    "StoppedPage",
    "ThawPage",
    "add_correction_button",
    "scan_feedback",
    "scrolling",
]
