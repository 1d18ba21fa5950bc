"""Where the site file comes from, and that the docs and the example cannot go stale."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kresladi_bedside.config import (
    InvalidConfigError,
    LabelFormat,
    SiteConfig,
    documented_keys,
    load_site_config,
    redacted_view,
    toml_value,
)
from kresladi_bedside.paths import resource

Writer = Callable[[Path, str], Path]
REPO = Path(__file__).resolve().parents[2]


def _user(dirs: dict[str, Path]) -> Path:
    return dirs["user_config"] / "kresladi-bedside" / "site.toml"


def _system(dirs: dict[str, Path]) -> Path:
    return dirs["system_config"] / "kresladi-bedside" / "site.toml"


def test_no_file_anywhere_gives_the_defaults(isolated_dirs: dict[str, Path]) -> None:
    config = load_site_config()
    assert config == SiteConfig()
    assert config.source is None


def test_system_file_is_used_when_there_is_no_user_file(
    write: Writer, isolated_dirs: dict[str, Path],
) -> None:
    write(_system(isolated_dirs), 'site_name = "system"\n')
    config = load_site_config()
    assert config.site_name == "system"
    assert config.source == _system(isolated_dirs)


def test_user_file_wins_over_system_file_and_they_are_not_merged(write: Writer,
    isolated_dirs: dict[str, Path],
) -> None:
    write(_system(isolated_dirs), 'site_name = "system"\npaper_size = "a4"\n')
    write(_user(isolated_dirs), 'site_name = "user"\n')
    config = load_site_config()
    assert config.site_name == "user"
    assert config.paper_size == "letter"  # the system file's a4 is not merged in


def test_environment_variable_wins_over_the_directories(write: Writer,
    isolated_dirs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(_user(isolated_dirs), 'site_name = "user"\n')
    env_file = write(tmp_path / "env.toml", 'site_name = "env"\n')
    monkeypatch.setenv("KRESLADI_CONFIG", str(env_file))
    assert load_site_config().site_name == "env"


def test_explicit_path_wins_over_everything(write: Writer,
    isolated_dirs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(_user(isolated_dirs), 'site_name = "user"\n')
    monkeypatch.setenv("KRESLADI_CONFIG", str(write(tmp_path / "env.toml", 'site_name = "env"')))
    explicit = write(tmp_path / "explicit.toml", 'site_name = "explicit"\n')
    assert load_site_config(explicit).site_name == "explicit"


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_a_named_file_that_does_not_exist_is_an_error(write: Writer,
    isolated_dirs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str,
) -> None:
    write(_user(isolated_dirs), 'site_name = "user"\n')  # must not be silently used instead
    missing = tmp_path / "nope.toml"
    if how == "environment":
        monkeypatch.setenv("KRESLADI_CONFIG", str(missing))
    with pytest.raises(InvalidConfigError, match=r"nope.toml: \(file\): not found"):
        load_site_config(missing if how == "argument" else None)


def test_relative_database_path_is_relative_to_the_site_file(write: Writer, tmp_path: Path) -> None:
    site = write(tmp_path / "etc" / "site.toml", 'database = "data/procedures.db"\n')
    assert load_site_config(site).database == tmp_path / "etc" / "data" / "procedures.db"


def test_a_full_file_reads_into_typed_values(write: Writer, tmp_path: Path) -> None:
    site = write(tmp_path / "site.toml", r'''
site_name = "Ward 7"
timezone = "Europe/Paris"
paper_size = "a4"
[identity]
wristband_max_age_minutes = 5
[[identity.wristband_formats]]
pattern = '^(?P<mrn>\d{8})\|(?P<dob>\d{8})$'
dob_format = "%Y%m%d"
[scanner]
mode = "serial"
serial_port = "/dev/ttyACM0"
[people]
witness_required_for = ["deviation"]
[sync]
base_url = "https://fhir.example.org/r4"
verify_tls = false
''')
    config = load_site_config(site)
    assert config.identity.wristband_max_age_minutes == 5.0
    assert isinstance(config.identity.wristband_max_age_minutes, float)
    assert config.identity.wristband_formats == (
        LabelFormat(r"^(?P<mrn>\d{8})\|(?P<dob>\d{8})$", "%Y%m%d"),)
    assert config.scanner.serial_port == "/dev/ttyACM0"
    assert config.people.witness_required_for == ("deviation",)
    assert config.sync.verify_tls is False
    assert config.scanner.suffix == "\r"  # untouched keys keep their defaults


def test_the_shipped_example_is_valid_and_sets_every_key() -> None:
    example = resource("site.example.toml")
    load_site_config(example)
    text = example.read_text(encoding="utf-8")
    missing = [key for key in documented_keys()
               if not re.search(rf"^#?\s*{re.escape(key.split('.')[-1])}\s*=", text, re.M)
               and f"[[{key}]]" not in text]
    assert missing == []


def _readme_table() -> dict[str, str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section:site -->")[1].split("<!-- /section:site -->")[0]
    table = section.split("| key | default | meaning |")[1].split("\n\n")[0]
    return dict(re.findall(r"^\| `([a-z_.]+)` \| `(.*?)` \|", table, re.M))


def test_every_key_is_documented_in_the_readme_with_its_default() -> None:
    documented = _readme_table()
    actual = {key: toml_value(default) for key, default in documented_keys().items()}
    assert documented == actual


def test_show_hides_the_token(write: Writer, tmp_path: Path) -> None:
    site = write(tmp_path / "site.toml",
                 '[sync]\nbase_url = "https://h.example/r4"\ntoken = "s3cret"\n')
    view = redacted_view(load_site_config(site))
    assert "s3cret" not in "".join(view.values())
    assert view["sync.base_url"] == '"https://h.example/r4"'


def test_the_example_reads_the_readmes_badges_and_wants_no_camera() -> None:
    """Issue 25, item 13: the example's badge format refused every badge the README creates
    (only after the PIN), and its camera failed the self-test on a cart with none."""
    from kresladi_bedside.labels.parse import parse

    config = load_site_config(resource("site.example.toml"))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    badges = set(re.findall(r"--badge (\S+)", readme))
    assert len(badges) >= 4
    for number in badges:
        scan = parse(number, "wedge", None, config=config.identity)
        assert scan.kind == "badge" and scan.identifiers.get("badge") == number, number
    assert config.camera.source is None
