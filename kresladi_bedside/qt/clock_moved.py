"""When a clock moved: the notice beside the clocks (engine/clock_notice.py words it) and the
nurse's way to attest the real time after a restart (the engine's `attest_time`, signed as a
deviation). No rule here: the engine judges the attested time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox

from ..engine.clock_notice import clock_headline, clock_notice

NOTICE_STYLE = ("font-weight: bold; padding: 4px; border: 2px solid #8b5a00; "
                "background: #fff4d6; color: #4a2f00;")


def notice_label(win: Any) -> QLabel:
    """A label in the header area's status line, empty (hidden) until a clock moved."""
    label = QLabel("")
    label.setObjectName("clockMovedLabel")
    label.setAccessibleName("Clock moved")
    label.setWordWrap(False)  # one line: the page above never moves
    label.setStyleSheet(NOTICE_STYLE)
    label.setVisible(False)
    win.statusBar().addWidget(label, 1)
    return label


def show_notice(label: QLabel, state: Any) -> None:
    text = clock_headline(state)
    if text != label.text():
        label.setText(text)
        full = clock_notice(state)
        label.setToolTip(full)
        label.setAccessibleDescription(full)
    label.setVisible(bool(text))


def attest_real_time(win: Any) -> None:
    """Ask the real time (site-local, as read off a trusted clock), then send `attest_time`;
    the engine asks for the signed deviation, as for any limit."""
    session = win.session
    if "attest_time" not in session.procedure.allowed():
        QMessageBox.information(win, "Attest the real time",
                                "There is no open procedure whose clocks need it.")
        return
    now = session.clock.now().local()
    text, ok = QInputDialog.getText(
        win, "Attest the real time",
        "Read the real date and time off a clock you trust (not this workstation), "
        "as YYYY-MM-DD HH:MM:", QLineEdit.EchoMode.Normal, now.strftime("%Y-%m-%d %H:%M"))
    if not ok:
        return
    try:
        real = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=now.tzinfo)
    except ValueError:
        QMessageBox.warning(win, "Attest the real time",
                            f"{text.strip()!r} is not a date and time as YYYY-MM-DD HH:MM.")
        return
    submit_attested(win, real.isoformat())


def submit_attested(win: Any, real_time: str) -> Any:
    """`attest_time`; the engine asks for the signed deviation (the window's deviation
    dialog, as for any limit)."""
    result = win.run("attest_time", {"real_time": real_time})
    if result.rejection is not None:
        QMessageBox.warning(win, "Attest the real time", result.rejection.reason)
    return result
