"""A site file that is wrong stops the program, naming the file, the key and the problem."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import pytest

from kresladi_bedside import cli
from kresladi_bedside.config import (
    InvalidConfigError,
    LabelFormat,
    SiteConfig,
    load_site_config,
    parse_site_config,
)

Writer = Callable[[Path, str], Path]


def _leaves(cls: type = SiteConfig, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, type hint) of every scalar or list key a site file may set."""
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if cls is SiteConfig and f.name == "source":
            continue
        hint = hints[f.name]
        if dataclasses.is_dataclass(hint):
            yield from _leaves(hint, prefix + f.name + ".")
        else:
            yield prefix + f.name, hint


def _wrong_value(hint: Any) -> Any:
    """A TOML value of the wrong type for a key of this type."""
    if get_origin(hint) is tuple:
        return "not a list"
    base = ([a for a in get_args(hint) if a is not type(None)] or [hint])[0]  # X | None -> X
    if base is bool:
        return "yes"
    if base in (int, float):
        return "fast"
    return 42  # str and Path


def _nested(key: str, value: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    node = data
    *tables, leaf = key.split(".")
    for table in tables:
        node = node.setdefault(table, {})
    node[leaf] = value
    return data


def _problems(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidConfigError) as caught:
        parse_site_config(data, source=Path("/etc/site.toml"))
    return {p.key: p.problem for p in caught.value.problems}


@pytest.mark.parametrize(("key", "hint"), list(_leaves()), ids=[k for k, _ in _leaves()])
def test_each_key_of_the_wrong_type_is_named(key: str, hint: Any) -> None:
    problems = _problems(_nested(key, _wrong_value(hint)))
    assert list(problems) == [key]
    assert problems[key].startswith("expected ")


@pytest.mark.parametrize("key", ["identity.max_payload_chars", "people.max_failed_pins",
                                 "scanner.serial_baud"])
def test_a_boolean_is_not_an_integer(key: str) -> None:
    assert "got a boolean" in _problems(_nested(key, True))[key]


def test_an_integer_is_accepted_for_a_number_and_becomes_a_float() -> None:
    config = parse_site_config({"people": {"idle_lock_minutes": 3}})
    assert config.people.idle_lock_minutes == 3.0
    assert isinstance(config.people.idle_lock_minutes, float)


def test_a_string_list_item_of_the_wrong_type_is_named_with_its_index() -> None:
    problems = _problems({"people": {"witness_required_for": ["deviation", 3]}})
    assert "people.witness_required_for[1]" in problems


def test_a_scalar_where_a_table_belongs() -> None:
    assert _problems({"scanner": "wedge"})["scanner"].startswith("expected a table")


@pytest.mark.parametrize(("data", "key", "hint"), [
    ({"sitename": "x"}, "sitename", "did you mean 'site_name'?"),
    ({"scanner": {"sufix": "\n"}}, "scanner.sufix", "did you mean 'scanner.suffix'?"),
    ({"sync": {"verify_ssl": False}}, "sync.verify_ssl", "did you mean 'sync.verify_tls'?"),
    ({"printers": {}}, "printers", "did you mean 'printer'?"),
    ({"frobnicate": 1}, "frobnicate", "known here: site_name, timezone"),
    ({"source": "/etc/x.toml"}, "source", "unknown key"),  # set by the loader, not the file
])
def test_an_unknown_key_is_named_with_a_suggestion(
    data: dict[str, Any], key: str, hint: str,
) -> None:
    problem = _problems(data)[key]
    assert problem.startswith("unknown key")
    assert hint in problem


@pytest.mark.parametrize(("pattern", "words"), [
    ("(?P<mrn>\\d{8}", "not a valid regular expression"),
    ("[a-", "not a valid regular expression"),
    ("(?P<mrn>\\d+)(?P<mrn>x)", "not a valid regular expression"),
    ("^\\d{8}$", "no named group"),
    ("(?P<mrn>\\d{8})(?P<room>\\d+)", "unknown group name(s) room"),
])
def test_a_bad_wristband_regex_is_named(pattern: str, words: str) -> None:
    data = {"identity": {"wristband_formats": [{"pattern": "(?P<mrn>\\d+)"},
                                               {"pattern": pattern}]}}
    problem = _problems(data)["identity.wristband_formats[1].pattern"]
    assert words in problem


def test_a_badge_format_may_not_capture_patient_identifiers() -> None:
    data = {"identity": {"badge_formats": [{"pattern": "(?P<mrn>\\d+)"}]}}
    assert "unknown group name(s) mrn" in _problems(data)["identity.badge_formats[0].pattern"]


def test_a_label_format_needs_a_pattern() -> None:
    data = {"identity": {"wristband_formats": [{"dob_format": "%Y%m%d"}]}}
    assert _problems(data)["identity.wristband_formats[0].pattern"] == "required key is missing"


def test_a_dob_format_that_cannot_read_a_date_back_is_refused() -> None:
    data = {"identity": {"wristband_formats": [{"pattern": "(?P<dob>\\d{4})",
                                                "dob_format": "%Y"}]}}
    assert "not a strptime date format" in _problems(data)[
        "identity.wristband_formats[0].dob_format"]


def test_good_label_formats_compile() -> None:
    fmt = {"pattern": "^(?P<mrn>\\d{8})\\^(?P<name>[^^]+)\\^(?P<dob>\\d{8})$",
           "dob_format": "%Y%m%d"}
    config = parse_site_config({"identity": {"wristband_formats": [fmt]}})
    assert config.identity.wristband_formats == (LabelFormat(fmt["pattern"], "%Y%m%d"),)


@pytest.mark.parametrize(("key", "value", "words"), [
    ("paper_size", "A5", "'A5' is not one of: letter, a4"),
    ("scanner.mode", "bluetooth", "not one of: wedge, serial, none"),
    ("camera.backend", "pylibdmtx", "not one of: zxing, pyzbar"),
    ("people.witness_required_for", ["thaw"], "not a known step: 'thaw'"),
    ("selftest.optional", ["database", "coffee"], "'coffee'"),
    ("timezone", "Europe/Atlantis", "not an IANA time zone"),
    ("timezone", "../../etc/passwd", "not an IANA time zone"),
    ("sync.base_url", "ftp://fhir.example.org", "not an http(s) URL"),
    ("sync.base_url", "fhir.example.org/r4", "not an http(s) URL"),
    ("site_name", "  ", "must not be empty"),
    ("people.idle_lock_minutes", 0, "must be between 0.5 and 60"),
    ("people.max_failed_pins", 0, "must be between 3 and 10"),
    ("sync.base_url", "https://bob:s3cret@fhir.example.org/r4", "must not hold a user name"),
    ("sync.max_attempts", -1, "must be at least 0"),
])
def test_a_bad_value_is_named(key: str, value: Any, words: str) -> None:
    assert words in _problems(_nested(key, value))[key]


def test_serial_mode_needs_a_port() -> None:
    assert "required when scanner.mode is 'serial'" in _problems(
        {"scanner": {"mode": "serial"}})["scanner.serial_port"]


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    problems = _problems({"paper_size": "A5", "scanner": {"sufix": "x", "serial_baud": "9600"}})
    assert set(problems) == {"paper_size", "scanner.sufix", "scanner.serial_baud"}


def test_the_message_names_the_file_the_key_and_the_problem(tmp_path: Path, write: Writer) -> None:
    site = write(tmp_path / "site.toml", '[camera]\nbackend = "zbar"\n')
    with pytest.raises(InvalidConfigError) as caught:
        load_site_config(site)
    assert str(caught.value) == (
        f"{site}: camera.backend: 'zbar' is not one of: zxing, pyzbar")


def test_a_toml_syntax_error_names_the_file_and_the_line(tmp_path: Path, write: Writer) -> None:
    site = write(tmp_path / "site.toml", 'site_name = "Ward 7"\npaper_size = a4\n')
    with pytest.raises(InvalidConfigError, match=r"site.toml: \(file\): not valid TOML.*line 2"):
        load_site_config(site)
    with pytest.raises(tomllib.TOMLDecodeError):  # the cause is kept for whoever debugs it
        try:
            load_site_config(site)
        except InvalidConfigError as exc:
            raise exc.__cause__ from None  # type: ignore[misc]


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch) -> None:
    # only this issue's commands: others' modules may be mid-edit in the shared tree
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("selftest", "config_cmd"))


@pytest.mark.parametrize("argv", [["self-test"], ["config", "show"], ["config", "check"]])
def test_the_cli_prints_the_problem_and_exits_2(
    commands: None, isolated_dirs: dict[str, Path], tmp_path: Path, write: Writer,
    capsys: pytest.CaptureFixture[str], argv: list[str],
) -> None:
    site = write(tmp_path / "site.toml", '[scanner]\nmode = "serial"\n')
    assert cli.main(["--config", str(site), *argv]) == 2
    err = capsys.readouterr().err
    assert f"{site}: scanner.serial_port: required when scanner.mode is 'serial'" in err


def test_config_check_accepts_a_valid_file(
    commands: None, isolated_dirs: dict[str, Path], tmp_path: Path, write: Writer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    site = write(tmp_path / "site.toml", 'site_name = "Ward 7"\n')
    assert cli.main(["config", "check", str(site)]) == 0
    assert f"{site}: valid" in capsys.readouterr().out


def test_config_path_lists_the_places_in_order(
    commands: None, isolated_dirs: dict[str, Path], write: Writer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    system = write(isolated_dirs["system_config"] / "kresladi-bedside" / "site.toml", "")
    assert cli.main(["config", "path"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[0] == "user" and lines[0].endswith("(absent)")
    assert lines[1].split()[:2] == ["system", str(system)] and lines[1].endswith("(in use)")


def test_each_choice_and_range_lives_on_its_field() -> None:
    """One place per constraint: the Literal a field is typed with is the list of choices, and
    the range sits on the field (Annotated), read when a file is validated."""
    from typing import get_args

    from kresladi_bedside.config import SCANNER_MODES, PeopleConfig, ScannerMode

    assert SCANNER_MODES == get_args(ScannerMode) == ("wedge", "serial", "none")
    hint = get_type_hints(PeopleConfig, include_extras=True)["max_failed_pins"]
    assert get_origin(hint) is not None  # Annotated[int, bounds]
    assert "must be between 3 and 10, got 2" in _problems(
        {"people": {"max_failed_pins": 2}})["people.max_failed_pins"]


def _tables(cls: type = SiteConfig) -> Iterator[type]:
    yield cls
    for hint in get_type_hints(cls).values():
        if get_origin(hint) is tuple:
            hint = get_args(hint)[0]
        if dataclasses.is_dataclass(hint):
            yield from _tables(hint)  # type: ignore[arg-type]


def test_every_table_refuses_unknown_keys_and_checks_toml_types() -> None:
    """A table added without the base would accept a typo silently and read true as 1."""
    from kresladi_bedside.config import _TomlTable

    for table in _tables():
        assert issubclass(table, _TomlTable), table
        assert table.__pydantic_config__.get("extra") == "forbid", table  # type: ignore[attr-defined]
