"""An audit entry as flat, named fields: the stored columns and what the chain hashes.

The one place that says how an `AuditEntry` becomes a row and back. `entry_from_fields` builds a
nested value (practitioner, care context, party, code) only when one of its fields is present, so
an entry read back hashes exactly as it did when written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from trustframework.audit.record import (
    AccessDecision,
    AuditEntry,
    CareContext,
    Code,
    Outcome,
    Party,
    PatientRef,
    Practitioner,
    Result,
    SealedAttest,
)
from trustframework.policy import Transaction

_PARTIES = ("legal_entity", "point_of_care", "department")
_CARE_CODES = ("healthcare_service", "purpose_of_use", "purpose_of_use_details")

ENTRY_FIELDS: tuple[str, ...] = (
    "record_id",
    "recorded_at",
    "transaction",
    "decision",
    "result",
    "rule",
    "error",
    "request_id",
    "client_id",
    "organisation",
    "token_id",
    "legal_basis",
    "access_basis",
    "nors_revealed",
    "practitioner_hpr",
    "practitioner_name",
    *(f"authorization_{part}" for part in ("code", "system", "text")),
    *(f"{party}_{part}" for party in _PARTIES for part in ("id", "name")),
    *(f"{code}_{part}" for code in _CARE_CODES for part in ("code", "system", "text")),
    "decision_id",
    "decision_user_selected",
    "patient_id",
    "patient_authority",
    "document_ids",
    "repository_id",
    "data_controller_id",
    "data_controller_name",
    "key_id",
    "nonce",
    "ciphertext",
)


def _code_fields(prefix: str, code: Code | None) -> dict[str, Any]:
    return {
        f"{prefix}_code": code.code if code else None,
        f"{prefix}_system": code.system if code else None,
        f"{prefix}_text": code.text if code else None,
    }


def _party_fields(prefix: str, party: Party | None) -> dict[str, Any]:
    return {
        f"{prefix}_id": party.id if party else None,
        f"{prefix}_name": party.name if party else None,
    }


def _care_fields(care: CareContext | None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in _PARTIES:
        fields |= _party_fields(name, getattr(care, name) if care else None)
    for name in _CARE_CODES:
        fields |= _code_fields(name, getattr(care, name) if care else None)
    fields["decision_id"] = care.decision_id if care else None
    fields["decision_user_selected"] = care.decision_user_selected if care else None
    return fields


def entry_fields(entry: AuditEntry) -> dict[str, Any]:
    """The stored fields of `entry`, named as the columns (`ENTRY_FIELDS`)."""
    p, patient, sealed = entry.practitioner, entry.patient, entry.sealed
    return {
        "record_id": entry.record_id,
        "recorded_at": entry.recorded_at,
        "transaction": str(entry.transaction),
        "decision": str(entry.outcome.decision),
        "result": str(entry.outcome.result),
        "rule": entry.outcome.rule,
        "error": entry.outcome.error,
        "request_id": entry.request_id,
        "client_id": entry.client_id,
        "organisation": entry.organisation,
        "token_id": entry.token_id,
        "legal_basis": entry.legal_basis,
        "access_basis": entry.access_basis,
        "nors_revealed": entry.nors_revealed,
        "practitioner_hpr": p.hpr_number if p else None,
        "practitioner_name": p.name if p else None,
        **_code_fields("authorization", p.authorization if p else None),
        **_care_fields(entry.care),
        "patient_id": patient.id if patient else None,
        "patient_authority": patient.authority if patient else None,
        "document_ids": json.dumps(list(entry.document_ids), separators=(",", ":")),
        "repository_id": entry.repository_id,
        **_party_fields("data_controller", entry.data_controller),
        "key_id": sealed.key_id,
        "nonce": sealed.nonce,
        "ciphertext": sealed.ciphertext,
    }


def _code(row: Mapping[str, Any], prefix: str) -> Code | None:
    code, system = row[f"{prefix}_code"], row[f"{prefix}_system"]
    if code is None or system is None:
        return None
    return Code(code=code, system=system, text=row[f"{prefix}_text"])


def _party(row: Mapping[str, Any], prefix: str) -> Party | None:
    ident = row[f"{prefix}_id"]
    return None if ident is None else Party(id=ident, name=row[f"{prefix}_name"])


def _practitioner(row: Mapping[str, Any]) -> Practitioner | None:
    value = Practitioner(
        hpr_number=row["practitioner_hpr"],
        name=row["practitioner_name"],
        authorization=_code(row, "authorization"),
    )
    return None if value == Practitioner() else value


def _care(row: Mapping[str, Any]) -> CareContext | None:
    value = CareContext(
        legal_entity=_party(row, "legal_entity"),
        point_of_care=_party(row, "point_of_care"),
        department=_party(row, "department"),
        healthcare_service=_code(row, "healthcare_service"),
        purpose_of_use=_code(row, "purpose_of_use"),
        purpose_of_use_details=_code(row, "purpose_of_use_details"),
        decision_id=row["decision_id"],
        decision_user_selected=row["decision_user_selected"],
    )
    return None if value == CareContext() else value


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def entry_from_fields(row: Mapping[str, Any]) -> AuditEntry:
    """The entry a stored row (or exported field mapping) holds."""
    patient = None
    if row["patient_id"] is not None:
        patient = PatientRef(id=row["patient_id"], authority=row["patient_authority"] or "")
    outcome = Outcome(
        decision=AccessDecision(row["decision"]),
        result=Result(row["result"]),
        rule=row["rule"],
        error=row["error"],
    )
    return AuditEntry(
        record_id=row["record_id"],
        recorded_at=_utc(row["recorded_at"]),
        transaction=Transaction(row["transaction"]),
        outcome=outcome,
        request_id=row["request_id"],
        client_id=row["client_id"],
        organisation=row["organisation"],
        token_id=row["token_id"],
        legal_basis=row["legal_basis"],
        access_basis=row["access_basis"],
        nors_revealed=row["nors_revealed"],
        practitioner=_practitioner(row),
        care=_care(row),
        patient=patient,
        document_ids=tuple(json.loads(row["document_ids"])),
        repository_id=row["repository_id"],
        data_controller=_party(row, "data_controller"),
        sealed=SealedAttest(
            key_id=row["key_id"], nonce=bytes(row["nonce"]), ciphertext=bytes(row["ciphertext"])
        ),
    )
