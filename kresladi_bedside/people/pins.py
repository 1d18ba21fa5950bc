"""PINs: what a valid one looks like, and the argon2 hasher that is the only thing that sees it.

Policy (NIST SP 800-63B §5.1.1.2 and §5.2.2, a memorized secret beside a physical badge): at least
`people.pin_min_digits` digits (default 6; a site may set 6–12), and never a PIN from the
blocklist: one digit repeated, a run up or down (123456, 987654, 890123), a short pattern repeated
(121212, 123123, 112233…), the commonest PINs, or the badge's own digits. A PIN set before this
policy keeps working until it is reset; the policy applies whenever a PIN is set.
"""

from __future__ import annotations

import itertools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .errors import InvalidUserData

PIN_MIN_DIGITS = 6  # the default and the floor a site may not go under
PIN_MAX_DIGITS = 12
# The commonest PINs in published leaks that the rules below do not already catch.
COMMON_PINS: frozenset[str] = frozenset({
    "159753", "147258", "147852", "258456", "789456", "159357", "123321", "520520", "696969",
    "101010", "131313", "252525", "246810", "135790", "102030", "112211", "199999", "200000",
    "110110", "852456", "741852", "963852", "159951", "753951", "147369", "369258", "951753",
    "20242025", "19700101", "12345678", "11223344", "88888888",
})


def default_hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile)."""
    return PasswordHasher()


def check_pin_format(pin: object, min_digits: int = PIN_MIN_DIGITS) -> str:
    if not isinstance(pin, str) or not pin.isascii() or not pin.isdigit():
        raise InvalidUserData("A PIN is digits only.", code="pin_format")
    low = max(PIN_MIN_DIGITS, min(int(min_digits), PIN_MAX_DIGITS))
    if not low <= len(pin) <= PIN_MAX_DIGITS:
        raise InvalidUserData(
            f"A PIN has {low} to {PIN_MAX_DIGITS} digits (got {len(pin)}).", code="pin_format")
    return pin


def pin_blocked(pin: str, badge: str | None = None) -> str | None:
    """Why a PIN is too easy to guess (None: it is not on the blocklist)."""
    digits = [int(c) for c in pin]
    steps = {(b - a) % 10 for a, b in itertools.pairwise(digits)}
    if len(set(pin)) == 1:
        return "one digit repeated"
    if steps in ({1}, {9}):
        return "a run of digits up or down"
    for size in (2, 3, 4):
        if len(pin) % size == 0 and len(pin) > size and pin == pin[:size] * (len(pin) // size):
            return "a short pattern repeated"
    if len(pin) % 2 == 0 and all(pin[i] == pin[i + 1] for i in range(0, len(pin), 2)):
        return "digits in pairs (like 112233)"
    if pin in COMMON_PINS:
        return "one of the commonest PINs"
    badge_digits = "".join(c for c in (badge or "") if c.isdigit())
    if len(badge_digits) >= 4 and (badge_digits in pin or pin in badge_digits):
        return "the badge's own digits"
    return None


def check_pin_policy(pin: object, *, min_digits: int = PIN_MIN_DIGITS,
                     badge: str | None = None) -> str:
    text = check_pin_format(pin, min_digits)
    why = pin_blocked(text, badge)
    if why is not None:
        raise InvalidUserData(f"This PIN is too easy to guess ({why}): choose another.",
                              code="pin_blocked")
    return text


def hash_pin(hasher: PasswordHasher, pin: str, *, min_digits: int = PIN_MIN_DIGITS,
             badge: str | None = None) -> str:
    return hasher.hash(check_pin_policy(pin, min_digits=min_digits, badge=badge))


def pin_matches(hasher: PasswordHasher, pin_hash: str, pin: str) -> bool:
    try:
        return hasher.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
