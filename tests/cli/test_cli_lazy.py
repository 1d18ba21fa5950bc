"""Lazy command dispatch: a command imports only what it needs, and nothing else changes.

`--version` must answer without loading Qt, OpenCV, NumPy, FHIR models, jinja2 or biip (it took
0.7 s when every command module was imported up front); the window must not pay for them before
its first paint either. Each check runs in a fresh interpreter so earlier imports cannot hide one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from kresladi_bedside import __version__, cli

# pydantic is not here: the site file's typed model (issue 19) loads it with the configuration;
# its schema is built only when a site file is read.
HEAVY = ("PySide6", "cv2", "numpy", "fhir", "jinja2", "biip", "zxingcpp", "pyzbar",
         "sqlite_utils", "argon2", "kresladi_bedside.sync")

PROBE = """
import json, sys
from kresladi_bedside import cli
try:
    code = cli.main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def imported_by(*argv: str) -> tuple[int, set[str], str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True,
                          timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"]), done.stdout


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_version_imports_nearly_nothing() -> None:
    code, modules, out = imported_by("--version")
    assert "argparse" not in modules
    assert code == 0
    assert out.strip() == f"kresladi-bedside {__version__}"
    assert heavy_in(modules) == []
    assert not [m for m in modules if m.startswith("kresladi_bedside.commands")]


def test_help_lists_every_command_without_importing_them() -> None:
    code, modules, out = imported_by("--help")
    assert code == 0
    for name in cli.COMMANDS:
        assert name in out
    assert heavy_in(modules) == []


def test_parse_imports_no_qt_camera_or_fhir() -> None:
    code, modules, out = imported_by("parse", "MRN:00417356|NAME:RIVERA^MATEO|DOB:2024-03-15")
    assert code == 0 and json.loads(out)["kind"] == "wristband"
    assert not [m for m in heavy_in(modules) if not m.startswith("biip")]


def test_a_command_gets_its_real_parser() -> None:
    code, modules, _out = imported_by("verify", "--help")
    assert code == 0
    assert "kresladi_bedside.commands.verify" in modules
    assert "kresladi_bedside.commands.record" not in modules


def _subcommand_help(parser: argparse.ArgumentParser) -> dict[str, str | None]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help for choice in sub._choices_actions}


def test_the_listed_help_is_each_commands_own() -> None:
    """The placeholder help in cli.COMMANDS must say what the command's own parser says."""
    assert _subcommand_help(cli.build_parser(set())) == _subcommand_help(cli.build_parser())


@pytest.mark.parametrize("argv", [["--db", "verify", "verify", "--help"], ["--conf", "x", "-h"]])
def test_option_values_that_look_like_commands_still_parse(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.build_parser(cli.wanted_commands(argv)).parse_args(argv)
    assert exc.value.code == 0


def test_an_unknown_command_is_refused_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["no-such-command"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_a_store_command_reads_the_log_without_sqlite_utils(tmp_path) -> None:
    """The log is opened, migrated and read through sqlite3 (what the window's first paint and
    `verify` need); sqlite-utils and its click, pluggy and dateutil load only where `Store.db`
    is used."""
    from kresladi_bedside.store import open_store

    open_store(tmp_path / "log.db").close()  # verify reads an existing log only
    code, modules, out = imported_by("--db", str(tmp_path / "log.db"), "verify")
    assert code == 0 and "every chain intact" in out
    assert not {"sqlite_utils", "click", "pluggy", "dateutil", "numpy"} & modules


STORE_DB_PROBE = """
import json, sys
from kresladi_bedside import library_setup
library_setup.install()
from kresladi_bedside.store import open_store
with open_store(sys.argv[1]) as store:
    before = "sqlite_utils" in sys.modules
    names = sorted(store.db.table_names())
    trig = store.conn.execute("PRAGMA recursive_triggers").fetchone()[0]
print(json.dumps({"before": before, "tables": names, "recursive_triggers": trig,
                  "modules": sorted(sys.modules)}))
"""


def test_store_db_loads_sqlite_utils_on_first_use_without_numpy_or_plugins(tmp_path) -> None:
    done = subprocess.run([sys.executable, "-c", STORE_DB_PROBE, str(tmp_path / "log.db")],
                          capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["before"] is False and "events" in report["tables"]
    assert report["recursive_triggers"] == 1  # what sqlite-utils set, set by the store itself
    modules = set(report["modules"])
    assert "sqlite_utils" in modules
    assert "numpy" not in modules
    assert "importlib.metadata" not in modules  # no scan of installed plugins' entry points
