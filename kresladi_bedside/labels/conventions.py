"""How a label's KIND is told from its payload: the conventions this program reads by default.

ISBT 128 has no "this is a cassette" data structure, but every 2-D compound message names its
registered layout (`=+nnsss`, the `sss`), and a manufacturer registers one layout per label:
the layout number says bag, cassette or shipper. A label without a known layout is a shipper if it
carries a product consignment (`=$`, DS 028), a bag if it carries a DIN, otherwise unknown.

GS1 product labels name their container type in a company-internal AI (default (91), value BAG,
CASSETTE or SHIPPER), or by GTIN when a site maps GTINs. (8018) is a patient wristband and (8017)
a staff badge.

All of these are data: a site or a second product passes its own `LabelConventions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .model import LabelKind


def _frozen(d: dict[str, LabelKind]) -> Mapping[str, LabelKind]:
    return MappingProxyType(d)


@dataclass(frozen=True)
class LabelConventions:
    isbt_layouts: Mapping[str, LabelKind] = field(default_factory=lambda: _frozen(
        {"101": "bag", "102": "cassette", "103": "shipper"}))
    gs1_kind_ai: str = "91"
    gs1_kind_values: Mapping[str, LabelKind] = field(default_factory=lambda: _frozen(
        {"BAG": "bag", "CASSETTE": "cassette", "SHIPPER": "shipper"}))
    gs1_gtin_kinds: Mapping[str, LabelKind] = field(default_factory=lambda: _frozen({}))


DEFAULT_CONVENTIONS = LabelConventions()


def isbt_kind(layout: str | None, identifiers: Mapping[str, str],
              conventions: LabelConventions = DEFAULT_CONVENTIONS) -> LabelKind:
    if layout is not None and layout in conventions.isbt_layouts:
        return conventions.isbt_layouts[layout]
    if "consignment" in identifiers:
        return "shipper"
    if "din" in identifiers:
        return "bag"
    return "unknown"


def gs1_kind(values: Mapping[str, str],
             conventions: LabelConventions = DEFAULT_CONVENTIONS) -> LabelKind:
    if "8018" in values:
        return "wristband"
    if "8017" in values:
        return "badge"
    marker = values.get(conventions.gs1_kind_ai)
    if marker is not None and marker.upper() in conventions.gs1_kind_values:
        return conventions.gs1_kind_values[marker.upper()]
    gtin = values.get("01")
    if gtin is not None and gtin in conventions.gs1_gtin_kinds:
        return conventions.gs1_gtin_kinds[gtin]
    return "unknown"
