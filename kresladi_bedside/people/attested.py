"""Who signed an imported procedure: the guard (people/guard.py) run again on every command an
import decides again (store/rejudge.py), with the people the signing workstation attests.

An exported procedure's signers are the other workstation's users: its people log never travels
(store/transfer.NEVER_IMPORTED), and neither PINs nor sessions can be checked again here. The
file's Ed25519 signature (store/signing.py) says which enrolled workstation attests them. So the
guard's own rules are run again on what the file holds: someone gives each command; every
signature is the performer's, the deviation signer's or the named witness's; a deviation carries
its signer's signature; the witness is another person who signed as witness; no signature is
dated after the step it signs; one user id signs with one printed name throughout the file; and a
user id this workstation's people log knows signs with the name it has there (a local identity is
never borrowed). Not run again: sessions, idle locks, roles and this site's
`people.witness_required_for` (the signing workstation's settings were in force).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..clock import Instant
from ..engine.model import Command, Rejection, Signature
from ..engine.state import State
from ..store.recovery import SYSTEM_USER
from .directory import User
from .guard import guard_command
from .roles import PERFORMER_ROLE, WITNESS_ROLES
from .session import WorkSession

FUTURE_TOLERANCE_S = 2.0  # the wall clock drifts a little between signing and the step


class AttestedPeople:
    """The guard's `People` for one command of an imported procedure (see the module)."""

    idle_seconds = math.inf

    def __init__(self, command: Command, now: Instant, names: dict[str, str],
                 local: Callable[[str], User | None]) -> None:
        self._names = names
        self._local = local
        performer = self.user(command.user)
        self.session = None if performer is None else WorkSession(performer, now, now, 0)

    def user(self, user_id: str) -> User | None:
        if not user_id or user_id == SYSTEM_USER:
            return None
        return User(user_id, self._names.get(user_id, user_id), "",
                    frozenset({PERFORMER_ROLE, *WITNESS_ROLES}), True, "", "")

    def note_activity(self, now: Instant) -> None:
        pass

    def witness_required(self, state: State, command: Command) -> list[str]:
        return []

    def signature_problem(self, signature: Signature, now: Instant) -> str | None:
        if (signature.at.wall - now.wall).total_seconds() > FUTURE_TOLERANCE_S:
            return f"The signature of {signature.name} is dated after the step it signs."
        known = self._local(signature.user)
        if known is not None and known.name != signature.name:
            return (f"User {signature.user} is {known.name} in this workstation's people log, "
                    f"not {signature.name}.")
        first = self._names.setdefault(signature.user, signature.name)
        if first != signature.name:
            return (f"User {signature.user} signs as {first} elsewhere in the file, not as "
                    f"{signature.name}.")
        return None


def attested_guard(local: Callable[[str], User | None]
                   ) -> Callable[[State, Command, Instant], Rejection | None]:
    """A guard for `store.transfer.rehearse`: the people guard on the file's attested signers.
    `local` is this workstation's people log (`People.user`). The program's own clock notes
    (user `system`, given by the store's recovery) pass no guard, as they do live."""
    names: dict[str, str] = {}

    def guard(state: State, command: Command, now: Instant) -> Rejection | None:
        if command.user == SYSTEM_USER and command.name == "note_clock_change":
            return None
        return guard_command(AttestedPeople(command, now, names, local), state, command, now)

    return guard
