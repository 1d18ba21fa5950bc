from pathlib import Path

from kresladi_bedside.engine.table import STEPS, TABLE, allowed_at, table_markdown
from kresladi_bedside.profile import load_profile

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_shows_the_current_transition_table() -> None:
    text = README.read_text(encoding="utf-8")
    assert table_markdown() in text, "README's table is stale: paste table_markdown() into it"


def test_every_rule_the_table_names_is_in_the_profile() -> None:
    profile = load_profile()
    for transition in TABLE:
        for rule in transition.rules:
            assert rule in profile.rules, (transition.command, rule)


def test_terminal_steps_allow_only_bookkeeping() -> None:
    for step in ("complete", "stopped"):
        assert set(allowed_at(step)) == {"acknowledge_alarm", "silence_alarm",
                                       "note_clock_change", "correct"}
    assert set(allowed_at("new")) == {"open"}
    assert all(t.steps and set(t.steps) <= set(STEPS) for t in TABLE)
