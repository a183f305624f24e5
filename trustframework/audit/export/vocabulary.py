"""The codes both export formats use: event types per transaction, roles, code systems.

Event IDs and action codes per IHE ITI TF-2 (the ATNA audit message of each transaction, as
recorded by the Document Registry or Repository); code systems as FHIR R4 and IHE BALP name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from trustframework import codes
from trustframework.policy import Transaction

DCM: Final = "http://dicom.nema.org/resources/ontology/DCM"
IHE_EVENT_TYPE: Final = "urn:ihe:event-type-code"
IHE_TRANSACTIONS: Final = "IHE Transactions"  # ATNA codeSystemName of EventTypeCode
RFC_3881: Final = "RFC-3881"
AUDIT_ENTITY_TYPE: Final = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
OBJECT_ROLE: Final = "http://terminology.hl7.org/CodeSystem/object-role"
PARTICIPATION_TYPE: Final = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
ROLE_CLASS: Final = "http://terminology.hl7.org/CodeSystem/v3-RoleClass"
PROVENANCE_PARTICIPANT: Final = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
SECURITY_SOURCE_TYPE: Final = "http://terminology.hl7.org/CodeSystem/security-source-type"
BALP_USER_AGENT_TYPES: Final = "https://profiles.ihe.net/ITI/BALP/CodeSystem/UserAgentTypes"
BALP_OTHER_ID: Final = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/ihe-otherId"
BALP_NORWAY_ID_TYPES: Final = "https://profiles.ihe.net/ITI/BALP/CodeSystem/NorwayIdentifierTypes"
NHN_DECISION_REF: Final = "urn:nhn:trust-framework:1.0:ext:care-relationship:decision-ref"
CHAIN_EXTENSION: Final = "urn:dokdeling:fhir:StructureDefinition:audit-chain"
POLICY_PREFIX: Final = "urn:dokdeling:audit:"
JTI_PREFIX: Final = "urn:ietf:params:oauth:jti:"
REPOSITORY_DETAIL: Final = "Repository Unique Id"


@dataclass(frozen=True, slots=True)
class EventType:
    event_id: str
    event_name: str
    action: str
    """C create, R read, U update, D delete, E execute."""
    title: str | None
    """The IHE transaction's name (None: not an IHE transaction)."""


EVENT_TYPES: Final[dict[Transaction, EventType]] = {
    Transaction.STORED_QUERY: EventType("110112", "Query", "E", "Registry Stored Query"),
    Transaction.PROVIDE_AND_REGISTER: EventType(
        "110107", "Import", "C", "Provide and Register Document Set-b"
    ),
    Transaction.REGISTER: EventType("110107", "Import", "C", "Register Document Set-b"),
    Transaction.RETRIEVE: EventType("110106", "Export", "R", "Retrieve Document Set"),
    Transaction.UPDATE: EventType("110110", "Patient Record", "U", "Update Document Set"),
    Transaction.DELETE_DOCUMENT_SET: EventType(
        "110110", "Patient Record", "D", "Delete Document Set"
    ),
    Transaction.REMOVE_DOCUMENTS: EventType("110110", "Patient Record", "D", "Remove Documents"),
    Transaction.AUDIT_VIEW: EventType("110101", "Audit Log Used", "R", None),
    Transaction.CITIZEN_ACCESS_LOG: EventType("110101", "Audit Log Used", "R", None),
    Transaction.ADMIN: EventType("110100", "Application Activity", "E", None),
}

WRITES: Final = frozenset(
    {
        Transaction.PROVIDE_AND_REGISTER,
        Transaction.REGISTER,
        Transaction.UPDATE,
        Transaction.DELETE_DOCUMENT_SET,
        Transaction.REMOVE_DOCUMENTS,
    }
)


def urn_oid(oid_or_urn: str) -> str:
    return codes.urn_of(oid_or_urn) if oid_or_urn[:1].isdigit() else oid_or_urn
