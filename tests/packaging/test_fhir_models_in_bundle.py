"""The PyInstaller spec takes only some FHIR R4B resources (packaging/kresladi-bedside.spec,
FHIR_RESOURCES): a finished procedure must still map to a Bundle and validate with only those
modules importable, as in the frozen build. Fails when sync starts using a resource the list
lacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

CHECK = r"""
import sys
sys.path.insert(0, sys.argv[1] + "/tests")
src = open(sys.argv[1] + "/packaging/kresladi-bedside.spec").read()
start, end = src.index("FHIR_RESOURCES = {"), src.index("hiddenimports += _fhir_modules()")
from PyInstaller.utils.hooks import collect_submodules
ns = {"collect_submodules": collect_submodules}
exec(src[start:end], ns)
keep = set(ns["_fhir_modules"]())
for name in list(sys.modules):
    if name.startswith("fhir.resources.R4B.") and name not in keep:
        del sys.modules[name]

class NotInTheBundle:
    def find_spec(self, name, path, target=None):
        if name.startswith("fhir.resources.R4B.") and name not in keep:
            raise ImportError(f"not in the bundle: {name}")
        return None

sys.meta_path.insert(0, NotInTheBundle())
from sync.conftest import MRN_SYSTEM, completed
from fhir.resources.R4B.bundle import Bundle
from kresladi_bedside.profile import load_profile
from kresladi_bedside.sync import procedure_bundle
sent = procedure_bundle(completed(), load_profile(), MRN_SYSTEM).model_dump_json(exclude_none=True)
Bundle.model_validate_json(sent)
print(len(keep))
"""


def test_a_procedure_maps_with_only_the_bundled_fhir_models() -> None:
    pytest.importorskip("PyInstaller", reason="PyInstaller not installed (pip install -e "
                        "'.[package]')")
    done = subprocess.run([sys.executable, "-c", CHECK, str(REPO)], capture_output=True,
                          text=True, timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    assert 20 < int(done.stdout.strip()) < 150  # a subset of the 189 R4B modules
