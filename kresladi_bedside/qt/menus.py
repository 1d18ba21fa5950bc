"""The window's menus: Procedure (record, lock, sign out, quit), End (stop, far from Lock: a
slip must never reach it), Receipt, Workstation, and in training the speed of time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from .clock_moved import attest_real_time

# The window is typed Any: it imports this module (the acyclic contract in pyproject).
BedsideWindow = Any

TRAINING_SPEEDS = (1.0, 10.0, 60.0)


def _action(win: BedsideWindow, menu: Any, text: str, slot: Callable[..., Any],
            shortcut: Any = None) -> QAction:
    action = QAction(text, win)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def build_menus(win: BedsideWindow) -> None:
    """The menus, and the actions the window enables and disables (attributes of `win`)."""
    bar = win.menuBar()
    menu = bar.addMenu("&Procedure")
    win.print_action = _action(win, menu, "&Print or save the record…", win.print_record,
                               QKeySequence.StandardKey.Print)
    win.save_action = _action(win, menu, "Save the record as P&DF…", win.save_record)
    win.previous_action = _action(win, menu, "Print the p&revious procedure's record…",
                                  win.records.print_previous)
    win.previous_action.setEnabled(False)
    win.attest_time_action = _action(win, menu, "Attest the real &time (signed)…",
                                     lambda: attest_real_time(win))
    win.correct_action = _action(win, menu, "&Correct a recorded flush volume…",
                                 win.procedure_actions.correct_flush)
    win.take_over_action = _action(win, menu, "Ta&ke over a procedure from another "
                                   "workstation (signed)…", win.take_over.start)
    win.take_over_action.setEnabled(win.custody is not None)
    menu.addSeparator()
    _action(win, menu, "&Lock the screen", win.lock, "Ctrl+L")
    _action(win, menu, "Sign &out", win.sign_out)
    menu.addSeparator()
    win.quit_action = _action(win, menu, "&Quit", win.quit_requested,
                              QKeySequence.StandardKey.Quit)
    ending = bar.addMenu("&End")
    win.stop_action = _action(win, ending, "&Stop the procedure (signed)…",
                              win.procedure_actions.stop_procedure)
    ending.addSeparator()
    win.hand_over_action = _action(win, ending, "&Hand over to another workstation (file)…",
                                   win.procedure_actions.hand_over_by_file)
    receipt = bar.addMenu("&Receipt")  # issue 18: pharmacy / cell-therapy lab
    win.receive_action = _action(win, receipt, "&Receive a product…",
                                 win.procedure_actions.receive_product)
    tools = bar.addMenu("&Workstation")
    _action(win, tools, "&Self-test report…", win.show_self_test)
    win.labels_action = _action(win, tools, "Print &training labels…",
                                win.records.print_training_labels)
    win.labels_action.setEnabled(win.session.training)
    if win.session.training:
        _training_menu(win)


def _training_menu(win: BedsideWindow) -> None:
    training = win.menuBar().addMenu("&Training")
    group = QActionGroup(win)
    for speed in TRAINING_SPEEDS:
        action = _action(win, training, f"Time ×{speed:g}",
                         lambda _=False, s=speed: set_training_speed(win, s))
        action.setCheckable(True)
        action.setChecked(speed == training_speed(win))
        group.addAction(action)
        win.speed_actions[speed] = action


def training_speed(win: BedsideWindow) -> float:
    return float(getattr(win.session.clock, "speed", 1.0))


def set_training_speed(win: BedsideWindow, speed: float) -> None:
    """Training only: time runs faster, and the idle lock and signature lapse with it, so a
    ×10 rehearsal locks after the same real minutes as a real procedure."""
    clock = win.session.clock
    if not win.session.training or not hasattr(clock, "set_speed"):
        return
    clock.set_speed(speed)
    base = win.base_people_config or win.people.config
    win.base_people_config = base
    win.people.config = replace(base, idle_lock_minutes=base.idle_lock_minutes * speed)
    for s, action in win.speed_actions.items():
        action.setChecked(s == speed)
    win.tick()
