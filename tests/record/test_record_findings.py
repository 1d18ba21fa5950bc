"""Issue 13, findings 6 and 10 on paper: a stop after a bag was given, and a flush above the
site's mL/kg threshold; attested items and the end of administration on the record."""

from __future__ import annotations

from record_builder import FLUSH_REASON


def test_finding_6_stop_after_bag_one_says_what_was_given_and_keeps_the_instructions(
        printouts) -> None:
    p = printouts("stopped_after_bag_one")
    printed = p.printed
    assert p.view.status == "STOPPED"
    assert printed.missing(
        "STOPPED after part of the dose — do not give bag 2",
        "Bag 1 (lot KR26A0417): GIVEN — entire contents infused",
        "Bag 2 (lot KR26B0418): NOT GIVEN — found compromised.",
        "Irradiate any blood products required within the first 3 months",
        "The patient must never donate blood, organs, tissues or cells.",
        "the back-up collection (3,200,000 CD34+ cells/kg) is kept for rescue",
        "Administer the back-up collection for rescue treatment",
    ) == []
    acknowledged = p.of("post_infusion_acknowledged")
    assert acknowledged and acknowledged[0].data["after_stop"] is True
    assert not printed.has("not yet acknowledged") and not printed.has("NOT ACKNOWLEDGED")
    assert not p.of("procedure_completed")


def test_finding_10_record_shows_attested_items_and_the_end_of_administration(
        printouts) -> None:
    printed = printouts("completed").printed
    assert printed.missing(
        "The bag is inside a sterile plastic bag.",
        "No visible ice remains; the bag was removed promptly and is kept at room temperature.",
        "The entire contents of the bag were infused.",
        "Bag completely administered (end of infusion)",
        "Saline flush ended",
    ) == []


def test_finding_5_weight_flagged_flush_is_printed_with_ml_per_kg_and_its_deviation(
        printouts) -> None:
    p = printouts("weight_flagged_flush")
    printed = p.printed
    assert printed.missing(
        "99 mL = 10.42 mL/kg at 9.5 kg (site threshold 10 mL/kg, all flushes together)",
        "10.42 mL/kg", FLUSH_REASON, "above the site's 10 mL/kg",
    ) == []
    (first, second) = p.of("deviation_recorded")
    assert (first.data["rule"], first.data["unit"]) == ("flush", "mL/kg")
    assert second.data["bag"] == 2
