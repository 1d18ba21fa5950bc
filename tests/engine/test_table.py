from pathlib import Path

import pytest

from kresladi_bedside.engine import table
from kresladi_bedside.engine.table import (
    STEPS,
    TABLE,
    allowed_at,
    reachable,
    rules_for,
    table_markdown,
    table_problems,
)
from kresladi_bedside.profile import load_profile

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_shows_the_current_transition_table() -> None:
    text = README.read_text(encoding="utf-8")
    assert table_markdown() in text, "README's table is stale: paste table_markdown() into it"


def test_every_rule_the_table_names_is_in_the_profile() -> None:
    profile = load_profile()
    for transition in TABLE:
        for rule in transition.rules:
            assert rule in profile.rules or rule in table.PROGRAM_RULES, (transition.command,
                                                                           rule)


def test_terminal_steps_allow_only_bookkeeping() -> None:
    for step in ("complete", "stopped"):
        assert set(allowed_at(step)) == {"acknowledge_alarm", "silence_alarm",
                                       "note_clock_change", "note_custody", "correct"}
    assert set(allowed_at("new")) == {"open"}
    assert all(t.steps and set(t.steps) <= set(STEPS) for t in TABLE)


def test_the_table_is_a_sound_state_machine() -> None:
    """Every step reachable from `new`, every step able to end, nothing out of the ends."""
    assert table_problems() == []
    assert reachable() == frozenset(STEPS)
    for step in STEPS:
        if step == "moved":  # handed over: only a take-over leaves it, back to where it was
            assert allowed_at(step) == ("take_over",)
            continue
        assert reachable(step) & {"complete", "stopped"}, step


def test_leads_to_names_steps() -> None:
    for t in TABLE:
        assert isinstance(t.leads_to, tuple), t.command
        assert set(t.leads_to) <= set(STEPS), (t.command, t.leads_to)


@pytest.mark.parametrize(("drop", "problem"), [
    (("log_flush",), "step 'between_bags' cannot be reached"),
    (("stop_procedure", "inspect_bag"), "from step 'inspect' the procedure can never end"),
])
def test_the_checker_finds_a_broken_table(monkeypatch: pytest.MonkeyPatch,
                                          drop: tuple[str, ...], problem: str) -> None:
    monkeypatch.setattr(table, "TABLE", tuple(t for t in TABLE if t.command not in drop))
    assert problem in table.table_problems()


def test_a_way_out_of_a_terminal_step_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    reopen = table.Transition("open", ("stopped",), ("order",), (), "reopen")
    monkeypatch.setattr(table, "TABLE", (*TABLE, reopen))
    assert "terminal step 'stopped' leads to ['order']" in table.table_problems()


def test_every_rule_a_refusal_may_name_is_in_the_profile() -> None:
    profile = load_profile()
    for command in {t.command for t in TABLE}:
        assert rules_for(command) <= set(profile.rules) | set(table.PROGRAM_RULES), command
