"""People: users, sign-in by badge and PIN, the idle lock, signatures and witnesses (pure Python).

`People(store, config, clock)` is the one object the window uses; `people.guard` goes on every
Procedure. User changes and authentication events are logged under the pseudo-procedure
`PEOPLE_LOG` in the same hash-chained store (see audit.py).
"""

from .audit import ANONYMOUS, PEOPLE_LOG
from .directory import User
from .errors import (
    InvalidUserData,
    NotAuthorized,
    PeopleError,
    SignatureRefused,
    SignInRefused,
    WitnessRefused,
)
from .people import People
from .roles import ROLES

__all__ = [
    "ANONYMOUS", "PEOPLE_LOG", "ROLES", "InvalidUserData", "NotAuthorized", "People",
    "PeopleError", "SignInRefused", "SignatureRefused", "User", "WitnessRefused",
]
