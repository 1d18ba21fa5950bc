"""Names a package loads on first use (PEP 562): `sync/` (fhir.resources and pydantic only
when something is sent) and `qt/pages/` (the step pages only after the first paint).

    __getattr__ = lazy_names(__name__, {"run_pass": "deliver", ...}, globals())
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, where: Mapping[str, str],
               namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module `__getattr__`: `name` from the submodule `where[name]`, kept in `namespace` so
    it is looked up once."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value
        return value

    return __getattr__
