"""Site configuration: what differs between hospitals and workstations.

Defaults here are what a workstation runs with when no site file exists (training mode).
Loading and validation of the TOML file live in `load_site_config`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
    # steps that need a witness: identity_initial, identity_bedside, typed_identifier, deviation
    witness_required_for: tuple[str, ...] = ("identity_initial", "typed_identifier")


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


@dataclass(frozen=True)
class SiteConfig:
    site_name: str = "Unconfigured workstation"
    timezone: str | None = None  # IANA name; None = the operating system's
    training: bool = False
    database: Path | None = None  # None = the user data directory
    paper_size: str = "letter"  # letter | a4
    identity: IdentityConfig = field(default_factory=IdentityConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    camera: CameraConfig = field(default_factory=CameraConfig)
    people: PeopleConfig = field(default_factory=PeopleConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    source: Path | None = None  # the file this was read from, if any
