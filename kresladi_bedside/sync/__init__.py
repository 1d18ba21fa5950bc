"""Later sync: deliver every finished procedure to the hospital's FHIR R4 server, exactly once.

Pure Python (no Qt). `run_pass` is the whole job; `outbox.summary` answers "what is waiting".
See schema.py for how delivery is tracked, transport.py for what each HTTP answer means,
identifiers.py for the identifiers that make a repeat delivery create nothing new.

The names below are loaded on first use (PEP 562): opening the store imports `sync.schema` for
its migration, and that must not pull in fhir.resources and pydantic (0.35 s) before the
window's first paint or in commands that never send anything.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bundle import (
        MappingError,
        NoPatient,
        NotFinished,
        ProcedureRecord,
        procedure_bundle,
        procedure_record,
    )
    from .deliver import PassReport, RetryPolicy, SyncNotConfigured, SyncSettings, run_pass
    from .identifiers import SiteIds
    from .outbox import OutboxSummary, Parked, ensure_schema, summary, unpark
    from .transport import Answer, FhirClient, TransportConfigError

_WHERE: dict[str, str] = {
    "MappingError": "bundle", "NoPatient": "bundle", "NotFinished": "bundle",
    "ProcedureRecord": "bundle", "SiteIds": "identifiers", "procedure_bundle": "bundle",
    "procedure_record": "bundle",
    "PassReport": "deliver", "RetryPolicy": "deliver", "SyncNotConfigured": "deliver",
    "SyncSettings": "deliver", "run_pass": "deliver",
    "OutboxSummary": "outbox", "Parked": "outbox", "ensure_schema": "outbox",
    "summary": "outbox", "unpark": "outbox",
    "Answer": "transport", "FhirClient": "transport", "TransportConfigError": "transport",
}

__all__ = [
    "Answer", "FhirClient", "MappingError", "NoPatient", "NotFinished", "OutboxSummary",
    "Parked", "PassReport", "ProcedureRecord", "RetryPolicy", "SiteIds", "SyncNotConfigured",
    "SyncSettings", "TransportConfigError", "ensure_schema", "procedure_bundle",
    "procedure_record", "run_pass", "summary", "unpark",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
