"""`parse_stored_query`: an AdhocQueryRequest read as one typed stored query."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from schemas import vocabulary as v
from schemas.errors import XdsErrorCode, XdsFailure
from schemas.model.messages import AdhocQueryRequest
from schemas.queries.catalogue import CATALOGUE
from schemas.queries.model import (
    DocumentEntryFilter,
    FindDocumentsByReferenceIdQuery,
    FindDocumentsForMultiplePatientsQuery,
    FindDocumentsQuery,
    FindFoldersForMultiplePatientsQuery,
    FindFoldersQuery,
    FindSubmissionSetsQuery,
    FolderFilter,
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
    QueryOptions,
    StoredQuery,
)
from schemas.queries.parameters import QueryParameters


def _document_criteria(p: QueryParameters) -> DocumentEntryFilter:
    return DocumentEntryFilter(
        statuses=p.statuses(v.PARAM_DE_STATUS),
        entry_types=p.entry_types(),
        class_codes=p.codes(v.PARAM_DE_CLASS_CODE),
        type_codes=p.codes(v.PARAM_DE_TYPE_CODE),
        practice_setting_codes=p.codes(v.PARAM_DE_PRACTICE_SETTING_CODE),
        healthcare_facility_type_codes=p.codes(v.PARAM_DE_HEALTHCARE_FACILITY_TYPE_CODE),
        event_codes=p.codes(v.PARAM_DE_EVENT_CODE_LIST),
        confidentiality_codes=p.codes(v.PARAM_DE_CONFIDENTIALITY_CODE),
        format_codes=p.codes(v.PARAM_DE_FORMAT_CODE),
        creation_time=p.time_range(v.PARAM_DE_CREATION_TIME_FROM, v.PARAM_DE_CREATION_TIME_TO),
        service_start_time=p.time_range(
            v.PARAM_DE_SERVICE_START_TIME_FROM, v.PARAM_DE_SERVICE_START_TIME_TO
        ),
        service_stop_time=p.time_range(
            v.PARAM_DE_SERVICE_STOP_TIME_FROM, v.PARAM_DE_SERVICE_STOP_TIME_TO
        ),
        author_persons=p.strings(v.PARAM_DE_AUTHOR_PERSON),
        reference_ids=p.string_groups(v.PARAM_DE_REFERENCE_ID_LIST),
    )


def _content_filter(p: QueryParameters, *, with_status: bool = False) -> DocumentEntryFilter:
    """The DocumentEntry filters of GetAll and the …AndContents queries."""
    return DocumentEntryFilter(
        statuses=p.statuses(v.PARAM_DE_STATUS) if with_status else None,
        entry_types=p.entry_types(),
        confidentiality_codes=p.codes(v.PARAM_DE_CONFIDENTIALITY_CODE),
        format_codes=p.codes(v.PARAM_DE_FORMAT_CODE),
    )


def _folder_criteria(p: QueryParameters) -> FolderFilter:
    return FolderFilter(
        statuses=p.statuses(v.PARAM_FOLDER_STATUS),
        last_update_time=p.time_range(
            v.PARAM_FOLDER_LAST_UPDATE_TIME_FROM, v.PARAM_FOLDER_LAST_UPDATE_TIME_TO
        ),
        codes=p.codes(v.PARAM_FOLDER_CODE_LIST),
    )


Builder = Callable[[QueryParameters, QueryOptions], StoredQuery]

_BUILDERS: Mapping[str, Builder] = MappingProxyType(
    {
        v.QUERY_FIND_DOCUMENTS: lambda p, o: FindDocumentsQuery(
            patient_id=p.patient_id(v.PARAM_DE_PATIENT_ID),
            documents=_document_criteria(p),
            options=o,
        ),
        v.QUERY_FIND_DOCUMENTS_BY_REFERENCE_ID: lambda p, o: FindDocumentsByReferenceIdQuery(
            patient_id=p.patient_id(v.PARAM_DE_PATIENT_ID),
            documents=_document_criteria(p),
            options=o,
        ),
        v.QUERY_FIND_DOCUMENTS_FOR_MULTIPLE_PATIENTS: (
            lambda p, o: FindDocumentsForMultiplePatientsQuery(
                patient_ids=p.patient_ids(v.PARAM_DE_PATIENT_ID),
                documents=_document_criteria(p),
                options=o,
            )
        ),
        v.QUERY_FIND_SUBMISSION_SETS: lambda p, o: FindSubmissionSetsQuery(
            patient_id=p.patient_id(v.PARAM_SS_PATIENT_ID),
            statuses=p.statuses(v.PARAM_SS_STATUS),
            source_ids=p.strings(v.PARAM_SS_SOURCE_ID),
            submission_time=p.time_range(
                v.PARAM_SS_SUBMISSION_TIME_FROM, v.PARAM_SS_SUBMISSION_TIME_TO
            ),
            author_person=p.string(v.PARAM_SS_AUTHOR_PERSON),
            content_type_codes=p.codes(v.PARAM_SS_CONTENT_TYPE),
            options=o,
        ),
        v.QUERY_FIND_FOLDERS: lambda p, o: FindFoldersQuery(
            patient_id=p.patient_id(v.PARAM_FOLDER_PATIENT_ID),
            folders=_folder_criteria(p),
            options=o,
        ),
        v.QUERY_FIND_FOLDERS_FOR_MULTIPLE_PATIENTS: (
            lambda p, o: FindFoldersForMultiplePatientsQuery(
                patient_ids=p.patient_ids(v.PARAM_FOLDER_PATIENT_ID),
                folders=_folder_criteria(p),
                options=o,
            )
        ),
        v.QUERY_GET_ALL: lambda p, o: GetAllQuery(
            patient_id=p.patient_id(v.PARAM_PATIENT_ID),
            documents=_content_filter(p, with_status=True),
            submission_set_statuses=p.statuses(v.PARAM_SS_STATUS),
            folder_statuses=p.statuses(v.PARAM_FOLDER_STATUS),
            options=o,
        ),
        v.QUERY_GET_DOCUMENTS: lambda p, o: GetDocumentsQuery(documents=p.selector(), options=o),
        v.QUERY_GET_FOLDERS: lambda p, o: GetFoldersQuery(folders=p.selector(), options=o),
        v.QUERY_GET_ASSOCIATIONS: lambda p, o: GetAssociationsQuery(
            uuids=p.strings(v.PARAM_UUID), options=o
        ),
        v.QUERY_GET_DOCUMENTS_AND_ASSOCIATIONS: lambda p, o: GetDocumentsAndAssociationsQuery(
            documents=p.selector(), options=o
        ),
        v.QUERY_GET_SUBMISSION_SETS: lambda p, o: GetSubmissionSetsQuery(
            uuids=p.strings(v.PARAM_UUID), options=o
        ),
        v.QUERY_GET_SUBMISSION_SET_AND_CONTENTS: lambda p, o: GetSubmissionSetAndContentsQuery(
            submission_set=p.selector(), documents=_content_filter(p), options=o
        ),
        v.QUERY_GET_FOLDER_AND_CONTENTS: lambda p, o: GetFolderAndContentsQuery(
            folder=p.selector(), documents=_content_filter(p), options=o
        ),
        v.QUERY_GET_FOLDERS_FOR_DOCUMENT: lambda p, o: GetFoldersForDocumentQuery(
            document=p.selector(), options=o
        ),
        v.QUERY_GET_RELATED_DOCUMENTS: lambda p, o: GetRelatedDocumentsQuery(
            document=p.selector(),
            association_types=p.association_types(v.PARAM_ASSOCIATION_TYPES),
            entry_types=p.entry_types(),
            options=o,
        ),
    }
)


def parse_stored_query(request: AdhocQueryRequest) -> StoredQuery:
    """The typed query a request asks for; `XdsFailure` with every problem found otherwise.

    XDSUnknownStoredQuery for an id outside the catalogue, XDSStoredQueryMissingParam and
    XDSStoredQueryParamNumber for absent or miscounted parameters, XDSRegistryError for values
    that cannot be read. The caller checks that the query belongs to its transaction
    (`CATALOGUE[id].transaction`).
    """
    spec = CATALOGUE.get(request.query_id)
    if spec is None:
        raise XdsFailure.of(
            XdsErrorCode.UNKNOWN_STORED_QUERY,
            f"unknown stored query id {request.query_id!r}",
            request.query_id,
        )
    parameters = QueryParameters.read(spec, request)
    return _BUILDERS[spec.query_id](parameters, parameters.options(request))
