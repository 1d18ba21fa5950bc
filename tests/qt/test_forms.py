"""Every Designer form loads and holds the widgets the code relies on."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from kresladi_bedside.paths import ui_dir
from kresladi_bedside.qt.forms import FORM_WIDGETS, FORMS, FormError, TypedForm, load_form

ALL_FORMS = sorted(p.name for p in ui_dir().glob("*.ui"))


def test_every_form_in_ui_is_known_to_the_code() -> None:
    assert set(ALL_FORMS) == set(FORM_WIDGETS)


@pytest.mark.parametrize("name", ALL_FORMS)
def test_form_loads_with_its_widgets(qtbot, name: str) -> None:
    form = load_form(name)
    qtbot.addWidget(form.widget)
    assert type(form) is FORMS[name]
    for child, kind in FORMS[name].widget_types().items():
        assert isinstance(getattr(form, child), kind)  # the class the code was typed against
    # labels carry hostile text (barcode payloads): none may interpret rich text
    for label in form.widget.findChildren(QLabel):
        assert label.textFormat().name == "PlainText", f"{name}:{label.objectName()}"
    # every control a nurse can reach has an accessible name
    for w in form.widget.findChildren(QWidget):
        if w.focusPolicy().value and not isinstance(w, QLabel) and w.objectName():
            if w.objectName().startswith("qt_"):
                continue
            assert w.accessibleName(), f"{name}:{w.objectName()} has no accessible name"


def test_a_missing_widget_is_named(qtbot) -> None:
    class Lacking(TypedForm):
        nosuchWidget: QLabel

    with pytest.raises(FormError, match=r"typed\.ui has no widget named 'nosuchWidget'"):
        Lacking.load()


def test_a_widget_of_another_class_is_refused(qtbot) -> None:
    class Changed(TypedForm):
        payloadEdit: QPushButton  # a QLineEdit in Designer

    assert isinstance(TypedForm.load().payloadEdit, QLineEdit)
    with pytest.raises(FormError, match=r"no widget named 'payloadEdit' \(a QPushButton\)"):
        Changed.load()


def test_each_load_is_a_new_widget_tree(qtbot) -> None:
    first, second = load_form("typed.ui"), load_form("typed.ui")
    qtbot.addWidget(first.widget)
    qtbot.addWidget(second.widget)
    assert first.widget is not second.widget and first.payloadEdit is not second.payloadEdit


def test_a_form_not_compiled_is_reported_with_what_to_run(qtbot) -> None:
    class NotCompiled(TypedForm):
        ui = "not_compiled.ui"

    with pytest.raises(FormError, match=r"cannot load form not_compiled\.ui: .*make forms"):
        NotCompiled.load()
