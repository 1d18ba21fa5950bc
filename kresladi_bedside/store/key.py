"""The workstation key: the secret that seals the log, kept outside the database.

Why: the events' SHA-256 chain is public arithmetic; anyone who can write the database file can
rewrite a procedure and recompute every hash. The seals (seals.py) are HMAC-SHA-256 with this key,
so a consistent rewrite needs the key too.

Where: `$KRESLADI_KEY_FILE`, else `workstation.key` in the user configuration directory
(platformdirs `user_config_dir`, beside `site.toml`). 32 random bytes, hex, mode 0600, created at
the first start that writes a log. The key never goes into the database, the IT log, an export or
a sync.

Its loss is a state of its own (`KeyMissingError`): a log that holds seals is not written to with a
new key (every earlier seal would then look forged), and `verify` says that the seals cannot be
checked. Restore `workstation.key` from the workstation's backup; see the README (store section).
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from .errors import StorageError

APP_NAME = "kresladi-bedside"
KEY_ENV = "KRESLADI_KEY_FILE"
KEY_FILENAME = "workstation.key"
KEY_BYTES = 32


class KeyMissingError(StorageError):
    """The log is sealed but this workstation's key file is missing, unreadable or another one."""


def default_key_path() -> Path:
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / KEY_FILENAME


@dataclass(frozen=True)
class WorkstationKey:
    secret: bytes
    path: Path

    @property
    def key_id(self) -> str:
        """Names the key without revealing it (stored in the log to tell 'another key' apart)."""
        return self.mac("key-id")[:16]

    def mac(self, text: str) -> str:
        # hmac.digest: the one-shot C path (OpenSSL), the same HMAC-SHA-256 as hmac.new(...)
        return hmac.digest(self.secret, text.encode("utf-8"), "sha256").hex()

    def check(self, text: str, mac: str) -> bool:
        return hmac.compare_digest(self.mac(text), mac)


def read_key(path: Path | None = None) -> WorkstationKey | None:
    """The key at `path` (default: `default_key_path()`); None when there is no such file."""
    path = path or default_key_path()
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyMissingError(f"the workstation key {path} cannot be read ({exc})") from exc
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) != KEY_BYTES:
        raise KeyMissingError(f"the workstation key {path} is damaged: expected {KEY_BYTES} "
                              "bytes as hex; restore it from the workstation's backup")
    return WorkstationKey(secret, path)


def write_private_file(path: Path, data: bytes) -> None:
    """Create `path` holding `data`, mode 0600 from its first byte (never readable by other users,
    even for a moment; its folder made 0700), flushed to disk. Raises FileExistsError when it is
    already there (another process made it first: read that one), OSError when it cannot be
    written. The workstation's sealing key and its signing key (signing.py) are both made so."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def create_key(path: Path | None = None) -> WorkstationKey:
    """A new random key, written 0600 (never readable by other users, even for a moment)."""
    path = path or default_key_path()
    secret = secrets.token_bytes(KEY_BYTES)
    try:
        write_private_file(path, (secret.hex() + "\n").encode("ascii"))
    except FileExistsError:
        found = read_key(path)  # another process created it first
        assert found is not None
        return found
    except OSError as exc:
        raise KeyMissingError(f"the workstation key {path} cannot be created ({exc})") from exc
    return WorkstationKey(secret, path)
