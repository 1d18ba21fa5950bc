"""The product profile: a product's rules and bedside instructions, loaded from TOML and checked.

The engine takes every number from here. A missing or malformed key is a `ProfileError` naming
the key and the file, raised at load time rather than in the middle of a thaw.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import resource

MODES = ("enforce", "attest", "remind")
# Checks of the product, the line and the patient's eligibility: each item ticked on its own
# (domain guide: "checklist, each item attested"), never one press for several.
ITEM_BY_ITEM = ("gates", "thaw", "thaw_complete", "line_checks", "infusion_end")
KINDS = ("hard_stop", "wait", "deviation")

# rule id -> {key: type} the engine relies on, beyond section/sentence/kind.
REQUIRED_RULES: dict[str, dict[str, type | tuple[type, ...]]] = {
    "order": {"kind": str},
    "min_dose": {"value": (int, float), "kind": str},
    "max_lots": {"value": int, "kind": str},
    "bag_count": {"min": int, "max": int, "kind": str},
    "backup_collection": {"value": (int, float), "kind": str},
    "conditioning_window": {"min_hours": (int, float), "max_hours": (int, float),
                            "warn_before_close_hours": (int, float),
                            "kind_early": str, "kind_late": str},
    "storage": {"max_celsius": (int, float), "kind": str},
    "thaw_time": {"max_seconds": int, "warn_seconds": int, "kind": str},
    "infusion_window": {"max_seconds": int, "warn_seconds": int, "kind": str},
    "infusion_time": {"usual_seconds": int},
    "custody_bag": {"kind": str},
    "custody_patient": {"kind": str},
    "interbag_window": {"min_seconds": int, "max_seconds": int, "warn_seconds": int,
                        "kind_early": str, "kind_late": str},
    "one_bag_at_a_time": {"kind": str},
    "line": {"kind": str},
    "sequence": {"kind": str},
    "flush": {"max_ml": (int, float), "kind": str},
    "integrity": {"kind": str},
    "identity": {"min_patient_identifiers": int, "kind": str},
    "expiry": {"kind": str},
}


class ProfileError(ValueError):
    pass


def cite(section: str, sentence: str) -> str:
    return f"Prescribing information §{section}: “{sentence}”"


@dataclass(frozen=True)
class Rule:
    id: str
    section: str
    sentence: str
    params: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    @property
    def citation(self) -> str:
        return cite(self.section, self.sentence)


@dataclass(frozen=True)
class Instruction:
    id: str
    step: str
    mode: str
    text: str
    section: str
    sentence: str
    values: tuple[str, ...] = ()

    @property
    def citation(self) -> str:
        return cite(self.section, self.sentence)


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    generic_name: str
    label_source: str
    manufacturer: str
    manufacturer_phone: str
    manufacturer_when: str
    rules: Mapping[str, Rule]
    instructions: tuple[Instruction, ...]
    path: Path
    # Steps whose attestations are instructions acknowledged with one press (`[acknowledge]`).
    acknowledged_together: tuple[str, ...] = ()
    # The `[fhir]` table as written (how the server codes the product: sync/codes.py reads it
    # from here; the file is read once, by `load_profile`). None: the profile has none.
    fhir: Mapping[str, Any] | None = None
    # The latest a label of this product can expire, counted from the day it is read (`[product]
    # longest_shelf_life_days`): a later printed expiry is a misread (labels.parse). None: no bound.
    longest_shelf_life_days: int | None = None

    def rule(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def instructions_for(self, step: str, mode: str | None = None) -> tuple[Instruction, ...]:
        return tuple(i for i in self.instructions
                     if i.step == step and (mode is None or i.mode == mode))

    def attestations_for(self, step: str) -> tuple[Instruction, ...]:
        return self.instructions_for(step, "attest")

    def acknowledged_as_one(self, step: str) -> bool:
        """The step's attestations are acknowledged together: each shown, one press."""
        return step in self.acknowledged_together

    @property
    def manufacturer_contact(self) -> str:
        return f"{self.manufacturer}, {self.manufacturer_phone}"


def default_profile_path() -> Path:
    return resource("products", "kresladi.toml")


def load_profile(path: Path | str | None = None) -> Profile:
    path = Path(path) if path is not None else default_profile_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read the product profile ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML ({exc})") from exc
    return _parse(data, path)


def _need(table: Mapping[str, Any], key: str, typ: type | tuple[type, ...], where: str,
          path: Path) -> Any:
    if key not in table:
        raise ProfileError(f"{path}: missing key '{where}.{key}'")
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, typ):
        names = typ.__name__ if isinstance(typ, type) else " or ".join(t.__name__ for t in typ)
        raise ProfileError(f"{path}: key '{where}.{key}' must be {names}, got {value!r}")
    if isinstance(value, str) and not value.strip():
        raise ProfileError(f"{path}: key '{where}.{key}' is empty")
    return value


def _parse(data: Mapping[str, Any], path: Path) -> Profile:
    product = _need(data, "product", dict, "", path)
    manufacturer = _need(data, "manufacturer", dict, "", path)
    rules_table = _need(data, "rules", dict, "", path)
    rules: dict[str, Rule] = {}
    for rule_id, fields in REQUIRED_RULES.items():
        where = f"rules.{rule_id}"
        table = _need(rules_table, rule_id, dict, "rules", path)
        for key, typ in fields.items():
            value = _need(table, key, typ, where, path)
            if key.startswith("kind") and value not in KINDS:
                raise ProfileError(f"{path}: key '{where}.{key}' must be one of {KINDS}, "
                                   f"got {value!r}")
        section = _need(table, "section", str, where, path)
        sentence = _need(table, "sentence", str, where, path)
        params = {k: v for k, v in table.items() if k not in ("section", "sentence")}
        rules[rule_id] = Rule(rule_id, section, sentence, params)
    for rule_id, table in rules_table.items():  # optional extra rules still need a citation
        if rule_id not in rules:
            where = f"rules.{rule_id}"
            rules[rule_id] = Rule(rule_id, _need(table, "section", str, where, path),
                                  _need(table, "sentence", str, where, path),
                                  {k: v for k, v in table.items()
                                   if k not in ("section", "sentence")})
    instructions = []
    seen: set[str] = set()
    for n, item in enumerate(_need(data, "instructions", list, "", path)):
        where = f"instructions[{n}]"
        if not isinstance(item, dict):
            raise ProfileError(f"{path}: '{where}' must be a table")
        iid = _need(item, "id", str, where, path)
        if iid in seen:
            raise ProfileError(f"{path}: '{where}.id' repeats the id {iid!r}")
        seen.add(iid)
        mode = _need(item, "mode", str, where, path)
        if mode not in MODES:
            raise ProfileError(f"{path}: key '{where}.mode' must be one of {MODES}, got {mode!r}")
        values = item.get("values", [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ProfileError(f"{path}: key '{where}.values' must be a list of texts")
        instructions.append(Instruction(
            id=iid, step=_need(item, "step", str, where, path), mode=mode,
            text=_need(item, "text", str, where, path),
            section=_need(item, "section", str, where, path),
            sentence=_need(item, "sentence", str, where, path), values=tuple(values)))
    together = _acknowledged_together(data, instructions, path)
    fhir = data.get("fhir")
    if fhir is not None and not isinstance(fhir, dict):
        raise ProfileError(f"{path}: key 'fhir' must be a table")
    return Profile(
        id=_need(product, "id", str, "product", path),
        name=_need(product, "name", str, "product", path),
        generic_name=_need(product, "generic_name", str, "product", path),
        label_source=_need(product, "label_source", str, "product", path),
        manufacturer=_need(manufacturer, "name", str, "manufacturer", path),
        manufacturer_phone=_need(manufacturer, "phone", str, "manufacturer", path),
        manufacturer_when=_need(manufacturer, "when", str, "manufacturer", path),
        rules=rules, instructions=tuple(instructions), path=path,
        acknowledged_together=together, fhir=fhir,
        longest_shelf_life_days=_shelf_life(product, path))


def _shelf_life(product: Mapping[str, Any], path: Path) -> int | None:
    if "longest_shelf_life_days" not in product:
        return None
    days = _need(product, "longest_shelf_life_days", int, "product", path)
    if days <= 0:
        raise ProfileError(f"{path}: key 'product.longest_shelf_life_days' must be positive, "
                           f"got {days}")
    return int(days)


def _acknowledged_together(data: Mapping[str, Any], instructions: list[Instruction],
                           path: Path) -> tuple[str, ...]:
    """`[acknowledge] together`: steps whose attestations are one acknowledgement. Each must
    be a step with attestations; a check of the product or the line (ticked item by item)
    must never be listed, so those steps are refused here."""
    table = data.get("acknowledge", {})
    steps = table.get("together", []) if isinstance(table, dict) else None
    if not isinstance(steps, list) or not all(isinstance(x, str) for x in steps):
        raise ProfileError(f"{path}: key 'acknowledge.together' must be a list of step names")
    attesting = {i.step for i in instructions if i.mode == "attest"}
    for step in steps:
        if step in ITEM_BY_ITEM:
            raise ProfileError(f"{path}: key 'acknowledge.together': {step!r} is a check "
                               "ticked item by item, never acknowledged as one")
        if step not in attesting:
            raise ProfileError(f"{path}: key 'acknowledge.together': {step!r} has no "
                               "attestations")
    return tuple(steps)
