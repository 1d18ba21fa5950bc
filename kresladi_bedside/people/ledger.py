"""The users as the people log says they are: the `users` table is checked against it.

Why: the `users` table sits outside the hash chain, so one UPDATE could make anyone an
administrator, re-enable a disabled user or swap a PIN hash, and `verify` passed (issue 15). The
people log (sealed with the workstation key, like every event) records every change, so it decides:
name, badge, roles and active come from `user_added`, `user_disabled`, `user_enabled`; the PIN hash
is covered by `pin_mac` = HMAC(workstation key, user id and PIN hash), recorded in `user_added`,
`pin_reset`, `pin_rehashed` and `users_adopted` (users created before this check, adopted once).

A row that disagrees with the log is not used: the person cannot sign in, sign or witness, and
`verify` names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..engine.model import Event
from ..store import Store
from .directory import User

PIN_EVENTS = ("user_added", "pin_reset", "pin_rehashed")
ADOPTED = "users_adopted"


def pin_mac_text(user_id: str, pin_hash: str) -> str:
    return f"pin|{user_id}|{pin_hash}"


@dataclass(frozen=True)
class LoggedUser:
    name: str
    badge: str
    roles: frozenset[str]
    active: bool
    pin_mac: str | None  # None: created before the check and not adopted yet


def users_from_log(events: Iterable[Event]) -> dict[str, LoggedUser]:
    users: dict[str, LoggedUser] = {}
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        uid = data.get("user_id")
        if event.type == "user_added" and isinstance(uid, str):
            users[uid] = LoggedUser(str(data.get("name")), str(data.get("badge")),
                                    frozenset(str(r) for r in data.get("roles") or ()), True,
                                    data.get("pin_mac"))
        elif uid in users and event.type in ("user_disabled", "user_enabled"):
            users[uid] = replace(users[uid], active=event.type == "user_enabled")
        elif uid in users and event.type in ("pin_reset", "pin_rehashed"):
            users[uid] = replace(users[uid], pin_mac=data.get("pin_mac"))
        elif event.type == ADOPTED:
            for adopted, mac in (data.get("pin_macs") or {}).items():
                if adopted in users and users[adopted].pin_mac is None:
                    users[adopted] = replace(users[adopted], pin_mac=str(mac))
    return users


def user_problem(store: Store, logged: dict[str, LoggedUser], user: User,
                 pin_hash: str) -> str | None:
    """Why this users row cannot be trusted (None: it matches the people log)."""
    entry = logged.get(user.id)
    if entry is None:
        return "the people log never added this user: the row was written around the program"
    if (entry.name, entry.badge, entry.roles) != (user.name, user.badge, user.roles):
        return "name, badge or roles differ from the people log: the row was altered"
    if entry.active != user.active:
        return "enabled/disabled differs from the people log: the row was altered"
    if entry.pin_mac is not None and \
            store.check_mac(pin_mac_text(user.id, pin_hash), entry.pin_mac) is False:
        return "the PIN hash is not the one the people log recorded: the row was altered"
    return None
