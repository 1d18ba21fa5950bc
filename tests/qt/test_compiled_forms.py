"""Every Designer form is compiled ahead (kresladi_bedside/qt/built/, `make forms`), the compiled
module is what `pyside6-uic` makes of today's `.ui` file, and it builds the same widgets as
QUiLoader builds from that file. After editing a `.ui` file, run `make forms`: the failure
messages here say so."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from kresladi_bedside.paths import ui_dir, ui_form
from kresladi_bedside.qt import forms
from kresladi_bedside.qt.fitted import FittedLabel
from kresladi_bedside.qt.forms import compiled_module

BUILT = Path(forms.__file__).with_name("built")
UIC = Path(sys.executable).with_name("pyside6-uic")
ALL_FORMS = sorted(p.name for p in ui_dir().glob("*.ui"))
RUN_MAKE_FORMS = "run `make forms` after editing a .ui file"


@pytest.fixture(scope="module")
def uic_output(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """What `pyside6-uic` makes of each `.ui` file now (as `make forms` runs it), compiled side
    by side: each run is mostly the start of a process."""
    out = tmp_path_factory.mktemp("uic")

    def compile_one(ui: str) -> tuple[str, str]:
        fresh = out / f"{compiled_module(ui)}.py"
        subprocess.run([str(UIC), str(ui_form(ui)), "-o", str(fresh)], check=True, timeout=120)
        return ui, fresh.read_text(encoding="utf-8")

    with ThreadPoolExecutor(max_workers=4) as pool:
        yield dict(pool.map(compile_one, ALL_FORMS))


def test_every_form_has_a_compiled_module_and_no_module_lacks_its_form() -> None:
    built = {p.name for p in BUILT.glob("*_ui.py")}
    wanted = {f"{compiled_module(ui)}.py" for ui in ALL_FORMS}
    assert not wanted - built, f"forms not compiled: {sorted(wanted - built)}: {RUN_MAKE_FORMS}"
    assert not built - wanted, (f"compiled forms with no .ui file left: {sorted(built - wanted)}: "
                                f"{RUN_MAKE_FORMS}")


@pytest.mark.parametrize("ui", ALL_FORMS)
def test_each_compiled_form_is_what_uic_makes_of_its_ui_file(
        ui: str, uic_output: dict[str, str]) -> None:
    module = BUILT / f"{compiled_module(ui)}.py"
    assert module.exists(), f"ui/{ui} is not compiled: {RUN_MAKE_FORMS}"
    assert module.read_text(encoding="utf-8") == uic_output[ui], (
        f"qt/built/{module.name} is stale against ui/{ui}: {RUN_MAKE_FORMS}")


def _loaded_from_ui_file(name: str) -> QWidget:
    """The form as QUiLoader builds it from its `.ui` file: the independent reading of the
    file the compiled module is compared with. (Made with no library paths, the loader maps in
    none of the Qt Designer plugins, QtWebEngine's among them.)"""
    paths = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([])
    try:
        loader = QUiLoader()
    finally:
        QCoreApplication.setLibraryPaths(paths)
    loader.registerCustomWidget(FittedLabel)
    widget = loader.load(str(ui_form(name)), None)
    assert widget is not None, loader.errorString()
    return widget


def _tree(widget: QWidget) -> list[tuple[str, str, str]]:
    """Every named child: its name, class and text, in a stable order."""
    return sorted((w.objectName(), type(w).__name__, str(getattr(w, "text", lambda: "")()))
                  for w in widget.findChildren(QWidget) if w.objectName())


@pytest.mark.parametrize("ui", ALL_FORMS)
def test_a_compiled_form_builds_the_widgets_its_ui_file_does(qtbot: object, ui: str) -> None:
    compiled = forms.load_form(ui)
    loaded = _loaded_from_ui_file(ui)
    try:
        assert compiled.widget.objectName() == loaded.objectName()
        assert _tree(compiled.widget) == _tree(loaded)
        assert len(_tree(loaded)) >= 3
    finally:
        compiled.widget.deleteLater()
        loaded.deleteLater()
