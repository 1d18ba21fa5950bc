"""Later sync: deliver every finished procedure to the hospital's FHIR R4 server, exactly once.

Pure Python (no Qt). `run_pass` is the whole job; `outbox.summary` answers "what is waiting".
See schema.py for how delivery is tracked, transport.py for what each HTTP answer means,
identifiers.py for the identifiers that make a repeat delivery create nothing new.

The names below are loaded on first use (PEP 562): opening the store imports `sync.schema` for
its migration, and that must not pull in fhir.resources and pydantic (0.35 s) before the
window's first paint or in commands that never send anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .bundle import (
        MappingError,
        NoPatient,
        NotFinished,
        ProcedureRecord,
        procedure_bundle,
        procedure_record,
    )
    from .codes import ProductCodes, product_codes
    from .custody import ISBT128_DIN_SYSTEM, CustodyUnknown, Who
    from .deliver import PassReport, RetryPolicy, SyncNotConfigured, SyncSettings, run_pass
    from .ehr import (
        EhrClient,
        EhrError,
        client_for,
        import_from_ehr,
        lookup,
        mark_dispensed,
        received_products,
        send_receipt,
    )
    from .ehr_gates import GateReader, GateValues, reader_for
    from .handover import HandoverError, TakenOver, published_open, take_over_procedure
    from .identifiers import SiteIds
    from .open_custody import (
        CustodyFence,
        LastKnown,
        OpenDecision,
        Reconciled,
        claim_for_opening,
        custody_fence,
        offline_opening_args,
        read_custody,
        receipt_of,
        reconcile,
        unknown_decision,
    )
    from .outbox import OutboxSummary, Parked, ensure_schema, summary, unpark
    from .prethaw import PrethawResult, check_before_thaw
    from .receipt_file import import_receipt_file
    from .status import SyncStatus
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
    # what the Qt layer uses (the import contract "Qt uses sync and receipt through their
    # packages"): the EHR reads and writes of receipt, the pre-thaw search, the status line
    "EhrClient": "ehr", "EhrError": "ehr", "client_for": "ehr", "import_from_ehr": "ehr",
    "lookup": "ehr", "mark_dispensed": "ehr", "received_products": "ehr",
    "send_receipt": "ehr", "ProductCodes": "codes", "product_codes": "codes",
    "PrethawResult": "prethaw", "check_before_thaw": "prethaw", "SyncStatus": "status",
    "import_receipt_file": "receipt_file",
    # the gates' values read from the EHR (conditioning, back-up collection)
    "GateReader": "ehr_gates", "GateValues": "ehr_gates", "reader_for": "ehr_gates",
    # custody on the server (issue 24): the open button, the product list, the fence
    "ISBT128_DIN_SYSTEM": "custody", "CustodyUnknown": "custody", "Who": "custody",
    "LastKnown": "open_custody", "claim_for_opening": "open_custody",
    "custody_fence": "open_custody", "read_custody": "open_custody",
    "CustodyFence": "open_custody", "OpenDecision": "open_custody", "Reconciled": "open_custody",
    "offline_opening_args": "open_custody", "reconcile": "open_custody",
    "unknown_decision": "open_custody", "receipt_of": "open_custody",
    # taking over an interrupted procedure (sync/handover.py)
    "HandoverError": "handover", "TakenOver": "handover", "published_open": "handover",
    "take_over_procedure": "handover",
}

__all__ = [
    "ISBT128_DIN_SYSTEM",
    "Answer",
    "CustodyFence",
    "CustodyUnknown",
    "EhrClient",
    "EhrError",
    "FhirClient",
    "GateReader",
    "GateValues",
    "HandoverError",
    "LastKnown",
    "MappingError",
    "NoPatient",
    "NotFinished",
    "OpenDecision",
    "OutboxSummary",
    "Parked",
    "PassReport",
    "PrethawResult",
    "ProcedureRecord",
    "ProductCodes",
    "Reconciled",
    "RetryPolicy",
    "SiteIds",
    "SyncNotConfigured",
    "SyncSettings",
    "SyncStatus",
    "TakenOver",
    "TransportConfigError",
    "Who",
    "check_before_thaw",
    "claim_for_opening",
    "client_for",
    "custody_fence",
    "ensure_schema",
    "import_from_ehr",
    "import_receipt_file",
    "lookup",
    "mark_dispensed",
    "offline_opening_args",
    "procedure_bundle",
    "procedure_record",
    "product_codes",
    "published_open",
    "read_custody",
    "reader_for",
    "receipt_of",
    "received_products",
    "reconcile",
    "run_pass",
    "send_receipt",
    "summary",
    "take_over_procedure",
    "unknown_decision",
    "unpark",
]


__getattr__ = lazy_names(__name__, _WHERE, globals())
