from pathlib import Path

import pytest

from kresladi_bedside.profile import ProfileError, default_profile_path, load_profile


def test_every_rule_and_instruction_cites_the_label() -> None:
    profile = load_profile()
    label = Path("/work/shared/seeds/000_fb7c878bea53226a.txt")
    text = " ".join(label.read_text().split()) if label.exists() else None
    for item in [*profile.rules.values(), *profile.instructions]:
        assert item.section and item.sentence
        if text is not None and item.id not in ("attestation",):
            first_words = " ".join(item.sentence.split()[:5]).replace("10⁶", "106")
            assert first_words in text.replace("×", "×"), (item.id, first_words)
    assert profile.manufacturer_phone == "1-800-982-2410"
    steps = {i.step for i in profile.instructions}
    assert {"gates", "identity", "inspect", "thaw", "line_checks", "flush",
            "post_infusion"} <= steps


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _profile_without(line_start: str) -> str:
    lines = default_profile_path().read_text(encoding="utf-8").splitlines()
    out, skipping = [], False
    for line in lines:
        if line.startswith(line_start):
            skipping = line.startswith("[")
            continue
        if skipping and line.startswith("["):
            skipping = False
        if not skipping:
            out.append(line)
    return "\n".join(out)


def test_a_missing_rule_names_the_key_and_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, _profile_without("[rules.thaw_time]"))
    with pytest.raises(ProfileError, match=r"p\.toml: missing key 'rules\.thaw_time'"):
        load_profile(path)


def test_a_malformed_value_names_the_key(tmp_path: Path) -> None:
    text = default_profile_path().read_text(encoding="utf-8").replace(
        "max_seconds = 300", 'max_seconds = "five minutes"')
    with pytest.raises(ProfileError, match=r"'rules\.thaw_time\.max_seconds' must be int"):
        load_profile(_write(tmp_path, text))


def test_a_missing_number_names_the_key(tmp_path: Path) -> None:
    text = default_profile_path().read_text(encoding="utf-8").replace(
        "min_hours = 24\n", "")
    with pytest.raises(ProfileError, match=r"rules\.conditioning_window\.min_hours"):
        load_profile(_write(tmp_path, text))


def test_broken_toml_and_unknown_mode_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="not valid TOML"):
        load_profile(_write(tmp_path, "[rules\n"))
    text = default_profile_path().read_text(encoding="utf-8").replace(
        'mode = "remind"', 'mode = "whisper"', 1)
    with pytest.raises(ProfileError, match=r"instructions\[\d+\]\.mode"):
        load_profile(_write(tmp_path, text))
    with pytest.raises(ProfileError, match="cannot read"):
        load_profile(tmp_path / "absent.toml")
