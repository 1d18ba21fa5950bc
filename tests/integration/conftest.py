"""A real FHIR R4 server (Medplum 5 with PostgreSQL and Redis, `../shared/fhir-server`) for the
whole session: started on a state folder under /tmp, stopped at the end. Skipped, with one line
saying why, where the kit is not beside the checkout (it is in CI)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
KIT = ROOT.parent / "shared" / "fhir-server" / "fhir-server"
STATE = Path("/tmp") / f"kresladi-fhir-{hashlib.sha1(str(ROOT).encode()).hexdigest()[:10]}"


class Kit:
    """The kit's commands on our state folder; `info` is the JSON line of the last start/reset."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.info = info

    def run(self, *args: str) -> str:
        done = subprocess.run([str(KIT), args[0], str(STATE), *args[1:]], capture_output=True,
                              text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"fhir-server {' '.join(args)} failed ({done.returncode}):\n"
                               f"{done.stderr[-3000:]}")
        return done.stdout

    def reset(self) -> None:
        self.info = json.loads(self.run("reset").strip().splitlines()[-1])

    @property
    def base_url(self) -> str:
        return str(self.info["base_url"])

    @property
    def token(self) -> str:
        return str(self.info["token"])


@pytest.fixture(scope="session")
def kit() -> Iterator[Kit]:
    if not KIT.is_file():
        pytest.skip(f"no FHIR server kit at {KIT} (it is beside the checkout in CI)")
    if os.name != "posix":
        pytest.skip("the FHIR server kit runs on Linux only")
    started = subprocess.run([str(KIT), "start", str(STATE)], capture_output=True, text=True,
                             timeout=900)
    if started.returncode != 0:
        pytest.fail(f"the FHIR server kit did not start ({started.returncode}):\n"
                    f"{started.stderr[-3000:]}")
    kit = Kit(json.loads(started.stdout.strip().splitlines()[-1]))
    try:
        # an earlier session may have left data: every test uses fresh procedure ids (and a
        # fresh patient where it must), so no `reset` (a Medplum restart) is needed; only the
        # server settings are put back
        kit.run("mode", "batch")
        kit.run("quota", "default")
        kit.info["token"] = kit.run("token").strip()
        yield kit
    finally:
        subprocess.run([str(KIT), "stop", str(STATE)], capture_output=True, timeout=120)
