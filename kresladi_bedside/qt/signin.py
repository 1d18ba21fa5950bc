"""Who is at the keyboard: the window's hook into sign-in by badge and PIN.

The people package (#6) owns users, PIN checks and lockout. Until it is wired in, the window
uses `UnverifiedSignIn`, which only requires a badge and a PIN to be entered and checks neither:
it is for training and development, and it says so on the sign-in page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class SignInRefused(Exception):
    """Sign-in failed; the message says why in words for the nurse."""


@dataclass(frozen=True)
class SignedIn:
    user_id: str
    name: str


class SignIn(Protocol):
    verified: bool

    def authenticate(self, badge: str, pin: str) -> SignedIn: ...


class UnverifiedSignIn:
    verified = False

    def authenticate(self, badge: str, pin: str) -> SignedIn:
        badge = badge.strip()
        if not badge:
            raise SignInRefused("Scan or type your badge.")
        if not pin:
            raise SignInRefused("Enter your PIN.")
        return SignedIn(user_id=badge, name=badge)
