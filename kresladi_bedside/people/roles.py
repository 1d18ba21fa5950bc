"""Roles, and the regulations the people layer's refusals cite.

These rules come from record-keeping law, not from the prescribing information, so they are not in
the product profile; the citations are written here once and every refusal uses them.
"""

from __future__ import annotations

from typing import Literal

Role = Literal["nurse", "witness", "administrator", "pharmacy"]
# pharmacy: receives KRESLADI (pharmacy or cell-therapy laboratory), see kresladi_bedside.receipt
ROLES: tuple[str, ...] = ("nurse", "witness", "administrator", "pharmacy")
PERFORMER_ROLE = "nurse"  # gives the procedure's commands
ADMIN_ROLE = "administrator"  # adds, disables, enables users and resets PINs
# A second nurse is the usual bedside double-check, so nurses may witness too.
WITNESS_ROLES: tuple[str, ...] = ("witness", "nurse")

CITATIONS: dict[str, str] = {
    "role": (
        "21 CFR Part 11 §11.10(d) and (g): system access limited to authorized individuals, "
        "authority checks; HIPAA 45 CFR §164.312(a)(1), (a)(2)(i) and (a)(2)(iii): access "
        "control, unique user identification, automatic logoff."
    ),
    "signature": (
        "21 CFR Part 11 §11.50: a signed record shows the signer's printed name, the date and "
        "time, and the meaning of the signature; §11.200(a)(1): signing uses the signer's own "
        "identification components."
    ),
    "witness": (
        "21 CFR Part 11 §11.200(a)(2): an electronic signature is used only by its genuine "
        "owner, so a witness signs with their own badge and PIN and cannot be the performer; "
        "HIPAA 45 CFR §164.312(d): person authentication."
    ),
}
