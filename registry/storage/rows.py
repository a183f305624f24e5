"""Domain objects to table rows and table rows to `RegistryEntry` values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row

from registry.entries import ObjectKind, RegistryEntry
from registry.storage.access_facts import stored_access_facts
from schemas.model import (
    Association,
    Author,
    AvailabilityStatus,
    Code,
    Cx,
    DocumentEntry,
    Folder,
    SubmissionSet,
    Timestamp,
)

ColumnValues = dict[str, Any]

_STATUS_BY_NAME = {status.short_name: status for status in AvailabilityStatus}


def status_name(status: AvailabilityStatus | None) -> str:
    """The stored form of an availability status (`Approved`); new objects are Approved."""
    return (status or AvailabilityStatus.APPROVED).short_name


def status_of(name: str) -> AvailabilityStatus:
    return _STATUS_BY_NAME[name]


def status_names(statuses: Iterable[AvailabilityStatus]) -> list[str]:
    return sorted({s.short_name for s in statuses})


def _patient(patient_id: Cx | None) -> str:
    if patient_id is None:
        raise ValueError("a stored object needs a patient id")
    return patient_id.render()


def _padded(time: Timestamp | None) -> str | None:
    return None if time is None else time.padded


def _code(prefix: str, code: Code | None) -> ColumnValues:
    return {
        f"{prefix}_code": None if code is None else code.code,
        f"{prefix}_scheme": None if code is None else code.scheme,
    }


def _timestamp(padded: str | None) -> Timestamp | None:
    return None if padded is None else Timestamp(padded)


def _version(version: str | None) -> int:
    return 1 if version is None else int(version)


def code_rows(codes: Iterable[Code]) -> list[ColumnValues]:
    """One row per distinct (code, scheme)."""
    return [{"code": c, "scheme": s} for c, s in sorted({(c.code, c.scheme) for c in codes})]


def author_person_rows(authors: Iterable[Author]) -> list[ColumnValues]:
    persons = {a.person.render() for a in authors if a.person is not None}
    return [{"author_person": p} for p in sorted(persons)]


def reference_id_rows(reference_ids: Iterable[Cx]) -> list[ColumnValues]:
    return [{"reference_id": r} for r in sorted({cx.render() for cx in reference_ids})]


def document_entry_row(entry: DocumentEntry) -> ColumnValues:
    return {
        "entry_uuid": entry.entry_uuid,
        "logical_id": entry.logical_id or entry.entry_uuid,
        "version": _version(entry.version),
        "unique_id": entry.unique_id,
        "patient_id": _patient(entry.patient_id),
        "status": status_name(entry.status),
        "object_type": entry.entry_type.value,
        **_code("class", entry.class_code),
        **_code("type", entry.type_code),
        **_code("format", entry.format_code),
        **_code("healthcare_facility_type", entry.healthcare_facility_type_code),
        **_code("practice_setting", entry.practice_setting_code),
        "creation_time": _padded(entry.creation_time),
        "service_start_time": _padded(entry.service_start_time),
        "service_stop_time": _padded(entry.service_stop_time),
        "repository_unique_id": entry.repository_unique_id,
        "hash": None if entry.hash is None else entry.hash.lower(),
        "size": entry.size,
        "mime_type": entry.mime_type,
        "access_facts": stored_access_facts(entry),
    }


def submission_set_row(submission_set: SubmissionSet) -> ColumnValues:
    return {
        "entry_uuid": submission_set.entry_uuid,
        "unique_id": submission_set.unique_id,
        "patient_id": _patient(submission_set.patient_id),
        "status": status_name(submission_set.status),
        "source_id": submission_set.source_id,
        "submission_time": _padded(submission_set.submission_time),
        **_code("content_type", submission_set.content_type_code),
    }


def folder_row(folder: Folder) -> ColumnValues:
    return {
        "entry_uuid": folder.entry_uuid,
        "logical_id": folder.logical_id or folder.entry_uuid,
        "version": _version(folder.version),
        "unique_id": folder.unique_id,
        "patient_id": _patient(folder.patient_id),
        "status": status_name(folder.status),
        "last_update_time": _padded(folder.last_update_time),
    }


def association_row(association: Association) -> ColumnValues:
    return {
        "entry_uuid": association.entry_uuid,
        "association_type": association.association_type,
        "source_uuid": association.source,
        "target_uuid": association.target,
        "status": status_name(association.status),
    }


def document_entry_of(row: Row[Any]) -> RegistryEntry:
    values = row._mapping
    return RegistryEntry(
        entry_uuid=values["entry_uuid"],
        kind=ObjectKind.DOCUMENT_ENTRY,
        status=status_of(values["status"]),
        patient_id=values["patient_id"],
        unique_id=values["unique_id"],
        logical_id=values["logical_id"],
        version=values["version"],
        object_type=values["object_type"],
        hash=values["hash"],
        size=values["size"],
        repository_unique_id=values["repository_unique_id"],
    )


def submission_set_of(row: Row[Any]) -> RegistryEntry:
    values = row._mapping
    return RegistryEntry(
        entry_uuid=values["entry_uuid"],
        kind=ObjectKind.SUBMISSION_SET,
        status=status_of(values["status"]),
        patient_id=values["patient_id"],
        unique_id=values["unique_id"],
    )


def folder_of(row: Row[Any]) -> RegistryEntry:
    values = row._mapping
    return RegistryEntry(
        entry_uuid=values["entry_uuid"],
        kind=ObjectKind.FOLDER,
        status=status_of(values["status"]),
        patient_id=values["patient_id"],
        unique_id=values["unique_id"],
        logical_id=values["logical_id"],
        version=values["version"],
        last_update_time=_timestamp(values["last_update_time"]),
    )


def association_of(row: Row[Any]) -> RegistryEntry:
    values = row._mapping
    return RegistryEntry(
        entry_uuid=values["entry_uuid"],
        kind=ObjectKind.ASSOCIATION,
        status=status_of(values["status"]),
        association_type=values["association_type"],
        source=values["source_uuid"],
        target=values["target_uuid"],
    )
