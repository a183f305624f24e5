"""How records read on the auditor's pages and in the citizen's access log (Norwegian labels)."""

from __future__ import annotations

from typing import Any, Final

from trustframework.audit.chain import canonical_time
from trustframework.audit.record import AccessDecision, AuditEntry, Code, Party, Result
from trustframework.policy import Transaction

TRANSACTION_LABELS: Final[dict[Transaction, str]] = {
    Transaction.STORED_QUERY: "Søk i dokumentlisten",
    Transaction.RETRIEVE: "Dokument hentet",
    Transaction.PROVIDE_AND_REGISTER: "Dokument levert",
    Transaction.REGISTER: "Dokument registrert",
    Transaction.UPDATE: "Metadata endret",
    Transaction.DELETE_DOCUMENT_SET: "Metadata slettet",
    Transaction.REMOVE_DOCUMENTS: "Dokument fjernet",
    Transaction.AUDIT_VIEW: "Innsyn i revisjonsloggen",
    Transaction.CITIZEN_ACCESS_LOG: "Innbyggers innsynslogg",
    Transaction.ADMIN: "Administrasjon",
}


def transaction_label(entry: AuditEntry) -> str:
    label = TRANSACTION_LABELS[entry.transaction]
    return (
        f"{label} ({entry.transaction.value})" if entry.transaction.value[:4] == "ITI-" else label
    )


def outcome_label(entry: AuditEntry) -> str:
    outcome = entry.outcome
    if outcome.decision is AccessDecision.DENY:
        return f"Avvist: {outcome.rule}"
    if outcome.result is Result.FAILURE:
        return f"Feilet: {outcome.error}"
    return "Tillatt"


def party_label(party: Party | None) -> str:
    if party is None:
        return ""
    return f"{party.name} ({party.id})" if party.name else party.id


def code_label(code: Code | None) -> str:
    if code is None:
        return ""
    return f"{code.text} ({code.code})" if code.text else code.code


def _party(party: Party | None) -> dict[str, Any] | None:
    return None if party is None else {"id": party.id, "name": party.name}


def _code(code: Code | None) -> dict[str, Any] | None:
    return None if code is None else {"code": code.code, "text": code.text}


def citizen_entry(entry: AuditEntry) -> dict[str, Any]:
    """One line of a citizen's access log: who (name, HPR number, authorization), where,
    when and why. Never a national id: the practitioner's is sealed and stays sealed."""
    p, care = entry.practitioner, entry.care
    return {
        "time": canonical_time(entry.recorded_at),
        "transaction": entry.transaction.value,
        "description": TRANSACTION_LABELS[entry.transaction],
        "practitioner": None
        if p is None
        else {"name": p.name, "hpr_number": p.hpr_number, "authorization": _code(p.authorization)},
        "organisation": _party(care.legal_entity if care else None),
        "point_of_care": _party(care.point_of_care if care else None),
        "department": _party(care.department if care else None),
        "purpose": _code(care.purpose_of_use if care else None),
        "purpose_details": _code(care.purpose_of_use_details if care else None),
        "healthcare_service": _code(care.healthcare_service if care else None),
        "break_the_glass": entry.break_the_glass,
        "documents": list(entry.document_ids),
        "data_controller": _party(entry.data_controller),
    }
