"""The real FHIR server kit (`../shared/fhir-server`, Medplum) for the receipt integration
tests: started once per session on its own state dir under /tmp, reset per test, stopped at the
end. Tests skip with one line where the kit is absent."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

KIT = Path(os.environ.get("KRESLADI_FHIR_KIT") or Path(__file__).resolve().parents[2].parent
           / "shared" / "fhir-server" / "fhir-server")
STATE = Path(os.environ.get("KRESLADI_RECEIPT_FHIR_STATE", "/tmp/fhir-i18"))


def kit(*args: str) -> dict[str, Any]:
    done = subprocess.run([str(KIT), *args], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"fhir-server {' '.join(args)} failed ({done.returncode}): "
                           f"{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}


@pytest.fixture(scope="session")
def fhir_kit() -> Iterator[dict[str, Any]]:
    if not KIT.is_file():
        pytest.skip(f"the FHIR server kit is absent ({KIT}): integration test not run")
    info = kit("start", str(STATE))
    yield info
    if not info.get("reused"):
        kit("stop", str(STATE))


@pytest.fixture
def fhir(fhir_kit: dict[str, Any]) -> dict[str, Any]:
    """An empty server (the dump's content) and a fresh token."""
    return kit("reset", str(STATE))


def put(info: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    """Create a resource on the server (what the EHR would already hold)."""
    request = urllib.request.Request(
        f"{info['base_url']}/{resource['resourceType']}", json.dumps(resource).encode(),
        {"Authorization": f"Bearer {info['token']}", "Content-Type": "application/fhir+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        created: dict[str, Any] = json.load(answer)
        return created
