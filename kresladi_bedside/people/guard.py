"""The one guard for who may do what: run by the door (engine/door.py) before a procedure's own
rules, on every command of the infusion (`People.guard`, the nurse's `Duty`) and of the receipt
(receipt/guard.py, the pharmacy's `Duty`). A `Duty` says only what differs: the role the
performer needs, who may witness, and what makes a witness necessary.

In order, a command is refused (rule id, reason, citation) when:
1. `role` — its user is unknown, disabled, not the user signed in here, the screen is locked or
   the idle time is up, or the user lacks the duty's role;
2. `signature` — a signature it carries was not made by this sign-in, is stale, belongs to an
   earlier session, or is not by the performer / deviation signer / witness it claims to be; or it
   carries a deviation without that signer's `deviation` signature;
3. `witness` — the site requires a witness for it (people.witness_required_for) or it names one,
   and there is no `witnessed` signature by a different, active user with a witness role (for
   the receipt's double check, the verifier: a second pharmacy user).

A command that passes counts as activity: the idle lock is pushed back. That is the guard's only
effect; a refusal is logged by the procedure itself as `command_rejected`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from ..clock import Instant
from ..engine.model import Command, Rejection, Signature
from ..engine.state import State
from .directory import User
from .roles import CITATIONS, PERFORMER_ROLE, WITNESS_ROLES
from .session import WorkSession


class People(Protocol):
    """What the guard asks of `people.People` (declared here so the guard does not import the
    module that imports it)."""

    @property
    def idle_seconds(self) -> float: ...
    @property
    def session(self) -> WorkSession | None: ...
    def user(self, user_id: str) -> User | None: ...
    def note_activity(self, now: Instant) -> None: ...
    def witness_required(self, state: State, command: Command) -> list[str]: ...
    def signature_problem(self, signature: Signature, now: Instant) -> str | None: ...


S = TypeVar("S")


@dataclass(frozen=True)
class Duty(Generic[S]):
    """Who may give a procedure's commands, and who may witness them."""

    role: str  # the performer's role
    task: Callable[[Command], str]  # what the role is needed for, in words
    witness_roles: tuple[str, ...]
    witness_required: Callable[[People, S, Command], list[str]]  # the reasons (empty: none)
    witness: str = "witness"  # what the second person is called


def _nurse_witness(people: People, state: State, command: Command) -> list[str]:
    return people.witness_required(state, command)


NURSE_DUTY: Duty[State] = Duty(PERFORMER_ROLE, lambda command: f"'{command.name}'",
                               WITNESS_ROLES, _nurse_witness)

# An alarm is answered at once, also at the lock screen (which shows the countdowns and the
# alarm): silencing or acknowledging it needs no PIN; the event says it was at the lock screen.
# The pre-thaw search's answer is the workstation's note, recorded whenever it comes back.
ANSWERED_WHEN_LOCKED = frozenset({"acknowledge_alarm", "silence_alarm", "note_prethaw_check"})


class _Refuse(Exception):
    def __init__(self, rule: str, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.rejection = Rejection(rule, reason, CITATIONS[rule], "refused", None, details)


def guard_command(people: People, state: State, command: Command,
                  now: Instant) -> Rejection | None:
    """The infusion's guard: the nurse's duty."""
    return guard_duty(NURSE_DUTY, people, state, command, now)


def guard_duty(duty: Duty[S], people: People, state: S, command: Command,
               now: Instant) -> Rejection | None:
    try:
        _check_user(duty, people, command, now)
        _check_signatures(people, command, now)
        _check_witness(duty, people, state, command)
    except _Refuse as refusal:
        return refusal.rejection
    people.note_activity(now)
    return None


def _check_user(duty: Duty[S], people: People, command: Command, now: Instant) -> None:
    user = people.user(command.user) if command.user else None
    if user is None:
        raise _Refuse("role", "Nobody known is giving this command: sign in with your badge "
                      "and PIN.", code="not_signed_in", user=command.user)
    if not user.active:
        raise _Refuse("role", f"{user.name}'s account is disabled.", code="disabled")
    session = people.session
    if session is None or session.user.id != user.id:
        raise _Refuse("role", f"{user.name} is not the person signed in at this workstation.",
                      code="not_signed_in")
    if (session.locked or session.idle_due(now, people.idle_seconds)) and \
            command.name not in ANSWERED_WHEN_LOCKED:
        raise _Refuse("role", "The screen is locked: unlock it with your PIN first.",
                      code="locked")
    if not user.has_role(duty.role):
        raise _Refuse("role", f"{user.name} does not have the {duty.role} role needed to "
                      f"{duty.task(command)}.", code="role", roles=sorted(user.roles))


def _check_signatures(people: People, command: Command, now: Instant) -> None:
    signers = {command.user}
    if command.deviation is not None:
        signers.add(command.deviation.signed_by)
    for signature in command.signatures:
        problem = people.signature_problem(signature, now)
        if problem is not None:
            raise _Refuse("signature", problem, code="invalid_signature", signer=signature.user)
        if signature.meaning == "witnessed":
            if signature.user != command.witness:
                raise _Refuse("signature", f"{signature.name}'s witness signature is on a "
                              "command that names another witness.", code="witness_mismatch")
        elif signature.user not in signers:
            raise _Refuse("signature", f"{signature.name} signed, but is neither the person "
                          "doing this step nor the deviation's signer.", code="not_the_signer")
    deviation = command.deviation
    if deviation is not None and not any(
            s.meaning == "deviation" and s.user == deviation.signed_by
            for s in command.signatures):
        raise _Refuse("signature", "A deviation needs its signer's signature (meaning: reason "
                      "for deviation): sign it with your PIN.", code="deviation_unsigned",
                      signed_by=deviation.signed_by)


def _check_witness(duty: Duty[S], people: People, state: S, command: Command) -> None:
    needed = duty.witness_required(people, state, command)
    if not needed and not command.witness:
        return
    witness_id = command.witness
    if not witness_id:
        raise _Refuse("witness", f"This step needs a {duty.witness}: a second person signs "
                      "with their own badge and PIN.", code="witness_required",
                      required_for=needed)
    if witness_id == command.user:
        raise _Refuse("witness", f"The person doing this step cannot also be its "
                      f"{duty.witness}.", code="self_witness")
    witness = people.user(witness_id)
    if witness is None or not witness.active:
        raise _Refuse("witness", f"The {duty.witness} is not an active user.",
                      code="witness_inactive")
    if not witness.has_role(*duty.witness_roles):
        raise _Refuse("witness", f"{witness.name} does not have a "
                      f"{' or '.join(duty.witness_roles)} role.", code="witness_role")
    if not any(s.meaning == "witnessed" and s.user == witness_id for s in command.signatures):
        raise _Refuse("witness", f"{witness.name} has not signed as {duty.witness}: they sign "
                      "with their own badge and PIN.", code="witness_unsigned")
