"""PINs: what a valid one looks like, and the argon2 hasher that is the only thing that sees it.

Policy (NIST SP 800-63B §5.1.1.2 and §5.2.2, a memorized secret beside a physical badge): at least
`people.pin_min_digits` digits (default 6; a site may set 6–12), and never a PIN from the
blocklist: one digit repeated, only two different digits (111222, 000001), runs up or down
(123456, 987654, 890123, 123654), straight keypad lines (147258, 159357), a calendar date, a
short pattern repeated (123123, 112233…), the commonest PINs, the PINs printed in this program's
documentation and training material, or the badge's own digits. A PIN set before this
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


# PINs printed in this program's own README and training material: known to anyone who read it.
DOCUMENTED_PINS: frozenset[str] = frozenset({"246813", "135792"})
# Straight lines of three keys on a keypad (1 2 3 / 4 5 6 / 7 8 9 / _ 0 _), either way.
_LINES = ("123", "456", "789", "147", "258", "369", "159", "357", "2580", "0852")
KEYPAD_LINES: frozenset[str] = frozenset({*_LINES, *(line[::-1] for line in _LINES)})


def _runs(pin: str) -> bool:
    """Made of runs of at least three consecutive digits, each up or down (123654, 987123)."""
    i = 0
    while i < len(pin):
        j = i + 1
        step = (int(pin[j]) - int(pin[i])) % 10 if j < len(pin) else None
        if step not in (1, 9):
            return False
        while j + 1 < len(pin) and (int(pin[j + 1]) - int(pin[j])) % 10 == step:
            j += 1
        if j - i + 1 < 3:
            return False
        i = j + 1
    return True


def _keypad_lines(pin: str) -> bool:
    """Made of straight keypad lines (147258, 159357, 789456, 2580…): traced, not chosen."""
    if len(pin) % 3 == 0 and all(pin[i:i + 3] in KEYPAD_LINES for i in range(0, len(pin), 3)):
        return True
    return len(pin) % 4 == 0 and all(pin[i:i + 4] in KEYPAD_LINES
                                     for i in range(0, len(pin), 4))


def _date(pin: str) -> bool:
    """A calendar date (a birthday, an anniversary): DDMMYY, MMDDYY, YYMMDD, and with the
    century DDMMYYYY, MMDDYYYY, YYYYMMDD (years 1900–2099)."""
    import datetime as dt

    def real(year: int, month: int, day: int) -> bool:
        try:
            dt.date(year, month, day)
        except ValueError:
            return False
        return True

    if len(pin) == 6:
        a, b, c = int(pin[:2]), int(pin[2:4]), int(pin[4:])
        return real(2000 + c, b, a) or real(2000 + c, a, b) or real(2000 + a, b, c)
    if len(pin) == 8:
        head, tail = int(pin[:4]), int(pin[4:])
        dd_mm, yyyy = (int(pin[:2]), int(pin[2:4])), tail
        return (1900 <= yyyy <= 2099 and (real(yyyy, dd_mm[1], dd_mm[0])
                                          or real(yyyy, dd_mm[0], dd_mm[1]))) or \
            (1900 <= head <= 2099 and real(head, int(pin[4:6]), int(pin[6:])))
    return False


def pin_blocked(pin: str, badge: str | None = None, *, documented_ok: bool = False) -> str | None:
    """Why a PIN is too easy to guess (None: it is not on the blocklist).

    `documented_ok`: the training staff's own PINs (a training workstation's practice users)."""
    digits = [int(c) for c in pin]
    steps = {(b - a) % 10 for a, b in itertools.pairwise(digits)}
    if len(set(pin)) == 1:
        return "one digit repeated"
    if len(set(pin)) <= 2:
        return "only two different digits (like 111222, 000001 or 121212)"
    if steps in ({1}, {9}) or _runs(pin):
        return "a run of digits up or down (like 123456 or 123654)"
    if _keypad_lines(pin):
        return "lines traced on the keypad (like 147258 or 159357)"
    if _date(pin):
        return "a date"
    if pin in DOCUMENTED_PINS and not documented_ok:
        return "a PIN printed in the program's own documentation or training material"
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
                     badge: str | None = None, documented_ok: bool = False) -> str:
    text = check_pin_format(pin, min_digits)
    why = pin_blocked(text, badge, documented_ok=documented_ok)
    if why is not None:
        raise InvalidUserData(f"This PIN is too easy to guess ({why}): choose another.",
                              code="pin_blocked")
    return text


def hash_pin(hasher: PasswordHasher, pin: str, *, min_digits: int = PIN_MIN_DIGITS,
             badge: str | None = None, documented_ok: bool = False) -> str:
    return hasher.hash(check_pin_policy(pin, min_digits=min_digits, badge=badge,
                                        documented_ok=documented_ok))


def pin_matches(hasher: PasswordHasher, pin_hash: str, pin: str) -> bool:
    try:
        return hasher.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
