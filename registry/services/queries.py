"""ITI-18 / ITI-51 stored queries: a typed query run against the store's query primitives.

`run_stored_query` maps each `schemas.queries` query to its primitive and applies the rules that
span a whole result: at most `max_results` objects (XDSTooManyResults), and a LeafClass result of
a single-patient query holds one patient's objects only (XDSResultNotSinglePatient).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from registry.criteria import SubmissionSetFilter
from registry.entries import ResultLimitExceeded, StoredObject
from registry.interfaces import RegistryQueries
from registry.services.options import RegistryOptions
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model import ReturnType
from schemas.queries import (
    FindDocumentsByReferenceIdQuery,
    FindDocumentsForMultiplePatientsQuery,
    FindDocumentsQuery,
    FindFoldersForMultiplePatientsQuery,
    FindFoldersQuery,
    FindSubmissionSetsQuery,
    GetAllQuery,
    GetAssociationsQuery,
    GetDocumentsAndAssociationsQuery,
    GetDocumentsQuery,
    GetFolderAndContentsQuery,
    GetFoldersForDocumentQuery,
    GetFoldersQuery,
    GetRelatedDocumentsQuery,
    GetSubmissionSetAndContentsQuery,
    GetSubmissionSetsQuery,
    StoredQuery,
)

MULTI_PATIENT_QUERIES = (FindDocumentsForMultiplePatientsQuery, FindFoldersForMultiplePatientsQuery)


@dataclass(frozen=True, slots=True, kw_only=True)
class QueryResult:
    """The objects a stored query returns, in order, with their pre-rendered XML.

    For `ReturnType.OBJECT_REF` the response lists their entryUUIDs only.
    """

    objects: tuple[StoredObject, ...]
    return_type: ReturnType


def run_stored_query(
    store: RegistryQueries, query: StoredQuery, *, options: RegistryOptions
) -> QueryResult:
    """Run a parsed stored query; `XdsFailure` for a result the rules refuse."""
    limit = options.max_results
    try:
        objects = tuple(_PRIMITIVES[type(query)](store, query, limit))
    except ResultLimitExceeded:
        raise XdsFailure.of(
            XdsErrorCode.TOO_MANY_RESULTS,
            f"the query matches more than {limit} objects; narrow it (for example by "
            "status, class code or time range) or ask for ObjectRefs",
        ) from None
    return_type = query.options.return_type
    if return_type is ReturnType.LEAF_CLASS and not isinstance(query, MULTI_PATIENT_QUERIES):
        _check_single_patient(objects)
    return QueryResult(objects=objects, return_type=return_type)


def _check_single_patient(objects: tuple[StoredObject, ...]) -> None:
    patients = sorted({o.patient_id for o in objects if o.patient_id is not None})
    if len(patients) > 1:
        raise XdsFailure.of(
            XdsErrorCode.RESULT_NOT_SINGLE_PATIENT,
            f"the result holds objects of {len(patients)} patients ({', '.join(patients)}); "
            "ask for ObjectRefs or query one patient at a time",
        )


Primitive = Callable[[RegistryQueries, Any, int], list[StoredObject]]


def _find_documents(
    store: RegistryQueries, q: FindDocumentsQuery | FindDocumentsByReferenceIdQuery, limit: int
) -> list[StoredObject]:
    return store.find_document_entries([q.patient_id], q.documents, limit=limit)


def _find_documents_for_patients(
    store: RegistryQueries, q: FindDocumentsForMultiplePatientsQuery, limit: int
) -> list[StoredObject]:
    return store.find_document_entries(q.patient_ids or None, q.documents, limit=limit)


def _find_submission_sets(
    store: RegistryQueries, q: FindSubmissionSetsQuery, limit: int
) -> list[StoredObject]:
    wanted = SubmissionSetFilter(
        statuses=q.statuses,
        source_ids=q.source_ids,
        submission_time=q.submission_time,
        author_persons=() if q.author_person is None else (q.author_person,),
        content_type_codes=q.content_type_codes,
    )
    return store.find_submission_sets([q.patient_id], wanted, limit=limit)


def _find_folders(store: RegistryQueries, q: FindFoldersQuery, limit: int) -> list[StoredObject]:
    return store.find_folders([q.patient_id], q.folders, limit=limit)


def _find_folders_for_patients(
    store: RegistryQueries, q: FindFoldersForMultiplePatientsQuery, limit: int
) -> list[StoredObject]:
    return store.find_folders(q.patient_ids or None, q.folders, limit=limit)


def _get_all(store: RegistryQueries, q: GetAllQuery, limit: int) -> list[StoredObject]:
    return store.get_all(
        q.patient_id,
        documents=q.documents,
        submission_set_statuses=q.submission_set_statuses,
        folder_statuses=q.folder_statuses,
        limit=limit,
    )


def _get_related(
    store: RegistryQueries, q: GetRelatedDocumentsQuery, limit: int
) -> list[StoredObject]:
    return store.get_related_documents(
        q.document,
        association_types=[t.value for t in q.association_types],
        entry_types=q.entry_types,
        limit=limit,
    )


_PRIMITIVES: dict[type, Primitive] = {
    FindDocumentsQuery: _find_documents,
    FindDocumentsByReferenceIdQuery: _find_documents,
    FindDocumentsForMultiplePatientsQuery: _find_documents_for_patients,
    FindSubmissionSetsQuery: _find_submission_sets,
    FindFoldersQuery: _find_folders,
    FindFoldersForMultiplePatientsQuery: _find_folders_for_patients,
    GetAllQuery: _get_all,
    GetDocumentsQuery: lambda s, q, n: s.get_document_entries(q.documents, limit=n),
    GetFoldersQuery: lambda s, q, n: s.get_folders(q.folders, limit=n),
    GetAssociationsQuery: lambda s, q, n: s.get_associations(q.uuids, limit=n),
    GetDocumentsAndAssociationsQuery: lambda s, q, n: s.get_documents_and_associations(
        q.documents, limit=n
    ),
    GetSubmissionSetsQuery: lambda s, q, n: s.get_submission_sets(q.uuids, limit=n),
    GetSubmissionSetAndContentsQuery: lambda s, q, n: s.get_submission_set_and_contents(
        q.submission_set, documents=q.documents, limit=n
    ),
    GetFolderAndContentsQuery: lambda s, q, n: s.get_folder_and_contents(
        q.folder, documents=q.documents, limit=n
    ),
    GetFoldersForDocumentQuery: lambda s, q, n: s.get_folders_for_document(q.document, limit=n),
    GetRelatedDocumentsQuery: _get_related,
}
