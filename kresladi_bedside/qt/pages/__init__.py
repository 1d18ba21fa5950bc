"""One wizard page per engine step, one module per page family (napari's layer controls):
`base` (the page that asks the engine), `signin`, `order`, `gates`, `scan` (labels), `bag`
(inspect, line, infusion), `thaw`, `flush` (and the wait between bags), `final`.

`STEP_PAGES` is the one mapping from an engine step to the page that shows it; the window builds
its wizard from it (a per-bag step gets one page per bag) and a test checks that every step of
the engine's table has a page. Each page loads its Designer form, turns the nurse's actions into
engine commands and shows what the engine answers; no page knows a limit, a dose or a time rule.

The names are loaded on first use (PEP 562, as `sync/` does): the window imports only the
sign-in page before its first paint; the step pages (and what they import: the receipt chooser,
the page views) come with `STEP_PAGES`, when the window builds them after that paint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...lazy import lazy_names

if TYPE_CHECKING:
    from .bag import InfusionPage, InspectPage, LineChecksPage
    from .base import MESSAGE_PX, AttestList, StepPage, add_correction_button, scrolling
    from .final import CompletePage, FinalPage, PostInfusionPage, StoppedPage
    from .flush import BetweenBagsPage, FlushPage
    from .gates import GatesPage
    from .order import OrderPage
    from .scan import BedsideIdentityPage, IdentityPage, ScanPage, scan_feedback
    from .signin import SignInPage
    from .thaw import THAW_METHODS, ThawPage

_WHERE: dict[str, str] = {
    "InfusionPage": "bag", "InspectPage": "bag", "LineChecksPage": "bag",
    "MESSAGE_PX": "base", "AttestList": "base", "StepPage": "base",
    "add_correction_button": "base", "scrolling": "base",
    "CompletePage": "final", "FinalPage": "final", "PostInfusionPage": "final",
    "StoppedPage": "final", "BetweenBagsPage": "flush", "FlushPage": "flush",
    "GatesPage": "gates", "OrderPage": "order", "BedsideIdentityPage": "scan",
    "IdentityPage": "scan", "ScanPage": "scan", "scan_feedback": "scan",
    "SignInPage": "signin", "THAW_METHODS": "thaw", "ThawPage": "thaw",
}


def _step_pages() -> dict[str, type[StepPage[Any]]]:
    """Engine step -> the page that shows it. "new" (no procedure yet) is shown by the order
    page, which opens the procedure as it prepares the order (OrderPage.steps)."""
    from .bag import InfusionPage, InspectPage, LineChecksPage
    from .final import CompletePage, PostInfusionPage, StoppedPage
    from .flush import BetweenBagsPage, FlushPage
    from .gates import GatesPage
    from .order import OrderPage
    from .scan import BedsideIdentityPage, IdentityPage
    from .thaw import ThawPage

    return {
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
        "moved": StoppedPage,  # handed over to another workstation: nothing follows here
    }


_named = lazy_names(__name__, _WHERE, globals())


def __getattr__(name: str) -> Any:
    if name == "STEP_PAGES":
        globals()[name] = _step_pages()
        return globals()[name]
    return _named(name)


STEP_PAGES: dict[str, type[StepPage[Any]]]  # made on first use (__getattr__)

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
