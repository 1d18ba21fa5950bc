"""The Qt Designer forms in `ui/`, typed: one class per form annotating the widgets the code
uses (`startButton: QPushButton`), found by class and name when the form loads.

A form that lost a widget, or whose widget changed class in Designer, fails loudly at load and
in the test that loads every form, before a nurse sees it. `ThawForm.load()` is typed
`ThawForm`, so `form.startButton.clicked` is checked by mypy; `load_form(name)` (any form by
its file, typed `Form`) is for the test that loads them all.

Why it is a little over 400 lines: it is one typed class per Designer form (22 of them) and the
one loader; nothing else lives here.

Every form is compiled ahead by `pyside6-uic` into `qt/built/<form>_ui.py` (`make forms`):
building it is plain Python calls, with no XML to parse, no QUiLoader and none of the Qt
Designer plugins a loader maps in. tests/qt/test_compiled_forms.py fails, saying to run
`make forms`, when a compiled form is not what `pyside6-uic` makes of today's `.ui` file.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, get_type_hints

from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from .fitted import FittedLabel

F = TypeVar("F", bound="Form")


def box_layout(widget: QWidget) -> QBoxLayout:
    """The row or column a form (or a box in it) lays its widgets out in: every one here has
    one, and code that adds a widget to it says so by asking for it."""
    layout = widget.layout()
    if not isinstance(layout, QBoxLayout):
        raise FormError(f"{widget.objectName() or widget} has no row or column layout")
    return layout


class FormError(RuntimeError):
    """A Designer form that cannot be loaded or lacks a widget the code uses."""


class Form:
    """A loaded form: the top widget, and its named children as typed attributes."""

    ui: ClassVar[str] = ""
    name: str  # the .ui file
    widget: QWidget  # the form's top widget

    def __init__(self, widget: QWidget) -> None:
        self.name = self.ui
        self.widget = widget
        for child, kind in self.widget_types().items():
            found = widget.findChild(kind, child)
            if found is None:
                raise FormError(f"form {self.ui} has no widget named '{child}' "
                                f"(a {kind.__name__})")
            setattr(self, child, found)

    @classmethod
    def widget_types(cls) -> dict[str, type[QWidget]]:
        """The annotated widgets: name -> class."""
        return _widget_types(cls)

    @classmethod
    def load(cls: type[F], parent: QWidget | None = None) -> F:
        return cls(_compiled_widget(cls.ui, parent))

    if not TYPE_CHECKING:
        def __getattr__(self, item: str) -> QWidget:
            # At run time only, for a widget not annotated yet; mypy sees the annotations alone.
            found = self.widget.findChild(QWidget, item)
            if found is None:
                raise AttributeError(f"form {self.name} has no widget named '{item}'")
            return found


_WIDGET_TYPES: dict[type[Form], dict[str, type[QWidget]]] = {}


def _widget_types(cls: type[Form]) -> dict[str, type[QWidget]]:
    if cls not in _WIDGET_TYPES:
        hints: dict[str, Any] = get_type_hints(cls)
        _WIDGET_TYPES[cls] = {
            name: hint for name, hint in hints.items()
            if isinstance(hint, type) and issubclass(hint, QWidget) and name != "widget"}
    return _WIDGET_TYPES[cls]


class StepForm(Form):
    """What every procedure page's form has: the line for the engine's refusals."""

    messageLabel: QLabel


class PageForm(StepForm):
    """A procedure step's form: the step's instructions and reminders from the profile."""

    instructionLabel: QLabel
    remindersLabel: QLabel


class ScanForm(PageForm):
    """The identity pages: scans, their result, typing a DIN, the camera."""

    progressLabel: QLabel
    scanResultLabel: FittedLabel  # fixed height under the header: shrinks rather than cut
    typedButton: QPushButton
    cameraBox: QWidget


# the header's patient line before anyone signs in (the start shell shows it too, before the
# header's module, which needs the engine, is loaded)
SIGN_IN_FIRST = "Sign in to see the patient"


class HeaderForm(Form):
    ui = "header.ui"
    trainingBanner: QLabel
    patientLabel: QLabel
    idsLabel: QLabel
    bagLabel: QLabel
    userLabel: QLabel
    countdownBox: QWidget
    recordBanner: QLabel
    alarmLabel: QLabel
    silenceButton: QPushButton
    acknowledgeButton: QPushButton


class SignInForm(Form):
    ui = "signin.ui"
    instructionLabel: QLabel
    nameEdit: QLineEdit
    badgeEdit: QLineEdit
    pinEdit: QLineEdit
    pinAgainEdit: QLineEdit
    nurseCheck: QCheckBox
    signInButton: QPushButton
    messageLabel: QLabel
    trainingLabel: QLabel


class LockForm(Form):
    ui = "lock.ui"
    instructionLabel: QLabel
    badgeEdit: QLineEdit
    pinEdit: QLineEdit
    unlockButton: QPushButton
    messageLabel: QLabel


class OrderForm(PageForm):
    ui = "order.ui"
    orderLabel: QLabel
    openOrderButton: QPushButton
    sampleButton: QPushButton


class GatesForm(PageForm):
    ui = "gates.ui"
    attestBox: QWidget
    backupCaption: QLabel
    conditioningCaption: QLabel
    backupSpin: QDoubleSpinBox
    storageSpin: QDoubleSpinBox
    conditioningEdit: QLineEdit
    recordButton: QPushButton


class IdentityForm(ScanForm):
    ui = "identity.ui"


class BedsideIdentityForm(ScanForm):
    ui = "bedside_identity.ui"


class InspectForm(PageForm):
    ui = "inspect.ui"
    noteEdit: QLineEdit
    methodCaption: QLabel
    methodCombo: QComboBox
    thawButton: QPushButton
    intactButton: QPushButton
    compromisedButton: QPushButton


class ThawForm(PageForm):
    ui = "thaw.ui"
    attestBox: QWidget
    methodCaption: QLabel
    methodCombo: QComboBox
    startButton: QPushButton
    completeAttestBox: QWidget
    completeButton: QPushButton


class LineChecksForm(PageForm):
    ui = "line_checks.ui"
    attestBox: QWidget
    confirmButton: QPushButton


class InfusionForm(PageForm):
    ui = "infusion.ui"
    startButton: QPushButton
    attestBox: QWidget
    endButton: QPushButton


class FlushForm(PageForm):
    ui = "flush.ui"
    volumeSpin: QDoubleSpinBox
    flushButton: QPushButton
    totalLabel: QLabel


class BetweenBagsForm(PageForm):
    ui = "between_bags.ui"
    waitLabel: QLabel


class PostInfusionForm(PageForm):
    ui = "post_infusion.ui"
    attestBox: QWidget
    acknowledgeButton: QPushButton


class FinalForm(StepForm):
    """The end of a procedure: nothing left but printing the record."""

    printButton: QPushButton


class CompleteForm(FinalForm):
    ui = "complete.ui"
    instructionLabel: QLabel
    summaryLabel: QLabel


class StoppedForm(FinalForm):
    ui = "stopped.ui"
    titleLabel: QLabel
    whatLabel: QLabel
    contactLabel: QLabel
    recordedLabel: QLabel


class DeviationForm(Form):
    ui = "deviation.ui"
    ruleLabel: QLabel
    reasonEdit: QPlainTextEdit
    signerLabel: QLabel
    pinEdit: QLineEdit
    signButton: QPushButton
    cancelButton: QPushButton
    messageLabel: QLabel


class WitnessForm(Form):
    ui = "witness.ui"
    whatLabel: QLabel
    instructionLabel: QLabel
    badgeEdit: QLineEdit
    pinEdit: QLineEdit
    signButton: QPushButton
    cancelButton: QPushButton
    messageLabel: QLabel


class TypedForm(Form):
    ui = "typed.ui"
    instructionLabel: QLabel
    payloadEdit: QLineEdit
    reasonEdit: QLineEdit
    submitButton: QPushButton
    cancelButton: QPushButton
    messageLabel: QLabel


class _LotSheetForm(Form):
    """The Lot Information Sheet's typed values, entered once and re-entered blind to verify."""

    sheetMrnEdit: QLineEdit
    nameEdit: QLineEdit
    dobEdit: QLineEdit
    coiEdit: QLineEdit
    patientIdEdit: QLineEdit
    weightEdit: QLineEdit
    countSpin: QSpinBox
    bag1Label: QLabel
    bag1CellsEdit: QLineEdit
    bag1VolumeEdit: QLineEdit
    bag2Label: QLabel
    bag2CellsEdit: QLineEdit
    bag2VolumeEdit: QLineEdit


class ReceiptForm(_LotSheetForm):
    ui = "receipt.ui"
    headingLabel: QLabel
    patientLabel: QLabel
    instructionLabel: QLabel
    stepStack: QStackedWidget
    mrnEdit: QLineEdit
    lookupButton: QPushButton
    progressLabel: QLabel
    scanResultLabel: QLabel
    typedButton: QPushButton
    storageSpin: QDoubleSpinBox
    locationEdit: QLineEdit
    cassetteCheck: QCheckBox
    storageButton: QPushButton
    enterButton: QPushButton
    typedLabel: QLabel
    verifyButton: QPushButton
    completeButton: QPushButton
    doneLabel: QLabel
    sendButton: QPushButton
    exportButton: QPushButton
    concernBox: QGroupBox
    contactLabel: QLabel
    concernEdit: QLineEdit
    concernButton: QPushButton
    messageLabel: QLabel
    stopButton: QPushButton
    closeButton: QPushButton


class ReceiptVerifyForm(_LotSheetForm):
    ui = "receipt_verify.ui"
    whatLabel: QLabel
    instructionLabel: QLabel
    badgeEdit: QLineEdit
    pinEdit: QLineEdit
    signButton: QPushButton
    cancelButton: QPushButton
    messageLabel: QLabel


class ReceiptChooserForm(Form):
    ui = "receipt_chooser.ui"
    chooserLabel: QLabel
    productList: QListWidget
    ehrButton: QPushButton
    importButton: QPushButton
    openButton: QPushButton
    chooserMessageLabel: QLabel


FORMS: dict[str, type[Form]] = {form.ui: form for form in (
    HeaderForm, SignInForm, LockForm, OrderForm, GatesForm, IdentityForm, BedsideIdentityForm,
    InspectForm, ThawForm, LineChecksForm, InfusionForm, FlushForm, BetweenBagsForm,
    PostInfusionForm, CompleteForm, StoppedForm, DeviationForm, WitnessForm, TypedForm,
    ReceiptForm, ReceiptVerifyForm, ReceiptChooserForm,
)}
FORM_WIDGETS: dict[str, tuple[str, ...]] = {
    name: tuple(form.widget_types()) for name, form in FORMS.items()}


def compiled_module(name: str) -> str:
    """The module `make forms` compiles the form `name` into: `thaw.ui` -> `thaw_ui`."""
    return name.removesuffix(".ui") + "_ui"


def _compiled_widget(name: str, parent: QWidget | None) -> QWidget:
    """The form built by its `pyside6-uic` module's `Ui_…` class, as QUiLoader would build it
    from the `.ui` file (a QWidget, since every form's top widget is one)."""
    module_name = f"{__package__}.built.{compiled_module(name)}"
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise FormError(f"cannot load form {name}: it has no compiled module {module_name} "
                        f"(run `make forms`)") from exc
    setups = [v for k, v in vars(module).items() if k.startswith("Ui_")]
    if len(setups) != 1:
        raise FormError(f"cannot load form {name}: {module_name} holds {len(setups)} Ui_ "
                        f"classes, not one (run `make forms`)")
    widget = QWidget(parent)
    setups[0]().setupUi(widget)
    return widget


def load_form(name: str, parent: QWidget | None = None) -> Form:
    """The form `name` (a file in `ui/`), as its typed class."""
    form = FORMS.get(name)
    if form is None:
        raise FormError(f"form {name} is not known to the code (qt/forms.py FORMS)")
    return form.load(parent)
