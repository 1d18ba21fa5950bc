"""One real FHIR R4 server (Medplum 5 with PostgreSQL and Redis, `../shared/fhir-server`) for the
whole session, shared by the sync and the receipt tests: started on a fresh state folder under
/tmp (in the background as soon as the collected tests include any here), stopped and removed
after the last test that uses it (at the latest at the end). Skipped, with one line saying why,
where the kit is not beside the checkout (it is in CI).

A test that needs an empty server (`fhir`: the dump's content, a fresh token) gets one by the
kit's `reset`, a Medplum restart (4–5 s on a quiet machine, 10–20 s on a loaded one). The reset
is not waited for at the start of that test: it starts in the background as soon as the test
on the server before it ends, while the tests that do not use the server run (tests/conftest.py
spreads the real-server tests through the run for that). A test that uses the server waits for
a reset in flight to end, so no test ever meets a server half reset, and a `fhir` test that
finds no reset done since the last writer resets the server itself first."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from .fhir_kit import Kit, missing, running_kit


class EarlyKit:
    """The session's kit, started in a thread as soon as the run knows it holds real-server tests,
    so that its minute of start-up overlaps the other tests instead of delaying the first
    real-server test; reset in a thread after each test that wrote to it (see the module's
    docstring). Still one kit per session, stopped and removed at the end."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._thread: threading.Thread | None = None
        self._kit: Kit | None = None
        self._error: BaseException | None = None
        self._reset: threading.Thread | None = None
        self._reset_error: BaseException | None = None
        self.clean = True  # the server holds the dump's content: nothing written since a reset
        self.fresh_wanted = 0  # collected tests that still want an empty server
        self.kit_wanted = 0  # collected tests that still use the server
        self._closing: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._start, name="fhir-kit", daemon=True)
            self._thread.start()

    def _start(self) -> None:
        try:
            started = self._stack.enter_context(running_kit())
            # every sync test uses fresh procedure ids (and a fresh patient where it must), so
            # they need no `reset` (a Medplum restart); only the server settings are put back
            started.run("mode", "batch")
            started.run("quota", "default")
            started.info["token"] = started.run("token").strip()
            self._kit = started
        except BaseException as exc:  # handed to the first test that needs the kit
            self._error = exc

    def wait(self) -> Kit:
        """The started kit, with no reset in flight."""
        self.start()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._kit is not None
        if self._reset is not None:
            self._reset.join()
            self._reset = None
            if self._reset_error is not None:
                error, self._reset_error = self._reset_error, None
                raise error
        return self._kit

    def fresh(self) -> dict[str, Any]:
        """An empty server and a fresh token: the reset done in the background since the last
        writer, else one now."""
        kit = self.wait()
        if not self.clean:
            kit.reset()
            self.clean = True
        return kit.info

    def written(self, reset: bool = True) -> None:
        """A test that used the server has ended: reset it in the background if `reset` (the
        next test on the server wants an empty one); stop and remove it in the background once
        no later test uses it (its ~0.5 GB folder and three servers go while the others run)."""
        self.clean = False
        if self.kit_wanted == 0 and self._closing is None:
            self._closing = threading.Thread(target=self._close_now, name="fhir-kit-stop",
                                             daemon=True)
            self._closing.start()
            return
        if reset and self.fresh_wanted > 0 and self._kit is not None and self._reset is None:
            self._reset = threading.Thread(target=self._reset_now, args=(self._kit,),
                                           name="fhir-kit-reset", daemon=True)
            self._reset.start()

    def _reset_now(self, kit: Kit) -> None:
        try:
            kit.reset()
            self.clean = True
        except BaseException as exc:  # handed to the next test that uses the kit
            self._reset_error = exc

    def _close_now(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._reset is not None:
            self._reset.join()
        self._stack.close()

    def close(self) -> None:
        if self._closing is not None:
            self._closing.join()
        else:
            self._close_now()


EARLY = EarlyKit()
# per test on the server: does the next one (in run order) want an empty server? After a test
# whose next one does not, no reset is started: that next test would only wait for it.
RESET_AFTER: dict[str, bool] = {}


def uses_kit(item: pytest.Item) -> bool:
    return "kit" in getattr(item, "fixturenames", ())


def pytest_collection_finish(session: pytest.Session) -> None:
    here = Path(__file__).parent
    if (not session.config.option.collectonly and missing() is None
            and any(here in item.path.parents for item in session.items)):
        EARLY.fresh_wanted = sum("fhir" in getattr(item, "fixturenames", ())
                                 for item in session.items)
        EARLY.kit_wanted = sum(map(uses_kit, session.items))
        on_server = [item for item in session.items if uses_kit(item)]
        for item, after in zip(on_server, [*on_server[1:], None], strict=True):
            RESET_AFTER[item.nodeid] = after is not None and "fhir" in after.fixturenames
        EARLY.start()


def pytest_sessionfinish() -> None:
    EARLY.close()  # also when no test came to need it (a run stopped early)


@pytest.fixture(scope="session")
def kit() -> Iterator[Kit]:
    why = missing()
    if why:
        pytest.skip(why)
    yield EARLY.wait()


@pytest.fixture(autouse=True)
def _server_between_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """Around each test that uses the server: no reset in flight while it runs; after it, the
    server counts as written (and is reset in the background for a later `fhir` test)."""
    if not uses_kit(request.node) or missing() is not None:
        yield
        return
    EARLY.wait()
    EARLY.kit_wanted -= 1
    if "fhir" in request.fixturenames:
        EARLY.fresh_wanted -= 1
    try:
        yield
    finally:
        EARLY.written(reset=RESET_AFTER.get(request.node.nodeid, True))


@pytest.fixture
def fhir(kit: Kit) -> dict[str, Any]:
    """An empty server (the dump's content) and a fresh token, for tests that search by patient."""
    return EARLY.fresh()
