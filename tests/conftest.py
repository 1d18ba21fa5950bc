import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One workstation key for the whole run, never the developer's own (store/key.py); subprocesses
# (the CLI tests, the crash child) inherit it.
os.environ.setdefault("KRESLADI_KEY_FILE",
                      str(Path(tempfile.mkdtemp(prefix="kresladi-key-")) / "workstation.key"))


def _import_the_whole_program() -> None:
    """Import every module of the program before any test runs. Hypothesis draws part of its
    examples from the constants of the local modules loaded so far (it rescans sys.modules as it
    grows), so a module imported lazily by one test (the simulation imports the store, the
    ledger, …) changed what a later property test generated: tests depended on their order.
    With the whole program loaded up front, what a test generates depends only on the tests
    collected, never on which ran before it."""
    import importlib
    import pkgutil

    import kresladi_bedside

    for module in pkgutil.walk_packages(kresladi_bedside.__path__, "kresladi_bedside."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


_import_the_whole_program()
