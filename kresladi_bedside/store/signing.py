"""Files that cross workstations are signed: an Ed25519 key pair per workstation (issue 26).

Why: an exported procedure or receipt is JSON lines whose SHA-256 chain anyone can recompute, so
a hash proves nothing about who wrote the file. Each workstation signs what it exports with its
own private key; a workstation imports only files signed by a key an administrator enrolled there
(the people log's `workstation_enrolled`, sealed like every event), or by its own key.

Where: `workstation-signing.key` beside `workstation.key` (the user configuration directory, or
the folder of `$KRESLADI_KEY_FILE`), PEM PKCS#8, mode 0600, created at the first export. Only its
public key ever leaves the workstation (`kresladi-bedside keys show`).

The signature is the file's last line, `{"kresladi_signature": {...}}`, over a fixed prefix and
every line before it (exactly as written, newlines included), so a line added, removed, changed
or moved breaks it. A file with no signature line, a key nobody enrolled here, or a signature
that does not match is refused by name (`SignatureError`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from .key import default_key_path, write_private_file

SIGNING_FILENAME = "workstation-signing.key"
SIGNATURE_FIELD = "kresladi_signature"
CONTEXT = b"kresladi-bedside signed file v1\n"
PUBLIC_HEX_CHARS = 64


class SignatureError(ValueError):
    """A file whose signature is missing, from a workstation not enrolled here, or wrong."""


def key_id_of(public_hex: str) -> str:
    """A short name for a public key (printed, and stored with its enrolment)."""
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:16]


def check_public_key(text: str) -> str:
    """A public key as typed or pasted (spaces allowed) back to 64 lowercase hex digits."""
    public = "".join(text.split()).lower()
    if len(public) != PUBLIC_HEX_CHARS or any(c not in "0123456789abcdef" for c in public):
        raise SignatureError("a workstation's public key is 64 hexadecimal digits (as "
                             "`kresladi-bedside keys show` prints it on that workstation)")
    return public


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    path: Path

    @property
    def public_hex(self) -> str:
        raw = self.private.public_key().public_bytes(serialization.Encoding.Raw,
                                                     serialization.PublicFormat.Raw)
        return raw.hex()

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_hex)

    def signature_line(self, lines: Sequence[str]) -> str:
        """The last line of a signed file whose other lines are `lines` (without newlines)."""
        signature = self.private.sign(_signed_bytes(lines))
        return json.dumps({SIGNATURE_FIELD: {
            "alg": "ed25519", "key_id": self.key_id, "public_key": self.public_hex,
            "lines": len(lines), "signature": signature.hex()}}, sort_keys=True,
            separators=(",", ":"))


def _signed_bytes(lines: Sequence[str]) -> bytes:
    return CONTEXT + "".join(line + "\n" for line in lines).encode("utf-8")


def signing_key_path(key_path: Path | None = None) -> Path:
    return (key_path or default_key_path()).with_name(SIGNING_FILENAME)


def workstation_signing_key(path: Path | None = None) -> SigningKey:
    """This workstation's signing key, created (0600) the first time it is needed."""
    path = path or signing_key_path()
    try:
        return SigningKey(_load(path.read_bytes()), path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, TypeError) as exc:
        raise SignatureError(f"the workstation's signing key {path} cannot be read ({exc}): "
                             "restore it from the workstation's backup") from exc
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    try:
        write_private_file(path, pem)
    except FileExistsError:
        return workstation_signing_key(path)  # another process made it first
    except OSError as exc:
        raise SignatureError(f"the workstation's signing key {path} cannot be created "
                             f"({exc})") from exc
    return SigningKey(private, path)


def own_signing_key(key_path: Path | None = None) -> SigningKey | None:
    """This workstation's own key, trusted for its own files coming back; None when it has none
    and none can be made (then only enrolled workstations' files are imported)."""
    try:
        return workstation_signing_key(signing_key_path(key_path))
    except SignatureError:
        return None


def _load(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 key")
    return key


@dataclass(frozen=True)
class Signer:
    key_id: str
    name: str  # the workstation's name as enrolled ("this workstation" for its own key)


def check_signed(lines: Sequence[str], enrolled: Mapping[str, tuple[str, str]],
                 own: SigningKey | None) -> tuple[list[str], Signer]:
    """The file's content lines (the signature line taken off) and who signed it.

    `enrolled`: key id -> (workstation name, public key hex), from the people log."""
    content = list(lines)
    while content and not content[-1].strip():
        content.pop()
    last = content.pop() if content else ""
    try:
        found = json.loads(last)[SIGNATURE_FIELD]
        key_id, public_hex = str(found["key_id"]), str(found["public_key"])
        signature = bytes.fromhex(str(found["signature"]))
        count = found["lines"]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise SignatureError("the file carries no workstation signature (its last line): only a "
                             "file exported by a kresladi-bedside workstation is imported") \
            from None
    trusted: dict[str, tuple[str, str]] = dict(enrolled)
    if own is not None:
        trusted[own.key_id] = ("this workstation", own.public_hex)
    if key_id not in trusted:
        raise SignatureError(f"the file was signed by workstation key {key_id[:16]!r}, which is "
                             "not enrolled here: an administrator enrolls that workstation's "
                             "public key once (kresladi-bedside keys enroll)")
    name, public = trusted[key_id]
    if public != public_hex.lower() or count != len(content):
        raise SignatureError(f"the signature does not match the file: it was changed after "
                             f"{name} signed it")
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(
            signature, _signed_bytes(content))
    except (InvalidSignature, ValueError):
        raise SignatureError(f"the signature does not match the file: it was changed after "
                             f"{name} signed it") from None
    return content, Signer(key_id, name)
