"""The forms compiled ahead (kresladi_bedside/qt/built/, `make forms`) are what `pyside6-uic`
makes of today's `.ui` files, and build the same widgets as QUiLoader does from those files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from kresladi_bedside.paths import ui_form
from kresladi_bedside.qt import forms
from kresladi_bedside.qt.forms import COMPILED

BUILT = Path(forms.__file__).with_name("built")
UIC = Path(sys.executable).with_name("pyside6-uic")


@pytest.mark.parametrize("ui", sorted(COMPILED))
def test_each_compiled_form_is_what_uic_makes_of_its_ui_file(ui: str, tmp_path: Path) -> None:
    fresh = tmp_path / f"{COMPILED[ui]}.py"
    subprocess.run([str(UIC), str(ui_form(ui)), "-o", str(fresh)], check=True, timeout=60)
    committed = (BUILT / f"{COMPILED[ui]}.py").read_text(encoding="utf-8")
    assert committed == fresh.read_text(encoding="utf-8"), (
        f"qt/built/{COMPILED[ui]}.py is stale against ui/{ui}: run `make forms`")


def _tree(widget: QWidget) -> list[tuple[str, str, str]]:
    """Every named child: its name, class and text, in a stable order."""
    return sorted((w.objectName(), type(w).__name__, str(getattr(w, "text", lambda: "")()))
                  for w in widget.findChildren(QWidget) if w.objectName())


@pytest.mark.parametrize("ui", sorted(COMPILED))
def test_a_compiled_form_builds_the_widgets_its_ui_file_does(qapp: object, ui: str) -> None:
    compiled = forms.load_form(ui)  # through COMPILED
    loaded = forms._load_widget(ui, None)  # the .ui file through QUiLoader
    assert compiled.widget.objectName() == loaded.objectName()
    assert _tree(compiled.widget) == _tree(loaded)
    assert len(_tree(loaded)) > 5
