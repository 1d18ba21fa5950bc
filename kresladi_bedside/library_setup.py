"""How the program's own process loads sqlite-utils: without NumPy, without plugins.

- sqlite-utils imports NumPy (and tries pandas) when present, to map their scalar types to
  column types. The log never stores a NumPy value, but NumPy is installed (OpenCV needs it), so
  every command that opens the log paid 0.3 s for it, the window before its first paint.
  NumPy is hidden only while sqlite-utils itself is being imported; NumPy imported later (the
  camera) is unaffected.
- sqlite-utils loads every installed sqlite-utils plugin (setuptools entry points) when the
  first Database is made: a scan of every installed distribution (0.1 s before the first paint)
  and, worse, third-party code hooked into the procedure log's connections. Marked as loaded.

- pydantic (the site file's validation) likewise scans every installed distribution for
  pydantic plugins (25 ms, and third-party code inside the validation of the site file):
  switched off with its own setting, PYDANTIC_DISABLE_PLUGINS, unless the environment sets it.

`install()` is called by the command line, not by the library (tests import it as they like).
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

HIDDEN = ("numpy", "pandas")


# Plain classes, not importlib.abc subclasses: importlib.abc costs 35 ms of `--version`.
class _HideWhileLoading:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        hidden = [name for name in HIDDEN if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
        try:
            self.inner.exec_module(module)
            plugins = sys.modules.get("sqlite_utils.plugins")
            if plugins is not None:
                plugins._plugins_loaded = True  # type: ignore[attr-defined]
        finally:
            for name in hidden:
                if sys.modules.get(name, 0) is None:
                    del sys.modules[name]


class SqliteUtilsWithoutNumpy:
    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "sqlite_utils":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _HideWhileLoading(spec.loader)  # type: ignore[assignment]
        return spec


def install() -> None:
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if "sqlite_utils" in sys.modules or any(
            isinstance(f, SqliteUtilsWithoutNumpy) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, SqliteUtilsWithoutNumpy())
