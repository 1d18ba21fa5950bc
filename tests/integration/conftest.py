"""One real FHIR R4 server (Medplum 5 with PostgreSQL and Redis, `../shared/fhir-server`) for the
whole session, shared by the sync and the receipt tests: started on a fresh state folder under
/tmp, stopped and removed at the end. Skipped, with one line saying why, where the kit is not
beside the checkout (it is in CI)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .fhir_kit import Kit, missing, running_kit


@pytest.fixture(scope="session")
def kit() -> Iterator[Kit]:
    why = missing()
    if why:
        pytest.skip(why)
    with running_kit() as started:
        # every sync test uses fresh procedure ids (and a fresh patient where it must), so they
        # need no `reset` (a Medplum restart); only the server settings are put back
        started.run("mode", "batch")
        started.run("quota", "default")
        started.info["token"] = started.run("token").strip()
        yield started


@pytest.fixture
def fhir(kit: Kit) -> dict[str, Any]:
    """An empty server (the dump's content) and a fresh token, for tests that search by patient."""
    return kit.reset()
