"""The self-test's verdicts, with each check pushed into failure on purpose."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from kresladi_bedside import cli, selftest
from kresladi_bedside.config import CameraConfig, SelfTestConfig, SiteConfig
from kresladi_bedside.qt import selftest_qt
from kresladi_bedside.selftest import CheckResult

Writer = Callable[[Path, str], Path]


def _config(tmp_path: Path, **changes: object) -> SiteConfig:
    return dataclasses.replace(SiteConfig(database=tmp_path / "db" / "procedures.db"), **changes)


# --- database ---------------------------------------------------------------------------------


def test_database_passes_with_wal_and_full_and_leaves_nothing_behind(tmp_path: Path) -> None:
    result = selftest.check_database(_config(tmp_path))
    assert result.status == "pass"
    assert "journal_mode=wal" in result.detail and "synchronous=2 (FULL)" in result.detail
    assert list((tmp_path / "db").iterdir()) == []  # the scratch database and its WAL are gone


def test_database_fails_when_its_folder_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    result = selftest.check_database(SiteConfig(database=blocker / "procedures.db"))
    assert result.status == "fail"
    assert str(blocker) in result.detail


def test_database_fails_when_wal_cannot_be_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3

    real_connect = sqlite3.connect

    class NoWal(sqlite3.Connection):
        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
            if sql.replace(" ", "").upper() == "PRAGMAJOURNAL_MODE=WAL":
                sql = "PRAGMA journal_mode = DELETE"  # as on a file system without shared memory
            return super().execute(sql, *args)

    monkeypatch.setattr(sqlite3, "connect",
                        lambda *a, **k: real_connect(*a, **{**k, "factory": NoWal}))
    result = selftest.check_database(_config(tmp_path))
    assert result.status == "fail"
    assert "WAL" in result.detail


# --- decoders ---------------------------------------------------------------------------------


def test_both_decoders_read_the_built_in_label() -> None:
    config = SiteConfig()
    assert selftest.check_zxing(config).status == "pass"
    assert selftest.check_pyzbar(config).status == "pass"


def test_the_built_in_label_holds_gs() -> None:
    label = selftest.built_in_label()
    assert any("\x1d" in text for text in label.expected["zxing"])
    assert set(label.expected["pyzbar"]) < set(label.expected["zxing"])  # no DataMatrix


@pytest.fixture
def no_zbar(monkeypatch: pytest.MonkeyPatch) -> None:
    # what `import pyzbar` does when ctypes cannot find libzbar: ImportError
    monkeypatch.setitem(sys.modules, "pyzbar", None)
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)


def test_missing_pyzbar_is_a_warning_when_zxing_is_the_configured_backend(no_zbar: None) -> None:
    result = selftest.check_pyzbar(SiteConfig())
    assert result.status == "warn"
    assert "libzbar0" in result.detail


def test_missing_pyzbar_fails_when_it_is_the_configured_backend(no_zbar: None) -> None:
    result = selftest.check_pyzbar(SiteConfig(camera=CameraConfig(backend="pyzbar")))
    assert result.status == "fail"
    assert "libzbar0" in result.detail and "camera.backend" in result.detail


def test_a_decoder_that_misreads_the_label_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    label = selftest.built_in_label()
    wrong = dataclasses.replace(label, expected={**label.expected, "zxing": ("=W99999999999999",)})
    monkeypatch.setattr(selftest, "built_in_label", lambda: wrong)
    result = selftest.check_zxing(SiteConfig())
    assert result.status == "fail"
    assert "'=W99999999999999'" in result.detail


# --- camera -----------------------------------------------------------------------------------


def test_no_camera_configured_is_a_warning_not_a_failure() -> None:
    result = selftest.check_camera(SiteConfig())
    assert result.status == "warn"
    assert "camera.source" in result.detail


def test_a_folder_of_images_stands_in_for_a_camera(tmp_path: Path) -> None:
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"frame{i}.png"), np.full((48, 64, 3), 200, np.uint8))
    result = selftest.check_camera(SiteConfig(camera=CameraConfig(source=str(tmp_path))))
    assert result.status == "pass"
    assert "3 frames of 64x48" in result.detail


def test_a_camera_that_delivers_too_few_frames_fails(tmp_path: Path) -> None:
    cv2.imwrite(str(tmp_path / "only.png"), np.zeros((8, 8, 3), np.uint8))
    result = selftest.check_camera(SiteConfig(camera=CameraConfig(source=str(tmp_path))))
    assert result.status == "fail"
    assert "delivered 1 of 3" in result.detail


def test_a_camera_that_does_not_open_fails(tmp_path: Path) -> None:
    config = SiteConfig(camera=CameraConfig(source=str(tmp_path / "no-such-video.mp4")),
                        selftest=SelfTestConfig(camera_timeout_seconds=1.0))
    result = selftest.check_camera(config)
    assert result.status == "fail"
    assert "delivered 0 of 3" in result.detail


# --- printer and sound (the Qt probe answers what the machine has) ----------------------------


# The probes create a bare QCoreApplication when none exists (the command line); in a test
# process that later needs a QApplication for widgets, take pytest-qt's `qapp` first.


def test_the_qt_probe_answers_offscreen(qapp: object) -> None:
    assert isinstance(selftest_qt.printers().names, tuple)
    assert isinstance(selftest_qt.audio_outputs().names, tuple)


NO_PRINTERS = selftest.Printers((), None)
NO_OUTPUTS = selftest.AudioOutputs((), None)


@dataclasses.dataclass
class _Devices:
    """What a machine has, as the Qt side would answer (`selftest.Devices`)."""

    printer_list: selftest.Printers = NO_PRINTERS
    outputs: selftest.AudioOutputs = NO_OUTPUTS
    load_problem: str | None = None
    loaded: list[Path] = dataclasses.field(default_factory=list)

    def printers(self) -> selftest.Printers:
        return self.printer_list

    def audio_outputs(self) -> selftest.AudioOutputs:
        return self.outputs

    def sound_loads(self, path: Path) -> str | None:
        self.loaded.append(path)
        return self.load_problem


@pytest.mark.parametrize(("names", "default", "configured", "status"), [
    ((), None, None, "fail"),
    (("Laser",), "Laser", None, "pass"),
    (("Laser",), None, None, "warn"),
    (("Laser",), "Laser", "CTU-Laser-1", "fail"),
    (("Laser", "CTU-Laser-1"), "Laser", "CTU-Laser-1", "pass"),
])
def test_printer_verdicts(names: tuple[str, ...], default: str | None, configured: str | None,
                          status: str) -> None:
    devices = _Devices(printer_list=selftest.Printers(names, default))
    assert selftest.check_printer(SiteConfig(printer=configured), devices).status == status


def test_no_audio_output_fails_because_alarms_would_be_silent() -> None:
    result = selftest.check_sound(SiteConfig(), _Devices())
    assert result.status == "fail" and "alarms" in result.detail


def test_sound_passes_when_an_output_exists_and_the_alarm_loads() -> None:
    devices = _Devices(outputs=selftest.AudioOutputs(("Speakers",), "Speakers"))
    assert selftest.check_sound(SiteConfig(), devices).status == "pass"
    assert devices.loaded[0].name == "alarm.wav" and devices.loaded[0].is_file()
    devices.load_problem = "QSoundEffect could not load alarm.wav"
    assert selftest.check_sound(SiteConfig(), devices).status == "fail"


def test_without_the_qt_side_printer_and_sound_fail_as_not_checked() -> None:
    results = {r.name: r for r in selftest.run_self_test(
        SiteConfig(), [c for c in selftest.all_checks() if c.__name__ in
                       ("check_printer", "check_sound")])}
    assert results["printer"].status == results["sound"].status == "fail"
    assert "not checked" in results["printer"].detail


# --- clock and time zone ----------------------------------------------------------------------


def _timedatectl(stdout: str, returncode: int = 0) -> Callable[..., object]:
    return lambda argv: subprocess.CompletedProcess(argv, returncode, stdout, "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="timedatectl is Linux only")
@pytest.mark.parametrize(("stdout", "returncode", "expected"), [
    ("NTPSynchronized=yes\n", 0, True),
    ("NTPSynchronized=no\n", 0, False),
    ("", 1, None),  # no systemd: "System has not been booted with systemd"
    ("something else\n", 0, None),
])
def test_ntp_answer_is_read(
    monkeypatch: pytest.MonkeyPatch, stdout: str, returncode: int, expected: bool | None,
) -> None:
    monkeypatch.setattr(selftest.shutil, "which", lambda name: "/usr/bin/timedatectl")
    assert selftest.ntp_synchronized(_timedatectl(stdout, returncode)) is expected


@pytest.mark.parametrize(("answer", "status"), [(True, "pass"), (False, "fail"), (None, "warn")])
def test_clock_verdicts(monkeypatch: pytest.MonkeyPatch, answer: bool | None, status: str) -> None:
    monkeypatch.setattr(selftest, "ntp_synchronized", lambda: answer)
    assert selftest.check_clock(SiteConfig()).status == status


def test_a_site_time_zone_that_the_os_does_not_share_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    try:
        winter = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
        result = selftest.check_timezone(SiteConfig(timezone="America/Chicago"), now=winter)
        assert result.status == "fail"
        assert "UTC-06:00" in result.detail and "UTC+00:00" in result.detail
        assert selftest.check_timezone(SiteConfig(timezone="Etc/UTC"), now=winter).status == "pass"
    finally:
        monkeypatch.undo()
        time.tzset()


# --- configuration ----------------------------------------------------------------------------


def test_configuration_fails_when_the_file_was_broken_after_start(
    tmp_path: Path, write: Writer,
) -> None:
    site = write(tmp_path / "site.toml", 'site_name = "Ward 7"\n')
    config = SiteConfig(source=site)
    assert selftest.check_configuration(config).status == "pass"
    write(site, 'site_name = 7\n')
    result = selftest.check_configuration(config)
    assert result.status == "fail" and "site_name: expected a string" in result.detail


def test_configuration_warns_about_an_unchecked_tls_certificate(
    tmp_path: Path, write: Writer,
) -> None:
    from kresladi_bedside.config import load_site_config

    site = write(tmp_path / "site.toml",
                 '[sync]\nbase_url = "https://fhir.example.org"\nverify_tls = false\n')
    result = selftest.check_configuration(load_site_config(site))
    assert result.status == "warn" and "verify_tls" in result.detail


# --- running and reporting --------------------------------------------------------------------


def _fixed(name: str, status: str) -> selftest.Check:
    def check(config: SiteConfig) -> CheckResult:
        return CheckResult(name, status, f"{name} said {status}")  # type: ignore[arg-type]
    check.__name__ = f"check_{name}"
    return check


def test_a_check_that_crashes_is_a_failure_not_a_pass() -> None:
    def check_camera(config: SiteConfig) -> CheckResult:
        raise RuntimeError("driver exploded")

    (result,) = selftest.run_self_test(SiteConfig(), [check_camera])
    assert result == CheckResult("camera", "fail",
                                 "the check itself failed: RuntimeError: driver exploded")


def test_optional_checks_fail_as_warnings_only() -> None:
    config = SiteConfig(selftest=SelfTestConfig(optional=("printer",)))
    results = selftest.run_self_test(config, [_fixed("printer", "fail"), _fixed("sound", "fail")])
    assert [r.status for r in results] == ["warn", "fail"]
    assert "optional at this site" in results[0].detail


def test_report_and_verdict() -> None:
    results = selftest.run_self_test(SiteConfig(), [_fixed("database", "pass"),
                                                    _fixed("camera", "warn")])
    assert selftest.passed(results)
    report = selftest.format_report(results)
    assert report.splitlines() == [
        "PASS  database  database said pass",
        "WARN  camera    camera said warn",
        "Self-test PASSED: 1 passed, 1 warnings, 0 failed",
    ]
    assert not selftest.passed([*results, CheckResult("sound", "fail", "")])


@pytest.mark.parametrize(("statuses", "code"), [(("pass", "warn"), 0), (("pass", "fail"), 1)])
def test_the_command_exits_non_zero_on_failure(
    monkeypatch: pytest.MonkeyPatch, isolated_dirs: dict[str, Path],
    capsys: pytest.CaptureFixture[str], statuses: tuple[str, str], code: int,
) -> None:
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("selftest",))
    monkeypatch.setattr(selftest, "all_checks", lambda devices=None: (
        _fixed("database", statuses[0]), _fixed("camera", statuses[1])))
    assert cli.main(["self-test"]) == code
    out = capsys.readouterr().out
    assert ("FAILED" in out) == (code == 1)


def test_the_real_checks_run_end_to_end(
    qapp: object, tmp_path: Path, isolated_dirs: dict[str, Path],
) -> None:
    results = {r.name: r for r in selftest.run_self_test(_config(tmp_path),
                                                         devices=selftest_qt.QT_DEVICES)}
    assert list(results) == ["configuration", "database", "zxing", "pyzbar", "camera", "printer",
                             "sound", "clock", "timezone", "it_log", "fhir_server", "fhir_token"]
    assert results["fhir_server"].status == "pass"  # no [sync]: said so, nothing to reach
    assert results["fhir_server"].detail.startswith("not used here: ")
    assert results["database"].status == "pass"
    assert results["zxing"].status == "pass"
    assert results["camera"].status == "warn"


def test_the_core_does_not_import_qt() -> None:
    code = ("import sys, kresladi_bedside.selftest, kresladi_bedside.config, "
            "kresladi_bedside.logging_setup, kresladi_bedside.commands.selftest, "
            "kresladi_bedside.commands.config_cmd; "
            "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
