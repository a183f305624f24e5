"""The tamper-evident audit at the data-controlling source (docs/audit.md).

What a service calls at its HTTP edge, before the response leaves:

    audit.writer.write(access_event(transaction=..., access=context_or_failure,
                                    outcome=outcome_of(decision), decision=decision,
                                    patient=patient, documents=touched(entries)))

The pieces with heavier imports are taken from their modules: `audit.service` (ServiceAudit,
init_audit), `audit.storage.tables` (add_audit_tables), `audit.views` (audit_blueprint, Flask),
`audit.delivery.tasks` (declare_audit_tasks, delivery_notifier, Celery), `audit.cli`.
"""

from trustframework.audit.chain import ChainBreak, ChainHead, Verification
from trustframework.audit.events import (
    access_event,
    caller_of,
    data_controller_of,
    outcome_of,
    patient_ref,
    touched,
)
from trustframework.audit.record import (
    AccessDecision,
    AuditEntry,
    AuditEvent,
    AuditRecord,
    Caller,
    CareContext,
    ChainLink,
    Code,
    Outcome,
    Party,
    PatientRef,
    Practitioner,
    Result,
    SealedAttest,
    TouchedDocument,
)
from trustframework.audit.sealing import AuditKey, AuditKeyError, AuditKeyring
from trustframework.audit.settings import AuditSettings, ensure_embedded_key
from trustframework.audit.store import AuditStore, RecordFilter, verify_store
from trustframework.audit.writer import AuditWriteFailed, AuditWriter

__all__ = [
    "AccessDecision",
    "AuditEntry",
    "AuditEvent",
    "AuditKey",
    "AuditKeyError",
    "AuditKeyring",
    "AuditRecord",
    "AuditSettings",
    "AuditStore",
    "AuditWriteFailed",
    "AuditWriter",
    "Caller",
    "CareContext",
    "ChainBreak",
    "ChainHead",
    "ChainLink",
    "Code",
    "Outcome",
    "Party",
    "PatientRef",
    "Practitioner",
    "RecordFilter",
    "Result",
    "SealedAttest",
    "TouchedDocument",
    "Verification",
    "access_event",
    "caller_of",
    "data_controller_of",
    "ensure_embedded_key",
    "outcome_of",
    "patient_ref",
    "touched",
    "verify_store",
]
