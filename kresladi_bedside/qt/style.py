"""High-contrast look: black on white, large type, 44 px touch targets, a thick focus ring so
keyboard users always see where they are. Alarm colours follow the engine's levels."""

from __future__ import annotations

from typing import Any

LEVEL_COLOURS: dict[str, tuple[str, str]] = {  # level -> (background, text)
    "ok": ("#ffffff", "#000000"),
    "waiting": ("#dbe9ff", "#00224d"),
    "warning": ("#ffd400", "#000000"),
    "alarm": ("#c00000", "#ffffff"),
    "technical": ("#5a2ca0", "#ffffff"),
}

STYLE = """
QWidget { font-size: 18px; color: #000000; background: #ffffff; }
QWizard, QMainWindow { background: #ffffff; }
QPushButton { min-height: 44px; min-width: 44px; padding: 4px 16px; border: 2px solid #000000;
              border-radius: 4px; background: #f0f0f0; font-weight: bold; }
QPushButton:default { background: #003a8c; color: #ffffff; }
QPrintDialog QPushButton, QPageSetupDialog QPushButton { padding: 4px 6px; }
QPushButton:disabled { color: #6b6b6b; border-color: #9a9a9a; background: #f7f7f7; }
QPushButton:focus, QLineEdit:focus, QPlainTextEdit:focus, QCheckBox:focus, QComboBox:focus,
QDoubleSpinBox:focus, QDateTimeEdit:focus { outline: none; border: 3px solid #0050ff; }
QCheckBox { min-height: 44px; spacing: 12px; }
QCheckBox::indicator { width: 32px; height: 32px; }
QLineEdit, QPlainTextEdit, QComboBox, QDoubleSpinBox, QDateTimeEdit {
    min-height: 44px; border: 2px solid #000000; padding: 2px 8px; }
QLabel#trainingBanner { background: #ff8c00; color: #000000; font-size: 22px; font-weight: bold;
                        padding: 6px; }
QLabel#recordBanner { background: #c00000; color: #ffffff; font-size: 22px; font-weight: bold;
                      padding: 6px; }
QLabel#patientLabel { font-size: 28px; font-weight: bold; }
QLabel#idsLabel, QLabel#bagLabel { font-size: 24px; font-weight: bold; }
QLabel#messageLabel { color: #8b0000; font-size: 20px; font-weight: bold; }
QLabel#messageLabel[tone="ok"] { color: #0b5d1e; }
QLabel#waitLabel { font-size: 26px; font-weight: bold; }
QLabel#totalLabel { font-size: 22px; font-weight: bold; }
QLabel#stepLabel { font-size: 22px; font-weight: bold; }
QLabel#doneLabel { color: #0b5d1e; font-size: 22px; font-weight: bold; }
QRadioButton { min-height: 44px; spacing: 12px; }
QRadioButton::indicator { width: 32px; height: 32px; }
QLabel#scanResultLabel[tone="accepted"] { background: #dff5e1; color: #0b3d12;
                                          border: 4px solid #0b7a1e; }
QLabel#scanResultLabel[tone="refused"] { background: #ffd400; color: #000000;
                                         border: 4px solid #000000; }
QLabel#scanResultLabel[tone="stop"] { background: #c00000; color: #ffffff;
                                      border: 4px solid #000000; }
QLabel#thawStatusLabel { font-size: 22px; font-weight: bold; padding: 4px; }
QLabel#thawStatusLabel[running="false"] { background: #ffd400; color: #000000;
                                          border: 3px solid #000000; }
QLabel#thawStatusLabel[running="true"] { background: #dff5e1; color: #0b3d12;
                                         border: 3px solid #0b7a1e; }
QLabel#scanResultLabel { font-size: 26px; font-weight: bold; border: 2px solid #000000;
                         padding: 8px; }
QLabel#titleLabel { font-size: 40px; font-weight: bold; color: #ffffff; background: #c00000;
                    padding: 8px; }
QLabel#whatLabel, QLabel#contactLabel { font-size: 26px; font-weight: bold; }
QLabel#instructionLabel { font-size: 20px; }
QLabel#remindersLabel { font-size: 17px; color: #1a1a1a; }
"""


def tile_style(level: str) -> str:
    bg, fg = LEVEL_COLOURS.get(level, LEVEL_COLOURS["ok"])
    return f"background: {bg}; color: {fg}; border: 2px solid #000000;"


def show_tone(label: Any, tone: str) -> None:
    """A message line's tone ("ok" green, "" the error red): a dynamic property the style sheet
    reads, re-applied now (Qt reads properties only when a widget is polished)."""
    label.setProperty("tone", tone)
    label.style().unpolish(label)
    label.style().polish(label)
