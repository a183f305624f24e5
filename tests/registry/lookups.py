"""Reading the registry back in tests: typed queries and the stored objects they return."""

from __future__ import annotations

from collections import Counter

import pytest

from registry.codec import EbrimObjectCodec
from registry.entries import ObjectKind, StoredObject
from registry.interfaces import RegistryQueries
from registry.services import RegistryOptions, run_stored_query
from schemas.errors import XdsFailure
from schemas.model import (
    Association,
    AvailabilityStatus,
    Cx,
    DocumentEntry,
    Folder,
    RegistryObjectBase,
)
from schemas.queries import (
    DocumentEntryFilter,
    FindDocumentsQuery,
    GetDocumentsQuery,
    GetFolderAndContentsQuery,
    GetSubmissionSetAndContentsQuery,
    IdentifierKind,
    ObjectSelector,
    StoredQuery,
)

ALL_STATUSES = (AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED)
CODEC = EbrimObjectCodec()


def error_codes(failure: pytest.ExceptionInfo[XdsFailure]) -> list[str]:
    return [error.code for error in failure.value.errors]


def parsed(found: StoredObject) -> RegistryObjectBase:
    return CODEC.parse(found.xml)


def association(found: StoredObject) -> Association:
    stored = parsed(found)
    assert isinstance(stored, Association)
    return stored


def kinds(objects: list[StoredObject] | tuple[StoredObject, ...]) -> Counter[ObjectKind]:
    return Counter(o.kind for o in objects)


def run(store: RegistryQueries, query: StoredQuery, options: RegistryOptions) -> list[StoredObject]:
    return list(run_stored_query(store, query, options=options).objects)


def by_uuid(entry_uuid: str) -> ObjectSelector:
    return ObjectSelector(IdentifierKind.ENTRY_UUID, (entry_uuid,))


def by_unique_id(unique_id: str) -> ObjectSelector:
    return ObjectSelector(IdentifierKind.UNIQUE_ID, (unique_id,))


def submission_set_contents(
    store: RegistryQueries, options: RegistryOptions, submission_set_uuid: str
) -> list[StoredObject]:
    query = GetSubmissionSetAndContentsQuery(
        submission_set=by_uuid(submission_set_uuid), documents=DocumentEntryFilter()
    )
    return run(store, query, options)


def folder_contents(
    store: RegistryQueries, options: RegistryOptions, folder_uuid: str
) -> list[StoredObject]:
    query = GetFolderAndContentsQuery(folder=by_uuid(folder_uuid), documents=DocumentEntryFilter())
    return run(store, query, options)


def documents_of(
    store: RegistryQueries, options: RegistryOptions, patient: Cx
) -> list[StoredObject]:
    query = FindDocumentsQuery(
        patient_id=patient, documents=DocumentEntryFilter(statuses=ALL_STATUSES)
    )
    return run(store, query, options)


def document(store: RegistryQueries, options: RegistryOptions, entry_uuid: str) -> DocumentEntry:
    (found,) = run(store, GetDocumentsQuery(documents=by_uuid(entry_uuid)), options)
    entry = parsed(found)
    assert isinstance(entry, DocumentEntry)
    return entry


def folder(store: RegistryQueries, options: RegistryOptions, entry_uuid: str) -> Folder:
    (found, *_) = folder_contents(store, options, entry_uuid)
    stored = parsed(found)
    assert isinstance(stored, Folder)
    return stored
