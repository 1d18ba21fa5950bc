"""Site configuration: what differs between hospitals and workstations.

Defaults here are what a workstation runs with when no site file exists (training mode).
`load_site_config` reads the TOML file and validates it against these typed tables (pydantic
dataclasses: each constraint sits on its field, each choice is one `Literal`): a wrong type, an
unknown key, a value out of range, a regular expression that does not compile or an unknown
choice is an `InvalidConfigError` naming the file, the dotted key and the problem, so a bad file
stops the program at start-up instead of misreading a wristband at the bedside.

Where the file comes from (the first that exists wins; files are not merged):
1. the `--config FILE` option (`path` argument), then the `KRESLADI_CONFIG` environment variable;
   a file named this way must exist;
2. `site.toml` in the user configuration directory (platformdirs `user_config_dir`);
3. `site.toml` in the system configuration directory (platformdirs `site_config_dir`);
4. none: the defaults below.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from .patterns import pattern_hazard

TYPE_CHECKING = False  # pydantic is imported when a site file is validated, not with this module
if TYPE_CHECKING:
    from pydantic import TypeAdapter, ValidationInfo
    from pydantic_core import PydanticCustomError

APP_NAME = "kresladi-bedside"
CONFIG_FILENAME = "site.toml"
CONFIG_ENV = "KRESLADI_CONFIG"

# Each choice in one place: the Literal types the fields use; the tuples are read from them.
PaperSize = Literal["letter", "a4"]
ScannerMode = Literal["wedge", "serial", "none"]
DecoderBackend = Literal["zxing", "pyzbar"]  # zxing reads every label kind; pyzbar no DataMatrix
WitnessStep = Literal["identity_initial", "identity_bedside", "typed_identifier", "deviation"]
# Opening a product while the hospital's server cannot say who holds it (issue 24): refused, or
# opened on a reason signed by the nurse and a witness, claimed when the server is back
OfflineOpening = Literal["refused", "signed"]
SelfTestCheck = Literal["configuration", "database", "zxing", "pyzbar", "camera", "printer",
                        "sound", "clock", "timezone", "it_log"]
PAPER_SIZES: tuple[str, ...] = get_args(PaperSize)
SCANNER_MODES: tuple[str, ...] = get_args(ScannerMode)
DECODER_BACKENDS: tuple[str, ...] = get_args(DecoderBackend)
WITNESS_STEPS: tuple[str, ...] = get_args(WitnessStep)
SELFTEST_CHECKS: tuple[str, ...] = get_args(SelfTestCheck)
BADGE_GROUPS: tuple[str, ...] = ("badge", "staff_gsrn", "name")
# Named groups a wristband format may capture: the patient identifiers. Defined here, below the
# labels package (which reads this module), and used there as `labels.model.PATIENT_KEYS`.
WRISTBAND_GROUPS: tuple[str, ...] = ("mrn", "name", "dob", "coi", "patient_id", "gsrn")


# --- the checks a field carries -----------------------------------------------------------------


def _fail(text: str) -> PydanticCustomError:
    from pydantic_core import PydanticCustomError  # loaded already: only validation calls this

    return PydanticCustomError("site", text)


# The checks a field carries are Annotated markers of our own that become pydantic's schema
# only when a site file is validated (`_site_adapter`): pydantic and pydantic-core cost 0.2 s
# of the window's first paint, which a workstation without a site file (training) never needs.
# pydantic calls `__get_pydantic_core_schema__` on any Annotated marker (its documented hook);
# these do what its AfterValidator and Field(gt=, ge=) do.


class _After:
    """pydantic's AfterValidator(func): `func` runs on the value once its type is checked."""

    __slots__ = ("func",)

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.func, handler(source))


class _Bound:
    """pydantic's Field(gt=…) / Field(ge=…) on a number: the bound goes into the number's own
    schema, so the error is pydantic's greater_than / greater_than_equal (see `_problem`)."""

    __slots__ = ("bound",)

    def __init__(self, **bound: float) -> None:
        self.bound = bound

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        if schema.get("type") not in ("int", "float"):
            raise TypeError(f"a bound applies to a number, not {source!r}")
        return {**schema, **self.bound}


def _not_empty(value: str) -> str:
    if not value.strip():
        raise _fail("must not be empty")
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(f"'{value}' is not an IANA time zone (e.g. 'America/New_York', "
                    "'Europe/Paris')") from None
    return value


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.username is not None or parts.password is not None:
        # Never echoed: the value may hold a password, which must not reach a screen or a log.
        raise _fail("must not hold a user name or password (user:password@…): give the "
                    "server's token through sync.token_env instead")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _fail(f"'{value}' is not an http(s) URL")
    return value


def _identifier_token(value: str) -> str:
    """`system|value`: how the hospital's own resource is found (e.g. its Organization)."""
    system, bar, ident = value.partition("|")
    if not bar or not system.strip() or not ident.strip():
        raise ValueError("must be 'system|value' (the identifier system, a bar, the value), "
                         f"got {value!r}")
    return f"{system.strip()}|{ident.strip()}"


def _each_one_of(choices: tuple[str, ...]) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    def check(values: tuple[str, ...]) -> tuple[str, ...]:
        wrong = [v for v in values if v not in choices]
        if wrong:
            raise _fail("not a known step: " + ", ".join(f"'{w}'" for w in wrong)
                        + " (known: " + ", ".join(choices) + ")")
        return values
    return check


def _between(low: float, high: float) -> _After:
    def check(value: float) -> float:
        if not low <= value <= high:
            raise _fail(f"must be between {low:g} and {high:g}, got {value:g}")
        return value
    return _After(check)


def _expand_user(value: Path) -> Path:
    return value.expanduser()


def _positions(values: tuple[str, ...]) -> tuple[str, ...]:
    """A list a pharmacist picks from: each position named once (a duplicate would make two
    items that look alike), leading and trailing spaces dropped."""
    cleaned = tuple(v.strip() for v in values)
    seen: set[str] = set()
    twice = []
    for v in cleaned:
        if v.casefold() in seen:
            twice.append(v)
        seen.add(v.casefold())
    if twice:
        raise _fail("each position once: " + ", ".join(f"'{v}'" for v in twice)
                    + " is listed more than once")
    return cleaned


NonEmpty = Annotated[str, _After(_not_empty)]
Positive = Annotated[float, _Bound(gt=0)]
TimeZone = Annotated[str, _After(_timezone)]
HttpUrl = Annotated[str, _After(_url)]
IdentifierToken = Annotated[str, _After(_identifier_token)]
UserPath = Annotated[Path, _After(_expand_user)]
WitnessSteps = Annotated[tuple[str, ...], _After(_each_one_of(WITNESS_STEPS))]
SelfTestChecks = Annotated[tuple[str, ...], _After(_each_one_of(SELFTEST_CHECKS))]


def _at_least(minimum: int) -> Any:
    return _Bound(ge=minimum)


class _TomlTable:
    """A table of the site file, validated by pydantic when a file is read (`_site_adapter`):
    unknown keys are refused, and since TOML has real booleans and numbers, true is not 1 and
    "9600" is not a number (pydantic's lax mode would accept both), so scalars are checked
    first. The tables stay plain dataclasses: code and tests may build one directly, unchecked,
    as before
    (the defences behind a setting, such as the regex time limit, are tested that way)."""

    __pydantic_config__: ClassVar[dict[str, str]] = {"extra": "forbid"}  # a ConfigDict

    @classmethod
    def _toml_scalar(cls, value: Any, info: ValidationInfo) -> Any:
        """Every field's "before" validator (attached by `_site_adapter`)."""
        hint = _scalar_hint(cls, info.field_name)
        if hint is bool and not isinstance(value, bool):
            raise _error("toml_type", "expected true or false")
        if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise _error("toml_type", "expected an integer")
        if hint is float and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise _error("toml_type", "expected a number")
        return value


_SCALAR_HINTS: dict[tuple[type, str | None], Any] = {}


def _scalar_hint(cls: type, name: str | None) -> Any:
    """The field's type without `| None` and `Annotated[...]`: worked out once per field, not
    once per field per file read (get_type_hints re-evaluates every annotation of the class)."""
    key = (cls, name)
    if key not in _SCALAR_HINTS:
        hint = get_type_hints(cls).get(name) if name is not None else None
        if get_origin(hint) in (Union, types.UnionType):
            hint = next(a for a in get_args(hint) if a is not type(None))
        if get_origin(hint) is Annotated:
            hint = get_args(hint)[0]
        _SCALAR_HINTS[key] = hint
    return _SCALAR_HINTS[key]


@dataclass(frozen=True)
class LabelFormat(_TomlTable):
    """A site wristband or badge format: a regular expression with named groups
    (mrn, name, dob, badge, gsrn, …). `dob_format` is the strptime format of the dob group."""

    pattern: str
    dob_format: str = "%Y-%m-%d"


def _error(kind: str, text: str, context: dict[str, Any] | None = None) -> PydanticCustomError:
    from pydantic_core import PydanticCustomError  # loaded already: only validation calls this

    return PydanticCustomError(kind, text, context)


def _format_check(allowed: tuple[str, ...]) -> Callable[[LabelFormat], LabelFormat]:
    def check(fmt: LabelFormat) -> LabelFormat:
        problem = _label_format(fmt, allowed)
        if problem:  # a problem inside the format: names its key (pattern, dob_format)
            raise _error("site_sub", "{text}", {"key": problem[0], "text": problem[1]})
        return fmt
    return check


WristbandFormat = Annotated[LabelFormat, _After(_format_check(WRISTBAND_GROUPS))]
BadgeFormat = Annotated[LabelFormat, _After(_format_check(BADGE_GROUPS))]


@dataclass(frozen=True)
class ScannerConfig(_TomlTable):
    mode: ScannerMode = "wedge"
    suffix: str = "\r"  # what the scanner sends after a payload
    serial_port: str | None = None
    serial_baud: Annotated[int, _Bound(gt=0)] = 9600
    min_burst_chars: Annotated[int, _at_least(1)] = 6
    max_median_gap_ms: Positive = 30.0


@dataclass(frozen=True)
class CameraConfig(_TomlTable):
    source: NonEmpty | None = None  # camera index ("0"), video file or image folder; None = off
    backend: DecoderBackend = "zxing"


@dataclass(frozen=True)
class IdentityConfig(_TomlTable):
    wristband_max_age_minutes: Positive = 10.0
    wristband_formats: tuple[WristbandFormat, ...] = ()
    badge_formats: tuple[BadgeFormat, ...] = ()
    max_payload_chars: Annotated[int, _at_least(16)] = 2000


@dataclass(frozen=True)
class PeopleConfig(_TomlTable):
    # Safety settings a site may tune, but never out of what still protects (issue 15)
    idle_lock_minutes: Annotated[float, _between(0.5, 60)] = 5.0
    max_failed_pins: Annotated[int, _between(3, 10)] = 5
    badge_lock_minutes: Annotated[float, _between(1, 24 * 60)] = 15.0
    # NIST SP 800-63B: at least 6 digits; a site may ask for more (people/pins.py)
    pin_min_digits: Annotated[int, _between(6, 12)] = 6
    # The signed-in nurse unlocks her own locked screen with a scan of her badge alone, within
    # this many minutes of her last PIN (a two-bag procedure: sign-in to bag 2 is 2-3 h); 0: the
    # PIN always. Never a typed badge, never another user (a take-over asks the PIN), and her
    # next signature asks the PIN (people/people.py: unlock_by_badge).
    badge_unlock_minutes: Annotated[float, _between(0, 12 * 60)] = 240.0
    # steps that need a witness (WitnessStep)
    witness_required_for: WitnessSteps = ("identity_initial", "typed_identifier")


@dataclass(frozen=True)
class PractitionerId(_TomlTable):
    """A workstation user (the id on signatures, e.g. the badge) as the hospital knows them:
    `system` e.g. "http://hl7.org/fhir/sid/us-npi" with the NPI, or the EHR's staff id system."""
    user: str
    system: str
    value: str


@dataclass(frozen=True)
class SyncConfig(_TomlTable):
    base_url: HttpUrl | None = None  # FHIR R4 base; None = sync off
    token: str | None = None
    token_env: NonEmpty = "KRESLADI_FHIR_TOKEN"
    # OAuth2 client credentials (renewed before they expire; preferred over a static token):
    # the server's token endpoint, this workstation's client id, and the variable holding its
    # secret (the secret itself is never written in the site file)
    token_url: HttpUrl | None = None
    client_id: str | None = None
    client_secret_env: NonEmpty = "KRESLADI_FHIR_CLIENT_SECRET"
    # This workstation's name as custody claims on the server show it ("held by …"); unset: the
    # machine's host name
    workstation: str | None = None
    verify_tls: bool = True
    ca_bundle: str | None = None
    interval_seconds: Positive = 60.0
    timeout_seconds: Positive = 30.0
    max_attempts: Annotated[int, _at_least(0)] = 0  # 0: retry for ever (with backoff)
    # The identifier system of the hospital's MRNs (the Patient is found by it, never created).
    mrn_system: str = "urn:kresladi-bedside:mrn"
    # Where our own identifiers live on the server (procedure, administrations, provenance): a
    # URI the hospital owns, e.g. "https://ehr.example-hospital.org/id/kresladi-bedside".
    # Changing it after records were sent makes the server see them as new.
    identifier_namespace: NonEmpty = "urn:kresladi-bedside"
    coi_system: str = "urn:kresladi-bedside:chain-of-identity"  # manufacturer's COI number
    order_system: str = "urn:kresladi-bedside:order"  # the order id on the Lot Information Sheet
    practitioners: tuple[PractitionerId, ...] = ()  # workstation user → the EHR's identifier
    # The hospital's own Organization and the site's Location on the server, as 'system|value'
    # of an identifier they carry there: referenced (never created) by every record we write
    organization: IdentifierToken | None = None
    location: IdentifierToken | None = None
    # a real server's atomic limit (Medplum: 8 conditional)
    max_entries_per_bundle: Annotated[int, _at_least(1)] = 8
    request_deadline_seconds: Positive = 60.0  # a whole request, whatever the server does
    max_response_kb: Annotated[int, _at_least(16)] = 4096  # a larger answer is refused unread
    precheck_timeout_seconds: Positive = 5.0  # the pre-thaw search; then "not checked"
    # the custody claim when a product is opened, whole (several requests); past it: not opened
    custody_timeout_seconds: Positive = 15.0
    # the server cannot say who holds the product: "refused" (fail closed), or "signed": opened
    # on a reason signed by the nurse and a witness, claimed on the server when it is back (a
    # reconciliation alarm if someone else holds a bag or the server shows it given)
    offline_opening: OfflineOpening = "refused"
    # true: after an all-2xx answer, search the server for the procedure's identifier and mark it
    # delivered only when the search finds it (one more request per procedure; for a server or
    # proxy whose answers the hospital does not trust alone)
    confirm_by_search: bool = False
    # The gates' values read from the hospital's EHR instead of typed (sync/ehr_gates.py), where
    # the site names the codes its EHR records them under, as 'system|code' (the hospital's
    # own codes: the program has none of its own). A Procedure of myeloablative conditioning
    # (performedPeriod: began, ended) and an Observation of the back-up CD34+ collection
    # (valueQuantity in 10*6/kg, effectiveDateTime: when confirmed). Unset: typed.
    conditioning_code: IdentifierToken | None = None
    backup_collection_code: IdentifierToken | None = None
    # the read when the gates page opens, whole; then "type them from the chart"
    gates_read_timeout_seconds: Positive = 10.0
    # A finished procedure still not delivered this long after it ended raises an IT alarm
    # (verify, start-up): the EHR and every other workstation's pre-thaw check miss its dose.
    undelivered_alarm_hours: Positive = 24.0


@dataclass(frozen=True)
class SelfTestConfig(_TomlTable):
    # checks whose failure this site accepts as a warning (e.g. a workstation without a sound
    # card whose alarms are visual only); they still run and say what they found
    optional: SelfTestChecks = ()
    camera_frames: Annotated[int, _at_least(1)] = 3  # frames the camera must deliver
    camera_timeout_seconds: Positive = 5.0


@dataclass(frozen=True)
class ClinicalConfig(_TomlTable):
    """Site policy where the label gives no number. Recorded with each procedure when it opens
    (`procedure_opened.policy`), so a procedure keeps the policy it began under."""

    # §2.3 says only "Consider the infusion volume in relation to the age and weight of the
    # patient and the priming volume of the infusion tubing set": the total volume infused
    # (bags, tubing priming and saline flushes) per kg above which the flush needs a deviation.
    flush_warn_ml_per_kg: Positive = 10.0
    # The most saline one bag's flush may be recorded as (above: refused as a typing error).
    flush_max_ml_per_bag: Positive = 100.0
    # The priming volume of the site's infusion tubing set (saline that reaches the patient);
    # the nurse may change it at the line check for the set actually used.
    priming_volume_ml: Positive = 10.0


StoragePositions = Annotated[tuple[NonEmpty, ...], _After(_positions)]


@dataclass(frozen=True)
class ReceiptConfig(_TomlTable):
    # The site's vapor-phase LN2 storage positions ("LN2 tank 1 A1", …): the receipt's storage
    # step offers them to pick from (a typo in a typed position would be recorded as the place
    # the product is); empty: the position is typed.
    storage_positions: StoragePositions = ()


@dataclass(frozen=True)
class SiteConfig(_TomlTable):
    site_name: NonEmpty = "Unconfigured workstation"
    timezone: TimeZone | None = None  # IANA name; None = the operating system's
    training: bool = False
    database: UserPath | None = None  # None = the user data directory
    paper_size: PaperSize = "letter"
    printer: str | None = None  # a printer name; None = the system default printer
    identity: IdentityConfig = field(default_factory=IdentityConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    camera: CameraConfig = field(default_factory=CameraConfig)
    people: PeopleConfig = field(default_factory=PeopleConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    selftest: SelfTestConfig = field(default_factory=SelfTestConfig)
    clinical: ClinicalConfig = field(default_factory=ClinicalConfig)
    receipt: ReceiptConfig = field(default_factory=ReceiptConfig)
    source: Path | None = None  # the file this was read from, if any


# Fields the loader fills in itself; a site file may not set them.
_NOT_FROM_FILE = frozenset({(SiteConfig, "source")})


@dataclasses.dataclass(frozen=True)
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


@dataclasses.dataclass(frozen=True)
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
    import tomllib  # here: a workstation with no site file paints its first page without it

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
    config, problems = _validate(data)
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
    assert isinstance(config, SiteConfig)
    return config


# --- validating and naming problems -------------------------------------------------------------

@cache
def _site_adapter() -> TypeAdapter[SiteConfig]:
    # Built when a site file is first read, not at import: pydantic (0.2 s) and the schema
    # (~50 ms) are never needed by a workstation without a site file (training).
    from pydantic import TypeAdapter, field_validator

    # the TOML scalar check, as pydantic's field validator on every table (found on the base
    # class when the schema is built)
    check = _TomlTable.__dict__["_toml_scalar"]
    check = getattr(check, "wrapped", check)  # attached once already (cache cleared): unwrap
    scalar = field_validator("*", mode="before")(check)
    setattr(_TomlTable, "_toml_scalar", scalar)  # noqa: B010  (a class attribute, on purpose)
    return TypeAdapter(SiteConfig)

_TYPE_WORDS: dict[str, str] = {
    "string_type": "a string", "tuple_type": "a list", "list_type": "a list",
    "dataclass_type": "a table", "dataclass_exact_type": "a table", "dict_type": "a table",
    "model_type": "a table", "path_type": "a path (string)", "bool_type": "true or false",
    "int_type": "an integer", "float_type": "a number",
}


def _validate(data: Any) -> tuple[SiteConfig | None, list[ConfigProblem]]:
    if not isinstance(data, Mapping):
        return None, [ConfigProblem("(file)", f"expected a table, got {_describe(data)}")]
    problems = [ConfigProblem(name, _unknown(name, _keys(SiteConfig), ""))
                for (cls, name) in _NOT_FROM_FILE if cls is SiteConfig and name in data]
    data = {k: v for k, v in data.items() if (SiteConfig, k) not in _NOT_FROM_FILE}
    adapter = _site_adapter()
    from pydantic import ValidationError

    try:
        return adapter.validate_python(data), problems
    except ValidationError as exc:
        return None, problems + [_problem(error) for error in exc.errors()]


def _problem(error: Any) -> ConfigProblem:
    """pydantic's error in the words a site file's author reads, at its dotted key."""
    loc, kind, value = tuple(error["loc"]), error["type"], error.get("input")
    ctx = error.get("ctx") or {}
    key = _dotted(loc)
    if kind == "toml_type":
        return ConfigProblem(key, f"{error['msg']}, got {_describe(value)}")
    if kind in _TYPE_WORDS:
        return ConfigProblem(key, f"expected {_TYPE_WORDS[kind]}, got {_describe(value)}")
    if kind == "literal_error":
        if not isinstance(value, str):
            return ConfigProblem(key, f"expected a string, got {_describe(value)}")
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return ConfigProblem(key, f"'{value}' is not one of: " + ", ".join(choices))
    if kind == "greater_than":
        return ConfigProblem(key, f"must be greater than {ctx['gt']:g}, got {value:g}")
    if kind == "greater_than_equal":
        return ConfigProblem(key, f"must be at least {ctx['ge']:g}, got {value:g}")
    if kind == "less_than_equal":
        return ConfigProblem(key, f"must be at most {ctx['le']:g}, got {value:g}")
    if kind == "missing":
        return ConfigProblem(key, "required key is missing")
    if kind in ("unexpected_keyword_argument", "extra_forbidden"):
        return ConfigProblem(key, _unknown(str(loc[-1]), _keys(_table_at(loc[:-1])),
                                           _dotted(loc[:-1]) + "." if loc[:-1] else ""))
    if kind == "site_sub":
        return ConfigProblem(f"{key}.{ctx['key']}", str(ctx["text"]))
    return ConfigProblem(key, str(error["msg"]))  # "site": the field's own check said it


def _dotted(loc: tuple[Any, ...]) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(file)"


def _table_at(loc: tuple[Any, ...]) -> type:
    """The table (config class) a location inside the file points into."""
    cls: Any = SiteConfig
    for part in loc:
        if isinstance(part, int):
            continue
        hint = get_type_hints(cls)[part]
        if get_origin(hint) is tuple:
            hint = get_args(hint)[0]
        cls = hint
    return cls  # type: ignore[no-any-return]


def _keys(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if (cls, f.name) not in _NOT_FROM_FILE]


def _describe(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    kind = next((n for t, n in names.items() if type(value) is t), type(value).__name__)
    shown = repr(value)
    return f"{kind} ({shown if len(shown) <= 40 else shown[:37] + '...'})"


def _unknown(key: str, known: list[str], prefix: str) -> str:
    import difflib  # only for a site file with a mistake in it

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"unknown key (did you mean '{prefix}{close[0]}'?)"
    return "unknown key (known here: " + ", ".join(known) + ")"


def _label_format(fmt: LabelFormat, allowed: tuple[str, ...]) -> tuple[str, str] | None:
    try:
        compiled = re.compile(fmt.pattern)
    except re.error as exc:
        return "pattern", f"not a valid regular expression: {exc}"
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


def _cross_checks(config: SiteConfig) -> list[ConfigProblem]:
    problems = []
    if config.scanner.mode == "serial" and not config.scanner.serial_port:
        problems.append(ConfigProblem(
            "scanner.serial_port", "required when scanner.mode is 'serial' (e.g. '/dev/ttyACM0', "
            "'COM3')"))
    if config.sync.token is not None and config.sync.base_url is None:
        problems.append(ConfigProblem("sync.token", "set, but sync.base_url is not"))
    if (config.sync.token_url is None) != (config.sync.client_id is None):
        problems.append(ConfigProblem("sync.client_id" if config.sync.token_url else
                                      "sync.token_url", "token_url and client_id go together "
                                      "(OAuth2 client credentials)"))
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
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # an inline table
        return "{ " + ", ".join(f"{f.name} = {toml_value(getattr(value, f.name))}"
                                for f in dataclasses.fields(value)) + " }"
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
        else:
            view[key] = toml_value(value)
    return view


def opening_args(site: SiteConfig, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The `open` command's arguments as this site gives them: its `[clinical]` policy and its
    name, recorded with the procedure (`procedure_opened`: a procedure keeps the policy it began
    under); what `given` names wins. The window (qt/session.py) and the command line's rehearsal
    (simulate.py) both open procedures with it."""
    return {"policy": dataclasses.asdict(site.clinical), "site": site.site_name, **(given or {})}


def workstation_name(site: SiteConfig) -> str:
    """This workstation's name as custody shows it (a claim on the server, a hand-over file):
    `[sync] workstation`, else the machine's host name."""
    import socket

    return site.sync.workstation or socket.gethostname()
