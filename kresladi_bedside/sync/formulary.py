"""The product's RxNorm code, only as the hospital's own server holds it.

KRESLADI has no RxNorm concept in the profile (none was published when it was written, and a code
is never guessed). A hospital that has one files it on its formulary `Medication` for the product;
each sync pass asks its server once, once the server has answered the pass's first patient search
(`Medication?code:text=<product>`) and, when the server holds
exactly one RxNorm code for the product, every administration of the pass carries it beside the
profile's codes. No answer, no Medication, or two different RxNorm codes for the product: the
administrations go as before (text and the codes the profile and the labels give), never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from .codes import RXNORM_SYSTEM
from .transport import FhirClient

Codings = tuple[tuple[str, str, str], ...]


def rxnorm_on_server(client: FhirClient, product: str) -> tuple[str, str, str] | None:
    """(system, code, display) of the one RxNorm code the server's Medication(s) for `product`
    carry, or None (not found, not asked, or not one)."""
    found = client.search(f"Medication?code:text={quote(product, safe='')}&_count=20")
    if found.failure is not None:
        return None
    codes: dict[str, str] = {}
    for r in found.resources:
        if r.get("resourceType") != "Medication":
            continue
        concept = r.get("code") or {}
        texts = [concept.get("text") or ""] + [c.get("display") or ""
                                                for c in concept.get("coding") or ()]
        if not any(product.casefold() in t.casefold() for t in texts):
            continue  # a server's text search may be looser than ours
        for c in concept.get("coding") or ():
            if c.get("system") == RXNORM_SYSTEM and c.get("code"):
                codes[str(c["code"])] = str(c.get("display") or "")
    if len(codes) != 1:
        return None
    code, display = next(iter(codes.items()))
    return RXNORM_SYSTEM, code, display


@dataclass
class ServerCodes:
    """The pass's answer, asked once (`ask`), then the same for every procedure of the pass."""

    product: str
    codings: Codings = ()
    asked: bool = False

    def ask(self, client: FhirClient) -> Codings:
        if not self.asked:
            self.asked = True
            found = rxnorm_on_server(client, self.product)
            self.codings = (found,) if found else ()
        return self.codings
