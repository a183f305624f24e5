"""Rows of the repository database read as the repository's records, and errors as JSON."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Row

from repository.model import (
    AccessMetadata,
    ContentDigest,
    DocumentState,
    Registration,
    RegistrationMode,
    RegistrationState,
    Sender,
    Sha256Checkpoints,
    StoredDocument,
)
from schemas.errors import RegistryError, Severity
from schemas.model import Code, Cx, Timestamp, Xon


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
        sender=Sender(organisations=tuple(row.on_behalf_of or ()), request_id=row.request_id),
    )


def document_of(row: Row[Any]) -> StoredDocument:
    return StoredDocument(
        unique_id=row.unique_id,
        repository_unique_id=row.repository_unique_id,
        storage_key=row.storage_key,
        digest=ContentDigest(
            size=row.size, sha1=row.sha1, sha256=row.sha256, checkpoints=_checkpoints(row)
        ),
        mime_type=row.mime_type,
        state=DocumentState(row.state),
        registration_id=row.registration_id,
        created_at=row.created_at,
        purged=row.purged_at is not None,
        metadata=_metadata(row),
    )


def checkpoint_columns(digest: ContentDigest) -> dict[str, Any]:
    """The document row's SHA-256 checkpoint columns."""
    checkpoints = digest.checkpoints
    return {
        "checkpoint_interval": checkpoints.interval if checkpoints else None,
        "sha256_checkpoints": checkpoints.digests if checkpoints else None,
    }


def _checkpoints(row: Row[Any]) -> Sha256Checkpoints | None:
    if row.checkpoint_interval is None or row.sha256_checkpoints is None:
        return None
    digests = bytes(row.sha256_checkpoints)
    return Sha256Checkpoints(interval=row.checkpoint_interval, digests=digests)


def metadata_columns(metadata: AccessMetadata) -> dict[str, Any]:
    """The document row's access-control columns."""
    class_code = metadata.class_code
    return {
        "patient_id": metadata.patient_id.render() if metadata.patient_id else None,
        "class_code": class_code.code if class_code else None,
        "class_code_scheme": class_code.scheme if class_code else None,
        "confidentiality_codes": [[c.code, c.scheme] for c in metadata.confidentiality_codes],
        "creation_time": _time_text(metadata.creation_time),
        "service_start_time": _time_text(metadata.service_start_time),
        "author_institutions": [xon.render() for xon in metadata.author_institutions],
    }


def _metadata(row: Row[Any]) -> AccessMetadata:
    class_code = row.class_code
    return AccessMetadata(
        patient_id=Cx.parse(row.patient_id) if row.patient_id else None,
        class_code=Code(class_code, row.class_code_scheme or "") if class_code else None,
        confidentiality_codes=tuple(Code(c, s) for c, s in row.confidentiality_codes or ()),
        creation_time=Timestamp(row.creation_time) if row.creation_time else None,
        service_start_time=Timestamp(row.service_start_time) if row.service_start_time else None,
        author_institutions=tuple(Xon.parse(text) for text in row.author_institutions or ()),
    )


def _time_text(moment: Timestamp | None) -> str | None:
    return moment.value if moment is not None else None
