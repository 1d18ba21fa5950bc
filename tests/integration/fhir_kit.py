"""The real FHIR server kit (`../shared/fhir-server`: Medplum 5, PostgreSQL, Redis), one per test
session, on a state folder of its own that no other run can share.

Why a fresh folder each time: a fixed folder (or one per checkout) is shared with whatever else
ran there, and a PostgreSQL left running from an earlier run, or one started by a concurrent run,
holds the folder's socket lock, so `start` fails ("lock file … already exists"). CI once failed
so. The folder is removed after `stop`; it holds ~0.5 GB."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

KIT = Path(os.environ.get("KRESLADI_FHIR_KIT") or Path(__file__).resolve().parents[2].parent
           / "shared" / "fhir-server" / "fhir-server")


class KitError(RuntimeError):
    pass


class Kit:
    """The kit's commands on one state folder; `info` is the JSON line of the last start/reset."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.info: dict[str, Any] = {}

    def run(self, command: str, *args: str, timeout: float = 600) -> str:
        # env given: the child's environment is built here, not read in the forked child, where
        # a test's setenv on another thread (the kit resets in the background) can leave it
        # pointing at freed memory (execve: EFAULT "Bad address", seen once in a full run)
        done = subprocess.run([str(KIT), command, str(self.state), *args], capture_output=True,
                              text=True, timeout=timeout, env=dict(os.environ))
        if done.returncode != 0:
            raise KitError(f"fhir-server {command} {' '.join(args)} on {self.state} failed "
                           f"({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout

    def _json(self, command: str) -> dict[str, Any]:
        line: dict[str, Any] = json.loads(self.run(command).strip().splitlines()[-1])
        self.info = line
        return line

    def start(self) -> dict[str, Any]:
        return self._json("start")

    def reset(self) -> dict[str, Any]:
        """The database back to the dump's content (batch mode, default quota), a fresh token."""
        return self._json("reset")

    def stop(self) -> None:
        subprocess.run([str(KIT), "stop", str(self.state)], capture_output=True, timeout=120,
                       env=dict(os.environ))

    @property
    def base_url(self) -> str:
        return str(self.info["base_url"])

    @property
    def token(self) -> str:
        return str(self.info["token"])


def missing() -> str | None:
    """Why the kit cannot run here, or None."""
    if not KIT.is_file():
        return f"no FHIR server kit at {KIT} (it is beside the checkout in CI)"
    if os.name != "posix":
        return "the FHIR server kit runs on Linux only"
    return None


@contextmanager
def running_kit(prefix: str = "kresladi-fhir-") -> Iterator[Kit]:
    """Start the kit on a new folder under /tmp (PostgreSQL runs as `postgres` when we are root,
    and must reach it), stop it and remove the folder afterwards, even when start failed."""
    state = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    state.chmod(0o755)
    kit = Kit(state)
    try:
        kit.start()
        yield kit
    finally:
        kit.stop()
        shutil.rmtree(state, ignore_errors=True)


def put(info: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    """Create a resource on the server (what the EHR would already hold)."""
    request = urllib.request.Request(
        f"{info['base_url']}/{resource['resourceType']}", json.dumps(resource).encode(),
        {"Authorization": f"Bearer {info['token']}", "Content-Type": "application/fhir+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        created: dict[str, Any] = json.load(answer)
        return created
