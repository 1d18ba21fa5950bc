"""One mapping from engine step to page (`qt.pages.STEP_PAGES`): every step of the engine's
table has a page, and the window built from the mapping has that page for every bag."""

from __future__ import annotations

from kresladi_bedside.engine.steps import Step
from kresladi_bedside.engine.table import STEPS
from kresladi_bedside.qt.pages import STEP_PAGES, StepPage
from kresladi_bedside.qt.wizard import PER_BAG


def test_every_step_of_the_engine_table_has_a_page() -> None:
    assert set(STEP_PAGES) == set(STEPS)
    assert all(issubclass(cls, StepPage) for cls in STEP_PAGES.values())


def test_the_window_builds_the_mapped_page_for_every_step_and_bag(bedside) -> None:
    b = bedside()
    window = b.window
    bags = range(1, b.session.profile.rule("bag_count")["max"] + 1)
    wanted = [Step(s) for s in STEPS if s not in PER_BAG or s == "identity"]
    wanted += [Step(s, n) for s in STEPS if s in PER_BAG for n in bags
               if not (n == 1 and s in ("identity", "between_bags"))]
    for step in wanted:
        page = window.wizard.page(window.page_id_for(step))
        assert type(page) is STEP_PAGES[step.name], step
        # the page knows it shows this step (its own, or one it shares: "new" on the order page)
        assert step.name in (page.steps or (page.step_name,)), step
        assert page.bag == step.bag, step


def test_each_page_loads_the_typed_form_named_in_its_class() -> None:
    """`class ThawPage(StepPage[ThawForm])`: the subscript is the form the page loads (and the
    type mypy checks its widgets against)."""
    for cls in set(STEP_PAGES.values()):
        assert cls.form_class.ui, cls  # a real .ui, never the untyped base
        assert cls.form_class.__name__ == cls.__name__.replace("Page", "Form"), cls
