"""PINs: what a valid one looks like, and the argon2 hasher that is the only thing that sees it."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .errors import InvalidUserData

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12


def default_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile)."""
    return PasswordHasher()


def check_pin_format(pin: object) -> str:
    if not isinstance(pin, str) or not pin.isascii() or not pin.isdigit():
        raise InvalidUserData("A PIN is digits only.", code="pin_format")
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise InvalidUserData(
            f"A PIN has {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits (got {len(pin)}).",
            code="pin_format")
    return pin


def hash_pin(hasher: PasswordHasher, pin: str) -> str:
    return hasher.hash(check_pin_format(pin))


def pin_matches(hasher: PasswordHasher, pin_hash: str, pin: str) -> bool:
    try:
        return hasher.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
