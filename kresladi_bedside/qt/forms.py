"""Loading the Qt Designer forms in `ui/`, and the one list of widget names the code relies on.

`FORM_WIDGETS` is used both by `load_form` (which fails loudly if a form lost a widget) and by
the test that loads every form, so a renamed widget in Designer is caught before a nurse sees it.
"""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from ..paths import ui_form

_PAGE = ("instructionLabel", "remindersLabel", "messageLabel")
_SHEET = ("sheetMrnEdit", "nameEdit", "dobEdit", "weightEdit", "countSpin", "bag1Label",
          "bag1CellsEdit", "bag1VolumeEdit", "bag2Label", "bag2CellsEdit", "bag2VolumeEdit")
# The receipt's forms (kresladi_bedside.qt.receipt_dialog, receipt_chooser)
RECEIPT_FORM_WIDGETS: dict[str, tuple[str, ...]] = {
    "receipt.ui": ("headingLabel", "patientLabel", "instructionLabel", "stepStack", "mrnEdit",
                   "lookupButton", "progressLabel", "scanResultLabel", "typedButton",
                   "storageSpin", "locationEdit", "cassetteCheck", "storageButton", *_SHEET,
                   "enterButton", "typedLabel", "verifyButton", "completeButton", "doneLabel",
                   "sendButton", "exportButton", "contactLabel", "concernEdit",
                   "concernButton", "messageLabel", "stopButton", "closeButton"),
    "receipt_verify.ui": ("whatLabel", "instructionLabel", *_SHEET, "badgeEdit", "pinEdit",
                          "signButton", "cancelButton", "messageLabel"),
    "receipt_chooser.ui": ("chooserLabel", "productList", "ehrButton", "importButton",
                           "openButton", "chooserMessageLabel"),
}
_SCAN = ("progressLabel", "scanResultLabel", "typedButton", "cameraBox")

FORM_WIDGETS: dict[str, tuple[str, ...]] = {
    "header.ui": ("trainingBanner", "patientLabel", "idsLabel", "bagLabel", "userLabel",
                  "countdownBox", "recordBanner", "alarmLabel", "silenceButton",
                  "acknowledgeButton"),
    "signin.ui": ("instructionLabel", "nameEdit", "badgeEdit", "pinEdit", "pinAgainEdit",
                  "nurseCheck", "signInButton", "messageLabel", "trainingLabel"),
    "lock.ui": ("instructionLabel", "badgeEdit", "pinEdit", "unlockButton", "messageLabel"),
    "order.ui": (*_PAGE, "orderLabel", "openOrderButton", "sampleButton"),
    "gates.ui": (*_PAGE, "attestBox", "backupCheck", "backupSpin", "storageSpin",
                 "conditioningEdit", "recordButton"),
    "identity.ui": (*_PAGE, *_SCAN),
    "bedside_identity.ui": (*_PAGE, *_SCAN),
    "inspect.ui": (*_PAGE, "noteEdit", "intactButton", "compromisedButton"),
    "thaw.ui": (*_PAGE, "attestBox", "methodCombo", "startButton", "completeAttestBox",
                "completeButton"),
    "line_checks.ui": (*_PAGE, "attestBox", "confirmButton"),
    "infusion.ui": (*_PAGE, "startButton", "attestBox", "endButton"),
    "flush.ui": (*_PAGE, "volumeSpin", "flushButton", "totalLabel"),
    "between_bags.ui": (*_PAGE, "waitLabel"),
    "post_infusion.ui": (*_PAGE, "attestBox", "acknowledgeButton"),
    "complete.ui": ("instructionLabel", "summaryLabel", "printButton", "messageLabel"),
    "stopped.ui": ("titleLabel", "whatLabel", "contactLabel", "recordedLabel",
                   "printButton", "messageLabel"),
    "deviation.ui": ("ruleLabel", "reasonEdit", "signerLabel", "pinEdit", "signButton",
                     "cancelButton", "messageLabel"),
    "witness.ui": ("whatLabel", "instructionLabel", "badgeEdit", "pinEdit", "signButton",
                   "cancelButton", "messageLabel"),
    "typed.ui": ("instructionLabel", "payloadEdit", "reasonEdit", "submitButton",
                 "cancelButton", "messageLabel"),
    **RECEIPT_FORM_WIDGETS,
}


class FormError(RuntimeError):
    """A Designer form that cannot be loaded or lacks a widget the code uses."""


class Form:
    """A loaded form: the top widget, and its named children as attributes (`form.pinEdit`)."""

    def __init__(self, name: str, widget: QWidget) -> None:
        self.name = name
        self.widget = widget
        for child in FORM_WIDGETS.get(name, ()):
            found = widget.findChild(QWidget, child)
            if found is None:
                raise FormError(f"form {name} has no widget named '{child}'")
            setattr(self, child, found)

    def __getattr__(self, item: str) -> QWidget:  # only reached for names not in FORM_WIDGETS
        found = self.widget.findChild(QWidget, item)
        if found is None:
            raise AttributeError(f"form {self.name} has no widget named '{item}'")
        return found


def _loader() -> QUiLoader:
    # Custom widgets would be registered here (registerCustomWidget) before any load().
    return QUiLoader()


def load_form(name: str, parent: QWidget | None = None) -> Form:
    path = ui_form(name)
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FormError(f"cannot open form {path}: {file.errorString()}")
    loader = _loader()
    try:
        widget = loader.load(file, parent)
    except RuntimeError as exc:  # PySide raises where C++ returns None
        raise FormError(f"cannot load form {path}: {loader.errorString() or exc}") from exc
    finally:
        file.close()
    if widget is None:
        raise FormError(f"cannot load form {path}: {loader.errorString()}")
    return Form(name, widget)
