"""The installation self-test: can this workstation record, read labels, print, sound an alarm
and keep time? Run before the first patient (`kresladi-bedside self-test`) and from the window's
menu (`run_self_test(config)`); both show the same report.

Each check is a small function `(SiteConfig) -> CheckResult`. A check that raises is a failure,
reported with the exception. What counts as what:
- fail: the program cannot do its job safely here (log not durable, decoder cannot read the
  built-in label, configured camera or printer absent, no audio output for alarms, clock
  reported unsynchronised, OS time zone differs from the site's);
- warn: something is off or unknown but not unsafe: no camera configured (scanning by camera is
  off), the optional pyzbar decoder missing while zxing is the configured one, the OS does not
  say whether the clock is synchronised, and any failure of a check the site listed in
  `selftest.optional`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from .config import InvalidConfigError, SiteConfig, load_site_config
from .paths import resource

Status = Literal["pass", "warn", "fail"]
MIN_FREE_BYTES = 200 * 1024 * 1024
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str


Check = Callable[[SiteConfig], CheckResult]


@dataclass(frozen=True)
class Printers:
    names: tuple[str, ...]
    default: str | None


@dataclass(frozen=True)
class AudioOutputs:
    names: tuple[str, ...]
    default: str | None


class Devices(Protocol):
    """What the machine has, as Qt sees it: the Qt side (`qt.selftest_qt.QT_DEVICES`) hands this
    to the core, which decides what passes. The core never imports Qt to ask."""

    def printers(self) -> Printers: ...

    def audio_outputs(self) -> AudioOutputs: ...

    def sound_loads(self, path: Path) -> str | None:
        """None when the sound decodes for the default output; else what went wrong."""
        ...


# --- the checks ----------------------------------------------------------------------------------


def check_configuration(config: SiteConfig) -> CheckResult:
    name = "configuration"
    if config.source is None:
        return CheckResult(name, "warn", "no site file: running on defaults "
                           "(see `kresladi-bedside config path`)")
    try:
        # the file may have been edited since the program started
        load_site_config(config.source)
    except InvalidConfigError as exc:
        return CheckResult(name, "fail", str(exc))
    notes = []
    if config.training:
        notes.append("training mode is on")
    if config.sync.base_url and not config.sync.verify_tls:
        notes.append("sync.verify_tls is false: the FHIR server's certificate is not checked")
    if config.sync.token:
        notes.append("sync.token is stored in the file; prefer sync.token_env")
    if config.sync.base_url and config.sync.base_url.startswith("http://"):
        notes.append("sync.base_url is plain http")
    if notes:
        return CheckResult(name, "warn", f"{config.source} is valid, but " + "; ".join(notes))
    return CheckResult(name, "pass", f"{config.source} is valid (site: {config.site_name})")


def check_database(config: SiteConfig) -> CheckResult:
    from .store.db import database_path, open_store
    from .store.errors import StorageError

    name = "database"
    path = database_path(None, config)
    # open a scratch database beside the real one: same folder, same file system, same
    # durability settings, without touching the procedure log itself
    probe = path.with_name(f".selftest-{uuid.uuid4().hex[:8]}.db")
    try:
        with open_store(probe) as store:
            mode = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
            level = store.conn.execute("PRAGMA synchronous").fetchone()[0]
            store.conn.execute("CREATE TABLE selftest_probe (x)")
            store.conn.execute("INSERT INTO selftest_probe VALUES (1)")
    except StorageError as exc:
        return CheckResult(name, "fail", f"cannot write a database in {path.parent}: {exc}")
    finally:
        for leftover in (probe, Path(f"{probe}-wal"), Path(f"{probe}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    if path.exists() and not os.access(path, os.W_OK):
        return CheckResult(name, "fail", f"{path} exists but is not writable by this user")
    free = shutil.disk_usage(path.parent).free
    detail = (f"{path.parent} is writable with journal_mode={mode}, synchronous={level} (FULL); "
              f"{free / 2**30:.1f} GiB free")
    if free < MIN_FREE_BYTES:
        return CheckResult(name, "warn", detail + f" (less than {MIN_FREE_BYTES // 2**20} MiB)")
    return CheckResult(name, "pass", detail)


@dataclass(frozen=True)
class BuiltInLabel:
    image: Path
    expected: dict[str, tuple[str, ...]]  # backend -> payloads it must read


def built_in_label() -> BuiltInLabel:
    spec_path = resource("selftest", "label.toml")
    spec = tomllib.loads(spec_path.read_text(encoding="utf-8"))
    expected: dict[str, list[str]] = {}
    for code in spec["codes"]:
        for reader in code["readers"]:
            expected.setdefault(reader, []).append(code["text"])
    return BuiltInLabel(resource("selftest", spec["image"]),
                        {k: tuple(v) for k, v in expected.items()})


def _check_decoder(backend: str, config: SiteConfig) -> CheckResult:
    import cv2

    from .scanning.decoders import BackendUnavailableError, make_decoder

    label = built_in_label()
    try:
        decoder = make_decoder(backend, deskew=False)
    except BackendUnavailableError as exc:
        if backend == config.camera.backend:
            return CheckResult(backend, "fail", f"{exc} (it is the configured camera.backend)")
        return CheckResult(backend, "warn", f"{exc}; it is not the configured backend, "
                           "so the camera still reads labels")
    image = cv2.imread(str(label.image), cv2.IMREAD_GRAYSCALE)
    if image is None:
        return CheckResult(backend, "fail", f"the built-in label image {label.image} is unreadable")
    read = {scan.payload for scan in decoder.decode(image)}
    missing = [text for text in label.expected[backend] if text not in read]
    shown = ", ".join(repr(t) for t in label.expected[backend])
    if missing:
        return CheckResult(backend, "fail", "did not read " + ", ".join(map(repr, missing))
                           + f" from the built-in label (read: {sorted(read)!r})")
    return CheckResult(backend, "pass", f"loaded; read {shown} from the built-in label")


def check_zxing(config: SiteConfig) -> CheckResult:
    return _check_decoder("zxing", config)


def check_pyzbar(config: SiteConfig) -> CheckResult:
    return _check_decoder("pyzbar", config)


def check_camera(config: SiteConfig) -> CheckResult:
    name = "camera"
    source = config.camera.source
    if source is None:
        return CheckResult(name, "warn", "no camera configured (camera.source): labels are "
                           "read by the hand scanner only")
    wanted = config.selftest.camera_frames
    started = time.monotonic()
    shapes = []
    for frame in _frames(source, config.selftest.camera_timeout_seconds):
        if frame is None or frame.size == 0:
            continue
        shapes.append(frame.shape)
        if len(shapes) >= wanted:
            break
    took = time.monotonic() - started
    if len(shapes) < wanted:
        return CheckResult(name, "fail", f"camera {source!r} delivered {len(shapes)} of {wanted} "
                           f"frames in {took:.1f} s")
    height, width = shapes[0][:2]
    return CheckResult(name, "pass", f"camera {source!r} delivered {wanted} frames of "
                       f"{width}x{height} in {took:.1f} s")


def _frames(source: str, timeout_s: float) -> Iterator[Any]:
    """Frames from a camera index, a video file or a folder of images, for up to `timeout_s`."""
    import cv2

    folder = Path(source)
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in IMAGE_SUFFIXES:
                yield cv2.imread(str(path))
        return
    capture = cv2.VideoCapture(int(source) if source.isdigit() else source)
    try:
        if not capture.isOpened():
            return
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            ok, frame = capture.read()
            if not ok:
                return
            yield frame
    finally:
        capture.release()


_NO_DEVICES = ("not checked: the {what} comes from the window's Qt side, which was not handed "
               "to this self-test")


def check_printer(config: SiteConfig, devices: Devices | None) -> CheckResult:
    name = "printer"
    if devices is None:
        return CheckResult(name, "fail", _NO_DEVICES.format(what="printer list"))
    found = devices.printers()
    listed = ", ".join(found.names) or "none"
    if config.printer is not None:
        if config.printer in found.names:
            return CheckResult(name, "pass", f"configured printer {config.printer!r} is available")
        return CheckResult(name, "fail", f"configured printer {config.printer!r} not found "
                           f"(available: {listed})")
    if found.default:
        return CheckResult(name, "pass", f"default printer {found.default!r} "
                           f"(available: {listed})")
    if found.names:
        return CheckResult(name, "warn", f"no default printer; the print dialog will ask "
                           f"(available: {listed})")
    return CheckResult(name, "fail", "no printer is configured on this workstation: the "
                       "procedure record cannot be printed (it can still be saved as PDF)")


def check_sound(config: SiteConfig, devices: Devices | None) -> CheckResult:
    name = "sound"
    if devices is None:
        return CheckResult(name, "fail", _NO_DEVICES.format(what="list of audio outputs"))
    outputs = devices.audio_outputs()
    if not outputs.names:
        return CheckResult(name, "fail", "no audio output device: countdown alarms cannot be "
                           "heard")
    problem = devices.sound_loads(resource("sounds", "alarm.wav"))
    if problem:
        return CheckResult(name, "fail", problem)
    device = outputs.default or outputs.names[0]
    return CheckResult(name, "pass", f"alarm sound loads for {device!r}")


def check_clock(config: SiteConfig) -> CheckResult:
    name = "clock"
    synced = ntp_synchronized()
    if synced is None:
        return CheckResult(name, "warn", "the operating system does not report whether the clock "
                           "is synchronised; check it against the hospital's time source")
    if not synced:
        return CheckResult(name, "fail", "the clock is NOT synchronised (NTPSynchronized=no): "
                           "recorded times and countdowns may be wrong")
    return CheckResult(name, "pass", "synchronised (NTPSynchronized=yes)")


def ntp_synchronized(
    run: Callable[[Sequence[str]], subprocess.CompletedProcess[str]] | None = None,
) -> bool | None:
    """True/False when the OS says (systemd's timedatectl on Linux); None when it cannot."""
    if not sys.platform.startswith("linux") or shutil.which("timedatectl") is None:
        return None
    run = run or (lambda argv: subprocess.run(argv, capture_output=True, text=True, timeout=5,
                                              check=False))
    try:
        done = run(["timedatectl", "show", "-p", "NTPSynchronized"])
    except (OSError, subprocess.SubprocessError):
        return None
    answer = done.stdout.strip()
    if done.returncode != 0 or not answer.startswith("NTPSynchronized="):
        return None
    return {"yes": True, "no": False}.get(answer.split("=", 1)[1].strip())


def check_timezone(config: SiteConfig, now: datetime | None = None) -> CheckResult:
    name = "timezone"
    now = now or datetime.now(UTC)
    os_offset = now.astimezone().utcoffset()
    if config.timezone is None:
        return CheckResult(name, "pass", f"the operating system's (now UTC{_offset(os_offset)})")
    site_offset = now.astimezone(ZoneInfo(config.timezone)).utcoffset()
    if site_offset != os_offset:
        return CheckResult(name, "fail", f"the site's time zone {config.timezone} is UTC"
                           f"{_offset(site_offset)} now but the operating system is UTC"
                           f"{_offset(os_offset)}: typed times would be misread")
    return CheckResult(name, "pass", f"{config.timezone} matches the operating system")


def _offset(delta: timedelta | None) -> str:
    seconds = int(delta.total_seconds()) if delta is not None else 0
    sign = "+" if seconds >= 0 else "-"
    return f"{sign}{abs(seconds) // 3600:02d}:{abs(seconds) % 3600 // 60:02d}"


def check_it_log(config: SiteConfig) -> CheckResult:
    from .logging_setup import log_dir

    name = "it_log"
    directory = log_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / f".selftest-{uuid.uuid4().hex[:8]}"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        return CheckResult(name, "warn", f"the IT log folder {directory} is not writable ({exc})")
    return CheckResult(name, "pass", f"IT logs go to {directory}")


def _fhir(config: SiteConfig) -> tuple[Any, Any] | CheckResult:
    """The site's sync settings and a client, or the result saying why there are none."""
    from .sync.deliver import SyncNotConfigured, SyncSettings

    try:
        settings = SyncSettings.from_config(config)
    except SyncNotConfigured as exc:
        return CheckResult("fhir_server", "pass", f"not used here: {exc} (records stay on this "
                           "workstation; receipts travel as export files)")
    return settings, settings.client()


def check_fhir_server(config: SiteConfig) -> CheckResult:
    """The hospital's FHIR server answers as FHIR R4 (sync/probe.py)."""
    from .sync import probe

    found = _fhir(config)
    if isinstance(found, CheckResult):
        return found
    settings, client = found
    try:
        result = probe.server(client, settings.base_url)
    finally:
        client.close()
    return CheckResult("fhir_server", result.verdict, result.detail)


def check_fhir_token(config: SiteConfig) -> CheckResult:
    """A token can be had, the server accepts it, and when it expires (sync/tokens.py)."""
    from .sync import probe

    found = _fhir(config)
    if isinstance(found, CheckResult):
        return CheckResult("fhir_token", found.status, found.detail)
    settings, client = found
    try:
        result = probe.token(client, settings.tokens, settings.token)
    finally:
        client.close()
    return CheckResult("fhir_token", result.verdict, result.detail)


def all_checks(devices: Devices | None = None) -> tuple[Check, ...]:
    """Every check, in report order. The printer and sound checks ask `devices`: the command and
    the window hand in `qt.selftest_qt.QT_DEVICES`; without it those two fail as not checked."""

    def check_printer_(config: SiteConfig) -> CheckResult:
        return check_printer(config, devices)

    def check_sound_(config: SiteConfig) -> CheckResult:
        return check_sound(config, devices)

    check_printer_.__name__, check_sound_.__name__ = "check_printer", "check_sound"
    return (check_configuration, check_database, check_zxing, check_pyzbar, check_camera,
            check_printer_, check_sound_, check_clock, check_timezone, check_it_log,
            check_fhir_server, check_fhir_token)


# --- running and reporting -----------------------------------------------------------------------


def run_check(check: Check, config: SiteConfig) -> CheckResult:
    name = check.__name__.removeprefix("check_")
    try:
        result = check(config)
    except Exception as exc:  # a check that crashes has found a problem, not passed
        result = CheckResult(name, "fail", f"the check itself failed: {type(exc).__name__}: {exc}")
    if result.status == "fail" and result.name in config.selftest.optional:
        return CheckResult(result.name, "warn",
                           result.detail + " (optional at this site: selftest.optional)")
    return result


def run_self_test(config: SiteConfig, checks: Sequence[Check] | None = None, *,
                  devices: Devices | None = None) -> list[CheckResult]:
    """Every check (`all_checks(devices)`, or the given ones), in order; never raises. Touches
    no Qt: the window runs it off the GUI thread."""
    chosen = all_checks(devices) if checks is None else checks
    return [run_check(check, config) for check in chosen]


def passed(results: Sequence[CheckResult]) -> bool:
    return all(r.status != "fail" for r in results)


def format_report(results: Sequence[CheckResult]) -> str:
    width = max((len(r.name) for r in results), default=0)
    lines = [f"{r.status.upper():4}  {r.name:<{width}}  {r.detail}" for r in results]
    fails = sum(r.status == "fail" for r in results)
    warns = sum(r.status == "warn" for r in results)
    verdict = "FAILED" if fails else "PASSED"
    lines.append(f"Self-test {verdict}: {len(results) - fails - warns} passed, {warns} warnings, "
                 f"{fails} failed")
    return "\n".join(lines)
