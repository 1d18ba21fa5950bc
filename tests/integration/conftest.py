"""One real FHIR R4 server (Medplum 5 with PostgreSQL and Redis, `../shared/fhir-server`) for the
whole session, shared by the sync and the receipt tests: started on a fresh state folder under
/tmp (in the background as soon as the collected tests include any here), stopped and removed at
the end. Skipped, with one line saying why, where the kit is not beside the checkout (it is in
CI)."""

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
    real-server test. Still one kit per session, stopped and removed at the end."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._thread: threading.Thread | None = None
        self._kit: Kit | None = None
        self._error: BaseException | None = None

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
        self.start()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._kit is not None
        return self._kit

    def close(self) -> None:
        if self._thread is not None:
            self._thread.join()
        self._stack.close()


EARLY = EarlyKit()


def pytest_collection_finish(session: pytest.Session) -> None:
    here = Path(__file__).parent
    if (not session.config.option.collectonly and missing() is None
            and any(here in item.path.parents for item in session.items)):
        EARLY.start()


def pytest_sessionfinish() -> None:
    EARLY.close()  # also when no test came to need it (a run stopped early)


@pytest.fixture(scope="session")
def kit() -> Iterator[Kit]:
    why = missing()
    if why:
        pytest.skip(why)
    yield EARLY.wait()


@pytest.fixture
def fhir(kit: Kit) -> dict[str, Any]:
    """An empty server (the dump's content) and a fresh token, for tests that search by patient."""
    return kit.reset()
