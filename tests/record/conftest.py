from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pdftext import Printed
from record_builder import (
    ZONE,
    completed_two_bags,
    stopped_after_bag_one,
    stopped_at_inspection,
    weight_flagged_flush,
    with_deviations,
)

from kresladi_bedside.config import SiteConfig
from kresladi_bedside.engine.model import Event, Order
from kresladi_bedside.profile import load_profile
from kresladi_bedside.qt.printing import save_pdf
from kresladi_bedside.record import load_record, record_document
from kresladi_bedside.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "procedures.db") as s:
        yield s


class Printout:
    """A procedure from the log, printed to PDF and read back."""

    def __init__(self, store: Store, pid: str, pdf: Path) -> None:
        self.events = store.events(pid)
        self.view = load_record(store, pid, load_profile(), SiteConfig(timezone=ZONE))
        self.doc = record_document(self.view)
        self.pdf = pdf
        self.pages = save_pdf(self.doc, pdf)
        self.printed = Printed.read(pdf)
        self.head = store.head(pid)
        self.pid = pid

    def of(self, type_: str, bag: int | None = None) -> list[Event]:
        return [e for e in self.events if e.type == type_
                and (bag is None or e.data.get("bag") == bag)]

    @property
    def order(self) -> Order:
        return Order.from_dict(self.of("order_prepared")[0].data["order"])


@pytest.fixture(scope="session")
def printouts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Printout]]:
    """The three records, each built, printed and read back once for the whole session
    (reading a PDF back with pypdf is the slow part)."""
    folder = tmp_path_factory.mktemp("records")
    built: dict[str, Printout] = {}
    makers = {"completed": completed_two_bags, "stopped": stopped_at_inspection,
              "deviations": with_deviations, "stopped_after_bag_one": stopped_after_bag_one,
              "weight_flagged_flush": weight_flagged_flush}
    with open_store(folder / "procedures.db") as store:
        def get(name: str) -> Printout:
            if name not in built:
                built[name] = Printout(store, makers[name](store), folder / f"{name}.pdf")
            return built[name]

        yield get
