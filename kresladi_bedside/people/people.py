"""`People`: users, sign-in, the idle lock, signatures and witnesses, over one store and one clock.

The window (Qt) composes this with a Procedure and the store:

    people = People(store, site_config, clock)
    procedure.add_guard(people.guard)          # every command is checked in the core
    if people.first_run(): people.init_admin(name, badge, pin)
    user = people.sign_in(payload, pin)        # payload from the scanner, or a Scan
    people.touch()                             # on key / mouse activity
    people.tick()                              # once a second: locks when idle time is up
    sig = people.sign("deviation")             # PIN again only outside a continuous session
    wit = people.witness(witness_payload, witness_pin)
    procedure.handle(Command(..., user=user.id, signatures=(sig, wit), witness=wit.user))

Every method that refuses raises a `PeopleError` subclass (with `.code`) and logs the refusal in
the people log (audit.py). Nothing here sleeps or reads the real time: `clock` is injected.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC
from typing import Literal

from argon2 import PasswordHasher

from ..clock import Clock, Instant, elapsed
from ..config import IdentityConfig, PeopleConfig, SiteConfig
from ..engine.model import Command, Event, Rejection, Signature
from ..engine.state import State
from ..labels.model import Scan, Source
from ..store import Store
from ..store.migrations import migrate
from . import hospital_ids
from . import schema as _schema  # noqa: F401  (registers migration 100 before migrate runs)
from .audit import ANONYMOUS, PEOPLE_LOG, AuditLog
from .directory import (
    User,
    UserDirectory,
    check_name,
    check_roles,
    new_user_id,
    normalise_badge,
)
from .errors import (
    InvalidUserData,
    NotAuthorized,
    PeopleError,
    SignatureRefused,
    SignInRefused,
    WitnessRefused,
)
from .guard import guard_command
from .ledger import ADOPTED, LoggedUser, pin_mac_text, user_problem, users_from_log
from .lockout import FAILED, LOCKED, PIN_CHECK, badge_status, pin_gate
from .pins import default_hasher, hash_pin, pin_matches
from .roles import ADMIN_ROLE, PERFORMER_ROLE, WITNESS_ROLES
from .session import WorkSession
from .witnessing import witness_reasons

log = logging.getLogger(__name__)

Meaning = Literal["performed", "witnessed", "deviation", "acknowledged"]
OWN_MEANINGS: tuple[str, ...] = ("performed", "deviation", "acknowledged")
Badge = Scan | str | bytes


class People:
    verified = True  # for the window's SignIn protocol: this one checks badge and PIN

    def __init__(self, store: Store, config: PeopleConfig | SiteConfig | None, clock: Clock, *,
                 hasher: PasswordHasher | None = None, identity: IdentityConfig | None = None,
                 pin_every_signature: bool = False) -> None:
        if isinstance(config, SiteConfig):
            identity = identity or config.identity
            config = config.people
        self.config = config or PeopleConfig()
        self.identity = identity
        self.clock = clock
        self.hasher = hasher or default_hasher()
        # §11.200(a)(1)(i) lets a site ask for the PIN at every signing, even inside a session.
        self.pin_every_signature = pin_every_signature
        if not store.read_only:
            migrate(store.conn)  # the store may have been opened before this package was imported
        self.store = store
        self.directory = UserDirectory(store.conn)
        self.audit = AuditLog(store, clock)
        self._session: WorkSession | None = None
        self._epoch = 0
        # Signatures this object made, so a command cannot carry a forged one. Value: the session
        # epoch it belongs to, or None for a person who authenticated fully (witness, co-signer).
        self._issued: dict[Signature, int | None] = {}
        self._logged: tuple[tuple[int, str], dict[str, LoggedUser]] | None = None
        self._log_checked: tuple[tuple[int, str], str | None] | None = None
        self._documented_ok = False  # the training staff's printed PINs (allow_training_pins)
        if not store.read_only and store.key_problem() is None:
            self._adopt_users()

    # ------------------------------------------------------------------------------ settings
    @property
    def idle_seconds(self) -> float:
        return self.config.idle_lock_minutes * 60

    @property
    def lock_seconds(self) -> float:
        return self.config.badge_lock_minutes * 60

    # ------------------------------------------------------------------------------ users
    def first_run(self) -> bool:
        """No user was ever made here: the window shows the create-the-first-administrator page.

        Decided by the sealed log, never by the users table (which anyone who can write the file
        can empty, issue 26): only a log whose people log never added a user and which holds no
        procedure is new. Refused sign-ins before the first administrator do not count."""
        if self.store.key_state not in ("ok", "none"):
            return False  # a log that cannot be sealed is never "new"
        found = self.store.conn.execute(
            "SELECT 1 FROM events WHERE (procedure_id = ? AND type IN ('user_added', ?)) "
            "OR procedure_id != ? LIMIT 1", (PEOPLE_LOG, ADOPTED, PEOPLE_LOG)).fetchone()
        return found is None and self.directory.count() == 0

    def users(self) -> list[User]:
        return self.directory.all()

    def user(self, user_id: str) -> User | None:
        """The user, if their row matches the people log (ledger.py); else None, logged."""
        return self._trusted(self.directory.get(user_id))

    def user_problems(self) -> dict[str, str]:
        """user id -> why their row disagrees with the people log (verify shows these)."""
        logged = self._logged_users()
        found = {}
        for user in self.directory.all():
            problem = user_problem(self.store, logged, user, self.directory.pin_hash(user.id))
            if problem is not None:
                found[user.id] = problem
        for uid in sorted(set(logged) - {u.id for u in self.directory.all()}):
            found[uid] = (f"{logged[uid].name} (badge {logged[uid].badge}) was added by the "
                          "people log but has no users row: the row was deleted or replaced "
                          "around the program")
        return found

    def alarm_texts(self) -> list[str]:
        """At start: the users table rebuilt from the people log and compared; each row that
        differs is an alarm (the window shows it before anyone signs in)."""
        if self.store.key_state != "ok":
            return []  # the log's own alarm says why nothing can be checked
        return [f"USER RECORD ALTERED: {uid}: {problem}. That person cannot sign in until an "
                "administrator has checked it (kresladi-bedside verify)."
                for uid, problem in self.user_problems().items()]

    def _logged_users(self) -> dict[str, LoggedUser]:
        head = self.store.head(PEOPLE_LOG)
        if self._logged is None or self._logged[0] != head:
            self._logged = (head, users_from_log(self.audit.events()))
        return self._logged[1]

    def log_problem(self) -> str | None:
        """Why the people log cannot be trusted (None: its chain and seals hold). Cached per
        head: verifying it costs one pass over the people log."""
        from ..store import verify

        head = self.store.head(PEOPLE_LOG)
        if self._log_checked is None or self._log_checked[0] != head:
            report = verify(self.store, [PEOPLE_LOG])
            problem = None
            if report.breaks:
                problem = report.breaks[0].describe()
            elif report.key_problem is not None and self.store.key_state != "none":
                problem = report.key_problem
            self._log_checked = (head, problem)
        return self._log_checked[1]

    def _logged_by_badge(self, badge_id: str) -> str | None:
        """The id of the user the people log gave this badge (None: nobody)."""
        found = [uid for uid, u in self._logged_users().items() if u.badge == badge_id]
        return found[-1] if found else None

    def _trusted(self, user: User | None) -> User | None:
        if user is None:
            return None
        problem = user_problem(self.store, self._logged_users(), user,
                               self.directory.pin_hash(user.id))
        if problem is not None:
            log.error("user record %s refused: %s", user.id, problem)
            return None
        return user

    def _pin_mac(self, user_id: str, pin_hash: str) -> str:
        return self.store.mac(pin_mac_text(user_id, pin_hash))

    def _adopt_users(self) -> None:
        """Users created before the people log covered PIN hashes: cover them once, now."""
        logged = self._logged_users()
        macs = {}
        for user in self.directory.all():
            entry = logged.get(user.id)
            if entry is not None and entry.pin_mac is None and user_problem(
                    self.store, logged, user, self.directory.pin_hash(user.id)) is None:
                macs[user.id] = self._pin_mac(user.id, self.directory.pin_hash(user.id))
        if macs:
            self.audit.record(ADOPTED, "system", pin_macs=macs)

    @contextlib.contextmanager
    def allow_training_pins(self) -> Iterator[None]:
        """Inside: the PINs printed in the training material are accepted (a training
        workstation's practice users only; everywhere else they are on the blocklist)."""
        self._documented_ok = True
        try:
            yield
        finally:
            self._documented_ok = False

    def init_admin(self, name: str, badge: str, pin: str,
                   extra_roles: Iterable[str] = ()) -> User:
        """First run only: create the first administrator (who signs their own creation)."""
        if not self.first_run():
            raise NotAuthorized("Users already exist (the people log has added users, or the log "
                                "holds procedures): an administrator adds new users.",
                                code="not_first_run")
        user = self._new_user(name, badge, pin, [ADMIN_ROLE, *extra_roles])
        self._store_user(user, pin, by=user.id, first_run=True)
        return user

    def add_user(self, name: str, badge: str, pin: str, roles: Iterable[str], *, by: str) -> User:
        admin = self._administrator(by, "add a user")
        user = self._new_user(name, badge, pin, roles)
        self._store_user(user, pin, by=admin.id, first_run=False)
        return user

    def disable(self, user_id: str, *, by: str, reason: str) -> User:
        admin = self._administrator(by, "disable a user")
        user = self._existing(user_id)
        if not reason.strip():
            raise InvalidUserData("Disabling a user needs a reason.", code="reason")
        if (user.active and user.has_role(ADMIN_ROLE)
                and self.directory.count(active_role=ADMIN_ROLE) <= 1):
            raise InvalidUserData(f"{user.name} is the last active administrator: add another "
                                  "administrator first.", code="last_administrator")
        now = self._stamp()
        self.audit.record_with("user_disabled", admin.id,
                               lambda: self.directory.set_active(user.id, False, now),
                               user_id=user.id, name=user.name, reason=reason.strip())
        return self._existing(user.id)

    def enable(self, user_id: str, *, by: str) -> User:
        admin = self._administrator(by, "enable a user")
        user = self._existing(user_id)
        now = self._stamp()
        self.audit.record_with("user_enabled", admin.id,
                               lambda: self.directory.set_active(user.id, True, now),
                               user_id=user.id, name=user.name)
        return self._existing(user.id)

    def reset_pin(self, user_id: str, pin: str, *, by: str) -> User:
        """A new PIN; it also lifts a badge lock (the owner was identified by the administrator)."""
        admin = self._administrator(by, "reset a PIN")
        user = self._existing(user_id)
        pin_hash = hash_pin(self.hasher, pin, min_digits=self.config.pin_min_digits,
                            badge=user.badge, documented_ok=self._documented_ok)
        now = self._stamp()
        self.audit.record_with("pin_reset", admin.id,
                               lambda: self.directory.set_pin_hash(user.id, pin_hash, now),
                               user_id=user.id, name=user.name, badge=user.badge,
                               pin_mac=self._pin_mac(user.id, pin_hash))
        return self._existing(user.id)

    def set_hospital_id(self, user_id: str, system: str, value: str, *, by: str) -> User:
        """The identifier the hospital's EHR uses for this person (NPI, or the EHR's staff id):
        what sync references their Practitioner by. An empty value clears it."""
        admin = self._administrator(by, "set a hospital identifier")
        user = self._existing(user_id)
        if value.strip():
            system, value = hospital_ids.check(system, value)
        self.audit.record(hospital_ids.EVENT, admin.id, user_id=user.id, name=user.name,
                          system=system.strip(), value=value.strip())
        return user

    def hospital_ids(self) -> dict[str, tuple[str, str]]:
        return hospital_ids.hospital_ids(self.store)

    def set_hospital_name(self, user_id: str, family: str | None, given: Sequence[str] = (), *,
                          by: str) -> User:
        """The person's family and given names as the hospital's records hold them (what the
        Practitioner written for them carries, US Core's `name.family`). None clears them; a
        blank family name is refused, never taken for "clear"."""
        admin = self._administrator(by, "set a hospital name")
        user = self._existing(user_id)
        names: tuple[str, ...] = ()
        if family is not None:
            family, names = hospital_ids.check_name(family, given)
        self.audit.record(hospital_ids.NAME_EVENT, admin.id, user_id=user.id, name=user.name,
                          family=family or "", given=list(names))
        return user

    def hospital_names(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        return hospital_ids.hospital_names(self.store)

    # ------------------------------------------------------------------------------ workstations
    def enroll_workstation(self, name: str, public_key: str, *, by: str) -> str:
        """An administrator enrols another workstation's public key once: files it signs are
        imported here from then on (store/signing.py). Returns the key's id."""
        from ..store.signing import SignatureError, check_public_key, key_id_of

        admin = self._administrator(by, "enrol a workstation")
        try:
            public = check_public_key(public_key)
        except SignatureError as exc:
            raise InvalidUserData(str(exc), code="public_key") from exc
        label = check_name(name)
        key_id = key_id_of(public)
        if key_id in self.enrolled_workstations():
            raise InvalidUserData(f"That key is already enrolled ({key_id}).", code="enrolled")
        self.audit.record("workstation_enrolled", admin.id, workstation=label, key_id=key_id,
                          public_key=public)
        return key_id

    def enrolled_workstations(self) -> dict[str, tuple[str, str]]:
        """key id -> (workstation name, public key hex), as the sealed people log says; none
        while the people log cannot be trusted (a forged enrolment must not open the door)."""
        if self.log_problem() is not None:
            return {}
        found: dict[str, tuple[str, str]] = {}
        for event in self.audit.events():
            data = event.data if isinstance(event.data, dict) else {}
            if event.type == "workstation_enrolled":
                found[str(data.get("key_id"))] = (str(data.get("workstation")),
                                                  str(data.get("public_key")))
        return found

    # ------------------------------------------------------------------------------ sessions
    @property
    def current_user(self) -> User | None:
        """Who is signed in (also while the screen is locked); None when nobody is."""
        return None if self._session is None else self._session.user

    @property
    def locked(self) -> bool:
        return self._session is not None and self._session.locked

    @property
    def session(self) -> WorkSession | None:
        return self._session

    def idle_lock_at(self) -> Instant | None:
        """When the screen will lock if nothing happens (None: nobody signed in, or locked)."""
        s = self._session
        return None if s is None or s.locked else s.idle_lock_at(self.idle_seconds)

    def sign_in(self, badge: Badge, pin: str, *, source: Source = "wedge",
                typed_reason: str | None = None) -> User:
        """Badge + PIN. With someone else signed in (locked or not) this is a take-over."""
        user = self._authenticate(badge, pin, "sign_in", SignInRefused, source, typed_reason)
        return self._begin_session(user, _source(badge, source), _typed_reason(badge,
                                                                                typed_reason))

    def check_administrator(self, badge: str, pin: str) -> User:
        """An administrator's badge and PIN checked without a session or a log entry: only for
        reading a log on read-only media, where nothing can be recorded (and whoever holds the
        medium can read the file anyway)."""
        user = self.directory.by_badge(normalise_badge(badge))
        if (user is None or self._trusted(user) is None or not user.active
                or not user.has_role(ADMIN_ROLE)
                or not pin_matches(self.hasher, self.directory.pin_hash(user.id), pin)):
            raise NotAuthorized("The badge or the PIN is not right, or the user is not an "
                                "active administrator.", code="not_administrator")
        return user

    def authenticate(self, badge: str, pin: str) -> User:
        """The window's `SignIn` protocol (`.id`/`.user_id` and `.name` on the result)."""
        return self.sign_in(badge, pin)

    def take_over(self, badge: Badge, pin: str, *, source: Source = "wedge",
                  typed_reason: str | None = None) -> User:
        """Another user signs in at a (usually locked) screen; logged as a take-over."""
        if self._session is None:
            raise SignInRefused("Nobody is signed in: sign in instead.", code="no_session")
        return self.sign_in(badge, pin, source=source, typed_reason=typed_reason)

    def unlock(self, pin: str) -> User:
        """The signed-in user comes back: their PIN opens a new continuous session."""
        s = self._session
        if s is None:
            raise SignInRefused("Nobody is signed in: sign in with your badge.", code="no_session")
        user = self._check_pin(s.user.badge, pin, SignInRefused,
                               {"purpose": "unlock", "source": "session", "typed_reason": None})
        return self._begin_session(user, "session", None)

    def unlock_by_badge(self, badge: Badge, *, source: Source = "wedge") -> User:
        """The signed-in user comes back to her locked screen and scans her own badge: within
        `badge_unlock_minutes` of her last PIN the screen opens without it (as hospitals' badge
        "tap" unlock does), so the hour between two bags does not cost eight digits more. Not
        a continuous session for signing: her next signature asks the PIN (`needs_pin_to_sign`).
        Refused (the PIN is then asked, nothing counted as a failure): a typed badge, another
        user's badge, the time passed, a badge locked by wrong PINs, a user disabled or altered,
        a damaged people log."""
        s = self._session
        if s is None or not s.locked:
            raise SignInRefused("The screen is not locked.", code="not_locked")
        if source == "typed":  # a badge number anyone can read off the card
            raise SignInRefused("A typed badge does not unlock: enter the PIN.",
                                code="pin_required")
        badge_id = self._badge_of(badge, source, None)
        now = self.clock.now()
        minutes = self.config.badge_unlock_minutes
        user = self.directory.by_badge(badge_id)
        if user is None or user.id != s.user.id:
            raise SignInRefused("Another user's badge: enter that user's PIN to take over.",
                                code="not_same_user")
        if minutes <= 0 or not 0 <= elapsed(s.authenticated_at, now) <= minutes * 60 or \
                self.log_problem() is not None or self._trusted(user) is None or \
                not user.active or badge_status(self.audit.badge_history(badge_id), now,
                                                self.lock_seconds).locked_until is not None:
            raise SignInRefused(f"{user.name}: enter your PIN to unlock.", code="pin_required")
        # its own event type: no PIN was proved, so it never ends a run of wrong PINs (audit.py)
        self.audit.record("session_unlocked_by_badge", user.id, name=user.name,
                          badge=user.badge, source=source,
                          pin_entered_at=s.authenticated_at.to_dict())
        self._epoch += 1
        self._session = WorkSession(user, s.authenticated_at, now, self._epoch,
                                    badge_only=True)
        return user

    def _begin_session(self, user: User, source: str, typed_reason: str | None) -> User:
        now = self.clock.now()
        previous = self._session
        how = {"badge": user.badge, "source": source, "typed_reason": typed_reason}
        if previous is None:
            self.audit.record("signed_in", user.id, name=user.name, **how)
        elif previous.user.id == user.id:
            self.audit.record("session_unlocked" if previous.locked else "signed_in", user.id,
                              name=user.name, **how)
        else:
            self.audit.record("session_taken_over", user.id, name=user.name,
                              from_user=previous.user.id, from_name=previous.user.name,
                              was_locked=previous.locked, **how)
        self._epoch += 1
        self._session = WorkSession(user, now, now, self._epoch)
        return user

    def lock(self, reason: Literal["manual", "idle"] = "manual") -> None:
        s = self._session
        if s is None or s.locked:
            return
        now = self.clock.now()
        self.audit.record("session_locked", s.user.id, reason=reason,
                          last_activity=s.last_activity.to_dict())
        self._session = s.locked_now(now, reason)

    def tick(self) -> bool:
        """Lock if the idle time is up (call it from a timer); returns whether locked now."""
        s = self._session
        if s is not None and s.idle_due(self.clock.now(), self.idle_seconds):
            self.lock("idle")
        return self.locked

    def touch(self) -> None:
        """Activity (a key, a click, a scan): pushes the idle lock back. Ignored when locked."""
        if not self.tick():
            self.note_activity(self.clock.now())

    def note_activity(self, now: Instant) -> None:
        """Activity at `now` (the guard calls it for every command it lets through)."""
        s = self._session
        if s is not None and not s.locked:
            self._session = s.touched(now)

    def sign_out(self) -> None:
        s = self._session
        if s is None:
            return
        self.audit.record("signed_out", s.user.id, name=s.user.name)
        self._session = None

    # ------------------------------------------------------------------------------ signing
    def needs_pin_to_sign(self) -> bool:
        """Whether `sign` will ask for the PIN (the window shows the PIN field only then)."""
        return (self.pin_every_signature or self._session is None or self.tick()
                or self._session.badge_only)

    def sign(self, meaning: Meaning, pin: str | None = None, *, badge: Badge | None = None,
             source: Source = "wedge", typed_reason: str | None = None) -> Signature:
        """The signed-in user signs (PIN only outside a continuous session, or if given), or —
        with `badge` — another nurse signs with their own badge and PIN (e.g. a deviation)."""
        if meaning not in OWN_MEANINGS:
            raise SignatureRefused(f"{meaning!r} is not a signature meaning here (one of: "
                                   f"{', '.join(OWN_MEANINGS)}; a witness uses `witness`).",
                                   code="meaning")
        pin_checked = badge is not None or pin is not None or self.pin_every_signature or (
            self._session is not None and self._session.badge_only)
        epoch: int | None = None
        if badge is not None:
            if pin is None:
                raise SignatureRefused("Enter the PIN that goes with the badge.", code="pin")
            user = self._authenticate(badge, pin, "signature", SignatureRefused, source,
                                      typed_reason)
        else:
            s = self._open_session(SignatureRefused, "sign")
            user, epoch = s.user, s.epoch
            if pin_checked:
                if pin is None:
                    raise SignatureRefused("Enter your PIN to sign.", code="pin_required")
                self._check_pin(user.badge, pin, SignatureRefused,
                                {"purpose": "signature", "source": "session",
                                 "typed_reason": None})
        if not user.has_role(PERFORMER_ROLE):
            self._refused("signature_refused", user.id, SignatureRefused, "role",
                          f"{user.name} does not have the nurse role and cannot sign steps.")
        signature = Signature(user.id, user.name, meaning, self.clock.now())
        self.audit.record("signature_given", user.id, name=user.name, meaning=meaning,
                          signed_at=signature.at.to_dict(), pin_checked=pin_checked,
                          **({"badge": user.badge} if pin_checked else {}))
        self._issued[signature] = epoch
        return signature

    def witness(self, badge: Badge, pin: str, *, source: Source = "wedge",
                typed_reason: str | None = None,
                roles: tuple[str, ...] = WITNESS_ROLES) -> Signature:
        """A second person witnesses the signed-in user's step with their own badge and PIN
        (`roles`: who may; the receipt's double check asks for the pharmacy role)."""
        performer = self._open_session(WitnessRefused, "have a step witnessed").user
        user = self._authenticate(badge, pin, "witness", WitnessRefused, source, typed_reason)
        if user.id == performer.id:
            self._refused("witness_refused", user.id, WitnessRefused, "self_witness",
                          f"{user.name} is doing this step and cannot also witness it: another "
                          "person must witness.", performer=performer.id)
        if not user.has_role(*roles):
            self._refused("witness_refused", user.id, WitnessRefused, "role",
                          f"{user.name} does not have a {' or '.join(roles)} role and cannot "
                          "sign here.", performer=performer.id)
        signature = Signature(user.id, user.name, "witnessed", self.clock.now())
        self.audit.record("witness_signed", user.id, name=user.name, performer=performer.id,
                          badge=user.badge, signed_at=signature.at.to_dict())
        self._issued[signature] = None
        return signature

    def witness_required(self, state: State, command: Command) -> list[str]:
        """The site settings that make `command` need a witness (empty: none)."""
        return witness_reasons(state, command, self.config.witness_required_for)

    def signature_problem(self, signature: Signature, now: Instant) -> str | None:
        """Why a signature cannot be used on a command now (None: it can)."""
        if signature not in self._issued:
            return (f"The signature of {signature.name} was not made by this workstation's "
                    "sign-in: sign again.")
        if elapsed(signature.at, now) > self.idle_seconds:
            return (f"The signature of {signature.name} is older than "
                    f"{self.config.idle_lock_minutes:g} minutes: sign again.")
        epoch = self._issued[signature]
        s = self._session
        if epoch is not None and (s is None or s.epoch != epoch):
            return (f"The signature of {signature.name} belongs to a session that has since been "
                    "locked or ended: sign again.")
        signer = self.user(signature.user)
        if signer is None or not signer.active:
            return f"{signature.name}'s account is not active."
        return None

    # ------------------------------------------------------------------------------ the guard
    def guard(self, state: State, command: Command, now: Instant) -> Rejection | None:
        """`Procedure.add_guard(people.guard)`: role, session, signature and witness checks."""
        return guard_command(self, state, command, now)

    # ------------------------------------------------------------------------------ internals
    def read_badge(self, payload: str | bytes, source: Source = "wedge",
                   typed_reason: str | None = None) -> Scan:
        from ..labels.errors import LabelError
        from ..labels.parse import parse

        try:
            return parse(payload, source, config=self.identity, typed_reason=typed_reason)
        except LabelError as exc:
            raise SignInRefused(f"The badge cannot be read: {exc}", code="badge_unreadable") \
                from exc

    def _badge_of(self, badge: Badge, source: Source, typed_reason: str | None) -> str:
        scan = badge if isinstance(badge, Scan) else self.read_badge(badge, source, typed_reason)
        if scan.kind != "badge":
            raise SignInRefused(f"That was a {scan.kind} label, not a staff badge.",
                                code="not_a_badge")
        if scan.source == "typed" and not (scan.typed_reason or "").strip():
            raise SignInRefused("A typed badge needs a reason (why it could not be scanned).",
                                code="typed_reason")
        value = scan.identifiers.get("badge") or scan.identifiers.get("staff_gsrn")
        try:
            return normalise_badge(value)
        except InvalidUserData as exc:
            raise SignInRefused("The badge carries no badge number.", code="no_badge") from exc

    def _authenticate(self, badge: Badge, pin: str, purpose: str, error: type[PeopleError],
                      source: Source, typed_reason: str | None) -> User:
        """A presented badge, then its PIN; every refusal is logged."""
        how: dict[str, object] = {"purpose": purpose, "source": _source(badge, source),
                                  "typed_reason": _typed_reason(badge, typed_reason)}
        try:
            badge_id = self._badge_of(badge, source, typed_reason)
        except PeopleError as exc:
            self._refused(FAILED, ANONYMOUS, error, exc.code, str(exc), badge=None,
                          counts=False, **how)
        return self._check_pin(badge_id, pin, error, how)

    def _check_pin(self, badge_id: str, pin: str, error: type[PeopleError],
                   how: dict[str, object]) -> User:
        """The PIN for a badge: locked badges are not even tried; a run of wrong PINs locks.
        One check at a time (lockout.pin_gate), so parallel tries cannot outrun the count."""
        with pin_gate(self.store.path):
            return self._check_pin_alone(badge_id, pin, error, how)

    def _check_pin_alone(self, badge_id: str, pin: str, error: type[PeopleError],
                         how: dict[str, object]) -> User:
        damaged = self.log_problem()
        if damaged is not None:
            # Lock counts, PIN resets and user changes all come from this log: a damaged one
            # cannot decide who may sign (issue 15). Not logged: the log itself is the problem.
            raise error(f"The people log is damaged, so no one can sign in or sign here until "
                        f"technical support has checked it ({damaged}).",
                        code="people_log_damaged")
        status = badge_status(self.audit.badge_history(badge_id), self.clock.now(),
                              self.lock_seconds)
        user = self.directory.by_badge(badge_id)
        logged = self._logged_by_badge(badge_id)
        if logged is not None and (user is None or user.id != logged):
            # The people log says who holds this badge; their row is gone or another row took
            # the badge (an UPDATE OR REPLACE deletes a row without any trigger).
            self._refused(FAILED, logged, error, "user_record_altered",
                          "This badge's user record does not match the people log (it was "
                          "deleted or replaced outside the program): an administrator must check "
                          "it (kresladi-bedside verify).", badge=badge_id, counts=False, **how)
        if user is not None and self._trusted(user) is None:
            self._refused(FAILED, user.id, error, "user_record_altered",
                          f"{user.name}'s user record does not match the people log (it was "
                          "changed outside the program): an administrator must check it "
                          "(kresladi-bedside verify).", badge=badge_id, counts=False, **how)
        who = ANONYMOUS if user is None else user.id
        reserved = None if status.locked_until is not None else self._reserve_check(badge_id, who)
        if reserved is None:
            until = (status.locked_until or self.clock.now().plus(self.lock_seconds)).local()
            self._refused(FAILED, who, error, "badge_locked",
                          f"This badge is locked after too many wrong PINs, until "
                          f"{until.strftime('%H:%M')}; an administrator can reset the PIN.",
                          badge=badge_id, counts=False, **how)
        if user is None or not pin_matches(self.hasher, self.directory.pin_hash(user.id), pin):
            self._wrong_pin(badge_id, user, reserved or 1, error, how)
        assert user is not None
        if not user.active:
            self._refused(FAILED, user.id, error, "disabled",
                          f"{user.name}'s account is disabled: see an administrator.",
                          badge=badge_id, counts=False, **how)
        self._rehash_if_weak(user, pin)
        return user

    def _reserve_check(self, badge_id: str, who: str) -> int | None:
        """Count this PIN check before it is made, in one write transaction of the log itself:
        the attempts in a row it makes (None: the badge is locked, nothing is checked).

        Why in the log: the file lock of `pin_gate` is per path, and 12 processes through 12
        symlinks (or hard links, or bind mounts) to one log each had a gate of their own and
        checked 12 PINs (issue 26). The log's own write lock is the file's, whatever the path:
        each check is counted before the next one can read the count."""
        found: list[int | None] = [None]

        def decide(store: Store) -> list[Event]:
            status = badge_status(self.audit.badge_history(badge_id), self.clock.now(),
                                  self.lock_seconds)
            if status.locked or status.failures >= self.config.max_failed_pins:
                return []
            found[0] = status.failures + 1
            return [Event(Event.new_id(), PEOPLE_LOG, PIN_CHECK, {"badge": badge_id},
                          who, self.clock.now())]

        self.store.append_decided(decide)
        return found[0]

    def _wrong_pin(self, badge_id: str, user: User | None, failures: int,
                   error: type[PeopleError], how: dict[str, object]) -> None:
        code = "unknown_badge" if user is None else "wrong_pin"
        who = ANONYMOUS if user is None else user.id
        left = self.config.max_failed_pins - failures
        message = "The badge or the PIN is not right."
        if left <= 0:
            self.audit.record(FAILED, who, badge=badge_id, code=code, reason=message,
                              counts=True, counted_by_check=True, **how)
            until = self.clock.now().plus(self.lock_seconds)
            self.audit.record(LOCKED, who, badge=badge_id, failures=failures,
                              until=until.to_dict())
            # The badge is not named in the IT log (README: badges are redacted there).
            log.warning("a badge was locked after %d failed attempts", failures)
            raise error(f"{message} The badge is now locked for "
                        f"{self.config.badge_lock_minutes:g} minutes.", code="badge_locked")
        self._refused(FAILED, who, error, code,
                      f"{message} {left} attempt(s) left before the badge is locked.",
                      badge=badge_id, counts=True, counted_by_check=True, **how)

    def _rehash_if_weak(self, user: User, pin: str) -> None:
        stored = self.directory.pin_hash(user.id)
        if self.hasher.check_needs_rehash(stored):
            new = self.hasher.hash(pin)
            self.audit.record_with("pin_rehashed", "system",
                                   lambda: self.directory.set_pin_hash(user.id, new, None),
                                   user_id=user.id, pin_mac=self._pin_mac(user.id, new))

    def _refused(self, event_type: str, user: str, error: type[PeopleError], code: str,
                 message: str, **data: object) -> None:
        self.audit.record(event_type, user, code=code, reason=message, **data)
        log.info("%s: %s (%s)", event_type, code, user)
        raise error(message, code=code)

    def _open_session(self, error: type[PeopleError], what: str) -> WorkSession:
        s = self._session
        if s is None:
            raise error(f"Sign in first to {what}.", code="no_session")
        if self.tick():
            raise error(f"The screen is locked: unlock it with your PIN to {what}.",
                        code="locked")
        return s

    def _administrator(self, by: str, what: str) -> User:
        s = self._session
        admin = self.user(by)
        problem: tuple[str, str] | None = None
        if s is None or s.user.id != by or self.tick():
            problem = ("not_signed_in", f"Sign in as an administrator to {what}.")
        elif admin is None or not admin.active or not admin.has_role(ADMIN_ROLE):
            problem = ("role", f"Only an administrator may {what}.")
        if problem is not None:
            self._refused("admin_refused", by or ANONYMOUS, NotAuthorized, problem[0],
                          problem[1], action=what)
        assert admin is not None
        return admin

    def _new_user(self, name: str, badge: str, pin: str, roles: Iterable[str]) -> User:
        badge_id = normalise_badge(badge)
        holder = self.directory.by_badge(badge_id)
        if holder is not None:
            raise InvalidUserData(f"Badge {badge_id} already belongs to {holder.name}.",
                                  code="badge_taken")
        now = self._stamp()
        return User(new_user_id(), check_name(name), badge_id, check_roles(roles), True, now,
                    now)

    def _store_user(self, user: User, pin: str, *, by: str, first_run: bool) -> None:
        pin_hash = hash_pin(self.hasher, pin, min_digits=self.config.pin_min_digits,
                            badge=user.badge, documented_ok=self._documented_ok)
        def insert() -> None:
            try:
                self.directory.insert(user, pin_hash)
            except sqlite3.IntegrityError as exc:  # raised inside the transaction: rolled back
                raise InvalidUserData(f"The user could not be added: {exc}",
                                      code="conflict") from exc

        # The event and the row in one transaction: never one without the other.
        self.audit.record_with("user_added", by, insert, user_id=user.id, name=user.name,
                               badge=user.badge, roles=sorted(user.roles), first_run=first_run,
                               pin_mac=self._pin_mac(user.id, pin_hash))

    def _existing(self, user_id: str) -> User:
        user = self.directory.get(user_id)
        if user is None:
            raise InvalidUserData(f"There is no user {user_id!r}.", code="unknown_user")
        return user

    def _stamp(self) -> str:
        return self.clock.now().wall.astimezone(UTC).isoformat(timespec="seconds")


def _source(badge: Badge, source: str) -> str:
    return badge.source if isinstance(badge, Scan) else source


def _typed_reason(badge: Badge, typed_reason: str | None) -> str | None:
    return badge.typed_reason if isinstance(badge, Scan) else typed_reason
