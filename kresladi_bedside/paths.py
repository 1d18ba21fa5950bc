"""One locator for the files that ship beside the code: `ui/` and `resources/`.

Three places they can be:
- an installed wheel: hatchling force-includes them as `kresladi_bedside/ui` and `.../resources`;
- an editable install or a source checkout: they are not beside the package, but in the
  repository root one level up;
- a PyInstaller bundle: under `sys._MEIPASS/kresladi_bedside/...` (the spec puts them there).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


class MissingResourceError(FileNotFoundError):
    pass


@cache
def _root_for(name: str) -> Path:
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "kresladi_bedside" / name)
    candidates.append(_PACKAGE_DIR / name)
    candidates.append(_PACKAGE_DIR.parent / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise MissingResourceError(f"the '{name}' folder was not found (looked in: {tried})")


def resources_dir() -> Path:
    return _root_for("resources")


def ui_dir() -> Path:
    return _root_for("ui")


def resource(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise MissingResourceError(f"resource not found: {path}")
    return path


def ui_form(name: str) -> Path:
    path = ui_dir() / name
    if not path.exists():
        raise MissingResourceError(f"Qt Designer form not found: {path}")
    return path
