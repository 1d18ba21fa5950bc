"""Issue 23 (11): a refusal quotes the sentence it enforces, or none (the program's own rule)."""

from __future__ import annotations

from kresladi_bedside.clock import FakeClock

from .driver import START, Driver, rejection


def test_the_thaw_method_refusal_quotes_the_37_degree_sentence() -> None:
    d = Driver().ready_to_thaw()
    r = rejection(d.do("start_thaw", bag=1, method="microwave", attest={"sterile_overbag": True}))
    assert r["rule"] == "thaw_method"
    assert "Thaw KRESLADI at 37°C (98.6°F) in a water bath or dry-thaw method" in r["citation"]
    assert "5 minutes" not in r["citation"]


def test_step_order_refusals_quote_no_sentence() -> None:
    d = Driver(clock=FakeClock(START)).ready_to_thaw()
    d.ok("start_thaw", bag=1, method="dry", attest={"sterile_overbag": True})
    d.ok("complete_thaw", bag=1, attest={"no_visible_ice": True})
    d.bedside(1)
    d.ok("check_line", bag=1, items={"central_access": True, "no_inline_filter": True,
                                     "no_pump": True, "tubing_primed": True})
    r = rejection(d.do("end_infusion", bag=1, attest={"entire_contents": True}))
    assert (r["rule"], r["citation"]) == ("procedure", "")
    d.ok("start_infusion", bag=1)
    r = rejection(d.do("start_infusion", bag=1))
    assert (r["rule"], r["citation"]) == ("procedure", "")


def test_receipt_order_of_work_quotes_no_sentence(tmp_path) -> None:
    from tests.receipt.conftest import SAMPLE, make_desk

    desk = make_desk(tmp_path / "p.db", FakeClock(START))
    assert desk.do("open_receipt", {"mrn": SAMPLE.mrn}).accepted
    r = desk.do("enter_sheet", {"sheet": {}}).rejection
    assert r is not None and r.rule == "sequence" and r.citation == ""
    desk.store.close()
