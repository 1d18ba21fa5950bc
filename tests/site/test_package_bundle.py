"""The frozen one-folder build starts and passes its self-test (slow: `make package-test`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "packaging" / "kresladi-bedside.spec"


@pytest.mark.slow
def test_the_bundle_builds_and_passes_its_self_test(tmp_path: Path) -> None:
    pyinstaller = shutil.which("pyinstaller", path=str(Path(sys.executable).parent))
    if pyinstaller is None:
        pytest.fail("PyInstaller is not installed: pip install -e '.[package]'")
    started = time.monotonic()
    build = subprocess.run(
        [pyinstaller, "--noconfirm", "--clean", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build"), str(SPEC)],
        cwd=REPO, capture_output=True, text=True, timeout=1800, check=False)
    assert build.returncode == 0, build.stderr[-4000:]
    bundle = tmp_path / "dist" / "kresladi-bedside"
    exe = bundle / ("kresladi-bedside.exe" if sys.platform == "win32" else "kresladi-bedside")
    size = sum(f.lstat().st_size for f in bundle.rglob("*") if not f.is_symlink())
    print(f"\nbuilt in {time.monotonic() - started:.0f} s; bundle {size / 2**20:.0f} MiB")

    # The data folders are where paths.py looks under sys._MEIPASS.
    internal = bundle / "_internal" / "kresladi_bedside"
    assert (internal / "resources" / "selftest" / "label.png").is_file()
    assert (internal / "ui").is_dir()

    # A temporary database and a site file without a camera. The build machine has no printer
    # and no sound card: the site marks those two optional, so they still run and are reported.
    site = tmp_path / "site.toml"
    site.write_text('site_name = "package test"\n[selftest]\noptional = ["printer", "sound"]\n',
                    encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("KRESLADI_CONFIG", None)
    run = subprocess.run(
        [str(exe), "--config", str(site), "--db", str(tmp_path / "db" / "procedures.db"),
         "self-test"],
        capture_output=True, text=True, timeout=120, env=env, check=False)
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr[-2000:]
    lines = {line.split()[1]: line.split()[0] for line in run.stdout.splitlines()[:-1]}
    assert lines["configuration"] == "PASS"
    assert lines["database"] == "PASS"
    assert lines["zxing"] == "PASS"
    assert lines["pyzbar"] in ("PASS", "WARN")  # WARN: no libzbar on the build machine
    assert set(lines) >= {"camera", "printer", "sound", "clock", "timezone", "it_log"}
    assert "Self-test PASSED" in run.stdout

    # A bad site file stops the frozen program too, naming the key.
    site.write_text('paper_size = "A5"\n', encoding="utf-8")
    bad = subprocess.run([str(exe), "--config", str(site), "self-test"], capture_output=True,
                         text=True, timeout=120, env=env, check=False)
    assert bad.returncode == 2
    assert "paper_size: 'A5' is not one of: letter, a4" in bad.stderr
