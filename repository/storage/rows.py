"""Rows of the repository database read as the repository's records, and errors as JSON."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Row

from repository.model import (
    ContentDigest,
    DocumentState,
    Registration,
    RegistrationMode,
    RegistrationState,
    StoredDocument,
)
from schemas.errors import RegistryError, Severity


def error_json(error: RegistryError) -> dict[str, Any]:
    return {
        "code": error.code,
        "context": error.context,
        "location": error.location,
        "severity": error.severity.value,
        "value": error.value,
    }


def _error(value: dict[str, Any]) -> RegistryError:
    return RegistryError(
        code=value["code"],
        context=value["context"],
        location=value.get("location"),
        severity=Severity(value["severity"]),
        value=value.get("value"),
    )


def registration_of(row: Row[Any]) -> Registration:
    return Registration(
        id=row.id,
        submission_set_unique_id=row.submission_set_unique_id,
        request=row.request,
        mode=RegistrationMode(row.mode),
        state=RegistrationState(row.state),
        in_doubt=row.in_doubt,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        lease_until=row.lease_until,
        deadline=row.deadline,
        last_error=row.last_error,
        registry_errors=tuple(_error(e) for e in row.registry_errors),
        created_at=row.created_at,
        finished_at=row.finished_at,
    )


def document_of(row: Row[Any]) -> StoredDocument:
    return StoredDocument(
        unique_id=row.unique_id,
        repository_unique_id=row.repository_unique_id,
        storage_key=row.storage_key,
        digest=ContentDigest(size=row.size, sha1=row.sha1, sha256=row.sha256),
        mime_type=row.mime_type,
        state=DocumentState(row.state),
        registration_id=row.registration_id,
        created_at=row.created_at,
        purged=row.purged_at is not None,
    )
