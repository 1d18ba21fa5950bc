"""Site configuration: what differs between hospitals and workstations.

Defaults here are what a workstation runs with when no site file exists (training mode).
`load_site_config` reads the TOML file and checks every key against these dataclasses: a wrong
type, an unknown key, a regular expression that does not compile or an unknown choice is an
`InvalidConfigError` naming the file, the dotted key and the problem, so a bad file stops the
program at start-up instead of misreading a wristband at the bedside.

Where the file comes from (the first that exists wins; files are not merged):
1. the `--config FILE` option (`path` argument), then the `KRESLADI_CONFIG` environment variable;
   a file named this way must exist;
2. `site.toml` in the user configuration directory (platformdirs `user_config_dir`);
3. `site.toml` in the system configuration directory (platformdirs `site_config_dir`);
4. none: the defaults below.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import re
import tomllib
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

APP_NAME = "kresladi-bedside"
CONFIG_FILENAME = "site.toml"
CONFIG_ENV = "KRESLADI_CONFIG"

PAPER_SIZES: tuple[str, ...] = ("letter", "a4")
SCANNER_MODES: tuple[str, ...] = ("wedge", "serial", "none")
DECODER_BACKENDS: tuple[str, ...] = ("zxing", "pyzbar")
WITNESS_STEPS: tuple[str, ...] = (
    "identity_initial", "identity_bedside", "typed_identifier", "deviation",
)
SELFTEST_CHECKS: tuple[str, ...] = (
    "configuration", "database", "zxing", "pyzbar", "camera", "printer", "sound", "clock",
    "timezone", "it_log",
)
BADGE_GROUPS: tuple[str, ...] = ("badge", "staff_gsrn", "name")


def wristband_groups() -> tuple[str, ...]:
    """Named groups a wristband format may capture: the patient keys of labels.model.
    (Imported late: the labels package reads this module's dataclasses.)"""
    from .labels.model import PATIENT_KEYS

    return PATIENT_KEYS


@dataclass(frozen=True)
class LabelFormat:
    """A site wristband or badge format: a regular expression with named groups
    (mrn, name, dob, badge, gsrn, …). `dob_format` is the strptime format of the dob group."""

    pattern: str
    dob_format: str = "%Y-%m-%d"


@dataclass(frozen=True)
class ScannerConfig:
    mode: str = "wedge"  # wedge | serial | none
    suffix: str = "\r"  # what the scanner sends after a payload
    serial_port: str | None = None
    serial_baud: int = 9600
    min_burst_chars: int = 6
    max_median_gap_ms: float = 30.0


@dataclass(frozen=True)
class CameraConfig:
    source: str | None = None  # camera index ("0"), video file or folder of images; None = off
    backend: str = "zxing"  # zxing (reads every label kind) | pyzbar (no DataMatrix)


@dataclass(frozen=True)
class IdentityConfig:
    wristband_max_age_minutes: float = 10.0
    wristband_formats: tuple[LabelFormat, ...] = ()
    badge_formats: tuple[LabelFormat, ...] = ()
    max_payload_chars: int = 2000


@dataclass(frozen=True)
class PeopleConfig:
    idle_lock_minutes: float = 5.0
    max_failed_pins: int = 5
    badge_lock_minutes: float = 15.0
    # NIST SP 800-63B: at least 6 digits; a site may ask for more (people/pins.py)
    pin_min_digits: int = 6
    # steps that need a witness: identity_initial, identity_bedside, typed_identifier, deviation
    witness_required_for: tuple[str, ...] = ("identity_initial", "typed_identifier")


@dataclass(frozen=True)
class PractitionerId:
    """A workstation user (the id on signatures, e.g. the badge) as the hospital knows them:
    `system` e.g. "http://hl7.org/fhir/sid/us-npi" with the NPI, or the EHR's staff id system."""
    user: str
    system: str
    value: str


@dataclass(frozen=True)
class SyncConfig:
    base_url: str | None = None  # FHIR R4 base; None = sync off
    token: str | None = None
    token_env: str = "KRESLADI_FHIR_TOKEN"
    verify_tls: bool = True
    ca_bundle: str | None = None
    interval_seconds: float = 60.0
    timeout_seconds: float = 30.0
    max_attempts: int = 0  # 0: retry for ever (with backoff) unless parked
    # The identifier system of the hospital's MRNs (the Patient is found by it, never created).
    mrn_system: str = "urn:kresladi-bedside:mrn"
    # Where our own identifiers live on the server (procedure, administrations, provenance): a
    # URI the hospital owns, e.g. "https://ehr.example-hospital.org/id/kresladi-bedside".
    # Changing it after records were sent makes the server see them as new.
    identifier_namespace: str = "urn:kresladi-bedside"
    din_system: str = "urn:kresladi-bedside:isbt128-din"  # ISBT 128 DIN of each bag
    coi_system: str = "urn:kresladi-bedside:chain-of-identity"  # manufacturer's COI number
    order_system: str = "urn:kresladi-bedside:order"  # the order id on the Lot Information Sheet
    practitioners: tuple[PractitionerId, ...] = ()  # workstation user → the EHR's identifier
    max_entries_per_bundle: int = 8  # a real server's atomic limit (Medplum: 8 conditional)
    request_deadline_seconds: float = 60.0  # a whole request, whatever the server does
    max_response_kb: int = 4096  # a larger answer is refused unread
    precheck_timeout_seconds: float = 5.0  # the pre-thaw search; then "not checked"


@dataclass(frozen=True)
class SelfTestConfig:
    # checks whose failure this site accepts as a warning (e.g. a workstation without a sound
    # card whose alarms are visual only); they still run and say what they found
    optional: tuple[str, ...] = ()
    camera_frames: int = 3  # frames the camera must deliver
    camera_timeout_seconds: float = 5.0


@dataclass(frozen=True)
class ReceiptConfig:
    # true: the bedside scans the shipper and every cassette again on the infusion day even when
    # the procedure is opened from a receipt (else their receipt scans carry over)
    rescan_at_bedside: bool = False


@dataclass(frozen=True)
class ClinicalConfig:
    """Site policy where the label gives no number. Recorded with each procedure when it opens
    (`procedure_opened.policy`), so a procedure keeps the policy it began under."""

    # §2.3 says only "Consider the infusion volume in relation to the age and weight of the
    # patient": the total saline flush per kg above which a deviation with reason is required.
    flush_warn_ml_per_kg: float = 10.0
    # The most saline one bag's flush may be recorded as (above: refused as a typing error).
    flush_max_ml_per_bag: float = 100.0


@dataclass(frozen=True)
class SiteConfig:
    site_name: str = "Unconfigured workstation"
    timezone: str | None = None  # IANA name; None = the operating system's
    training: bool = False
    database: Path | None = None  # None = the user data directory
    paper_size: str = "letter"  # letter | a4
    printer: str | None = None  # a printer name; None = the system default printer
    identity: IdentityConfig = field(default_factory=IdentityConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    camera: CameraConfig = field(default_factory=CameraConfig)
    people: PeopleConfig = field(default_factory=PeopleConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    selftest: SelfTestConfig = field(default_factory=SelfTestConfig)
    receipt: ReceiptConfig = field(default_factory=ReceiptConfig)
    clinical: ClinicalConfig = field(default_factory=ClinicalConfig)
    source: Path | None = None  # the file this was read from, if any


# Fields the loader fills in itself; a site file may not set them.
_NOT_FROM_FILE = frozenset({(SiteConfig, "source")})


@dataclass(frozen=True)
class ConfigProblem:
    key: str  # dotted, e.g. "scanner.mode"; "(file)" for the file as a whole
    problem: str


class InvalidConfigError(ValueError):
    """The site configuration cannot be used. `str()` names the file, each key and its problem."""

    def __init__(self, file: Path | None, problems: list[ConfigProblem]) -> None:
        self.file = file
        self.problems = problems
        where = str(file) if file else "site configuration"
        super().__init__("\n".join(f"{where}: {p.key}: {p.problem}" for p in problems))


# --- where the file is -------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    path: Path
    why: str  # "--config", "KRESLADI_CONFIG", "user", "system"
    must_exist: bool


def config_candidates(
    path: Path | str | None = None, env: Mapping[str, str] | None = None,
) -> list[Candidate]:
    """Where a site file is looked for, in order of precedence."""
    env = os.environ if env is None else env
    if path is not None:
        return [Candidate(Path(path), "--config", True)]
    if env.get(CONFIG_ENV):
        return [Candidate(Path(env[CONFIG_ENV]), CONFIG_ENV, True)]
    return [
        Candidate(Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILENAME, "user", False),
        Candidate(Path(platformdirs.site_config_dir(APP_NAME)) / CONFIG_FILENAME, "system", False),
    ]


def find_config_file(
    path: Path | str | None = None, env: Mapping[str, str] | None = None,
) -> Path | None:
    for candidate in config_candidates(path, env):
        if candidate.path.is_file():
            return candidate.path
        if candidate.must_exist:
            raise InvalidConfigError(candidate.path, [ConfigProblem(
                "(file)", f"not found (named by {candidate.why})")])
    return None


def load_site_config(
    path: Path | str | None = None, env: Mapping[str, str] | None = None,
) -> SiteConfig:
    """The site configuration: from `path`, `$KRESLADI_CONFIG`, the user or the system
    configuration directory (the first that exists), or the defaults when there is none."""
    found = find_config_file(path, env)
    if found is None:
        return SiteConfig()
    try:
        data = tomllib.loads(found.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        problem = ConfigProblem("(file)", f"not valid TOML: {exc}")
        raise InvalidConfigError(found, [problem]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        problem = ConfigProblem("(file)", f"cannot be read: {exc}")
        raise InvalidConfigError(found, [problem]) from exc
    return parse_site_config(data, source=found)


def parse_site_config(data: Mapping[str, Any], source: Path | None = None) -> SiteConfig:
    """Build a checked SiteConfig from already-parsed TOML data."""
    problems: list[ConfigProblem] = []
    config = _build(SiteConfig, data, "", problems)
    if config is not None:
        config = dataclasses.replace(config, source=source)
        if source is not None and config.database is not None:
            # a relative database path in a site file is relative to that file, not to
            # whichever folder the program happened to be started from
            database = config.database.expanduser()
            if not database.is_absolute():
                database = source.parent / database
            config = dataclasses.replace(config, database=database)
        problems.extend(_cross_checks(config))
    if problems:
        raise InvalidConfigError(source, problems)
    assert config is not None
    return config


# --- building and checking ---------------------------------------------------------------------


def _build(cls: type, data: Any, prefix: str, problems: list[ConfigProblem]) -> Any:
    if not isinstance(data, Mapping):
        problems.append(ConfigProblem(prefix.rstrip(".") or "(file)",
                                      f"expected a table, got {_describe(data)}"))
        return None
    problems_before = len(problems)
    hints = get_type_hints(cls)
    known = [f.name for f in dataclasses.fields(cls) if (cls, f.name) not in _NOT_FROM_FILE]
    for key in data:
        if key not in known:
            problems.append(ConfigProblem(prefix + key, _unknown(key, known, prefix)))
    values: dict[str, Any] = {}
    for name in known:
        if name not in data:
            continue
        dotted = prefix + name
        before = len(problems)
        value = _convert(data[name], hints[name], dotted, problems)
        if len(problems) == before:
            check = _CHECKS.get(dotted)
            problem = check(value) if check else None
            if isinstance(problem, tuple):  # a problem inside the value: (key suffix, text)
                problems.append(ConfigProblem(dotted + problem[0], problem[1]))
            elif problem:
                problems.append(ConfigProblem(dotted, problem))
            else:
                values[name] = value
    missing = [f.name for f in dataclasses.fields(cls)
               if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
               and f.name not in data]
    for name in missing:
        problems.append(ConfigProblem(prefix + name, "required key is missing"))
    if len(problems) > problems_before:
        return None
    return cls(**values)


def _convert(value: Any, hint: Any, key: str, problems: list[ConfigProblem]) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        # Optional[X]: TOML has no null, so an unset optional key is simply left out
        (inner,) = [a for a in get_args(hint) if a is not type(None)]
        return _convert(value, inner, key, problems)
    if origin is tuple:
        item_hint = get_args(hint)[0]
        if not isinstance(value, list):
            problems.append(ConfigProblem(key, f"expected a list, got {_describe(value)}"))
            return None
        items = [_convert(item, item_hint, f"{key}[{i}]", problems) for i, item in enumerate(value)]
        return tuple(items)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, key + ".", problems)
    expected: dict[Any, tuple[tuple[type, ...], str]] = {
        str: ((str,), "a string"),
        bool: ((bool,), "true or false"),
        int: ((int,), "an integer"),
        float: ((int, float), "a number"),
        Path: ((str,), "a path (string)"),
    }
    accepted, words = expected[hint]
    # TOML booleans are Python ints: true must not pass for 1
    if (isinstance(value, bool) and hint is not bool) or not isinstance(value, accepted):
        problems.append(ConfigProblem(key, f"expected {words}, got {_describe(value)}"))
        return None
    if hint is float:
        return float(value)
    if hint is Path:
        return Path(value).expanduser()
    return value


def _describe(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    kind = next((n for t, n in names.items() if type(value) is t), type(value).__name__)
    shown = repr(value)
    return f"{kind} ({shown if len(shown) <= 40 else shown[:37] + '...'})"


def _unknown(key: str, known: list[str], prefix: str) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"unknown key (did you mean '{prefix}{close[0]}'?)"
    return "unknown key (known here: " + ", ".join(known) + ")"


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: str) -> str | None:
        if value in choices:
            return None
        return f"'{value}' is not one of: " + ", ".join(choices)
    return check


def _each_one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(values: tuple[str, ...]) -> str | None:
        wrong = [v for v in values if v not in choices]
        if not wrong:
            return None
        return "not a known step: " + ", ".join(f"'{w}'" for w in wrong) + \
            " (known: " + ", ".join(choices) + ")"
    return check


def _at_least(minimum: float) -> Callable[[Any], str | None]:
    def check(value: float) -> str | None:
        return None if value >= minimum else f"must be at least {minimum:g}, got {value:g}"
    return check


def _greater_than(minimum: float) -> Callable[[Any], str | None]:
    def check(value: float) -> str | None:
        return None if value > minimum else f"must be greater than {minimum:g}, got {value:g}"
    return check


def _between(low: float, high: float) -> Callable[[Any], str | None]:
    """Safety settings a site may tune, but never out of what still protects (issue 15)."""
    def check(value: float) -> str | None:
        if low <= value <= high:
            return None
        return f"must be between {low:g} and {high:g}, got {value:g}"
    return check


def _timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"'{value}' is not an IANA time zone (e.g. 'America/New_York', 'Europe/Paris')"
    return None


def _url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.username is not None or parts.password is not None:
        # Never echoed: the value may hold a password, which must not reach a screen or a log.
        return ("must not hold a user name or password (user:password@…): give the server's "
                "token through sync.token_env instead")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"'{value}' is not an http(s) URL"
    return None


def _not_empty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _label_formats(
    allowed: Callable[[], tuple[str, ...]],
) -> Callable[[Any], tuple[str, str] | None]:
    def check(formats: tuple[LabelFormat, ...]) -> tuple[str, str] | None:
        for i, fmt in enumerate(formats):
            problem = _label_format(fmt, allowed())
            if problem:
                return f"[{i}].{problem[0]}", problem[1]
        return None
    return check


def _label_format(fmt: LabelFormat, allowed: tuple[str, ...]) -> tuple[str, str] | None:
    try:
        compiled = re.compile(fmt.pattern)
    except re.error as exc:
        return "pattern", f"not a valid regular expression: {exc}"
    from .labels.site_formats import pattern_hazard  # labels imports this module

    hazard = pattern_hazard(fmt.pattern)
    if hazard:
        return "pattern", hazard
    names = set(compiled.groupindex)
    if not names:
        return "pattern", "no named group; name what it captures, e.g. (?P<mrn>\\d{8})"
    unknown = sorted(names - set(allowed))
    if unknown:
        return "pattern", ("unknown group name(s) " + ", ".join(unknown)
                           + " (allowed: " + ", ".join(allowed) + ")")
    if "dob" in names:
        # a format that cannot read back what it writes would reject every wristband
        sample = datetime(1987, 11, 23)
        try:
            ok = datetime.strptime(sample.strftime(fmt.dob_format), fmt.dob_format) == sample
        except ValueError:
            ok = False
        if not ok:
            return "dob_format", f"'{fmt.dob_format}' is not a strptime date format (e.g. '%Y%m%d')"
    return None


_CHECKS: dict[str, Callable[[Any], str | tuple[str, str] | None]] = {
    "site_name": _not_empty,
    "timezone": _timezone,
    "paper_size": _one_of(PAPER_SIZES),
    "identity.wristband_max_age_minutes": _greater_than(0),
    "identity.wristband_formats": _label_formats(wristband_groups),
    "identity.badge_formats": _label_formats(lambda: BADGE_GROUPS),
    "identity.max_payload_chars": _at_least(16),
    "scanner.mode": _one_of(SCANNER_MODES),
    "scanner.serial_baud": _greater_than(0),
    "scanner.min_burst_chars": _at_least(1),
    "scanner.max_median_gap_ms": _greater_than(0),
    "camera.backend": _one_of(DECODER_BACKENDS),
    "camera.source": _not_empty,
    "people.idle_lock_minutes": _between(0.5, 60),
    "people.max_failed_pins": _between(3, 10),
    "people.badge_lock_minutes": _between(1, 24 * 60),
    "people.pin_min_digits": _between(6, 12),
    "people.witness_required_for": _each_one_of(WITNESS_STEPS),
    "sync.base_url": _url,
    "sync.token_env": _not_empty,
    "sync.interval_seconds": _greater_than(0),
    "sync.timeout_seconds": _greater_than(0),
    "sync.max_attempts": _at_least(0),
    "sync.identifier_namespace": _not_empty,
    "sync.max_entries_per_bundle": _at_least(1),
    "sync.request_deadline_seconds": _greater_than(0),
    "sync.max_response_kb": _at_least(16),
    "sync.precheck_timeout_seconds": _greater_than(0),
    "selftest.optional": _each_one_of(SELFTEST_CHECKS),
    "clinical.flush_warn_ml_per_kg": _greater_than(0),
    "clinical.flush_max_ml_per_bag": _greater_than(0),
    "selftest.camera_frames": _at_least(1),
    "selftest.camera_timeout_seconds": _greater_than(0),
}


def _cross_checks(config: SiteConfig) -> list[ConfigProblem]:
    problems = []
    if config.scanner.mode == "serial" and not config.scanner.serial_port:
        problems.append(ConfigProblem(
            "scanner.serial_port", "required when scanner.mode is 'serial' (e.g. '/dev/ttyACM0', "
            "'COM3')"))
    if config.sync.token is not None and config.sync.base_url is None:
        problems.append(ConfigProblem("sync.token", "set, but sync.base_url is not"))
    return problems


# --- for people and documentation --------------------------------------------------------------


def documented_keys(cls: type = SiteConfig, prefix: str = "") -> dict[str, Any]:
    """Every key a site file may set, dotted, with its default (nested tables flattened)."""
    keys: dict[str, Any] = {}
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if (cls, f.name) in _NOT_FROM_FILE:
            continue
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING \
            else f.default
        if dataclasses.is_dataclass(hints[f.name]):
            keys.update(documented_keys(hints[f.name], prefix + f.name + "."))
        else:
            keys[prefix + f.name] = default
    return keys


def toml_value(value: Any) -> str:
    """A default as it would be written in the site file; `unset` where TOML has no null."""
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, Path):
        return toml_value(str(value))
    if isinstance(value, tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def redacted_view(config: SiteConfig) -> dict[str, str]:
    """The effective configuration as `key -> TOML value`, with the sync token hidden."""
    view: dict[str, str] = {}
    for key in documented_keys():
        value: Any = config
        for part in key.split("."):
            value = getattr(value, part)
        if key == "sync.token" and value is not None:
            view[key] = '"********"'
        elif isinstance(value, tuple) and value and isinstance(value[0], LabelFormat):
            view[key] = "[" + ", ".join(
                "{ pattern = " + toml_value(f.pattern) + ", dob_format = "
                + toml_value(f.dob_format) + " }" for f in value) + "]"
        elif isinstance(value, tuple) and value and isinstance(value[0], PractitionerId):
            view[key] = "[" + ", ".join(
                "{ user = " + toml_value(p.user) + ", system = " + toml_value(p.system)
                + ", value = " + toml_value(p.value) + " }" for p in value) + "]"
        else:
            view[key] = toml_value(value)
    return view
