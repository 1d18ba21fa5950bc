"""Who is at the keyboard: the window signs in through `people.People` (badge + PIN, argon2,
lockout, all logged in the people log). This module adds the training staff: on a training
workstation with no users yet, the two badges printed on the training label sheet are created
with documented PINs, and the sign-in page lists them (in training only)."""

from __future__ import annotations

from dataclasses import dataclass

from ..labels import samples
from ..people import People, User


@dataclass(frozen=True)
class TrainingUser:
    name: str
    badge: str
    pin: str
    roles: tuple[str, ...]
    role_text: str

    def payload(self) -> str:
        """What the training sheet's badge carries (a scan of it)."""
        return samples.badge_payload(badge=self.badge, name=self.name)


# The badges match `training.label_sheet` ("Nurse badge", "Witness badge"). The PINs are public
# on purpose: they exist only in a training database and are shown on the training sign-in page.
TRAINING_NURSE = TrainingUser("KIM, SORA", samples.SAMPLE_BADGE, "246813",
                              ("administrator", "nurse"), "nurse")
TRAINING_WITNESS = TrainingUser("ORTIZ, PABLO", "P20931", "135792", ("witness",), "witness")
TRAINING_USERS = (TRAINING_NURSE, TRAINING_WITNESS)


def seed_training_users(people: People) -> list[User]:
    """First start of a training workstation: create the training staff (logged as any user
    change is). Does nothing once any user exists, so it never adds known PINs to a live list."""
    if not people.first_run():
        return []
    with people.allow_training_pins():  # printed on the training sheet: blocked elsewhere
        nurse = people.init_admin(TRAINING_NURSE.name, TRAINING_NURSE.badge, TRAINING_NURSE.pin,
                                  extra_roles=("nurse",))
        people.sign_in(TRAINING_NURSE.payload(), TRAINING_NURSE.pin)
        try:
            witness = people.add_user(TRAINING_WITNESS.name, TRAINING_WITNESS.badge,
                                      TRAINING_WITNESS.pin, TRAINING_WITNESS.roles, by=nurse.id)
        finally:
            people.sign_out()
    return [nurse, witness]


def training_signin_text(people: People) -> str:
    """The training badges and PINs, for the training sign-in page; only those that exist."""
    lines = []
    for t in TRAINING_USERS:
        user = people.directory.by_badge(t.badge)
        if user is not None and user.active and user.name == t.name:
            lines.append(f"{t.role_text.capitalize()}: {t.name}, badge {t.badge}, PIN {t.pin}")
    if not lines:
        return ""
    return ("TRAINING — practice badges (on the training label sheet):\n" + "\n".join(lines))
