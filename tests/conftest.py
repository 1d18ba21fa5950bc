import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One workstation key for the whole run, never the developer's own (store/key.py); subprocesses
# (the CLI tests, the crash child) inherit it.
# The process that made the folder removes it at exit (1,209 were left in /tmp before).
if "KRESLADI_KEY_FILE" not in os.environ:
    _key_dir = tempfile.mkdtemp(prefix="kresladi-key-")
    os.environ["KRESLADI_KEY_FILE"] = str(Path(_key_dir) / "workstation.key")
    atexit.register(shutil.rmtree, _key_dir, ignore_errors=True)


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


# A rough guess of a test's seconds from the devices it drives, for spreading the real-server
# tests by time rather than by count (measured here on 7 Dec 2026: a test with a window on an X
# server 5–10 s, a print queue or a sound server 3–4 s, a Qt window ~1 s, most others 0.1–0.5 s).
# A wrong guess only changes how much of the kit's waiting is overlapped, never what is tested.
_GUESS_S = (({"bedside_x", "bedside_xx", "xserver", "wm_xserver"}, 8.0),
            ({"print_queue", "sound_sink"}, 3.5), ({"qtbot", "qapp", "bedside"}, 1.0))


def _guess_s(item: pytest.Item) -> float:
    names = set(getattr(item, "fixturenames", ()))
    return next((seconds for fixtures, seconds in _GUESS_S if names & fixtures), 0.3)


def _spread_real_server_tests(items: list[pytest.Item]) -> None:
    """The tests that use the real FHIR server (the `kit` fixture, tests/integration) are spread
    through the run at even gaps of (guessed) time, from after its first sixth to before its
    last: the kit starts in the background at collection, resets in the background after each
    of them and stops after the last (tests/integration/conftest.py), so its start, its resets
    (Medplum restarts, 4–20 s) and its stop overlap the other tests instead of being waited for
    one after the other. The order is still the one the seed gives, the real-server tests taken
    out and put back."""
    on_server = [item for item in items if "kit" in getattr(item, "fixturenames", ())]
    if not on_server or len(on_server) == len(items):
        return
    chosen = set(map(id, on_server))
    others = [item for item in items if id(item) not in chosen]
    total = sum(map(_guess_s, others))
    # the k-th real-server test goes once the others before it add up to its share of the
    # middle two thirds of the run
    marks = [total / 6 + total * 2 / 3 * k / len(on_server) for k in range(len(on_server))]
    spread: list[pytest.Item] = []
    elapsed, waiting = 0.0, list(on_server)
    for item in others:
        while waiting and elapsed >= marks[len(on_server) - len(waiting)]:
            spread.append(waiting.pop(0))
        spread.append(item)
        elapsed += _guess_s(item)
    items[:] = spread + waiting


# `make test` runs the suite as two pytest processes at once (`--part devices` and `--part rest`),
# so that the time the tests spend waiting on real servers and devices overlaps the time the
# others spend computing, on the other core. A test belongs to the devices part when it uses one
# of these fixtures: the FHIR server (tests/integration), an X server with xdotool, a print queue,
# a sound server. Each part is still shuffled by the same seed; the real-server tests (the kit)
# all run in the devices part, so one process starts the one kit of the run.
DEVICE_FIXTURES = frozenset({"kit", "fhir", "xserver", "wm_xserver", "any_xserver", "bedside_x",
                             "bedside_xx", "print_queue", "sound_sink"})
PARTS = ("devices", "rest")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--part", choices=PARTS, default=None,
                     help="run only the tests on real servers and devices (devices) or only the "
                          "others (rest); `make test` runs both at once")


def part_of(item: pytest.Item) -> str:
    return "devices" if DEVICE_FIXTURES & set(getattr(item, "fixturenames", ())) else "rest"


def _keep_part(config: pytest.Config, items: list[pytest.Item]) -> None:
    part = config.getoption("--part")
    if part is None:
        return
    kept = [item for item in items if part_of(item) == part]
    left = [item for item in items if part_of(item) != part]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.hookimpl(trylast=True)  # after pytest-randomly's shuffle (`make test`)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _keep_part(config, items)
    _spread_real_server_tests(items)
