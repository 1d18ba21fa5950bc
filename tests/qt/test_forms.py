"""Every Designer form loads and holds the widgets the code relies on."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from kresladi_bedside.paths import ui_dir
from kresladi_bedside.qt.forms import FORM_WIDGETS, FormError, load_form

ALL_FORMS = sorted(p.name for p in ui_dir().glob("*.ui"))


def test_every_form_in_ui_is_known_to_the_code() -> None:
    assert set(ALL_FORMS) == set(FORM_WIDGETS)


@pytest.mark.parametrize("name", ALL_FORMS)
def test_form_loads_with_its_widgets(qtbot, name: str) -> None:
    form = load_form(name)
    qtbot.addWidget(form.widget)
    for child in FORM_WIDGETS[name]:
        assert isinstance(getattr(form, child), QWidget)
    # labels carry hostile text (barcode payloads): none may interpret rich text
    for label in form.widget.findChildren(QLabel):
        assert label.textFormat().name == "PlainText", f"{name}:{label.objectName()}"
    # every control a nurse can reach has an accessible name
    for w in form.widget.findChildren(QWidget):
        if w.focusPolicy().value and not isinstance(w, QLabel) and w.objectName():
            if w.objectName().startswith("qt_"):
                continue
            assert w.accessibleName(), f"{name}:{w.objectName()} has no accessible name"


def test_a_missing_widget_is_named(qtbot, monkeypatch) -> None:
    monkeypatch.setitem(FORM_WIDGETS, "typed.ui", (*FORM_WIDGETS["typed.ui"], "nosuchWidget"))
    with pytest.raises(FormError, match=r"typed\.ui has no widget named 'nosuchWidget'"):
        load_form("typed.ui")


def test_a_broken_form_is_reported(qtbot, tmp_path, monkeypatch) -> None:
    bad = tmp_path / "bad.ui"
    bad.write_text("<ui version='4.0'><widget class='NoSuchClass' name='x'/></ui>")
    monkeypatch.setattr("kresladi_bedside.qt.forms.ui_form", lambda name: bad)
    with pytest.raises(FormError, match="cannot load form"):
        load_form("bad.ui")
