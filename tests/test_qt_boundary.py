"""The core never imports Qt: only kresladi_bedside/qt/ may (architecture guide).

Every import, those inside functions included, is checked by the import contracts in
pyproject.toml (`lint-imports`, run by `make test`); this test proves it at run time: importing
every core module loads no PySide6."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import kresladi_bedside

PACKAGE = Path(kresladi_bedside.__file__).resolve().parent
QT_PACKAGE = PACKAGE / "qt"
# Modules that start the window (importing __main__ runs the program): Qt, lazily.
QT_ENTRY_POINTS = {"kresladi_bedside.commands.window", "kresladi_bedside.__main__"}


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="kresladi_bedside."):
        if info.name.startswith("kresladi_bedside.qt") or info.name in QT_ENTRY_POINTS:
            continue
        names.append(info.name)
    return names


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = _core_modules()
    assert "kresladi_bedside.engine.procedure" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt loaded by the core: {result.stdout}"
