"""Later sync: deliver every finished procedure to the hospital's FHIR R4 server, exactly once.

Pure Python (no Qt). `run_pass` is the whole job; `outbox.summary` answers "what is waiting".
See schema.py for how delivery is tracked, transport.py for what each HTTP answer means,
identifiers.py for the identifiers that make a repeat delivery create nothing new.
"""

from .bundle import (
    MappingError,
    NoPatient,
    NotFinished,
    ProcedureRecord,
    SiteIds,
    procedure_bundle,
    procedure_record,
)
from .deliver import PassReport, RetryPolicy, SyncNotConfigured, SyncSettings, run_pass
from .outbox import OutboxSummary, Parked, ensure_schema, summary, unpark
from .transport import Answer, FhirClient, TransportConfigError

__all__ = [
    "Answer", "FhirClient", "MappingError", "NoPatient", "NotFinished", "OutboxSummary",
    "Parked", "PassReport", "ProcedureRecord", "RetryPolicy", "SiteIds", "SyncNotConfigured",
    "SyncSettings", "TransportConfigError", "ensure_schema", "procedure_bundle",
    "procedure_record", "run_pass", "summary", "unpark",
]
