"""Starting the program from the command line: the sign-in page first, everything else after.

What the nurse sees in the first fraction of a second is `StartShell`: the window's header strip
and the sign-in page, built from the same Designer forms and style sheet as the window, with
nothing of the engine, the people, the store or the step pages imported (each is ~0.07 s of
imports; together they made start to first paint 2.5× a bare QWizard). Right after that first
paint (a zero timer, `AfterFirstPaint`), `app.open_window` opens the log, runs recovery and
its alarms, loads the people and builds the real window, which takes the shell's place.

Nothing can be done in the shell: it has no sign-in of its own. Keys typed (a PIN) and scanned
(a badge through the keyboard wedge) meanwhile are held, with their own timestamps, and handed to
the window in order once it is ready and its scanners are installed; the wedge then judges a
scan by its keys' real spacing, as if the window had been there. When the start found a damaged
log, its alarm box comes first and the held keys are dropped (an Enter typed early must not
close the alarm unseen); the status bar says so.

This module imports only PySide6, `config` and the light Qt modules (forms, style); a test
(tests/cli/test_start_order.py) checks the engine, people, store and pages are not loaded at the
first paint.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from ..config import InvalidConfigError, SiteConfig, load_site_config
from .forms import SIGN_IN_FIRST, SignInForm
from .headed_page import HeadedPage
from .header_form import header_over, laid_out_header, step_label
from .style import STYLE
from .wizard import Wizard

if TYPE_CHECKING:
    from .window import BedsideWindow

TITLE = "KRESLADI bedside"
STARTING = "Starting… a badge scanned or a PIN typed now is kept."
DROPPED = ("Keys typed while the workstation was starting were not used: the log alarm came "
           "first. Read it, then sign in.")


class KeyHold(QObject):
    """Every key press and release in the program, held (swallowed) until `release`: copies
    with their own timestamps, so the keyboard wedge later judges a burst by its real spacing."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.held: list[QKeyEvent] = []
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if not isinstance(event, QKeyEvent) or not watched.isWidgetType():
            return True  # the window's copy of a widget's key: held once, at the widget
        copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.nativeScanCode(),
                         event.nativeVirtualKey(), event.nativeModifiers(), event.text(),
                         event.isAutoRepeat(), event.count())
        copy.setTimestamp(event.timestamp())
        self.held.append(copy)
        return True

    def release(self, window: QWidget, *, drop: bool) -> int:
        """Stop holding; send what was held to the window's focused widget, in order (unless
        `drop`). Returns how many key events were held."""
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        held, self.held = self.held, []
        if not drop:
            for event in held:
                target = QApplication.focusWidget() or window.focusWidget() or window
                QApplication.sendEvent(target, event)
        return len(held)


class StartShell(QMainWindow):
    """The header strip and the sign-in page, painted before anything else loads (module doc).
    The real window replaces it (`hand_over`)."""

    def __init__(self, *, training: bool) -> None:
        super().__init__()
        self.setWindowTitle(TITLE + (" — TRAINING" if training else ""))
        self.setAccessibleName("KRESLADI bedside window (starting)")
        self.setStyleSheet(STYLE)
        header = laid_out_header(training)
        header.patientLabel.setText(SIGN_IN_FIRST)
        for widget in (header.idsLabel, header.bagLabel, header.alarmLabel,
                       header.silenceButton, header.acknowledgeButton):
            widget.setVisible(False)
        self.header = header
        self.form = SignInForm.load()
        for hidden in (self.form.nameEdit, self.form.pinAgainEdit, self.form.nurseCheck,
                       self.form.trainingLabel):
            hidden.setVisible(False)
        self.form.instructionLabel.setText("Scan your badge, then enter your PIN.")
        self.form.signInButton.setEnabled(False)  # nothing signs in here: the window does
        page = HeadedPage()
        QVBoxLayout(page).addWidget(self.form.widget)
        self.wizard = Wizard(lambda: None)
        self.wizard.headingChanged.connect(step_label(header).setText)
        self.wizard.setButtonLayout([QWizard.WizardButton.Stretch])  # its one page is no end
        self.wizard.addPage(page)
        page.setTitle("Sign in")
        self.setCentralWidget(header_over(header.widget, self.wizard))
        self.resize(1280, 860)
        self.statusBar().showMessage(STARTING)
        self.keys = KeyHold(self)

    def show(self) -> None:
        """As the window will (BedsideWindow.show): maximised unless last left smaller."""
        from .fitted import show_on_screen

        show_on_screen(self, bool(QSettings("kresladi", "kresladi-bedside").value(
            "window/maximised", True, bool)))

    def hand_over(self, window: BedsideWindow) -> None:
        """The window in the shell's place, at the shell's size."""
        window.setGeometry(self.geometry())
        window.show()
        self.hide()

    def release_keys(self, window: BedsideWindow) -> None:
        """The held keys to the ready window; dropped when a log alarm box is open."""
        drop = any(box.isVisible() for box in window.findChildren(QMessageBox))
        if self.keys.release(window, drop=drop) and drop:
            window.statusBar().showMessage(DROPPED, 60_000)
        self.deleteLater()


class AfterFirstPaint(QObject):
    """Runs `then` once, on the event loop, after `widget`'s first paint event was handled."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # a paint in this window only: the start shell's repaints are not the window's paint
        if self._then is not None and event.type() == QEvent.Type.Paint and \
                isinstance(watched, QWidget) and watched.window() is self.parent():
            QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
            QTimer.singleShot(0, self._run)  # after this paint, not inside it
        return False

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


def run(*, config_path: str | None, db: str | None, training: bool, speed: float | None,
        argv: Sequence[str] = ("kresladi-bedside",)) -> int:
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    try:
        config = load_site_config(config_path)
    except InvalidConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    # No site configured: the workstation can only be used to practise.
    training = training or config.training or config.source is None
    # a practice log is disposable; a live workstation's log must be the one it always used
    if not training and (db is not None or config.database is not None):
        from .app import confirm_new_log

        if not confirm_new_log(db, config):
            return 3
    shell = StartShell(training=training)
    shell.show()
    AfterFirstPaint(shell, lambda: open_in_shell(app, shell, config, db=db, training=training,
                                                 speed=speed))
    return app.exec()


def open_in_shell(app: QApplication, shell: StartShell, config: SiteConfig, *,
                  db: str | Path | None, training: bool, speed: float | None) -> None:
    """After the shell's first paint: the log, recovery, people, the window; then, after the
    window's own first paint, what `open_window` deferred, the scanners and the held keys."""
    from ..store import StorageError
    from .app import install_scanners, make_clock, open_window

    try:
        window, later = open_window(config, db=db, training=training,
                                    clock=make_clock(training, speed))
    except StorageError as exc:
        shell.hide()
        QMessageBox.critical(None, "Procedure log", f"The procedure log cannot be opened: {exc}")
        app.exit(3)
        return
    except BaseException:
        app.exit(1)  # never an inert shell left on screen
        raise

    def ready() -> None:
        later()
        install_scanners(app, window, config)
        shell.release_keys(window)

    AfterFirstPaint(window, ready)
    shell.hand_over(window)
