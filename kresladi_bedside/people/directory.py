"""The users table, read and written: `User` (never holding the PIN hash) and `UserDirectory`."""

from __future__ import annotations

import sqlite3
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import InvalidUserData
from .roles import ROLES

MAX_NAME_CHARS = 100
MAX_BADGE_CHARS = 64


@dataclass(frozen=True)
class User:
    id: str
    name: str  # the printed name a signature shows
    badge: str  # normalised badge identifier (badge number or staff GSRN)
    roles: frozenset[str]
    active: bool
    created_at: str  # UTC ISO
    changed_at: str

    @property
    def user_id(self) -> str:  # the window's SignedIn calls it so
        return self.id

    def has_role(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "badge": self.badge,
                "roles": sorted(self.roles), "active": self.active,
                "created_at": self.created_at, "changed_at": self.changed_at}


def new_user_id() -> str:
    return "u-" + uuid.uuid4().hex[:12]


def normalise_badge(badge: object) -> str:
    """Badges compare without surrounding spaces and case (a typed `a1234` is badge `A1234`)."""
    if not isinstance(badge, str) or not badge.strip():
        raise InvalidUserData("A badge identifier is required.", code="badge")
    text = badge.strip().upper()
    if len(text) > MAX_BADGE_CHARS:
        raise InvalidUserData(f"A badge identifier has at most {MAX_BADGE_CHARS} characters.",
                              code="badge")
    if _has_hidden_characters(text):
        raise InvalidUserData("The badge identifier holds a hidden character.", code="badge")
    return text


def check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidUserData("A display name is required (the name printed on signatures).",
                              code="name")
    text = " ".join(name.split())
    if len(text) > MAX_NAME_CHARS or _has_hidden_characters(text):
        raise InvalidUserData(f"A display name is printable text of at most {MAX_NAME_CHARS} "
                              "characters.", code="name")
    return text


def check_roles(roles: Iterable[str]) -> frozenset[str]:
    given = frozenset(r.strip().lower() for r in roles if r.strip())
    unknown = sorted(given - set(ROLES))
    if unknown:
        raise InvalidUserData(f"Unknown role(s): {', '.join(unknown)} (known: "
                              f"{', '.join(ROLES)}).", code="roles")
    if not given:
        raise InvalidUserData(f"A user needs at least one role ({', '.join(ROLES)}).",
                              code="roles")
    return given


def _has_hidden_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text)


_COLUMNS = "id, name, badge, roles, active, created_at, changed_at"


class UserDirectory:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # ------------------------------------------------------------------------------ reading
    def count(self, *, active_role: str | None = None) -> int:
        if active_role is None:
            return int(self.conn.execute("SELECT count(*) FROM users").fetchone()[0])
        return sum(1 for u in self.all() if u.active and u.has_role(active_role))

    def get(self, user_id: str) -> User | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM users WHERE id = ?",
                                (user_id,)).fetchone()
        return None if row is None else _user(row)

    def by_badge(self, badge: str) -> User | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM users WHERE badge = ?",
                                (badge,)).fetchone()
        return None if row is None else _user(row)

    def all(self) -> list[User]:
        return [_user(r) for r in
                self.conn.execute(f"SELECT {_COLUMNS} FROM users ORDER BY name, id")]

    def pin_hash(self, user_id: str) -> str:
        row = self.conn.execute("SELECT pin_hash FROM users WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            raise KeyError(user_id)
        return str(row[0])

    # ------------------------------------------------------------------------------ writing
    def insert(self, user: User, pin_hash: str) -> None:
        self.conn.execute(
            "INSERT INTO users (id, name, badge, pin_hash, roles, active, created_at, changed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (user.id, user.name, user.badge, pin_hash, " ".join(sorted(user.roles)),
             int(user.active), user.created_at, user.changed_at))

    def set_active(self, user_id: str, active: bool, changed_at: str) -> None:
        self.conn.execute("UPDATE users SET active = ?, changed_at = ? WHERE id = ?",
                          (int(active), changed_at, user_id))

    def set_pin_hash(self, user_id: str, pin_hash: str, changed_at: str | None) -> None:
        """A new PIN (changed_at set) or a stronger hash of the same PIN (changed_at None)."""
        if changed_at is None:
            self.conn.execute("UPDATE users SET pin_hash = ? WHERE id = ?", (pin_hash, user_id))
        else:
            self.conn.execute("UPDATE users SET pin_hash = ?, changed_at = ? WHERE id = ?",
                              (pin_hash, changed_at, user_id))


def _user(row: tuple[Any, ...]) -> User:
    uid, name, badge, roles, active, created, changed = row
    return User(uid, name, badge, frozenset(str(roles).split()), bool(active), created, changed)
